/**
 * How fresh this node's replica of each followed network is: when a sync round last ended well with a peer
 * that holds the network (decision 0041). Kept in memory on purpose: what counts is a sync *since this node
 * started*, because a stopped node may have missed any number of revocations, and a time read back from disk
 * would let a restarted node present its old copy as current.
 */

export interface NetworkFreshness {
  network: string;
  /** The last sync round with a peer holding the network that ended well, since start. */
  lastSyncAt?: string;
  /** Seconds since `lastSyncAt`, when there is one. */
  ageSeconds?: number;
}

export interface FreshnessView {
  /** When this node started: a replica that has not synced since is not current. */
  startedAt: string;
  /** True when at least one of the networks synced with a peer since start. */
  current: boolean;
  networks: NetworkFreshness[];
}

export interface ReplicaFreshness {
  /**
   * Replication started (the replicator calls it): from now on a replica counts as current only after a sync.
   * A node that never replicates (an offline tool, a node fed by imports) has no replica to be stale.
   */
  start(): void;
  /** Whether replication started in this process. */
  readonly tracking: boolean;
  /** When replication started; a replica that has not synced since is not current. */
  readonly startedAt: string | undefined;
  /** Records that a sync round covering `networks` ended well now. */
  recordSync(networks: Iterable<string>): void;
  lastSyncAt(network: string): string | undefined;
  /** The freshness of the replica of `networks` (sorted by network id). */
  of(networks: Iterable<string>): FreshnessView;
}

export function createReplicaFreshness(options: { now?: () => Date } = {}): ReplicaFreshness {
  const now = options.now ?? (() => new Date());
  let startedAt: string | undefined;
  const last = new Map<string, number>();
  return {
    start() {
      startedAt ??= now().toISOString();
    },
    get tracking() {
      return startedAt !== undefined;
    },
    get startedAt() {
      return startedAt;
    },
    recordSync(networks) {
      const at = now().getTime();
      for (const network of networks) last.set(network, at);
    },
    lastSyncAt(network) {
      const at = last.get(network);
      return at === undefined ? undefined : new Date(at).toISOString();
    },
    of(networks) {
      const at = now().getTime();
      const list = [...new Set(networks)].sort().map((network): NetworkFreshness => {
        const synced = last.get(network);
        return synced === undefined
          ? { network }
          : {
              network,
              lastSyncAt: new Date(synced).toISOString(),
              ageSeconds: Math.max(0, Math.round((at - synced) / 1000)),
            };
      });
      return {
        startedAt: startedAt ?? new Date(at).toISOString(),
        current: list.some((n) => n.lastSyncAt !== undefined),
        networks: list,
      };
    },
  };
}
