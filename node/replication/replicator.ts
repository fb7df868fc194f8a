/**
 * Replication of the registry over libp2p: one gossipsub topic per followed
 * network (push), and /ler/sync/1.0.0 (pull) on connect, periodically and when
 * gossip reveals a gap. A message from a peer takes exactly the way HTTP input
 * takes (registry.ingest: parse, verify, authorize, store, derive) before the
 * topic validator lets gossipsub forward it. What is forwarded is exactly what
 * was validated: a message that carries more than its validated entry (padding,
 * other formatting) is not forwarded as it came; this node publishes the
 * re-serialized entry instead.
 */
import { TopicValidatorResult } from '@libp2p/gossipsub';
import type { PeerId } from '@libp2p/interface';
import { MAX_GOSSIP_BYTES, networkOfTopic, networkTopic } from '../../protocol/constants.ts';
import { networkTopicScoreParams } from '../../protocol/gossip/topic-score.ts';
import { encodeJson, type GossipMessage, parseGossipMessage } from '../../protocol/messages.ts';
import { createSyncProtocol, type SyncInit, type SyncResult } from '../../protocol/sync/sync-protocol.ts';
import { mergeSignatures } from '../../registry/fold.ts';
import { publicationKey } from '../../registry/publications.ts';
import type { SignedAction } from '../../registry/types.ts';
import type { Host } from '../libp2p-host.ts';
import type { Logger } from '../logger.ts';
import type { GossipResult, NodeMetrics } from '../observability/metrics.ts';
import type { PublicationStore } from '../publications/publication-store.ts';
import type { RegistryService } from '../registry/registry-service.ts';
import type { FollowSet } from './follows.ts';
import { logPeerEvents } from './peer-log.ts';
import type { ReplicaFreshness } from './replica-freshness.ts';

export interface ReplicatorOptions {
  host: Host;
  registry: RegistryService;
  publications: PublicationStore;
  follows: FollowSet;
  /** Where each network's last complete sync is recorded (verification reports say how fresh they are). */
  freshness: ReplicaFreshness;
  /** Sync rounds with their counts, and every rejected gossip or sync entry with its reason. */
  logger?: Logger;
  metrics?: Pick<NodeMetrics, 'gossipReceived' | 'gossipPublished' | 'syncRound'>;
  /** How often to pull from every connected peer. Default 30 s. */
  syncIntervalMs?: number;
  /** Per-round bounds of a pull (protocol/constants.ts has the defaults; tests make them small). */
  syncBounds?: Pick<SyncInit, 'maxMissing' | 'maxInventoryPages'>;
  maxGossipBytes?: number;
}

/** Codes that mean the message is bad, not merely ahead of what this node holds. */
const REJECT = new Set([
  'INVALID_SIGNATURE',
  'INVALID_ACTION',
  'UNKNOWN_ACTION_TYPE',
  'PAYLOAD_TOO_LARGE',
  'MALFORMED_MESSAGE',
  'INVALID_PUBLICATION',
  'PUBLICATION_TOO_LARGE',
  'UNSIGNED_ACTION',
  'WRONG_NETWORK',
]);

/** What the topic validator decided about one message, and why (for the log). */
interface Verdict {
  result: TopicValidatorResult;
  code?: string;
  reason?: string;
}

const RESULT_NAMES: Record<TopicValidatorResult, GossipResult> = {
  [TopicValidatorResult.Accept]: 'accepted',
  [TopicValidatorResult.Reject]: 'rejected',
  [TopicValidatorResult.Ignore]: 'ignored',
};

/** Codes that say nothing is missing here: no reason to pull from the sender. */
const NO_GAP = new Set(['TOO_MANY_PENDING', 'EFFECTIVE_TIME_IN_FUTURE', 'ACTION_NOT_APPLICABLE']);

export interface ReplicationStats {
  gossipReceived: number;
  gossipBytes: number;
  gossipAccepted: number;
  gossipRejected: number;
  gossipIgnored: number;
  /** Accepted gossip that came with more than its validated entry: republished re-serialized, not forwarded. */
  gossipReserialized: number;
  syncRuns: number;
  syncFetched: number;
  /** Entries dropped from sync answers that did not belong to the network asked for. */
  syncDropped: number;
  /** Sync answers no honest peer would give (the peer is penalized). */
  syncMisbehaviour: number;
  /** Rounds a per-peer bound ended before the peer's inventory did. */
  syncTruncated: number;
  /** Rounds started at once because the one before them was truncated and brought something. */
  syncContinued: number;
}

/** What one followed network's replication looks like from here (the node page shows it). */
export interface NetworkReplication {
  /** The last sync round that ended complete with a peer holding the network. */
  lastSyncAt?: string;
  /** The last gossip message on the network's topic that was accepted. */
  lastGossipAt?: string;
  gossipAccepted: number;
  gossipRejected: number;
}

export interface Replicator {
  stats(): ReplicationStats;
  networkStats(): Record<string, NetworkReplication>;
  start(): Promise<void>;
  stop(): Promise<void>;
  syncWith(peer: PeerId): Promise<SyncResult>;
  syncAll(): Promise<SyncResult[]>;
  /**
   * Pulls `networks` from `peer` whether or not they are followed (membership discovery, decision 0042): every
   * entry takes the ingest path, checked under the network's own governors. Not recorded as freshness.
   */
  pull(peer: PeerId, networks: string[]): Promise<SyncResult>;
}

export function createReplicator(options: ReplicatorOptions): Replicator {
  const { host, registry, follows, publications } = options;
  const { logger, metrics } = options;
  const membersOf = (network: string) => new Set(Object.keys(registry.network(network)?.members ?? {}));
  /** A refused sync entry is logged with its reason: loudly when it is bad, quietly when it is merely early. */
  const logRefused = (
    network: string | undefined,
    kind: string,
    refused: Array<{ code?: string; message?: string; id?: string; key?: string }>,
  ) => {
    for (const r of refused) {
      const level = r.code && REJECT.has(r.code) ? 'warn' : 'info';
      logger?.[level]({ network, kind, id: r.id ?? r.key, code: r.code, reason: r.message }, 'sync entry rejected');
    }
  };
  const pubsub = host.services.pubsub;
  const maxBytes = options.maxGossipBytes ?? MAX_GOSSIP_BYTES;
  const sync = createSyncProtocol(
    {
      digest: (network) => {
        const digest = registry.inventoryDigest(network);
        return digest && { ...digest, publications: publications.digestOf(membersOf(network)) };
      },
      inventory: (network, after, limit) => registry.inventory(network, after, limit),
      get: (network, ids) => registry.get(network, ids),
      signatureCount: (id) => registry.signatureCount(id),
      ingest: async (network, entries) => {
        const result = await registry.ingest(entries, { network });
        logRefused(network, 'action', result.rejected);
        return result;
      },
      publications: (network, after, limit) =>
        publications
          .ofPublishers(membersOf(network))
          .map((publication) => ({ key: publicationKey(publication), publication }))
          .filter(({ key }) => after === undefined || key > after)
          .slice(0, limit),
      ingestPublications: async (list) => {
        const result = await publications.ingest(list, 'peer');
        logRefused(undefined, 'publication', result.rejected);
        return result;
      },
    },
    {
      ...options.syncBounds,
      onMisbehaviour: (peer, reason) => {
        stats.syncMisbehaviour++;
        logger?.warn({ peer: peer.toString(), reason }, 'sync peer misbehaved');
        // A behavioural penalty lowers its gossipsub score, as an invalid gossip message would.
        (pubsub.score as unknown as { addPenalty?: (id: string, n: number, label: string) => void }).addPenalty?.(
          peer.toString(),
          1,
          'broken_promise',
        );
      },
    },
  );
  const perNetwork = new Map<string, NetworkReplication>();
  const networkEntry = (network: string) => {
    let entry = perNetwork.get(network);
    if (!entry) {
      entry = { gossipAccepted: 0, gossipRejected: 0 };
      perNetwork.set(network, entry);
    }
    return entry;
  };
  const subscribed = new Set<string>();
  /** Per peer: the round running, and the one queued behind it. */
  interface PeerRounds {
    running: Promise<SyncResult>;
    next?: Promise<SyncResult>;
  }
  const syncing = new Map<string, PeerRounds>();
  let timer: NodeJS.Timeout | undefined;
  let stopPeerLog: (() => void) | undefined;
  let running = false;

  /** One pull round with `peer` over the networks followed when it starts. */
  function round(peer: PeerId): Promise<SyncResult> {
    const key = peer.toString();
    return sync
      .syncWith(host, peer, follows.list())
      .then((result) => {
        const at = new Date().toISOString();
        // Only the networks this peer holds and that the round finished: a peer without the network says
        // nothing about how current this node's copy of it is.
        for (const network of result.complete) networkEntry(network).lastSyncAt = at;
        options.freshness.recordSync(result.complete);
        stats.syncRuns++;
        stats.syncFetched += result.fetched;
        stats.syncDropped += result.dropped;
        if (result.truncated) stats.syncTruncated++;
        metrics?.syncRound(true, result);
        const { fetched, accepted, rejected, dropped, truncated } = result;
        // A round that changed nothing is routine (every 30 s per peer): visible at debug only.
        logger?.[fetched > 0 || dropped > 0 ? 'info' : 'debug'](
          { peer: key, networks: follows.list().length, fetched, accepted, rejected, dropped, truncated },
          'sync round',
        );
        return result;
      })
      .catch((error: unknown) => {
        metrics?.syncRound(false);
        logger?.warn({ peer: key, err: error }, 'sync round failed');
        throw error;
      });
  }

  /**
   * One round per peer at a time. A request made while a round runs cannot join it: that round read the
   * peer's digests, and this node's follow list, before the reason for the request existed (a network just
   * followed, a gap gossip just revealed), and would leave it to the periodic round, 30 s later. So it gets
   * the next round, which starts when the running one ends; every request made meanwhile shares that one.
   */
  function syncWith(peer: PeerId): Promise<SyncResult> {
    const key = peer.toString();
    const rounds = syncing.get(key);
    if (rounds) return queueNext(peer, rounds);
    const fresh: PeerRounds = { running: Promise.resolve() as unknown as Promise<SyncResult> };
    syncing.set(key, fresh);
    return startRound(peer, fresh);
  }

  /** The round after the running one (shared by every request made meanwhile). */
  function queueNext(peer: PeerId, rounds: PeerRounds): Promise<SyncResult> {
    rounds.next ??= rounds.running.then(
      () => startRound(peer, rounds),
      () => startRound(peer, rounds),
    );
    return rounds.next;
  }

  function startRound(peer: PeerId, rounds: PeerRounds): Promise<SyncResult> {
    const key = peer.toString();
    rounds.next = undefined;
    rounds.running = round(peer)
      .then((result) => {
        // A round cut by its bounds goes on at once (from where it stopped) while it brings something: a new
        // replica would otherwise take one periodic interval (30 s) per 10,000 missing actions. So does one that
        // brought something and had entries refused (they may have needed what it brought: governors changed by
        // an entry later in id order). A round that brought nothing new ends the run, so a peer whose entries
        // are all refused cannot keep this node busy.
        if ((result.truncated || result.rejected > 0) && result.accepted > 0 && running) {
          stats.syncContinued++;
          void queueNext(peer, rounds).catch(() => undefined);
        }
        return result;
      })
      .finally(() => {
        if (rounds.next === undefined && syncing.get(key) === rounds) syncing.delete(key);
      });
    return rounds.running;
  }

  function syncInBackground(peer: PeerId, reason: string): void {
    if (!running) return;
    syncWith(peer).then(
      (r) => logger?.debug({ peer: r.peer, accepted: r.accepted, reason }, 'synced'),
      // Counted and logged in syncWith.
      () => undefined,
    );
  }

  const stats: ReplicationStats = {
    gossipReceived: 0,
    gossipBytes: 0,
    gossipAccepted: 0,
    gossipRejected: 0,
    gossipIgnored: 0,
    gossipReserialized: 0,
    syncRuns: 0,
    syncFetched: 0,
    syncDropped: 0,
    syncMisbehaviour: 0,
    syncTruncated: 0,
    syncContinued: 0,
  };

  /**
   * Forwards exactly what was validated: the message as it came when it is byte for byte the validated
   * entry's own serialization; otherwise it is not forwarded, and this node publishes that serialization.
   */
  function forwardValidated(network: string, data: Uint8Array, validated: GossipMessage): TopicValidatorResult {
    const canonical = encodeJson(validated);
    if (Buffer.compare(Buffer.from(data), Buffer.from(canonical)) === 0) return TopicValidatorResult.Accept;
    stats.gossipReserialized++;
    void publish(network, validated);
    return TopicValidatorResult.Ignore;
  }

  async function validate(peer: PeerId, message: { topic: string; data: Uint8Array }): Promise<TopicValidatorResult> {
    stats.gossipReceived++;
    stats.gossipBytes += message.data.byteLength;
    const { result, code, reason } = await judge(peer, message);
    if (result === TopicValidatorResult.Accept) stats.gossipAccepted++;
    else if (result === TopicValidatorResult.Reject) stats.gossipRejected++;
    else stats.gossipIgnored++;
    const network = networkOfTopic(message.topic);
    if (network && follows.list().includes(network)) {
      const entry = networkEntry(network);
      if (result === TopicValidatorResult.Accept) {
        entry.gossipAccepted++;
        entry.lastGossipAt = new Date().toISOString();
      } else if (result === TopicValidatorResult.Reject) entry.gossipRejected++;
      // Only followed networks are labels: a peer cannot mint new series by inventing topics.
      metrics?.gossipReceived(network, RESULT_NAMES[result]);
    }
    if (result !== TopicValidatorResult.Accept) {
      logger?.[result === TopicValidatorResult.Reject ? 'warn' : 'debug'](
        { peer: peer.toString(), network, code, reason },
        result === TopicValidatorResult.Reject ? 'gossip message rejected' : 'gossip message ignored',
      );
    }
    return result;
  }

  async function judge(peer: PeerId, message: { topic: string; data: Uint8Array }): Promise<Verdict> {
    const network = networkOfTopic(message.topic);
    if (!network || !follows.list().includes(network)) {
      return { result: TopicValidatorResult.Ignore, code: 'NOT_FOLLOWED', reason: 'topic of a network not followed' };
    }
    let parsed: ReturnType<typeof parseGossipMessage>;
    try {
      parsed = parseGossipMessage(message.data, maxBytes);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'MALFORMED_MESSAGE';
      return { result: TopicValidatorResult.Reject, code, reason: (error as Error).message };
    }
    if (parsed.type === 'publication') {
      const { accepted, rejected } = await publications.ingest([parsed.publication], 'peer');
      if (accepted.length > 0) return { result: forwardValidated(network, message.data, parsed) };
      const code = rejected[0]?.code;
      const reason = rejected[0]?.message;
      if (code && REJECT.has(code)) return { result: TopicValidatorResult.Reject, code, reason };
      // Not (yet) known as a member: the membership may still be on its way.
      if (code === 'NOT_A_MEMBER') syncInBackground(peer, 'gossip gap: publisher');
      return { result: TopicValidatorResult.Ignore, code, reason };
    }
    const entry = parsed.entry as SignedAction;
    const claimed = entry.action?.type === 'network.genesis' ? entry.id : entry.action?.network;
    if (claimed !== network) {
      return { result: TopicValidatorResult.Reject, code: 'WRONG_NETWORK', reason: 'the entry names another network' };
    }
    const { accepted, rejected, admitted } = await registry.ingest([entry], { network });
    if (accepted.length > 0) {
      // Signatures sorted as every node serializes an entry (mergeSignatures), so honest messages match.
      const validated = mergeSignatures(admitted[0], { ...admitted[0], signatures: [] });
      return { result: forwardValidated(network, message.data, { type: 'action', entry: validated }) };
    }
    const first = rejected[0] as { code?: string; message?: string } | undefined;
    const code = first?.code;
    if (code && REJECT.has(code)) return { result: TopicValidatorResult.Reject, code, reason: first?.message };
    // Ahead of us (unknown network, governors we do not know yet): fetch what we miss.
    if (code && !NO_GAP.has(code)) syncInBackground(peer, `gossip gap: ${code}`);
    return { result: TopicValidatorResult.Ignore, code, reason: first?.message };
  }

  function updateSubscriptions(): void {
    const wanted = new Set(follows.list().map(networkTopic));
    for (const topic of wanted) {
      if (subscribed.has(topic)) continue;
      pubsub.topicValidators.set(topic, validate);
      // Scoring is per topic; topics appear as networks are followed.
      pubsub.score.params.topics[topic] = networkTopicScoreParams();
      pubsub.subscribe(topic);
      subscribed.add(topic);
    }
    for (const topic of [...subscribed]) {
      if (wanted.has(topic)) continue;
      pubsub.unsubscribe(topic);
      pubsub.topicValidators.delete(topic);
      subscribed.delete(topic);
    }
  }

  async function publish(networkId: string, message: GossipMessage): Promise<void> {
    if (!running) return;
    try {
      const { recipients } = await pubsub.publish(networkTopic(networkId), encodeJson(message));
      // Out means sent to a peer: a publish before the mesh forms reaches no one (sync carries it).
      if (recipients.length > 0) metrics?.gossipPublished(networkId);
    } catch (error) {
      // No peer subscribed yet: sync will carry it.
      logger?.debug({ network: networkId, err: error }, 'publish failed');
    }
  }

  const onIdentify = (event: CustomEvent<{ peerId: PeerId; protocols: string[] }>) => {
    if (event.detail.protocols.includes(sync.protocol)) syncInBackground(event.detail.peerId, 'connect');
  };

  /** Pulls from every connected peer already identified as speaking the sync protocol. */
  async function syncIdentified(): Promise<void> {
    const peers = new Map(host.getConnections().map((c) => [c.remotePeer.toString(), c.remotePeer]));
    for (const peer of peers.values()) {
      const known = await host.peerStore.get(peer).catch(() => undefined);
      if (known?.protocols.includes(sync.protocol)) syncInBackground(peer, 'connected before start');
    }
  }

  async function syncAll(): Promise<SyncResult[]> {
    const peers = [...new Map(host.getConnections().map((c) => [c.remotePeer.toString(), c.remotePeer])).values()];
    const results = await Promise.allSettled(peers.map((peer) => syncWith(peer)));
    return results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<SyncResult>).value);
  }

  return {
    stats: () => ({ ...stats }),
    networkStats: () => Object.fromEntries([...perNetwork].map(([id, entry]) => [id, { ...entry }])),
    async start() {
      running = true;
      if (logger) stopPeerLog = logPeerEvents({ host, logger });
      options.freshness.start();
      await sync.start(host);
      updateSubscriptions();
      follows.onChange(() => {
        if (!running) return;
        updateSubscriptions();
        void syncAll();
      });
      registry.onChange((entry, networkId, source) => {
        follows.refresh();
        // Peers refuse unsigned proposals: one stays here until a governor signs it.
        if (source === 'local' && entry.signatures.length > 0) void publish(networkId, { type: 'action', entry });
      });
      // An institution's own publications go to every followed network that lists it.
      publications.onChange((publication, source) => {
        if (source !== 'local') return;
        for (const network of follows.list()) {
          if (registry.network(network)?.members[publication.publisher])
            void publish(network, { type: 'publication', publication });
        }
      });
      host.addEventListener('peer:identify', onIdentify as never);
      // libp2p starts (and bootstrap dials) before this listener exists: a peer identified by then would
      // otherwise wait for the periodic round, and a restarted node answer from its stale replica meanwhile.
      void syncIdentified();
      timer = setInterval(() => void syncAll(), options.syncIntervalMs ?? 30_000);
      timer.unref();
    },
    async stop() {
      running = false;
      stopPeerLog?.();
      if (timer) clearInterval(timer);
      host.removeEventListener('peer:identify', onIdentify as never);
      await sync.stop(host).catch(() => undefined);
    },
    syncWith,
    syncAll,
    pull: (peer, networks) => sync.syncWith(host, peer, networks),
  };
}
