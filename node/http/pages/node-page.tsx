/**
 * The node page (admin): version and health, the peers connected, the
 * networks followed (anchors marked), and each network's replication state:
 * when it last synced, when gossip last brought a change, what was rejected.
 */
import type { Context } from 'hono';
import type { RegistryService } from '../../registry/registry-service.ts';
import type { FollowSet } from '../../replication/follows.ts';
import type { NetworkReplication, ReplicationStats } from '../../replication/replicator.ts';
import { Layout, page } from './layout.tsx';
import type { Session } from './sessions.ts';

/** What only the running process knows (libp2p, replication); absent when the app runs without one (tests). */
export interface NodeStatus {
  peers: Array<{ peerId: string; address: string }>;
  replication: Record<string, NetworkReplication>;
  totals: ReplicationStats;
}

export interface NodePageDeps {
  registry: RegistryService;
  follows: FollowSet;
  identity: { did: string };
  version?: string;
  health?: () => { peerId?: string; multiaddrs: string[] };
  nodeStatus?: () => NodeStatus;
}

function ago(iso: string | undefined, now: number): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  const words =
    seconds < 90
      ? `${seconds} s`
      : seconds < 5400
        ? `${Math.round(seconds / 60)} min`
        : `${Math.round(seconds / 3600)} h`;
  return `${words} ago`;
}

export function nodePage(c: Context<{ Variables: { session: Session } }>, deps: NodePageDeps) {
  const health = deps.health?.();
  const status = deps.nodeStatus?.();
  const anchors = new Set(deps.follows.trustAnchors());
  const now = Date.now();
  return page(
    c,
    <Layout title="This node" admin={c.get('session')}>
      <h1>This node</h1>
      <dl class="facts">
        <dt>Health</dt>
        <dd class="health">ok</dd>
        <dt>Version</dt>
        <dd>{deps.version ?? 'unknown'}</dd>
        <dt>Institution DID</dt>
        <dd>{deps.identity.did}</dd>
        {health?.peerId ? (
          <>
            <dt>Peer id</dt>
            <dd>{health.peerId}</dd>
          </>
        ) : null}
        {health?.multiaddrs.length ? (
          <>
            <dt>Listening on</dt>
            <dd>{health.multiaddrs.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <h2>Peers connected ({status?.peers.length ?? 0})</h2>
      {status && status.peers.length > 0 ? (
        <table class="peers">
          <thead>
            <tr>
              <th scope="col">Peer</th>
              <th scope="col">Address</th>
            </tr>
          </thead>
          <tbody>
            {status.peers.map((p) => (
              <tr>
                <td>{p.peerId}</td>
                <td>{p.address}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No peer is connected.</p>
      )}
      <h2>Networks followed</h2>
      <table class="replication">
        <thead>
          <tr>
            <th scope="col">Network</th>
            <th scope="col">Members</th>
            <th scope="col">Last sync</th>
            <th scope="col">Last gossip</th>
            <th scope="col">Gossip accepted / rejected</th>
          </tr>
        </thead>
        <tbody>
          {deps.follows.list().map((id) => {
            const state = deps.registry.network(id);
            const r = status?.replication[id];
            return (
              <tr data-network={id}>
                <td>
                  {state?.name ?? 'not received yet'}
                  {anchors.has(id) ? <strong> (trust anchor)</strong> : null}
                  <div class="detail">{id}</div>
                </td>
                <td>{state ? Object.keys(state.members).length : '–'}</td>
                <td>{ago(r?.lastSyncAt, now)}</td>
                <td>{ago(r?.lastGossipAt, now)}</td>
                <td>
                  {r?.gossipAccepted ?? 0} / {r?.gossipRejected ?? 0}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {status ? (
        <p class="detail">
          Since start: {status.totals.syncRuns} sync rounds, {status.totals.syncFetched} entries fetched,{' '}
          {status.totals.gossipRejected} gossip messages rejected, {status.totals.syncMisbehaviour} misbehaving sync
          answers.
        </p>
      ) : null}
    </Layout>,
  );
}
