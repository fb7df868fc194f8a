/**
 * did:key for Ed25519, P-256 and P-384 (Multikey documents), resolved locally
 * with no I/O. Uses @digitalbazaar/did-method-key: its documents carry the
 * Multikey context that the eddsa and ecdsa cryptosuites require
 * (key-did-resolver's do not).
 */
import { driver as didKeyDriver } from '@digitalbazaar/did-method-key';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import type { DIDResolver } from 'did-resolver';

const driver = didKeyDriver();
driver.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from as never });
// did:key spec §3.1.x: compressed P-256 keys (multicodec 0x1200) always encode
// to `zDna…`, P-384 (0x1201) to `z82L…`; ecdsa-multikey reads both.
driver.use({ multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from as never });
driver.use({ multibaseMultikeyHeader: 'z82L', fromMultibase: EcdsaMultikey.from as never });

// A did:key document is a pure function of the DID, but building one derives an
// X25519 key-agreement key (a big-integer computation): worth keeping. Bounded.
const MAX_CACHED = 10_000;
const documents = new Map<string, Promise<Record<string, unknown>>>();

/** The DID document of a did:key (memoized; callers must not mutate it). */
export function getDidKeyDocument(did: string): Promise<Record<string, unknown>> {
  let document = documents.get(did);
  if (!document) {
    document = driver.get({ did });
    document.catch(() => documents.delete(did));
    if (documents.size >= MAX_CACHED) documents.delete(documents.keys().next().value as string);
    documents.set(did, document);
  }
  return document;
}

export const resolveDidKey: DIDResolver = async (did) => {
  try {
    const didDocument = await getDidKeyDocument(did);
    return {
      didDocument: didDocument as never,
      didResolutionMetadata: { contentType: 'application/did+ld+json' },
      didDocumentMetadata: {},
    };
  } catch (error) {
    return {
      didDocument: null,
      didResolutionMetadata: { error: 'invalidDid', message: (error as Error).message },
      didDocumentMetadata: {},
    };
  }
};
