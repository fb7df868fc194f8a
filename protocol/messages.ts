/**
 * Wire formats of the peer protocols, parsed defensively: everything a peer
 * sends is attacker-controlled until checked.
 */
import { ProtocolError } from './errors.ts';

export type GossipMessage = { type: 'action'; entry: unknown } | { type: 'publication'; publication: unknown };

export type SyncRequest =
  | { type: 'digest'; networks: string[] }
  | { type: 'inventory'; network: string; after?: string; limit: number }
  | { type: 'get'; network: string; ids: string[] }
  | { type: 'publications'; network: string; after?: string; limit: number };

export interface NetworkDigest {
  network: string;
  /** Hash of the sorted (id, signature count) pairs: equal means nothing to fetch. */
  inventory: string;
  count: number;
  /** Hash of the member publications held for the network's members. */
  publications?: string;
}

export type SyncResponse =
  | { type: 'digest'; digests: NetworkDigest[] }
  | { type: 'inventory'; network: string; items: Array<[string, number]>; next?: string }
  | { type: 'get'; network: string; entries: unknown[] }
  | { type: 'publications'; network: string; items: unknown[]; next?: string }
  | { type: 'error'; code: string; message: string };

const NETWORK_ID = /^[A-Za-z0-9_-]{43}$/;

function parseJson(bytes: Uint8Array, max: number): unknown {
  if (bytes.byteLength > max) throw new ProtocolError('MESSAGE_TOO_LARGE', `message larger than ${max} bytes`);
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ProtocolError('MALFORMED_MESSAGE', 'message is not JSON');
  }
}

export function encodeJson(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function parseGossipMessage(bytes: Uint8Array, max: number): GossipMessage {
  const value = parseJson(bytes, max) as Record<string, unknown> | null;
  if (value?.type === 'action' && value.entry && typeof value.entry === 'object')
    return { type: 'action', entry: value.entry };
  if (value?.type === 'publication' && value.publication && typeof value.publication === 'object') {
    return { type: 'publication', publication: value.publication };
  }
  throw new ProtocolError('MALFORMED_MESSAGE', 'unknown gossip message');
}

export function parseSyncRequest(bytes: Uint8Array, max: number): SyncRequest {
  const value = parseJson(bytes, max) as Record<string, unknown> | null;
  switch (value?.type) {
    case 'digest': {
      const networks = value.networks;
      if (
        !Array.isArray(networks) ||
        networks.length > 1000 ||
        !networks.every((n) => typeof n === 'string' && NETWORK_ID.test(n))
      ) {
        throw new ProtocolError('MALFORMED_MESSAGE', 'digest.networks must be network ids');
      }
      return { type: 'digest', networks: networks as string[] };
    }
    case 'inventory': {
      const { network, after, limit } = value;
      if (typeof network !== 'string' || !NETWORK_ID.test(network))
        throw new ProtocolError('MALFORMED_MESSAGE', 'bad network');
      if (after !== undefined && (typeof after !== 'string' || after.length > 200))
        throw new ProtocolError('MALFORMED_MESSAGE', 'bad after');
      if (!Number.isInteger(limit) || (limit as number) < 1) throw new ProtocolError('MALFORMED_MESSAGE', 'bad limit');
      return { type: 'inventory', network, after: after as string | undefined, limit: limit as number };
    }
    case 'publications': {
      const { network, after, limit } = value;
      if (typeof network !== 'string' || !NETWORK_ID.test(network))
        throw new ProtocolError('MALFORMED_MESSAGE', 'bad network');
      if (after !== undefined && (typeof after !== 'string' || after.length > 2000))
        throw new ProtocolError('MALFORMED_MESSAGE', 'bad after');
      if (!Number.isInteger(limit) || (limit as number) < 1) throw new ProtocolError('MALFORMED_MESSAGE', 'bad limit');
      return { type: 'publications', network, after: after as string | undefined, limit: limit as number };
    }
    case 'get': {
      const { network, ids } = value;
      if (typeof network !== 'string' || !NETWORK_ID.test(network))
        throw new ProtocolError('MALFORMED_MESSAGE', 'bad network');
      if (!Array.isArray(ids) || ids.length > 5000 || !ids.every((id) => typeof id === 'string' && id.length < 100)) {
        throw new ProtocolError('MALFORMED_MESSAGE', 'get.ids must be action ids');
      }
      return { type: 'get', network, ids: ids as string[] };
    }
    default:
      throw new ProtocolError('MALFORMED_MESSAGE', 'unknown sync request');
  }
}

export function parseSyncResponse(bytes: Uint8Array, max: number): SyncResponse {
  const value = parseJson(bytes, max) as SyncResponse | null;
  if (!value || typeof value !== 'object' || typeof value.type !== 'string') {
    throw new ProtocolError('MALFORMED_MESSAGE', 'bad sync response');
  }
  return value;
}
