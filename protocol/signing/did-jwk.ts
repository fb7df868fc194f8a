/**
 * did:jwk, resolved locally with no I/O, per the did:jwk Method Specification
 * (quartzjer/did-jwk, "Read"): the method-specific id is the base64url of a
 * public JWK, and the document is a pure function of it with one verification
 * method `#0`. Wallets bind credentials to such DIDs (OID4VCI `jwk` binding)
 * and VC-JWT issuers sign with them, so the verifier needs their keys.
 */
import { createPublicKey } from 'node:crypto';
import { DID_V1_CONTEXT } from './contexts.ts';

const JWS_2020_CONTEXT = 'https://w3id.org/security/suites/jws-2020/v1';
// Members of a private JWK (RFC 7518 §6.2.2, §6.3.2, §6.4): a DID must never carry one.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
// An id longer than this is no public key of any curve or RSA size anyone uses: refuse before decoding it.
const MAX_ID_LENGTH = 2048;

export type DidJwkResult =
  | { document: Record<string, unknown>; error?: undefined }
  | { document?: undefined; error: 'invalidDid'; message: string };

const invalid = (message: string): DidJwkResult => ({ error: 'invalidDid', message });

/**
 * The DID document of a did:jwk ("Read": decode, check it is a public JWK, build the document). A JWK with
 * `use: "sig"` is not a key-agreement key and one with `use: "enc"` only that (the spec's two variants).
 */
export function resolveDidJwkDocument(did: string): DidJwkResult {
  const id = did.startsWith('did:jwk:') ? did.slice('did:jwk:'.length) : '';
  if (!/^[A-Za-z0-9_-]+$/.test(id) || id.length > MAX_ID_LENGTH) return invalid('not a did:jwk (base64url JWK)');
  let jwk: unknown;
  try {
    jwk = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    return invalid('the did:jwk id is not a base64url JSON object');
  }
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) return invalid('the did:jwk id is not a JSON object');
  const key = jwk as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((m) => m in key)) return invalid('a did:jwk must not contain private key material');
  try {
    // Node's parser refuses what is no public key (unknown kty or curve, a point off the curve).
    createPublicKey({ key: key as never, format: 'jwk' });
  } catch {
    return invalid('the did:jwk id is not a valid public JWK');
  }
  const vm = `${did}#0`;
  const signing = key.use !== 'enc';
  const agreement = key.use !== 'sig';
  return {
    document: {
      '@context': [DID_V1_CONTEXT, JWS_2020_CONTEXT],
      id: did,
      verificationMethod: [{ id: vm, type: 'JsonWebKey2020', controller: did, publicKeyJwk: key }],
      ...(signing
        ? { assertionMethod: [vm], authentication: [vm], capabilityInvocation: [vm], capabilityDelegation: [vm] }
        : {}),
      ...(agreement ? { keyAgreement: [vm] } : {}),
    },
  };
}
