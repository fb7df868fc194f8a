/**
 * The names of the cryptosuites the node signs with, apart from the suites themselves (suites.ts): issuance
 * checks and metrics need the names at start, the libraries that implement the suites are loaded at first use
 * (linked-data.ts).
 */

/** What the node can sign with (`options.cryptosuite` at issuance). */
export const CRYPTOSUITES = [
  'eddsa-rdfc-2022',
  'eddsa-jcs-2022',
  'Ed25519Signature2020',
  'ecdsa-rdfc-2019',
  'ecdsa-jcs-2019',
] as const;
export type Cryptosuite = (typeof CRYPTOSUITES)[number];

export function isCryptosuite(value: unknown): value is Cryptosuite {
  return typeof value === 'string' && (CRYPTOSUITES as readonly string[]).includes(value);
}

/** The ECDSA suites sign with the node's P-256 key; the others with its Ed25519 key. */
export function isEcdsaCryptosuite(cryptosuite: Cryptosuite): boolean {
  return cryptosuite === 'ecdsa-rdfc-2019' || cryptosuite === 'ecdsa-jcs-2019';
}
