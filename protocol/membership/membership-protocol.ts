/**
 * `/ler/membership/1.0.0`: how a node learns that a network lists its institution (issue 15, defect 11;
 * decision 0042). One request per stream, a length-prefixed JSON frame each way, bounded by size and time:
 *
 * - `listing {did}` → `{networks}`: the networks the peer holds whose latest record of `did` is not a removal;
 * - `admitted {did}` → `{ok}`: a notice that the peer just applied an admission of `did` (ask me).
 *
 * Both answers are hints, never facts: the asking node pulls each named network's signed log over
 * `/ler/sync/1.0.0` and checks every action under the network's own governors before it shows an offer.
 */
import type { Connection, PeerId, Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import { MEMBERSHIP_MAX_NETWORKS, MEMBERSHIP_PROTOCOL } from '../constants.ts';
import { ProtocolError } from '../errors.ts';
import { encodeJson } from '../messages.ts';
import { exchangeFrame, type ProtocolHost } from '../one-shot-exchange.ts';

const MAX_FRAME_BYTES = 16 * 1024;
const TIMEOUT_MS = 10_000;
const NETWORK_ID = /^[A-Za-z0-9_-]{43}$/;

export type MembershipRequest = { type: 'listing'; did: string } | { type: 'admitted'; did: string };

/** What the protocol needs from the node. */
export interface MembershipStore {
  /** Networks held here that list `did` (latest record not a removal). */
  listing(did: string): string[];
  /** A peer says it applied an admission of `did`. */
  admitted(peer: PeerId, did: string): void;
}

/** The libp2p surface the protocol uses. */
export type MembershipHost = ProtocolHost;

function parse(bytes: Uint8Array): unknown {
  if (bytes.byteLength > MAX_FRAME_BYTES) throw new ProtocolError('MESSAGE_TOO_LARGE', 'membership frame too large');
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ProtocolError('MALFORMED_MESSAGE', 'membership frame is not JSON');
  }
}

export function parseMembershipRequest(bytes: Uint8Array): MembershipRequest {
  const value = parse(bytes) as Record<string, unknown> | null;
  const did = value?.did;
  if (typeof did !== 'string' || !did.startsWith('did:') || did.length > 2048)
    throw new ProtocolError('MALFORMED_MESSAGE', 'did must be a DID');
  if (value?.type === 'listing' || value?.type === 'admitted') return { type: value.type, did };
  throw new ProtocolError('MALFORMED_MESSAGE', 'unknown membership request');
}

/** A peer's listing, cut to what may be taken from it: well-formed, distinct network ids, at most the bound. */
export function parseListing(bytes: Uint8Array): string[] {
  const value = parse(bytes) as { type?: unknown; networks?: unknown } | null;
  if (value?.type !== 'listing' || !Array.isArray(value.networks))
    throw new ProtocolError('PEER_ERROR', 'bad listing answer');
  const ids = value.networks.filter((n): n is string => typeof n === 'string' && NETWORK_ID.test(n));
  return [...new Set(ids)].slice(0, MEMBERSHIP_MAX_NETWORKS);
}

export function createMembershipProtocol(store: MembershipStore, init: { timeoutMs?: number } = {}) {
  const timeoutMs = init.timeoutMs ?? TIMEOUT_MS;

  async function handler(stream: Stream, connection: Connection): Promise<void> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_FRAME_BYTES });
      const request = parseMembershipRequest((await lp.read({ signal })).subarray());
      if (request.type === 'listing') {
        const networks = store.listing(request.did).slice(0, MEMBERSHIP_MAX_NETWORKS);
        await lp.write(encodeJson({ type: 'listing', networks }), { signal });
      } else {
        store.admitted(connection.remotePeer, request.did);
        await lp.write(encodeJson({ type: 'ok' }), { signal });
      }
      await stream.close({ signal });
    } catch (error) {
      stream.abort(error as Error);
    }
  }

  const exchange = (host: MembershipHost, peer: PeerId, body: MembershipRequest) =>
    exchangeFrame(host, peer, MEMBERSHIP_PROTOCOL, encodeJson(body), { timeoutMs, maxFrameBytes: MAX_FRAME_BYTES });

  return {
    protocol: MEMBERSHIP_PROTOCOL,
    async start(host: MembershipHost) {
      await host.handle(MEMBERSHIP_PROTOCOL, handler, { maxInboundStreams: 16, maxOutboundStreams: 16 });
    },
    async stop(host: MembershipHost) {
      await host.unhandle(MEMBERSHIP_PROTOCOL);
    },
    /** Asks `peer` which networks it holds that list `did`. */
    async listing(host: MembershipHost, peer: PeerId, did: string): Promise<string[]> {
      return parseListing(await exchange(host, peer, { type: 'listing', did }));
    },
    /** Tells `peer` that an admission of `did` was applied here. */
    async notify(host: MembershipHost, peer: PeerId, did: string): Promise<void> {
      await exchange(host, peer, { type: 'admitted', did });
    },
  };
}
