/**
 * The proof suites this node signs and verifies with: Data Integrity
 * eddsa-rdfc-2022 and eddsa-jcs-2022, the legacy Ed25519Signature2020 that many
 * deployed Open Badges still use, and the NIST-curve suites ecdsa-rdfc-2019 and
 * ecdsa-jcs-2019 (P-256 signing; P-256 and P-384 verification). ecdsa-sd-2023
 * is verify-only: a verifier can only check derived (disclosure) proofs.
 *
 * Loading this module loads jsonld.js and the cryptosuite libraries (~5 MiB of heap): the node imports it at first
 * use (linked-data.ts), not at start.
 */
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import {
  createSignCryptosuite as createEcdsaJcsSignCryptosuite,
  createVerifyCryptosuite as createEcdsaJcsVerifyCryptosuite,
} from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { createVerifyCryptosuite as createEcdsaSdVerifyCryptosuite } from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import type { MultikeyKeyPair } from '@digitalbazaar/ed25519-multikey';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import {
  createSignCryptosuite as createJcsSignCryptosuite,
  createVerifyCryptosuite as createJcsVerifyCryptosuite,
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { ProtocolError } from '../errors.ts';
import { CRYPTOSUITES, type Cryptosuite, isCryptosuite, isEcdsaCryptosuite } from './cryptosuite-names.ts';
import { createEd25519Verifier } from './ed25519-verifier.ts';
import { installJsonLdContextSharing } from './jsonld-context-sharing.ts';
import { installJsonLdPrototypeGuard } from './jsonld-prototype-guard.ts';

export { CRYPTOSUITES, type Cryptosuite, isCryptosuite, isEcdsaCryptosuite };

// Every JSON-LD operation of the node (signing, proof checks) runs through a suite made here, and jsonld.js is
// loaded with this module: installing the prototype guard and the context sharing with it means no
// canonicalization can run without them (both are per thread and idempotent).
installJsonLdPrototypeGuard();
installJsonLdContextSharing();

/** The Data Integrity cryptosuites whose proofs can be verified here. */
const VERIFIABLE_CRYPTOSUITES: ReadonlySet<unknown> = new Set([
  'eddsa-rdfc-2022',
  'eddsa-jcs-2022',
  'ecdsa-rdfc-2019',
  'ecdsa-jcs-2019',
  'ecdsa-sd-2023',
]);

/** Anything with a Multikey signer: an Ed25519 or an ECDSA key pair. */
export type SigningKeyPair = Pick<MultikeyKeyPair, 'signer'>;

/** A suite that signs with `keyPair` (whose id is the verification method URL). */
export function createSignSuite(cryptosuite: Cryptosuite, keyPair: SigningKeyPair, date?: Date): object {
  const signer = keyPair.signer();
  switch (cryptosuite) {
    case 'eddsa-rdfc-2022':
      return new DataIntegrityProof({ signer, cryptosuite: eddsaRdfc2022, date });
    case 'eddsa-jcs-2022':
      return new DataIntegrityProof({ signer, cryptosuite: createJcsSignCryptosuite(), date });
    case 'Ed25519Signature2020':
      return new Ed25519Signature2020({ signer, date });
    case 'ecdsa-rdfc-2019':
      return new DataIntegrityProof({ signer, cryptosuite: ecdsaRdfc2019, date });
    case 'ecdsa-jcs-2019':
      return new DataIntegrityProof({ signer, cryptosuite: createEcdsaJcsSignCryptosuite(), date });
    default:
      throw new ProtocolError('UNSUPPORTED_CRYPTOSUITE', `unsupported cryptosuite ${String(cryptosuite)}`);
  }
}

/**
 * Ed25519Signature2020 with the issuer's key imported once (protocol/signing/ed25519-verifier.ts). The suite
 * checks the proof value and then uses `this.verifier` when one is set, reading it before its first `await`: so
 * the verifier for this call's key is set just for the synchronous start of the call.
 */
class Ed25519Signature2020WithKeyCache extends Ed25519Signature2020 {
  override async verifySignature(options: Parameters<Ed25519Signature2020['verifySignature']>[0]): Promise<boolean> {
    const verifier = await createEd25519Verifier({ verificationMethod: options.verificationMethod });
    this.verifier = verifier;
    try {
      return super.verifySignature(options);
    } finally {
      this.verifier = undefined;
    }
  }
}

/** Verification suites, one per proof type/cryptosuite that can be checked. */
export function createVerifySuites(): object[] {
  return [
    new DataIntegrityProof({ cryptosuite: { ...eddsaRdfc2022, createVerifier: createEd25519Verifier } }),
    new DataIntegrityProof({ cryptosuite: { ...createJcsVerifyCryptosuite(), createVerifier: createEd25519Verifier } }),
    new Ed25519Signature2020WithKeyCache(),
    new DataIntegrityProof({ cryptosuite: ecdsaRdfc2019 }),
    new DataIntegrityProof({ cryptosuite: createEcdsaJcsVerifyCryptosuite() }),
    new DataIntegrityProof({ cryptosuite: createEcdsaSdVerifyCryptosuite() }),
  ];
}

/** The name a proof is reported under: its cryptosuite, or its type for legacy suites. */
export function proofSuiteName(proof: Record<string, unknown>): string {
  return proof.type === 'DataIntegrityProof' ? `DataIntegrityProof/${String(proof.cryptosuite)}` : String(proof.type);
}

export function isSupportedProof(proof: Record<string, unknown>): boolean {
  if (proof.type === 'Ed25519Signature2020') return true;
  return proof.type === 'DataIntegrityProof' && VERIFIABLE_CRYPTOSUITES.has(proof.cryptosuite);
}

/**
 * An ecdsa-sd-2023 base proof (ecdsa-sd-2023 §3.5.2: multibase `u` + CBOR tag
 * header 0xd9 0x5d 0x00, which base64url-encodes to `u2V0A`). It carries the
 * issuer's HMAC key and is meant for the holder only: no verifier can check it.
 */
export function isSdBaseProof(proof: Record<string, unknown>): boolean {
  return (
    proof.type === 'DataIntegrityProof' &&
    proof.cryptosuite === 'ecdsa-sd-2023' &&
    typeof proof.proofValue === 'string' &&
    proof.proofValue.startsWith('u2V0A')
  );
}
