/**
 * did:key for Ed25519 (Multikey documents), resolved locally with no I/O.
 * Uses @digitalbazaar/did-method-key: its documents carry the Multikey context
 * that the eddsa cryptosuites require (key-did-resolver's do not).
 */
import { driver as didKeyDriver } from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import type { DIDResolver } from 'did-resolver';

const driver = didKeyDriver();
driver.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from as never });

/** The DID document (or, for a DID URL with a fragment, the key node) of a did:key. */
export async function getDidKeyDocument(didUrl: string): Promise<Record<string, unknown>> {
  return driver.get({ url: didUrl });
}

/** did:key for an Ed25519 public key in multibase (z6Mk…). */
export function didKeyFromPublicKeyMultibase(publicKeyMultibase: string): string {
  return `did:key:${publicKeyMultibase}`;
}

export const resolveDidKey: DIDResolver = async (did) => {
  try {
    const didDocument = await driver.get({ did });
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
