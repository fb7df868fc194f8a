/**
 * The JSON-LD document loader: bundled contexts and DID URLs (through the
 * node's DID resolution), nothing else. Never fetches a context from the
 * network, so a credential cannot make the node call an attacker's server.
 */
import { ProtocolError } from '../errors.ts';
import { bundledContexts } from './contexts.ts';
import { contextForMethod, findVerificationMethod } from './did-document.ts';
import type { DidResolution } from './did-resolution.ts';
import { installJsonLdPrototypeGuard } from './jsonld-prototype-guard.ts';

// Every JSON-LD operation here runs with this loader: installing the guard with it means no canonicalization
// can run without it.
installJsonLdPrototypeGuard();

export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
  /**
   * 'static' for a bundled context: jsonld.js then keeps the resolved context in its process-wide cache by URL
   * instead of resolving it again (walking and serializing the whole context) in every operation. Bundled contexts
   * never change, so the cache cannot go stale; jsonld-document-loader marks its static contexts the same way.
   */
  tag?: 'static';
}
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

export interface DocumentLoaderOptions {
  didResolution: DidResolution;
  contexts?: ReadonlyMap<string, object>;
}

export function createDocumentLoader(options: DocumentLoaderOptions): DocumentLoader {
  const contexts = options.contexts ?? bundledContexts;
  // jsonld's cache is keyed by URL for the whole thread: only the one bundled map may fill it, or a loader with
  // other contexts could see (or leave) another loader's documents.
  const tagStatic = contexts === bundledContexts;
  return async function documentLoader(url: string): Promise<RemoteDocument> {
    const context = contexts.get(url);
    if (context)
      return { contextUrl: null, documentUrl: url, document: context, ...(tagStatic ? { tag: 'static' } : {}) };
    if (url.startsWith('did:')) {
      const [did, fragment] = url.split('#');
      const { didDocument, didResolutionMetadata } = await options.didResolution.resolve(did);
      if (!didDocument) {
        throw new ProtocolError(
          'DID_NOT_FOUND',
          `cannot resolve ${did}: ${didResolutionMetadata.error ?? 'notFound'}${
            didResolutionMetadata.message ? ` (${didResolutionMetadata.message})` : ''
          }`,
        );
      }
      const doc = didDocument as unknown as Record<string, unknown>;
      if (fragment === undefined) return { contextUrl: null, documentUrl: url, document: doc };
      const method = findVerificationMethod(doc, url);
      if (!method) throw new ProtocolError('DID_NOT_FOUND', `${did} has no verification method ${url}`);
      return { contextUrl: null, documentUrl: url, document: { '@context': contextForMethod(method), ...method } };
    }
    throw new ProtocolError('CONTEXT_NOT_BUNDLED', `document not available offline: ${url}`);
  };
}
