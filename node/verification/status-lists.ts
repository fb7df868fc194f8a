/**
 * Where status list credentials come from: this node's own lists (read from
 * its store, no network), then foreign lists over HTTPS with a timeout, a size
 * limit and a cache. A list that cannot be had is reported, never guessed.
 */
import { MAX_PROOFS_PER_DOCUMENT } from '../../protocol/constants.ts';
import { createOutboundFetcher, type OutboundFetcher } from '../../protocol/signing/outbound-fetch.ts';
import { asArray } from '../../registry/verification/credential-shape.ts';

export type StatusListLookup =
  /**
   * `fetched`: what the address the credential names serves (fetched from it, or this node's own list there), not
   * the replica. `replica`: the copy replicated from peers, as current as the last sync (decision 0041).
   */
  | { credential: Record<string, unknown>; fetched?: boolean; replica?: boolean }
  | { error: { code: string; message: string } };

export interface StatusListLookupContext {
  /** The issuer of the credential being checked: a source that knows who published what answers with that issuer's own list. */
  issuer?: string;
  signal?: AbortSignal;
}

export interface StatusListSource {
  /** `signal` abandons any network work still pending (a verification's deadline, a client that left). */
  get(url: string, context?: StatusListLookupContext): Promise<StatusListLookup>;
}

export interface ForeignStatusListOptions {
  /** The node's shared outbound fetcher (limits across did:web and status lists); built from the options below when absent. */
  fetcher?: OutboundFetcher;
  fetch?: typeof fetch;
  lookup?: (host: string) => Promise<string[]>;
  allowPrivateHosts?: boolean;
  allowHttp?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  cacheTtlMs?: number;
  maxCacheEntries?: number;
  now?: () => number;
}

/** Foreign status lists over guarded HTTPS, cached for `cacheTtlMs`. */
export function createForeignStatusListSource(options: ForeignStatusListOptions = {}): StatusListSource {
  const fetcher =
    options.fetcher ??
    createOutboundFetcher({
      fetch: options.fetch,
      lookup: options.lookup,
      allowPrivateHosts: options.allowPrivateHosts,
      timeoutMs: options.timeoutMs,
    });
  // A 131,072-entry list compresses to a few KiB; 1 MiB leaves room for large ones.
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const ttl = options.cacheTtlMs ?? 5 * 60_000;
  const maxEntries = options.maxCacheEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; credential: Record<string, unknown> }>();
  return {
    async get(url, getOptions) {
      const hit = cache.get(url);
      if (hit && now() - hit.at < ttl) return { credential: hit.credential, fetched: true };
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return { error: { code: 'STATUS_LIST_URL_INVALID', message: `not a URL: ${url}` } };
      }
      if (parsed.protocol !== 'https:' && !(options.allowHttp && parsed.protocol === 'http:')) {
        return { error: { code: 'STATUS_LIST_URL_REFUSED', message: `only https status lists are fetched: ${url}` } };
      }
      // One answer for every way the fetch can fail: see protocol/signing/outbound-fetch.ts.
      const unavailable = {
        error: { code: 'STATUS_LIST_UNAVAILABLE', message: `status list ${url} could not be fetched` },
      };
      let json: unknown;
      try {
        json = await fetcher.json(parsed, { maxBytes, signal: getOptions?.signal });
      } catch {
        return unavailable;
      }
      if (!json || typeof json !== 'object' || Array.isArray(json)) return unavailable;
      const credential = json as Record<string, unknown>;
      // Each proof's key may be another did:web to fetch: a list is held to the limit credentials are held to.
      const proofs = asArray(credential.proof as unknown).length;
      if (proofs > MAX_PROOFS_PER_DOCUMENT) {
        return {
          error: {
            code: 'STATUS_LIST_INVALID',
            message: `status list ${url} has ${proofs} proofs; at most ${MAX_PROOFS_PER_DOCUMENT} are verified`,
          },
        };
      }
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
      cache.set(url, { at: now(), credential });
      return { credential, fetched: true };
    },
  };
}

/** Tries each source in turn; the first that has the list answers. */
export function chainStatusListSources(...sources: StatusListSource[]): StatusListSource {
  return {
    async get(url, context) {
      let last: StatusListLookup = { error: { code: 'STATUS_LIST_UNAVAILABLE', message: `no source for ${url}` } };
      for (const source of sources) {
        last = await source.get(url, context);
        if ('credential' in last) return last;
      }
      return last;
    },
  };
}
