/**
 * Where status list credentials come from: this node's own lists (read from
 * its store, no network), then foreign lists over HTTPS with a timeout, a size
 * limit and a cache. A list that cannot be had is reported, never guessed.
 */
import { fetchJsonGuarded } from '../../protocol/signing/did-web.ts';
import { createPinnedFetch } from '../../protocol/signing/pinned-fetch.ts';

export type StatusListLookup =
  /** `fetched`: taken from the address the credential names, not from this node's store or the replica. */
  { credential: Record<string, unknown>; fetched?: boolean } | { error: { code: string; message: string } };

export interface StatusListLookupContext {
  /** The issuer of the credential being checked: a source that knows who published what answers with that issuer's own list. */
  issuer?: string;
}

export interface StatusListSource {
  get(url: string, context?: StatusListLookupContext): Promise<StatusListLookup>;
}

export interface ForeignStatusListOptions {
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
  const settings = {
    fetch: options.fetch ?? createPinnedFetch({ allowPrivateHosts: options.allowPrivateHosts }),
    lookup: options.lookup,
    allowPrivateHosts: options.allowPrivateHosts ?? false,
    timeoutMs: options.timeoutMs ?? 5_000,
    // A 131,072-entry list compresses to a few KiB; 1 MiB leaves room for large ones.
    maxBytes: options.maxBytes ?? 1024 * 1024,
  };
  const ttl = options.cacheTtlMs ?? 5 * 60_000;
  const maxEntries = options.maxCacheEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; credential: Record<string, unknown> }>();
  return {
    async get(url) {
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
      try {
        const { status, json } = await fetchJsonGuarded(parsed, settings);
        if (!json || typeof json !== 'object') {
          return { error: { code: 'STATUS_LIST_UNAVAILABLE', message: `${url} answered ${status}` } };
        }
        const credential = json as Record<string, unknown>;
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(url, { at: now(), credential });
        return { credential, fetched: true };
      } catch (error) {
        return { error: { code: 'STATUS_LIST_UNAVAILABLE', message: (error as Error).message } };
      }
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
