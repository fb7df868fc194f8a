/**
 * The reference wallet's key: an Ed25519 did:key, kept as a private JWK in the
 * wallet folder. Signs JWTs for the OpenWallet Foundation libraries' `signJwt`
 * callback (proofs of possession, request objects are verified elsewhere).
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { type CallbackContext, clientAuthenticationAnonymous, type JwtSigner } from '@openid4vc/oauth2';
import { CompactSign, importJWK, type JWK } from 'jose';

export interface HolderKey {
  did: string;
  kid: string;
  privateJwk: JWK;
  /** The multikey pair, for Data Integrity proofs on presentations. */
  multikey: Awaited<ReturnType<typeof Ed25519Multikey.from>>;
}

export async function holderKeyFromJwk(privateJwk: JWK): Promise<HolderKey> {
  const pair = await Ed25519Multikey.fromJwk({ jwk: privateJwk, secretKey: true });
  const exported = await pair.export({ publicKey: true, secretKey: true });
  const did = `did:key:${exported.publicKeyMultibase}`;
  const kid = `${did}#${exported.publicKeyMultibase}`;
  const multikey = await Ed25519Multikey.from({ ...exported, id: kid, controller: did });
  return { did, kid, privateJwk, multikey };
}

export async function generateHolderKey(): Promise<HolderKey> {
  // Node's own JWK (32-byte d, RFC 8037): ed25519-multikey's toJwk writes a 64-byte d its fromJwk then refuses.
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as JWK;
  return holderKeyFromJwk(jwk);
}

/** The public JWK of the holder key (for `jwk`-bound proofs). */
export function publicJwkOf(key: HolderKey): JWK {
  const { kty, crv, x } = key.privateJwk;
  return { kty, crv, x };
}

/** The libraries' JwtSigner for this key: by did:key URL (default) or as a bare jwk. */
export function signerOf(key: HolderKey, method: 'did' | 'jwk' = 'did'): JwtSigner {
  return method === 'did'
    ? { method: 'did', didUrl: key.kid, alg: 'EdDSA' }
    : { method: 'jwk', publicJwk: publicJwkOf(key) as never, alg: 'EdDSA' };
}

/** The callbacks the @openid4vc clients need, with this wallet's key as the only signer. */
export function walletCallbacks(
  key: HolderKey,
  fetchImpl: typeof fetch = fetch,
): Omit<CallbackContext, 'verifyJwt' | 'encryptJwe' | 'decryptJwe'> & {
  verifyJwt: never;
  encryptJwe: never;
  decryptJwe: never;
} {
  return {
    fetch: fetchImpl,
    hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
    generateRandom: (length) => new Uint8Array(randomBytes(length)),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: async (signer, { header, payload }) => {
      const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader(header as never)
        .sign(await importJWK(key.privateJwk, 'EdDSA'));
      return { jwt, signerJwk: (signer as { publicJwk?: unknown }).publicJwk ?? publicJwkOf(key) } as never;
    },
    verifyJwt: (async () => {
      throw new Error('not used by this wallet');
    }) as never,
    encryptJwe: (async () => {
      throw new Error('not used by this wallet');
    }) as never,
    decryptJwe: (async () => {
      throw new Error('not used by this wallet');
    }) as never,
  };
}
