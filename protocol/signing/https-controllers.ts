/**
 * Controller documents reached over https (1EdTech's convention in Open Badges 3.0 and CLR 2.0, §"Dereferencing
 * the Public Key": a verification method such as `https://example.edu/issuers/565049#key-1`, whose controller is
 * the issuer's https id). W3C Controlled Identifiers 1.0 §3.3 "Retrieve Verification Method": the document is
 * fetched from the method's URL without its fragment, and its `id` must be that URL.
 *
 * Nothing is fetched from a host the operator has not listed (docs/decisions/0035): the allow-list is the only
 * way in, then the shared outbound fetcher's address guard, size and time limits apply as for did:web.
 */
import { normalizeDidDocument } from './did-document.ts';
import type { OutboundFetcher } from './outbound-fetch.ts';

type Json = Record<string, unknown>;

/** Above this a controller document is not read: a few keys fit in a few KiB. */
export const MAX_CONTROLLER_DOCUMENT_BYTES = 64 * 1024;

export type ControllerResult =
  | { document: Json; error?: undefined }
  | { document?: undefined; error: 'notAllowed' | 'invalidUrl' | 'notFound' | 'invalidDocument'; message: string };

export interface HttpsControllers {
  /** Whether `url` is an https URL this node may fetch a controller document from. */
  allows(url: string): boolean;
  /** The controller document identified by `url` (no fragment), or why not. */
  resolve(url: string, control?: { signal?: AbortSignal }): Promise<ControllerResult>;
}

export interface HttpsControllersOptions {
  fetcher: OutboundFetcher;
  /** Hosts (`host` or `host:port`, as in the URL) whose controller documents may be fetched; `*` is any host. */
  allowedHosts: readonly string[];
  cacheTtlMs?: number;
  maxCacheEntries?: number;
  now?: () => number;
}

/** The URL a controller id names, when it is one this module reads: https, no credentials, no fragment. */
function controllerUrl(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.hash) return undefined;
  return url;
}

export function createHttpsControllers(options: HttpsControllersOptions): HttpsControllers {
  const hosts = new Set(options.allowedHosts.map((h) => h.trim().toLowerCase()).filter((h) => h !== ''));
  const ttl = options.cacheTtlMs ?? 5 * 60_000;
  const maxEntries = options.maxCacheEntries ?? 1_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; document: Json }>();

  function allows(value: string): boolean {
    const url = controllerUrl(value);
    return !!url && (hosts.has('*') || hosts.has(url.host.toLowerCase()));
  }

  async function resolve(value: string, control: { signal?: AbortSignal } = {}): Promise<ControllerResult> {
    const url = controllerUrl(value);
    if (!url) return { error: 'invalidUrl', message: `${value} is not an https URL without a fragment` };
    if (!allows(value)) {
      return {
        error: 'notAllowed',
        message: `${url.host} is not a host this node fetches controller documents from (--allow-https-controllers)`,
      };
    }
    const hit = cache.get(url.href);
    if (hit && now() - hit.at < ttl) return { document: hit.document };
    let body: unknown;
    try {
      body = await options.fetcher.json(url, { maxBytes: MAX_CONTROLLER_DOCUMENT_BYTES, signal: control.signal });
    } catch {
      // The fetcher's failures are uniform by design (decision 0012): no reason leaks to the caller.
      return { error: 'notFound', message: `the controller document ${url.href} could not be fetched` };
    }
    // CID 1.0 §3.3: a document whose id is not the URL it came from speaks for somebody else.
    const id = body && typeof body === 'object' ? (body as Json).id : undefined;
    if (id !== url.href && id !== value) {
      return { error: 'invalidDocument', message: `the document at ${url.href} is not the controller document of it` };
    }
    // Read as a DID document is (the vocabulary is the same): relative ids made absolute, the method contexts
    // the suites need added. Its own @context is set aside so the proof purpose check reads it without framing.
    const { '@context': _context, ...rest } = body as Json;
    const document = normalizeDidDocument({ ...rest, id: value }, value);
    if (!document) return { error: 'invalidDocument', message: `${url.href} is no controller document` };
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    cache.set(url.href, { at: now(), document });
    return { document };
  }

  return { allows, resolve };
}
