/**
 * Where the OB 2.0 verifier gets the documents a badge names (hosted assertion, BadgeClass, issuer Profile,
 * CryptographicKey, RevocationList): https only, through the node's one outbound fetcher (address guard, size and
 * time limits, per-host and total concurrency), and a bounded cache so that a badge verified twice, or a hundred
 * badges of one issuer, fetch each profile, key and list once per `ttlMs`. Only answers are cached, never failures.
 */
import type { OutboundFetcher } from '../../protocol/signing/outbound-fetch.ts';

/** More than any badge document needs; a revocation list of ~10,000 entries fits. */
export const OB2_MAX_DOCUMENT_BYTES = 1024 * 1024;

export type Ob2Document =
  | { body: unknown; gone: boolean }
  | { error: { code: 'OB2_URL_REFUSED' | 'OB2_FETCH_FAILED'; message: string } };

export interface Ob2DocumentSource {
  get(url: string, options: { signal: AbortSignal }): Promise<Ob2Document>;
}

export function createOb2DocumentSource(options: {
  fetcher: OutboundFetcher;
  maxEntries?: number;
  ttlMs?: number;
  maxBytes?: number;
  now?: () => Date;
}): Ob2DocumentSource {
  const maxEntries = options.maxEntries ?? 1_000;
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = () => (options.now ? options.now() : new Date()).getTime();
  // Least recently used first; keyed by URL strings from the input, in a Map (no inherited names).
  const cache = new Map<string, { at: number; document: { body: unknown; gone: boolean } }>();

  return {
    async get(text, { signal }) {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return { error: { code: 'OB2_URL_REFUSED', message: `${text.slice(0, 200)} is not a URL` } };
      }
      // Nothing a badge names is fetched in the clear: an on-path party could otherwise answer for its issuer.
      if (url.protocol !== 'https:') {
        return { error: { code: 'OB2_URL_REFUSED', message: `${url.origin} is not https: it is not fetched` } };
      }
      url.hash = '';
      const key = url.href;
      const hit = cache.get(key);
      if (hit && now() - hit.at < ttlMs) {
        cache.delete(key);
        cache.set(key, hit);
        return hit.document;
      }
      try {
        const answer = await options.fetcher.document(url, {
          maxBytes: options.maxBytes ?? OB2_MAX_DOCUMENT_BYTES,
          signal,
          accept: 'application/ld+json, application/json',
        });
        const gone = answer.status === 410;
        let body: unknown;
        try {
          body = answer.text.trim() === '' && gone ? undefined : JSON.parse(answer.text);
        } catch {
          if (!gone) throw new Error('not JSON');
        }
        const document = { body, gone };
        cache.delete(key);
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(key, { at: now(), document });
        return document;
      } catch {
        // One failure whatever happened (outbound-fetch.ts): no port scanning through badge URLs.
        return { error: { code: 'OB2_FETCH_FAILED', message: `${url.origin} could not be fetched` } };
      }
    },
  };
}
