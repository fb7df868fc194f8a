/**
 * The JSON-LD document loader: bundled contexts and DID URLs (through the
 * node's DID resolution), nothing else. Never fetches a context from the
 * network, so a credential cannot make the node call an attacker's server.
 */
import { ProtocolError } from '../errors.ts';
import { bundledContexts } from './contexts.ts';
import { contextForMethod, findVerificationMethod } from './did-document.ts';
import type { DidResolution } from './did-resolution.ts';

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
  /**
   * https controller documents fetched beforehand (1EdTech's convention, https-controllers.ts), by their id: the
   * loader itself never fetches them.
   */
  controllerDocuments?: (id: string) => Record<string, unknown> | undefined;
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
    const [base, hash] = url.split('#');
    const controller = url.startsWith('https:') ? options.controllerDocuments?.(base) : undefined;
    if (controller) {
      if (hash === undefined) return { contextUrl: null, documentUrl: url, document: controller };
      const method = findVerificationMethod(controller, url);
      if (!method) throw new ProtocolError('DID_NOT_FOUND', `${base} has no verification method ${url}`);
      return { contextUrl: null, documentUrl: url, document: { '@context': contextForMethod(method), ...method } };
    }
    if (url.startsWith('did:')) {
      const [did, fragment] = [base, hash];
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
    // An https URL with a fragment is a verification method (no context has one): its key is unresolved.
    if (url.startsWith('https:') && hash !== undefined) {
      throw new ProtocolError('DID_NOT_FOUND', `the controller document of ${url} was not fetched`);
    }
    throw new ProtocolError('CONTEXT_NOT_BUNDLED', `document not available offline: ${url}`);
  };
}
