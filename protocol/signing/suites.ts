/**
 * The three proof suites this node signs and verifies with:
 * Data Integrity eddsa-rdfc-2022 and eddsa-jcs-2022, and the legacy
 * Ed25519Signature2020 that many deployed Open Badges still use.
 */
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import type { MultikeyKeyPair } from '@digitalbazaar/ed25519-multikey';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import {
  createSignCryptosuite as createJcsSignCryptosuite,
  createVerifyCryptosuite as createJcsVerifyCryptosuite,
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { ProtocolError } from '../errors.ts';

export const CRYPTOSUITES = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'Ed25519Signature2020'] as const;
export type Cryptosuite = (typeof CRYPTOSUITES)[number];

export function isCryptosuite(value: unknown): value is Cryptosuite {
  return typeof value === 'string' && (CRYPTOSUITES as readonly string[]).includes(value);
}

/** A suite that signs with `keyPair` (whose id is the verification method URL). */
export function createSignSuite(cryptosuite: Cryptosuite, keyPair: MultikeyKeyPair, date?: Date): object {
  const signer = keyPair.signer();
  switch (cryptosuite) {
    case 'eddsa-rdfc-2022':
      return new DataIntegrityProof({ signer, cryptosuite: eddsaRdfc2022, date });
    case 'eddsa-jcs-2022':
      return new DataIntegrityProof({ signer, cryptosuite: createJcsSignCryptosuite(), date });
    case 'Ed25519Signature2020':
      return new Ed25519Signature2020({ signer, date });
    default:
      throw new ProtocolError('UNSUPPORTED_CRYPTOSUITE', `unsupported cryptosuite ${String(cryptosuite)}`);
  }
}

/** Verification suites, one per proof type/cryptosuite that can be checked. */
export function createVerifySuites(): object[] {
  return [
    new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
    new DataIntegrityProof({ cryptosuite: createJcsVerifyCryptosuite() }),
    new Ed25519Signature2020(),
  ];
}

/** The name a proof is reported under: its cryptosuite, or its type for legacy suites. */
export function proofSuiteName(proof: Record<string, unknown>): string {
  return proof.type === 'DataIntegrityProof' ? `DataIntegrityProof/${String(proof.cryptosuite)}` : String(proof.type);
}

export function isSupportedProof(proof: Record<string, unknown>): boolean {
  if (proof.type === 'Ed25519Signature2020') return true;
  return (
    proof.type === 'DataIntegrityProof' &&
    (proof.cryptosuite === 'eddsa-rdfc-2022' || proof.cryptosuite === 'eddsa-jcs-2022')
  );
}
