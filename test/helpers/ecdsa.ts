/** ECDSA signing helpers for tests: Data Integrity proofs made outside the node, as other issuers would. */
import { readFileSync } from 'node:fs';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {
  createDiscloseCryptosuite,
  createSignCryptosuite as createSdSignCryptosuite,
} from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import jsigs from 'jsonld-signatures';
import { createDidResolution } from '../../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../../protocol/signing/document-loader.ts';
import { type Cryptosuite, createSignSuite } from '../../protocol/signing/suites.ts';

type Json = Record<string, unknown>;

export function ecdsaFixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../fixtures/vc-di-ecdsa/${name}`, import.meta.url), 'utf8'));
}

/** The W3C DI ECDSA spec's P-256 base key (TestVectors/ecdsa-sd-2023/SDKeyMaterial.json), as did:key. */
export async function specP256Key(controller?: string) {
  const { baseKeyPair } = ecdsaFixture('SDKeyMaterial.json') as { baseKeyPair: Record<string, string> };
  const did = controller ?? `did:key:${baseKeyPair.publicKeyMultibase}`;
  return EcdsaMultikey.from({
    type: 'Multikey',
    id: `${did}#${baseKeyPair.publicKeyMultibase}`,
    controller: did,
    ...baseKeyPair,
  });
}

/** A fresh P-256 key named as a verification method of `controller` (default: its own did:key). */
export async function freshP256Key(controller?: string) {
  const key = await EcdsaMultikey.generate({ curve: 'P-256' });
  const did = controller ?? `did:key:${key.publicKeyMultibase}`;
  const exported = await key.export({ publicKey: true, secretKey: true });
  return EcdsaMultikey.from({ ...exported, type: 'Multikey', id: `${did}#${key.publicKeyMultibase}`, controller: did });
}

const offlineLoader = () => createDocumentLoader({ didResolution: createDidResolution({ cacheTtlMs: 0 }) });

/** Signs `credential` with an ECDSA suite and `key`, with no checks of who the issuer is. */
export async function signEcdsa(
  credential: Json,
  key: Awaited<ReturnType<typeof freshP256Key>>,
  cryptosuite: Extract<Cryptosuite, 'ecdsa-rdfc-2019' | 'ecdsa-jcs-2019'>,
  documentLoader = offlineLoader(),
): Promise<Json> {
  return jsigs.sign(structuredClone(credential), {
    suite: createSignSuite(cryptosuite, key),
    purpose: new jsigs.purposes.AssertionProofPurpose(),
    documentLoader,
  });
}

/** An ecdsa-sd-2023 base proof (issuer → holder) and a derived proof disclosing only `selectivePointers`. */
export async function signAndDeriveSd(
  credential: Json,
  key: Awaited<ReturnType<typeof freshP256Key>>,
  options: { mandatoryPointers: string[]; selectivePointers: string[] },
): Promise<{ base: Json; derived: Json }> {
  const documentLoader = offlineLoader();
  const base = await jsigs.sign(structuredClone(credential), {
    suite: new DataIntegrityProof({
      signer: key.signer(),
      cryptosuite: createSdSignCryptosuite({ mandatoryPointers: options.mandatoryPointers }),
    }),
    purpose: new jsigs.purposes.AssertionProofPurpose(),
    documentLoader,
  });
  const derived = await jsigs.derive(base, {
    suite: new DataIntegrityProof({
      cryptosuite: createDiscloseCryptosuite({ selectivePointers: options.selectivePointers }),
    }),
    purpose: new jsigs.purposes.AssertionProofPurpose(),
    documentLoader,
  });
  return { base, derived };
}
