/**
 * Signed OpenID Federation statements (entity statements, trust marks, resolve responses) as compact JWS
 * with EdDSA (Ed25519), through jose. Only the signing side: the node signs what registry/federation.ts
 * projected from the folded state.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, SignJWT } from 'jose';
import type { PublicJwk } from '../../registry/federation.ts';

/** Media types of §3, §7 and §8.3 (JWT `typ` without the `application/` prefix). */
export const ENTITY_STATEMENT_TYP = 'entity-statement+jwt';
export const TRUST_MARK_TYP = 'trust-mark+jwt';
export const RESOLVE_RESPONSE_TYP = 'resolve-response+jwt';
export const TRUST_MARK_STATUS_TYP = 'trust-mark-status-response+jwt';
export const HISTORICAL_KEYS_TYP = 'jwk-set+jwt';

export interface FederationSigningKey {
  kid: string;
  publicJwk: PublicJwk;
  privateKey: KeyObject;
}

/** A private Ed25519 JWK as stored by the node. */
export interface StoredFederationKey {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  d: string;
}

export function generateFederationKey(): StoredFederationKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'jwk' }) as unknown as StoredFederationKey;
}

/** The key's public JWK with `kid` = its RFC 7638 thumbprint, so a kid names exactly one key everywhere. */
export async function federationKeyFrom(stored: StoredFederationKey): Promise<FederationSigningKey> {
  const privateKey = createPrivateKey({ key: { ...stored }, format: 'jwk' });
  const { kty, crv, x } = createPublicKey(privateKey).export({ format: 'jwk' }) as {
    kty: string;
    crv: string;
    x: string;
  };
  const kid = await calculateJwkThumbprint({ kty, crv, x });
  return { kid, privateKey, publicJwk: { kty, crv, x, kid, alg: 'EdDSA', use: 'sig' } };
}

export async function signStatement(
  claims: Record<string, unknown>,
  key: FederationSigningKey,
  typ: string = ENTITY_STATEMENT_TYP,
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ, kid: key.kid }).sign(key.privateKey);
}
