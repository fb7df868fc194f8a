/**
 * The node's Prometheus metrics (prom-client), on a Registry of its own: two
 * nodes in one process (tests, the simulator) never share counters, and
 * nothing lands in prom-client's global default registry. Services get the
 * narrow recording functions; what is read rather than counted (peers, queue
 * depth, replica lag, store size) comes from sources bound once the node's
 * parts exist, and is read at scrape time only.
 *
 * Label values are bounded: HTTP routes are the registered patterns (never a
 * raw path with ids), networks are the followed ones, cryptosuites a fixed set.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type VerificationKind = 'credential' | 'presentation';
/** `valid`: verified and every validity check ok; `not_valid`: verified, but revoked, expired or unchecked; `failed`: an integrity or data-model error. */
export type VerificationOutcome = 'valid' | 'not_valid' | 'failed';
export type GossipResult = 'accepted' | 'rejected' | 'ignored';

export interface SyncCounts {
  fetched: number;
  accepted: number;
  rejected: number;
  dropped: number;
}

/** What the node reads at scrape time; each may be bound later than the metrics are made. */
export interface MetricSources {
  peersConnected?: () => number;
  /** Followed network → peers subscribed to its topic. */
  topicPeers?: () => Record<string, number>;
  /** Followed networks, each with the time of its last successful sync (undefined: none since start). */
  replicaSyncs?: () => Record<string, string | undefined>;
  /** Proof jobs waiting or running in the worker pool. */
  proofQueueDepth?: () => number;
  /** Approximate bytes the node's store takes on disk. */
  storeBytes?: () => Promise<number>;
}

export interface NodeMetrics {
  readonly registry: Registry;
  readonly contentType: string;
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  verification(kind: VerificationKind, outcome: VerificationOutcome, cryptosuite: string): void;
  gossipReceived(network: string, result: GossipResult): void;
  gossipPublished(network: string): void;
  syncRound(ok: boolean, counts?: SyncCounts): void;
  credentialIssued(cryptosuite: string): void;
  statusChanged(purpose: string): void;
  bind(sources: MetricSources): void;
  /** The Prometheus text exposition of every metric. */
  exposition(): Promise<string>;
}

/** Seconds; verification over HTTP takes milliseconds, a slow did:web fetch seconds. */
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createNodeMetrics(options: { version: string; now?: () => number } = { version: 'unknown' }) {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const registry = new Registry();
  const registers = [registry];
  const sources: MetricSources = {};
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'ler_build_info',
    help: 'Always 1; the node version as a label',
    labelNames: ['version'],
    registers,
    collect() {
      this.set({ version: options.version }, 1);
    },
  });
  const httpRequests = new Counter({
    name: 'ler_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const httpDuration = new Histogram({
    name: 'ler_http_request_duration_seconds',
    help: 'Time from request to response headers, by method and route pattern',
    labelNames: ['method', 'route'],
    buckets: HTTP_BUCKETS,
    registers,
  });
  // Bounded: methods × route patterns × statuses the app answers with.
  const httpSeries = new Map<
    string,
    { requests: ReturnType<typeof httpRequests.labels>; duration: ReturnType<typeof httpDuration.labels> }
  >();
  const verifications = new Counter({
    name: 'ler_verifications_total',
    help: 'Credentials and presentations verified, by kind, outcome and cryptosuite of the first proof',
    labelNames: ['kind', 'outcome', 'cryptosuite'],
    registers,
  });
  const gossipReceived = new Counter({
    name: 'ler_gossip_received_total',
    help: 'Gossip messages received on a followed network topic, by network and result',
    labelNames: ['network', 'result'],
    registers,
  });
  const gossipPublished = new Counter({
    name: 'ler_gossip_published_total',
    help: 'Gossip messages this node published to at least one peer, by network',
    labelNames: ['network'],
    registers,
  });
  const syncRounds = new Counter({
    name: 'ler_sync_rounds_total',
    help: 'Sync rounds with a peer (/ler/sync/1.0.0), by result',
    labelNames: ['result'],
    registers,
  });
  const syncItems = new Counter({
    name: 'ler_sync_items_total',
    help: 'Entries fetched in sync rounds and what became of them (accepted, rejected, dropped)',
    labelNames: ['outcome'],
    registers,
  });
  const issued = new Counter({
    name: 'ler_credentials_issued_total',
    help: 'Credentials issued, by cryptosuite',
    labelNames: ['cryptosuite'],
    registers,
  });
  const statusChanges = new Counter({
    name: 'ler_status_changes_total',
    help: 'Status list entries changed (revocation, suspension, ...), by purpose',
    labelNames: ['purpose'],
    registers,
  });
  new Gauge({
    name: 'ler_peers_connected',
    help: 'libp2p peers with an open connection',
    registers,
    collect() {
      this.set(sources.peersConnected?.() ?? 0);
    },
  });
  new Gauge({
    name: 'ler_gossip_topic_peers',
    help: 'Peers subscribed to a followed network topic',
    labelNames: ['network'],
    registers,
    collect() {
      this.reset();
      for (const [network, count] of Object.entries(sources.topicPeers?.() ?? {})) this.set({ network }, count);
    },
  });
  new Gauge({
    name: 'ler_replica_lag_seconds',
    help: 'Per followed network: seconds since the last successful sync (since the node started when none yet)',
    labelNames: ['network'],
    registers,
    collect() {
      this.reset();
      const at = now();
      for (const [network, last] of Object.entries(sources.replicaSyncs?.() ?? {})) {
        const since = last === undefined ? startedAt : Date.parse(last);
        this.set({ network }, Math.max(0, (at - since) / 1000));
      }
    },
  });
  new Gauge({
    name: 'ler_replica_synced',
    help: 'Per followed network: 1 once a sync succeeded since start, 0 before',
    labelNames: ['network'],
    registers,
    collect() {
      this.reset();
      for (const [network, last] of Object.entries(sources.replicaSyncs?.() ?? {}))
        this.set({ network }, last === undefined ? 0 : 1);
    },
  });
  new Gauge({
    name: 'ler_proof_queue_depth',
    help: 'Proof verification jobs waiting or running in the worker pool',
    registers,
    collect() {
      this.set(sources.proofQueueDepth?.() ?? 0);
    },
  });
  new Gauge({
    name: 'ler_store_size_bytes',
    help: 'Approximate size of the data directory on disk',
    registers,
    async collect() {
      this.set((await sources.storeBytes?.()) ?? 0);
    },
  });

  const metrics: NodeMetrics = {
    registry,
    contentType: registry.contentType,
    httpRequest(method, route, status, seconds) {
      // Bound children, cached per series: prom-client would otherwise hash the labels on every request.
      const key = `${method} ${route} ${status}`;
      let series = httpSeries.get(key);
      if (!series) {
        series = {
          requests: httpRequests.labels({ method, route, status: String(status) }),
          duration: httpDuration.labels({ method, route }),
        };
        httpSeries.set(key, series);
      }
      series.requests.inc();
      series.duration.observe(seconds);
    },
    verification(kind, outcome, cryptosuite) {
      verifications.inc({ kind, outcome, cryptosuite });
    },
    gossipReceived(network, result) {
      gossipReceived.inc({ network, result });
    },
    gossipPublished(network) {
      gossipPublished.inc({ network });
    },
    syncRound(ok, counts) {
      syncRounds.inc({ result: ok ? 'ok' : 'failed' });
      if (!counts) return;
      for (const outcome of ['fetched', 'accepted', 'rejected', 'dropped'] as const) {
        if (counts[outcome] > 0) syncItems.inc({ outcome }, counts[outcome]);
      }
    },
    credentialIssued(cryptosuite) {
      issued.inc({ cryptosuite });
    },
    statusChanged(purpose) {
      statusChanges.inc({ purpose });
    },
    bind(bound) {
      Object.assign(sources, bound);
    },
    exposition: () => registry.metrics(),
  };
  return metrics;
}
