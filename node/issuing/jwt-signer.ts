/**
 * Signs JOSE-secured credentials (vc+jwt, jwt_vc_json) as the node's institution, with `jose`: EdDSA with the
 * Ed25519 institution key, ES256 with the P-256 key (decision 0021). The private keys are turned into in-process
 * key objects once and never leave this module; only the compact JWT comes out.
 */

import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { CompactSign, importJWK } from 'jose';
import type { JwtFormat } from '../../protocol/jose/vc-jwt.ts';
import { type JwtSigningAlgorithm, jwtCredentialParts } from '../../protocol/jose/vc-jwt-issue.ts';
import type { Identity } from '../identity.ts';

export type SignJwtCredential = (
  credential: Record<string, unknown>,
  format: JwtFormat,
  alg: JwtSigningAlgorithm,
) => Promise<string>;

type SigningKey = Awaited<ReturnType<typeof importJWK>>;

/** RFC 8037 §2: an OKP `d` is the 32-byte seed; the Multikey library's secret key is seed and public key (64). */
function ed25519Seed(jwk: Record<string, string>): Record<string, string> {
  const secret = Buffer.from(jwk.d, 'base64url');
  return { ...jwk, d: secret.subarray(0, 32).toString('base64url') };
}

export function createJwtSigner(options: { identity: Identity }): SignJwtCredential {
  const { identity } = options;
  const keys = new Map<JwtSigningAlgorithm, Promise<SigningKey>>();

  function keyFor(alg: JwtSigningAlgorithm): Promise<SigningKey> {
    let key = keys.get(alg);
    if (!key) {
      key = (
        alg === 'EdDSA'
          ? Ed25519Multikey.toJwk({ keyPair: identity.keyPair, secretKey: true }).then(ed25519Seed)
          : EcdsaMultikey.toJwk({ keyPair: identity.ecdsa.keyPair, secretKey: true })
      ).then((jwk) => importJWK(jwk, alg));
      keys.set(alg, key);
    }
    return key;
  }

  return async (credential, format, alg) => {
    const kid = alg === 'EdDSA' ? identity.keyId : identity.ecdsa.keyId;
    const { header, payload } = jwtCredentialParts(credential, format, { alg, kid });
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader(header as never)
      .sign(await keyFor(alg));
  };
}
