/**
 * Signs credentials as the node's institution with one of the supported
 * cryptosuites. The private key stays inside the key pair object.
 */
import * as vc from '@digitalbazaar/vc';
import type { DocumentLoader } from '../../protocol/signing/document-loader.ts';
import { type Cryptosuite, createSignSuite } from '../../protocol/signing/suites.ts';
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
    const suite = createSignSuite(cryptosuite, options.identity.keyPair, date);
    return vc.issue({
      credential: structuredClone(credential),
      suite,
      documentLoader: options.documentLoader,
      now: date,
    });
  };
}
