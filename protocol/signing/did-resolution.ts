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
  // Anonymous requests choose the DIDs resolved (any 32 bytes are a did:key): a small cache, not a large one.
  const maxEntries = options.maxCacheEntries ?? 1_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; result: DIDResolutionResult }>();

  async function resolveUncached(did: string): Promise<DIDResolutionResult> {
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
    const result = await resolver.resolve(did);
    const error = result.didResolutionMetadata.error;
    if (error) {
      result.didResolutionMetadata.error = METHOD_ERRORS[error] ?? 'notFound';
    }
    return result;
  }

  return {
    async resolve(did) {
      const hit = cache.get(did);
      if (hit && now() - hit.at < ttl) return hit.result;
      const result = await resolveUncached(did);
      // Failures are not cached: a did:web host that was down may come back.
      if (!result.didResolutionMetadata.error) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(did, { at: now(), result });
      }
      return result;
    },
  };
}
