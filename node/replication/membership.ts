/**
 * Membership discovery (issue 15, defect 11; decision 0042): a node learns from its peers that a network lists
 * its institution, checks that network's signed log itself, and shows it to its operator as an offer.
 *
 * - It answers `listing` from what it holds, and tells its connected peers when an admission is applied here.
 * - It asks each peer that speaks the protocol on connect, when that peer says an admission of this node's
 *   institution was applied, and every `intervalMs`.
 * - It pulls each named network it does not follow (a bounded number per answer) over `/ler/sync/1.0.0`: every
 *   action goes through `registry.ingest`, so only what the network's governors signed is kept, and the offer
 *   (FollowSet.offers) comes from the folded state, never from the peer's claim. An offer is never followed or
 *   trusted until the operator accepts it.
 */
import type { PeerId } from '@libp2p/interface';
import { MEMBERSHIP_MAX_CANDIDATES, networkTopic } from '../../protocol/constants.ts';
import { createMembershipProtocol } from '../../protocol/membership/membership-protocol.ts';
import type { NetworkState } from '../../registry/types.ts';
import type { Host } from '../libp2p-host.ts';
import type { Logger } from '../logger.ts';
import type { RegistryService } from '../registry/registry-service.ts';
import type { FollowSet } from './follows.ts';
import type { Replicator } from './replicator.ts';

/** Admissions older than this (by effectiveAt) are not announced: they are history, not news. */
const NOTICE_MAX_AGE_MS = 10 * 60_000;

/**
 * Notices waiting per peer while one to it is in flight; more are dropped. A notice is a hint (the member also
 * asks on connect and every `intervalMs`): a catch-up that applies thousands of fresh admissions at once (a new
 * replica) must not become thousands of streams to every peer.
 */
const NOTICE_QUEUE = 32;

/** Actions after which a DID may newly be listed as a member. */
const ADMISSIONS = new Set(['member.add', 'member.update', 'member.reinstate']);

export interface MembershipDiscoveryOptions {
  host: Host;
  registry: RegistryService;
  follows: FollowSet;
  replicator: Pick<Replicator, 'pull'>;
  institutionDid: string;
  logger?: Logger;
  /** How often to ask every connected peer again (a notice may have been missed). Default 60 s. */
  intervalMs?: number;
}

export interface MembershipDiscovery {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Asks `peer` which networks list this node's institution and pulls those not followed here. */
  ask(peer: PeerId): Promise<string[]>;
  /** Admission notices sent, and dropped because a peer's queue was full. */
  stats(): { noticesSent: number; noticesDropped: number };
}

/** Whether `state` lists `did` now (its latest record is not a removal). */
function lists(state: NetworkState, did: string): boolean {
  // An own-property lookup: a DID is outside data, state.members a plain object.
  if (!Object.hasOwn(state.members, did)) return false;
  const versions = state.members[did];
  return versions.length > 0 && versions[versions.length - 1].status !== 'removed';
}

export function createMembershipDiscovery(options: MembershipDiscoveryOptions): MembershipDiscovery {
  const { host, registry, follows, institutionDid } = options;
  // One ask per peer at a time; a notice during one asks once more after it (so notices cannot pile up work).
  const asking = new Map<string, Promise<string[]>>();
  const again = new Set<string>();
  const notified = new Set<string>();
  /** Per peer: the DIDs still to announce to it (one notice in flight at a time). */
  const notices = new Map<string, { peer: PeerId; dids: Set<string> }>();
  let noticesSent = 0;
  let noticesDropped = 0;
  let running = false;
  let timer: NodeJS.Timeout | undefined;

  const protocol = createMembershipProtocol({
    listing: (did) =>
      registry
        .networks()
        .filter((state) => lists(state, did))
        .map((state) => state.id)
        .sort(),
    admitted: (peer, did) => {
      // Only news about this node's institution is worth a question; anything else is ignored.
      if (did === institutionDid) askInBackground(peer, 'admission notice');
    },
  });

  async function askOnce(peer: PeerId): Promise<string[]> {
    const named = await protocol.listing(host, peer, institutionDid);
    const followed = new Set(follows.list());
    const declined = new Set(follows.declined());
    const candidates = named.filter((n) => !followed.has(n) && !declined.has(n)).slice(0, MEMBERSHIP_MAX_CANDIDATES);
    if (candidates.length === 0) return [];
    await options.replicator.pull(peer, candidates);
    follows.refresh();
    const offered = new Set(follows.offers());
    const found = candidates.filter((n) => offered.has(n));
    // A peer naming networks that turn out not to list us (or not to verify) is worth a line in the log.
    const unconfirmed = candidates.filter((n) => !offered.has(n) && !followed.has(n));
    if (unconfirmed.length > 0)
      options.logger?.info({ peer: peer.toString(), networks: unconfirmed }, 'membership hint not confirmed');
    if (found.length > 0) options.logger?.info({ peer: peer.toString(), networks: found }, 'network offered');
    return found;
  }

  function ask(peer: PeerId): Promise<string[]> {
    const key = peer.toString();
    const pending = asking.get(key);
    if (pending) {
      again.add(key);
      return pending;
    }
    const run = askOnce(peer).finally(() => {
      asking.delete(key);
      if (again.delete(key) && running) askInBackground(peer, 'notice during an ask');
    });
    asking.set(key, run);
    return run;
  }

  function askInBackground(peer: PeerId, reason: string): void {
    if (!running) return;
    ask(peer).catch((error) => options.logger?.debug({ peer: peer.toString(), err: error, reason }, 'ask failed'));
  }

  async function speaks(peer: PeerId): Promise<boolean> {
    const known = await host.peerStore.get(peer).catch(() => undefined);
    return known?.protocols.includes(protocol.protocol) ?? false;
  }

  const connectedPeers = () => [
    ...new Map(host.getConnections().map((c) => [c.remotePeer.toString(), c.remotePeer])).values(),
  ];

  async function askAll(reason: string): Promise<void> {
    for (const peer of connectedPeers()) if (await speaks(peer)) askInBackground(peer, reason);
  }

  /**
   * Tells every connected peer that speaks the protocol, and is not on `network`'s topic, that `did` was
   * admitted here. A peer on the topic follows the network: it has the admission by gossip or its next pull, and
   * so is not the node the notice is for (that one does not follow the network yet). Telling every peer made an
   * admission cost (nodes × connections) streams in a federation where most peers follow the same networks.
   */
  function notifyAll(did: string, network: string): void {
    const followers = new Set(host.services.pubsub.getSubscribers(networkTopic(network)).map((p) => p.toString()));
    for (const peer of connectedPeers()) {
      const key = peer.toString();
      if (followers.has(key)) continue;
      const queued = notices.get(key);
      if (queued) {
        if (queued.dids.size < NOTICE_QUEUE) queued.dids.add(did);
        else noticesDropped++;
        continue;
      }
      const fresh = { peer, dids: new Set([did]) };
      notices.set(key, fresh);
      void drain(key, fresh);
    }
  }

  /** Sends a peer's queued notices one at a time. */
  async function drain(key: string, queue: { peer: PeerId; dids: Set<string> }): Promise<void> {
    try {
      if (!(await speaks(queue.peer))) return;
      while (running && queue.dids.size > 0) {
        const did = queue.dids.values().next().value as string;
        queue.dids.delete(did);
        noticesSent++;
        await protocol
          .notify(host, queue.peer, did)
          .catch((error) => options.logger?.debug({ peer: key, err: error }, 'notice failed'));
      }
    } finally {
      notices.delete(key);
    }
  }

  const onIdentify = (event: CustomEvent<{ peerId: PeerId; protocols: string[] }>) => {
    if (event.detail.protocols.includes(protocol.protocol)) askInBackground(event.detail.peerId, 'connect');
  };

  return {
    async start() {
      running = true;
      await protocol.start(host);
      registry.onChange((entry, networkId) => {
        if (!running || !ADMISSIONS.has(entry.action.type) || typeof entry.action.did !== 'string') return;
        const did = entry.action.did;
        const state = registry.network(networkId);
        // News only: a catch-up that brings thousands of old admissions must not become thousands of notices
        // (an old admission is found by the ask on connect and the periodic one).
        if (Date.now() - Date.parse(entry.action.effectiveAt) > NOTICE_MAX_AGE_MS) return;
        // Once per applied admission: more signatures on it later change nothing.
        if (!state || notified.has(entry.id) || registry.proposal(entry.id)?.status !== 'applied') return;
        if (!lists(state, did)) return;
        if (notified.size >= 10_000) notified.clear();
        notified.add(entry.id);
        notifyAll(did, networkId);
      });
      host.addEventListener('peer:identify', onIdentify as never);
      // Peers identified before this listener existed (bootstrap dials as libp2p starts).
      void askAll('connected before start');
      timer = setInterval(() => void askAll('periodic'), options.intervalMs ?? 60_000);
      timer.unref();
    },
    async stop() {
      running = false;
      if (timer) clearInterval(timer);
      host.removeEventListener('peer:identify', onIdentify as never);
      await protocol.stop(host).catch(() => undefined);
    },
    ask,
    stats: () => ({ noticesSent, noticesDropped }),
  };
}
