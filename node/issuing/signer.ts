/**
 * Signs credentials as the node's institution with one of the supported
 * cryptosuites. The private keys stay inside the key pair objects.
 */
import { lazyModule } from '../../protocol/lazy-module.ts';
import { type Cryptosuite, isEcdsaCryptosuite } from '../../protocol/signing/cryptosuite-names.ts';
import type { DocumentLoader } from '../../protocol/signing/document-loader.ts';
import type { Identity } from '../identity.ts';

// @digitalbazaar/vc, jsonld.js and the cryptosuites (~5 MiB of heap): loaded by the first signature, not at start.
const loadSigningStack = lazyModule(async () => {
  const [vc, { createSignSuite }] = await Promise.all([
    import('@digitalbazaar/vc'),
    import('../../protocol/signing/suites.ts'),
  ]);
  return { issue: vc.issue, createSignSuite };
});

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
    const { issue, createSignSuite } = await loadSigningStack();
    const date = now();
    // The ECDSA suites sign with the node's P-256 key (decision 0021), the others with its Ed25519 key.
    const keyPair = isEcdsaCryptosuite(cryptosuite) ? options.identity.ecdsa.keyPair : options.identity.keyPair;
    const suite = createSignSuite(cryptosuite, keyPair, date);
    return issue({
      credential: structuredClone(credential),
      suite,
      documentLoader: options.documentLoader,
      now: date,
    });
  };
}
