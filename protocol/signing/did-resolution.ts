/**
 * DID resolution for this node: a registry of method drivers (did:key locally,
 * did:web over guarded HTTPS), an optional source of documents the node already
 * holds (fixtures in tests; the replicated key history later), and a small TTL
 * cache. Results use the W3C DID Resolution shapes.
 */
import { type DIDResolutionResult, Resolver } from 'did-resolver';
import { normalizeDidDocument } from './did-document.ts';
import { resolveDidKey } from './did-key.ts';
import { createDidWebResolver, type DidWebOptions } from './did-web.ts';

export type DidResolutionError = 'invalidDid' | 'notFound' | 'methodNotSupported' | 'internalError';

export interface DidResolution {
  resolve(did: string): Promise<DIDResolutionResult>;
}

export interface DidResolutionOptions {
  web?: DidWebOptions;
  /**
   * Documents the node holds itself, consulted first: returns a document,
   * null for "known not to exist", or undefined to fall through to the method.
   */
  known?: (did: string) => Promise<unknown | null | undefined> | unknown | null | undefined;
  cacheTtlMs?: number;
  maxCacheEntries?: number;
  now?: () => number;
}

const METHOD_ERRORS: Record<string, DidResolutionError> = {
  unsupportedDidMethod: 'methodNotSupported',
  invalidDid: 'invalidDid',
  notFound: 'notFound',
};

export function createDidResolution(options: DidResolutionOptions = {}): DidResolution {
  const resolver = new Resolver({ key: resolveDidKey, web: createDidWebResolver(options.web) }, { cache: false });
  const ttl = options.cacheTtlMs ?? 5 * 60_000;
  const maxEntries = options.maxCacheEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; result: DIDResolutionResult }>();

  /** What the node holds itself, never cached: a replicated did-document or declared keys may change any time. */
  async function resolveHeld(did: string): Promise<DIDResolutionResult | undefined> {
    const held = await options.known?.(did);
    if (held === null) {
      return { didDocument: null, didResolutionMetadata: { error: 'notFound' }, didDocumentMetadata: {} };
    }
    if (held !== undefined) {
      const didDocument = normalizeDidDocument(held, did);
      if (didDocument) {
        return {
          didDocument: didDocument as never,
          didResolutionMetadata: { contentType: 'application/did+ld+json' },
          didDocumentMetadata: {},
        };
      }
    }
    return undefined;
  }

  async function resolveByMethod(did: string): Promise<DIDResolutionResult> {
    const result = await resolver.resolve(did);
    const error = result.didResolutionMetadata.error;
    if (error) {
      result.didResolutionMetadata.error = METHOD_ERRORS[error] ?? 'notFound';
    }
    return result;
  }

  return {
    async resolve(did) {
      // Held documents first and fresh: a document cached from declared keys must not hide a did-document
      // publication (e.g. a newly listed P-256 key) that arrived since.
      const held = await resolveHeld(did);
      if (held) return held;
      const hit = cache.get(did);
      if (hit && now() - hit.at < ttl) return hit.result;
      const result = await resolveByMethod(did);
      // Failures are not cached: a did:web host that was down may come back.
      if (!result.didResolutionMetadata.error) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(did, { at: now(), result });
      }
      return result;
    },
  };
}
