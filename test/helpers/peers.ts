/** Real nodes on loopback in one process: level in a temp dir, libp2p host, replicator. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PeerId } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { type Components, createComponents } from '../../node/components.ts';
import { loadOrCreateIdentity } from '../../node/identity.ts';
import { createHost, type Host } from '../../node/libp2p-host.ts';
import type { Logger } from '../../node/logger.ts';
import type { NodeMetrics } from '../../node/observability/metrics.ts';
import { createDiscovery } from '../../node/replication/discovery.ts';
import { createMembershipDiscovery, type MembershipDiscovery } from '../../node/replication/membership.ts';
import { createReplicator, type Replicator } from '../../node/replication/replicator.ts';
import { type Database, openDatabase } from '../../node/storage/database.ts';
import { openLedger } from '../../node/storage/ledger.ts';
import { tempDir } from './node.ts';

export interface Peer {
  dir: string;
  database: Database;
  components: Components;
  /** The admin token, when this call created the node's identity. */
  adminToken?: string;
  host: Host;
  replicator: Replicator;
  membership: MembershipDiscovery;
  discovery: ReturnType<typeof createDiscovery>;
  addrs(): Multiaddr[];
  stop(): Promise<void>;
  /** Stop and delete its data. */
  destroy(): Promise<void>;
}

export async function startPeer(
  options: {
    dir?: string;
    anchors?: string[];
    syncIntervalMs?: number;
    /** Per-round pull bounds (small ones make a truncated round cheap to reach). */
    syncBounds?: { maxMissing?: number; maxInventoryPages?: number };
    discovery?: boolean;
    discoveryIntervalMs?: number;
    /** How often membership discovery asks every peer again; default an hour (only connects and notices count). */
    membershipIntervalMs?: number;
    /** The node's public base URL (status lists, OID4VC issuer identifier); default an unused port. */
    publicUrl?: string;
    /** Replication and issuance events (node/logger.ts), and the node's metrics. */
    logger?: Logger;
    metrics?: NodeMetrics;
    /** Refuses these peers at every dial and connection while it says so (a partition). */
    denyPeer?: (peer: PeerId) => boolean;
    /** Runs with the host started and before the replicator is (a node that dialed its bootstrap peers first). */
    beforeReplicator?: (host: Host) => Promise<void>;
  } = {},
): Promise<Peer> {
  const dir = options.dir ?? (await tempDir('ler-peer-'));
  const database = await openDatabase(join(dir, 'db'));
  const { identity, adminToken } = await loadOrCreateIdentity(database);
  const components = await createComponents({
    ledger: await openLedger(join(dir, 'node.json')),
    database,
    identity,
    publicUrl: options.publicUrl ?? 'http://127.0.0.1:1',
    anchors: options.anchors,
    logger: options.logger,
    metrics: options.metrics,
  });
  const host = await createHost({
    privateKey: identity.peerKey,
    database,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    denyPeer: options.denyPeer,
  });
  await options.beforeReplicator?.(host);
  const replicator = createReplicator({
    host,
    registry: components.registry,
    publications: components.publications,
    follows: components.follows,
    logger: options.logger,
    metrics: options.metrics,
    freshness: components.freshness,
    syncIntervalMs: options.syncIntervalMs ?? 1_000,
    syncBounds: options.syncBounds,
  });
  await replicator.start();
  const membership = createMembershipDiscovery({
    host,
    registry: components.registry,
    follows: components.follows,
    replicator,
    institutionDid: components.identity.did,
    intervalMs: options.membershipIntervalMs ?? 3_600_000,
    logger: options.logger,
  });
  await membership.start();
  const discovery = createDiscovery({
    host,
    follows: components.follows,
    intervalMs: options.discoveryIntervalMs ?? 60_000,
    timeoutMs: 5_000,
  });
  if (options.discovery) discovery.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    discovery.stop();
    await membership.stop();
    await replicator.stop();
    await host.stop();
    await components.close();
    await database.close();
  };
  return {
    dir,
    database,
    components,
    adminToken,
    host,
    replicator,
    membership,
    discovery,
    addrs: () => host.getMultiaddrs(),
    stop,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function connect(a: Peer, b: Peer): Promise<void> {
  await a.host.dial(b.addrs()[0], { signal: AbortSignal.timeout(10_000) });
}

/** Waits until `condition` holds (polling), or fails with `what`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
