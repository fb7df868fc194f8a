/**
 * `npm run partition`: partition figures for issue 15 (Reliability: Partitions). Five real libp2p nodes on
 * loopback, in one process (five `ler-node` processes would cost more start-up time than the whole measurement
 * on a shared 2-core machine; each node here is the same components, host and replicator a process runs).
 *
 * One network, governors g1 and g2 (threshold 1), two member institutions (nodes 0 and 2), all nodes following
 * it. Node 4 is stopped before the first partition and stays offline for the whole change set. Each round:
 * the federation splits into island A (nodes 0, 1) and island B (nodes 2, 3) by a connection gate (every dial
 * and connection between islands refused, existing ones closed); each island changes state (its member revokes
 * credentials, its governor admits a member); then the gate opens and the nodes redial, and the time until all
 * four online nodes hold the same registry inventory and the same member publications is the round's
 * convergence time. At the end node 4 restarts from its data directory, dials one node, and the time until it
 * holds everything is its catch-up time. The periodic sync round is the production default (30 s): what
 * converges faster came from gossip and the pull on connect.
 *
 * Options: --rounds N (default 5), --revocations N per island and round (default 3).
 * Figures are wall-clock times on a machine shared with other work: give the load average with them.
 */
import '../node/polyfills.ts';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { PeerId } from '@libp2p/interface';
import { type GovernorKey, signActionId } from '../protocol/signing/governor-keys.ts';
import { sampleBadge } from '../test/helpers/node.ts';
import { type Peer, startPeer } from '../test/helpers/peers.ts';
import { governors } from '../test/helpers/registry.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, revocations: { type: 'string', default: '3' } },
});
const ROUNDS = Number(values.rounds);
const REVOCATIONS = Number(values.revocations);
const SYNC_INTERVAL_MS = 30_000;
const POLL_MS = 10;

const island = new Map<string, 'A' | 'B' | 'offline'>();
let partitioned = false;
/** Refused while partitioned: a peer of the other island. */
const gate = (self: () => string | undefined) => (peer: PeerId) => {
  if (!partitioned) return false;
  const mine = island.get(self() ?? '');
  const theirs = island.get(peer.toString());
  return mine !== undefined && theirs !== undefined && mine !== theirs;
};

async function node(dir?: string): Promise<Peer> {
  const holder: { id?: string } = {};
  const peer = await startPeer({ dir, syncIntervalMs: SYNC_INTERVAL_MS, denyPeer: gate(() => holder.id) });
  holder.id = peer.host.peerId.toString();
  return peer;
}

async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = Number(process.env.PARTITION_TIMEOUT_MS ?? 120_000),
) {
  if (process.env.PARTITION_VERBOSE) console.error(`waiting for ${what}`);
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Dials until connected: two nodes dialing each other at once may close one of the two connections. */
async function dial(a: Peer, b: Peer): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await a.host.dial(b.addrs()[0], { signal: AbortSignal.timeout(20_000) });
      return;
    } catch (error) {
      if (a.host.getConnections(b.host.peerId).length > 0) return;
      if (attempt >= 5) throw error;
    }
  }
}

/**
 * Redials any pair of `group` that lost its connection (on a loaded machine libp2p drops connections whose
 * pings time out; a deployed node redials its peers the same way, through its bootstrap list and peer store).
 */
async function keepConnected(group: Peer[]): Promise<void> {
  for (let i = 0; i < group.length; i++)
    for (let j = i + 1; j < group.length; j++)
      if (group[i].host.getConnections(group[j].host.peerId).length === 0) await dial(group[i], group[j]);
}

/** What "converged" compares: the registry inventory of the network and the member publications held for it. */
function fingerprint(p: Peer, network: string): string {
  const registry = p.components.registry;
  const members = new Set(Object.keys(registry.network(network)?.members ?? {}));
  return `${registry.inventoryDigest(network)?.inventory}|${p.components.publications.digestOf(members)}`;
}
const converged = (peers: Peer[], network: string) => {
  const first = fingerprint(peers[0], network);
  return peers.every((p) => fingerprint(p, network) === first);
};

const stats = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
};

async function main() {
  const load = loadavg().map((l) => l.toFixed(2));
  const nodes = [await node(), await node(), await node(), await node(), await node()];
  const [g1, g2] = governors(2);
  const approve = async (at: Peer, id: string, g: GovernorKey) =>
    at.components.registry.approve(id, { signer: g.did, signature: signActionId(g, id) });
  try {
    const registry0 = nodes[0].components.registry;
    const genesis = await registry0.createNetwork({
      name: 'Partition Network',
      governors: [g1.did, g2.did],
      threshold: 1,
    });
    await approve(nodes[0], genesis.id, g1);
    const network = genesis.id;
    const issuers = [nodes[0], nodes[2]];
    for (const issuer of issuers) {
      const add = await registry0.propose(network, {
        type: 'member.add',
        did: issuer.components.identity.did,
        name: `Institution ${issuer.host.peerId.toString().slice(-6)}`,
        accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
      });
      await approve(nodes[0], add.id, g1);
    }
    for (const p of nodes.slice(1)) await p.components.follows.add(network);
    for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) await dial(nodes[i], nodes[j]);
    // Credentials to revoke later, issued while everyone is connected.
    const credentials = new Map<Peer, Array<Record<string, unknown>>>();
    for (const issuer of issuers) {
      const issued: Array<Record<string, unknown>> = [];
      for (let i = 0; i < ROUNDS * REVOCATIONS; i++) {
        issued.push(await issuer.components.issuer.issue(sampleBadge({ issuer: issuer.components.identity.did })));
      }
      credentials.set(issuer, issued);
    }
    const revoked: Array<Record<string, unknown>> = [];
    // Set-up, not measured: one pull round everywhere instead of waiting for the periodic one.
    await until(async () => {
      await keepConnected(nodes);
      await Promise.all(nodes.map((p) => p.replicator.syncAll()));
      return converged(nodes, network);
    }, 'the initial convergence');

    // Node 4 goes offline for the whole change set.
    const offlineDir = nodes[4].dir;
    await nodes[4].stop();
    const online = nodes.slice(0, 4);
    online.forEach((p, i) => {
      island.set(p.host.peerId.toString(), i < 2 ? 'A' : 'B');
    });

    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      partitioned = true;
      for (const a of online.slice(0, 2))
        for (const b of online.slice(2)) await a.host.hangUp(b.host.peerId).catch(() => undefined);
      await until(
        () =>
          online
            .slice(0, 2)
            .every((a) => online.slice(2).every((b) => a.host.getConnections(b.host.peerId).length === 0)),
        'the islands to be apart',
      );
      // Each island changes state: revocations by its member, a governance action by its governor.
      for (const [issuer, governor, side] of [
        [nodes[0], g1, 'a'],
        [nodes[2], g2, 'b'],
      ] as const) {
        for (const vc of credentials.get(issuer)!.splice(0, REVOCATIONS)) {
          await issuer.components.issuer.setStatus(String(vc.id), 'revocation', true);
          revoked.push(vc);
        }
        const add = await issuer.components.registry.propose(network, {
          type: 'member.add',
          did: `did:web:${side}${round}.partition.example`,
          name: `Admitted in island ${side.toUpperCase()}, round ${round + 1}`,
        });
        await approve(issuer, add.id, governor);
      }
      await until(async () => {
        await keepConnected(online.slice(0, 2));
        await keepConnected(online.slice(2));
        return converged(online.slice(0, 2), network) && converged(online.slice(2), network);
      }, 'each island').catch((error) => {
        for (const p of online) {
          const lists = p.components.publications.list({ kind: 'status-list' });
          const versions = lists.map((x) => `${x.publisher.slice(-6)}@${x.version}`).join(',');
          console.error(fingerprint(p, network), versions, `${p.host.getConnections().length} connections`);
        }
        throw error;
      });
      if (converged(online, network)) throw new Error('the islands did not diverge: the partition leaked');
      // Heal: the gate opens and the nodes redial each other across the former cut.
      partitioned = false;
      const started = performance.now();
      await Promise.all(online.slice(0, 2).flatMap((a) => online.slice(2).map((b) => dial(a, b))));
      await until(
        async () => {
          await keepConnected(online);
          return converged(online, network);
        },
        `convergence after round ${round + 1}`,
      );
      const ms = performance.now() - started;
      times.push(ms);
      console.log(`round ${round + 1}: converged in ${ms.toFixed(0)} ms`);
    }

    // Node 4 comes back, having missed every change: it dials one node and catches up.
    const returning = await node(offlineDir);
    nodes[4] = returning;
    const before = returning.components.registry.network(network)?.applied.length ?? 0;
    const started = performance.now();
    await dial(returning, nodes[0]);
    await until(() => converged([...online, returning], network), 'the returning node to catch up');
    const catchUp = performance.now() - started;
    const after = returning.components.registry.network(network)?.applied.length ?? 0;
    // What the returning node now answers for every credential revoked while it was away.
    let revokedSeen = 0;
    for (const vc of revoked) {
      const report = await returning.components.verifier.verifyCredential(vc);
      if (report.checks.find((c) => c.name === 'status')?.code === 'REVOKED') revokedSeen++;
    }

    const s = stats(times);
    console.log('');
    console.log(
      `partition figures (5 nodes in-process, real libp2p on loopback; sync round ${SYNC_INTERVAL_MS / 1000} s)`,
    );
    console.log(`  rounds: ${ROUNDS}; per island and round: ${REVOCATIONS} revocations + 1 governance action`);
    console.log(
      `  convergence after heal: min ${s.min.toFixed(0)} ms / median ${s.median.toFixed(0)} ms / max ${s.max.toFixed(0)} ms`,
    );
    console.log(
      `  node offline for the whole change set: caught up in ${catchUp.toFixed(0)} ms (${after - before} actions, ${ROUNDS * REVOCATIONS * 2} revocations it had missed)`,
    );
    console.log(`  revoked credentials reported REVOKED by the returning node: ${revokedSeen} of ${revoked.length}`);
    console.log(
      `  load average at start: ${load.join(' ')}; at end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    for (const p of nodes) await p.destroy().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
