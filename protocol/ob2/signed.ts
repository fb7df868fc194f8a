/**
 * SignedBadge verification (OB 2.0 §SignedBadge): a compact JWS whose payload is the assertion, checked with
 * `jose` against a key from the issuer Profile's CryptographicKey (`publicKeyPem`). The algorithm follows the
 * key, never the header alone (as for VC-JWTs, docs/decisions/0030): RSA keys RS256 (what the spec recommends and
 * platforms use), P-256 ES256, Ed25519 EdDSA; `alg: none` and anything else are refused.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { compactVerify, type ProtectedHeaderParameters } from 'jose';
import { Ob2Error } from './documents.ts';

const ALLOWED = new Set(['RS256', 'ES256', 'EdDSA']);

/** Refuses a header no key could make acceptable, before any key is fetched for it. */
export function checkJwsHeader(header: ProtectedHeaderParameters): void {
  const alg = String(header.alg ?? '');
  if (alg.toLowerCase() === 'none') throw new Ob2Error('ALG_NONE_REFUSED', 'an unsigned JWS (alg none) is refused');
  if (!ALLOWED.has(alg))
    throw new Ob2Error('ALG_NOT_ALLOWED', `JWS algorithm ${alg || '(none given)'} is not allowed for Open Badges 2.0`);
}

function algorithmFor(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  throw new Ob2Error(
    'OB2_KEY_INVALID',
    `a ${key.asymmetricKeyType ?? 'unknown'} key is not used for Open Badges signatures here`,
  );
}

/** Verifies `jws` with the PEM public key; answers the verified payload's bytes, or throws an Ob2Error. */
export async function verifyOb2Jws(jws: string, publicKeyPem: string): Promise<Uint8Array> {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: publicKeyPem, format: 'pem' });
  } catch {
    throw new Ob2Error('OB2_KEY_INVALID', 'publicKeyPem is not a usable PEM public key');
  }
  const algorithm = algorithmFor(key);
  try {
    const { payload } = await compactVerify(jws, key, { algorithms: [algorithm] });
    return payload;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') {
      throw new Ob2Error('ALG_NOT_ALLOWED', `the key is used with ${algorithm} only`);
    }
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
      throw new Ob2Error('INVALID_SIGNATURE', 'the JWS signature does not verify');
    throw new Ob2Error('INVALID_SIGNATURE', `the JWS cannot be verified: ${(error as Error).message}`);
  }
}
