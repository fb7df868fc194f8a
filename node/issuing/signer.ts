/**
 * Signs credentials as the node's institution with one of the supported
 * cryptosuites. The private keys stay inside the key pair objects.
 */
import * as vc from '@digitalbazaar/vc';
import type { DocumentLoader } from '../../protocol/signing/document-loader.ts';
import { type Cryptosuite, createSignSuite, isEcdsaCryptosuite } from '../../protocol/signing/suites.ts';
import type { Identity } from '../identity.ts';

export type SignCredential = (
  credential: Record<string, unknown>,
  cryptosuite?: Cryptosuite,
) => Promise<Record<string, unknown>>;

export function createSigner(options: {
  identity: Identity;
  documentLoader: DocumentLoader;
  now?: () => Date;
}): SignCredential {
  const now = options.now ?? (() => new Date());
  return async (credential, cryptosuite = 'eddsa-rdfc-2022') => {
    const date = now();
    // The ECDSA suites sign with the node's P-256 key (decision 0021), the others with its Ed25519 key.
    const keyPair = isEcdsaCryptosuite(cryptosuite) ? options.identity.ecdsa.keyPair : options.identity.keyPair;
    const suite = createSignSuite(cryptosuite, keyPair, date);
    return vc.issue({
      credential: structuredClone(credential),
      suite,
      documentLoader: options.documentLoader,
      now: date,
    });
  };
}
