/** Binds what the metrics read at scrape time to a running node's parts (libp2p host, follows, replicator). */
import { networkTopic } from '../../protocol/constants.ts';
import type { Host } from '../libp2p-host.ts';
import type { FollowSet } from '../replication/follows.ts';
import type { Replicator } from '../replication/replicator.ts';
import type { NodeMetrics } from './metrics.ts';
import { createStoreSize } from './store-size.ts';

export function bindNodeSources(
  metrics: NodeMetrics,
  parts: {
    host: Host;
    follows: FollowSet;
    replicator: Replicator;
    /** The proof worker pool, when verification runs in worker threads. */
    proofPool?: { queueDepth(): number };
    /** The data directory whose size is reported (absent: 0). */
    dataDir?: string;
  },
): void {
  const { host, follows, replicator } = parts;
  metrics.bind({
    peersConnected: () => host.getPeers().length,
    topicPeers: () =>
      Object.fromEntries(follows.list().map((n) => [n, host.services.pubsub.getSubscribers(networkTopic(n)).length])),
    replicaSyncs: () => {
      const stats = replicator.networkStats();
      return Object.fromEntries(follows.list().map((n) => [n, stats[n]?.lastSyncAt]));
    },
    proofQueueDepth: () => parts.proofPool?.queueDepth() ?? 0,
    storeBytes: parts.dataDir ? createStoreSize({ dir: parts.dataDir }) : undefined,
  });
}
