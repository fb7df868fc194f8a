/**
 * `/ler/sync/1.0.0`: the pull protocol that makes replication complete after
 * downtime, partitions or a late join (gossip is best effort).
 *
 * One request per stream, each a length-prefixed JSON frame with a size
 * limit, each stream bounded by a timeout: `digest` (per network: a hash of
 * the (action id, signature count) inventory), `inventory` (pages of it) and
 * `get` (the entries missing). The requester feeds what it gets to its store,
 * which checks every entry as if it came from HTTP.
 *
 * Every answer is attacker-controlled: an entry of another network than the
 * one asked for is dropped with the whole answer and the peer reported
 * (`onMisbehaviour`), and a round reads a bounded number of inventory pages
 * and keeps a bounded number of missing ids per peer, resuming next round.
 */
import type { PeerId, Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import {
  MAX_SYNC_FRAME_BYTES,
  SYNC_GET_BATCH,
  SYNC_INVENTORY_PAGE,
  SYNC_MAX_INVENTORY_PAGES,
  SYNC_MAX_MISSING,
  SYNC_MAX_PUBLICATION_PAGES,
  SYNC_PROTOCOL,
  SYNC_PUBLICATION_PAGE,
  SYNC_TIMEOUT_MS,
} from '../constants.ts';
import { ProtocolError } from '../errors.ts';
import {
  encodeJson,
  type NetworkDigest,
  parseSyncRequest,
  parseSyncResponse,
  type SyncRequest,
  type SyncResponse,
} from '../messages.ts';
import { exchangeFrame, type ProtocolHost } from '../one-shot-exchange.ts';

/** What the sync protocol needs from the node's registry. */
export interface SyncStore {
  digest(network: string): NetworkDigest | undefined;
  /** Action ids with their signature counts, in id order, after `after`. */
  inventory(network: string, after: string | undefined, limit: number): Array<[string, number]>;
  get(network: string, ids: string[]): unknown[];
  /** Signature count held for an action, or undefined when it is not held. */
  signatureCount(id: string): number | undefined;
  /** Ingests entries pulled for `network`; anything of another network must be refused. */
  ingest(network: string, entries: unknown[]): Promise<{ accepted: string[]; rejected: unknown[] }>;
  /** Member publications of the network's members, in key order after `after`, with their keys. */
  publications(network: string, after: string | undefined, limit: number): Array<{ key: string; publication: unknown }>;
  ingestPublications(publications: unknown[]): Promise<{ accepted: string[]; rejected: unknown[] }>;
}

export interface SyncInit {
  timeoutMs?: number;
  maxFrameBytes?: number;
  /** Inventory pages read per peer and round. */
  maxInventoryPages?: number;
  /** Missing action ids kept per peer and round. */
  maxMissing?: number;
  /** Called when a peer's answer breaks the protocol in a way no honest peer would (to penalize it). */
  onMisbehaviour?: (peer: PeerId, reason: string) => void;
}

/** The libp2p surface the protocol uses (narrow, so tests can pass a real node). */
export type SyncHost = ProtocolHost;

export interface SyncResult {
  peer: string;
  fetched: number;
  accepted: number;
  rejected: number;
  /** Entries dropped because they did not belong to the network asked for. */
  dropped: number;
  /** True when a bound ended the round before the peer's inventory did (the next round resumes). */
  truncated: boolean;
  /** Networks the peer holds whose round ended complete: this node now has all the peer had of them. */
  complete: string[];
}

/** The network an entry claims to belong to: its own id for a genesis. */
function claimedNetwork(entry: unknown): string | undefined {
  const e = entry as { id?: unknown; action?: { type?: unknown; network?: unknown } } | null;
  if (!e || typeof e !== 'object' || !e.action || typeof e.action !== 'object') return undefined;
  const network = e.action.type === 'network.genesis' ? e.id : e.action.network;
  return typeof network === 'string' ? network : undefined;
}

const ACTION_ID = /^[A-Za-z0-9_-]{43}$/;

export function createSyncProtocol(store: SyncStore, init: SyncInit = {}) {
  const timeoutMs = init.timeoutMs ?? SYNC_TIMEOUT_MS;
  const maxFrameBytes = init.maxFrameBytes ?? MAX_SYNC_FRAME_BYTES;
  const maxPages = init.maxInventoryPages ?? SYNC_MAX_INVENTORY_PAGES;
  const maxMissing = init.maxMissing ?? SYNC_MAX_MISSING;
  /** peer → network → where the last round stopped reading the peer's inventory. Bounded like the peer set. */
  const cursors = new Map<string, Map<string, string>>();

  function answer(request: SyncRequest): SyncResponse {
    switch (request.type) {
      case 'digest':
        return {
          type: 'digest',
          digests: request.networks.map((n) => store.digest(n)).filter((d): d is NetworkDigest => d !== undefined),
        };
      case 'inventory': {
        const limit = Math.min(request.limit, SYNC_INVENTORY_PAGE);
        const items = store.inventory(request.network, request.after, limit);
        return {
          type: 'inventory',
          network: request.network,
          items,
          ...(items.length === limit ? { next: items[items.length - 1][0] } : {}),
        };
      }
      case 'get':
        return {
          type: 'get',
          network: request.network,
          entries: store.get(request.network, request.ids.slice(0, SYNC_GET_BATCH)),
        };
      case 'publications': {
        const limit = Math.min(request.limit, SYNC_PUBLICATION_PAGE);
        const page = store.publications(request.network, request.after, limit);
        // A page also ends at half a frame: a few parts of a large framework fill one.
        let bytes = 0;
        let end = page.length;
        for (const [i, p] of page.entries()) {
          bytes += Buffer.byteLength(JSON.stringify(p.publication));
          if (i > 0 && bytes > maxFrameBytes / 2) {
            end = i;
            break;
          }
        }
        const items = page.slice(0, end);
        return {
          type: 'publications',
          network: request.network,
          items: items.map((p) => p.publication),
          ...(end < page.length || page.length === limit ? { next: items[items.length - 1].key } : {}),
        };
      }
    }
  }

  async function handler(stream: Stream): Promise<void> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const lp = lpStream(stream, { maxDataLength: maxFrameBytes });
      const request = parseSyncRequest((await lp.read({ signal })).subarray(), maxFrameBytes);
      let response: SyncResponse;
      try {
        response = answer(request);
      } catch (error) {
        response = { type: 'error', code: 'INTERNAL', message: (error as Error).message };
      }
      await lp.write(encodeJson(response), { signal });
      await stream.close({ signal });
    } catch (error) {
      stream.abort(error as Error);
    }
  }

  async function request(host: SyncHost, peer: PeerId, body: SyncRequest): Promise<SyncResponse> {
    const answer = await exchangeFrame(host, peer, SYNC_PROTOCOL, encodeJson(body), { timeoutMs, maxFrameBytes });
    const response = parseSyncResponse(answer, maxFrameBytes);
    if (response.type === 'error') throw new ProtocolError('PEER_ERROR', `${response.code}: ${response.message}`);
    return response;
  }

  /** Pulls from `peer` whatever it holds of `networks` that this node lacks. */
  async function syncWith(host: SyncHost, peer: PeerId, networks: string[]): Promise<SyncResult> {
    const result: SyncResult = {
      peer: peer.toString(),
      fetched: 0,
      accepted: 0,
      rejected: 0,
      dropped: 0,
      truncated: false,
      complete: [],
    };
    if (networks.length === 0) return result;
    const remote = await request(host, peer, { type: 'digest', networks });
    if (remote.type !== 'digest' || !Array.isArray(remote.digests))
      throw new ProtocolError('PEER_ERROR', 'bad digest answer');
    // The round's budgets, shared by every network the peer answers for.
    const budget = { pages: maxPages, missing: maxMissing };
    const seen = new Set<string>();
    // Networks left unfinished last round go last: one endless inventory must not starve the others.
    const unfinished = cursors.get(peer.toString());
    const digests = [...remote.digests].sort(
      (a, b) => Number(unfinished?.has(a?.network) ?? false) - Number(unfinished?.has(b?.network) ?? false),
    );
    for (const digest of digests) {
      if (typeof digest?.network !== 'string' || !networks.includes(digest.network) || seen.has(digest.network))
        continue;
      seen.add(digest.network);
      const local = store.digest(digest.network);
      if (local?.inventory === digest.inventory) {
        // Actions agree; publications (which need the members those actions define) may still differ.
        if (digest.publications && local.publications !== digest.publications) {
          result.accepted += await pullPublications(host, peer, digest.network);
        }
        result.complete.push(digest.network);
        continue;
      }
      if (budget.pages <= 0 || budget.missing <= 0) {
        result.truncated = true;
        break;
      }
      const truncatedBefore = result.truncated;
      result.truncated = false;
      const missing = await missingIds(host, peer, digest.network, budget, result);
      const cut = result.truncated;
      result.truncated ||= truncatedBefore;
      // All of it first, then one ingest: an action may need a governance change fetched in a later batch.
      const fetched: unknown[] = [];
      for (let i = 0; i < missing.length; i += SYNC_GET_BATCH) {
        const got = await request(host, peer, {
          type: 'get',
          network: digest.network,
          ids: missing.slice(i, i + SYNC_GET_BATCH),
        });
        if (got.type !== 'get' || !Array.isArray(got.entries)) throw new ProtocolError('PEER_ERROR', 'bad get answer');
        const foreign = got.entries.filter((e) => claimedNetwork(e) !== digest.network).length;
        if (foreign > 0) {
          // No honest peer answers a pull for one network with another's entries: take nothing from it this round.
          result.dropped += fetched.length + got.entries.length;
          init.onMisbehaviour?.(
            peer,
            `answered a pull for ${digest.network} with ${foreign} entries of other networks`,
          );
          return result;
        }
        fetched.push(...got.entries);
      }
      result.fetched += fetched.length;
      const { accepted, rejected } = await store.ingest(digest.network, fetched);
      result.accepted += accepted.length;
      result.rejected += rejected.length;
      if (digest.publications && store.digest(digest.network)?.publications !== digest.publications) {
        result.accepted += await pullPublications(host, peer, digest.network);
      }
      if (!cut) result.complete.push(digest.network);
    }
    return result;
  }

  /**
   * Reads the peer's inventory of `network` from where the last round stopped, within the round's budget,
   * and returns the ids this node lacks (or holds with fewer signatures).
   */
  async function missingIds(
    host: SyncHost,
    peer: PeerId,
    network: string,
    budget: { pages: number; missing: number },
    result: SyncResult,
  ): Promise<string[]> {
    const peerKey = peer.toString();
    let peerCursors = cursors.get(peerKey);
    if (!peerCursors) {
      if (cursors.size >= 1_000) cursors.delete(cursors.keys().next().value as string);
      peerCursors = new Map();
      cursors.set(peerKey, peerCursors);
    }
    const missing: string[] = [];
    let after = peerCursors.get(network);
    peerCursors.delete(network);
    // A network's id is its genesis's: asked for first, since every other entry of the network is refused
    // without it, and the inventory is in id order (a bounded round might otherwise bring none but refused ones).
    const genesisFirst = store.signatureCount(network) === undefined && budget.missing > 0;
    if (genesisFirst) {
      missing.push(network);
      budget.missing--;
    }
    for (;;) {
      if (budget.pages <= 0 || budget.missing <= 0) {
        // Resume here next round; without a cursor a long inventory would be re-read from its start forever.
        if (after !== undefined && peerCursors.size < 1_000) peerCursors.set(network, after);
        result.truncated = true;
        break;
      }
      budget.pages--;
      const inventory = await request(host, peer, { type: 'inventory', network, after, limit: SYNC_INVENTORY_PAGE });
      if (inventory.type !== 'inventory' || !Array.isArray(inventory.items))
        throw new ProtocolError('PEER_ERROR', 'bad inventory');
      // A page holds at most what was asked for, whatever the peer sent.
      let considered = after;
      let full = false;
      for (const item of inventory.items.slice(0, SYNC_INVENTORY_PAGE)) {
        if (!Array.isArray(item) || typeof item[0] !== 'string' || !ACTION_ID.test(item[0])) continue;
        if (typeof item[1] !== 'number') continue;
        const [id, count] = item;
        if (genesisFirst && id === network) {
          considered = id;
          continue;
        }
        if ((store.signatureCount(id) ?? -1) < count) {
          if (budget.missing <= 0) {
            full = true;
            break;
          }
          missing.push(id);
          budget.missing--;
        }
        considered = id;
      }
      if (full) {
        // The bound ended the round inside this page: resume after the last id taken, not after the page (the
        // rest of it would be skipped until a round read the inventory from its start again).
        if (considered !== undefined && peerCursors.size < 1_000) peerCursors.set(network, considered);
        result.truncated = true;
        break;
      }
      const next = inventory.next;
      if (typeof next !== 'string' || next.length > 200 || next === after || (after !== undefined && next < after))
        break;
      after = next;
    }
    return missing;
  }

  async function pullPublications(host: SyncHost, peer: PeerId, network: string): Promise<number> {
    let accepted = 0;
    let after: string | undefined;
    for (let page = 0; page < SYNC_MAX_PUBLICATION_PAGES; page++) {
      const answer = await request(host, peer, { type: 'publications', network, after, limit: SYNC_PUBLICATION_PAGE });
      if (answer.type !== 'publications' || !Array.isArray(answer.items))
        throw new ProtocolError('PEER_ERROR', 'bad publications');
      accepted += (await store.ingestPublications(answer.items.slice(0, SYNC_PUBLICATION_PAGE))).accepted.length;
      if (typeof answer.next !== 'string' || answer.next === after) break;
      after = answer.next;
    }
    return accepted;
  }

  return {
    protocol: SYNC_PROTOCOL,
    async start(host: SyncHost) {
      await host.handle(SYNC_PROTOCOL, (stream) => handler(stream), { maxInboundStreams: 64, maxOutboundStreams: 64 });
    },
    async stop(host: SyncHost) {
      await host.unhandle(SYNC_PROTOCOL);
    },
    syncWith,
  };
}
