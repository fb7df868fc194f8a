/**
 * The JWT proof of possession of OID4VCI 1.0 Appendix F.1: the wallet signs
 * the issuer's nonce with its key, named by `kid` (a did:key URL) or carried as
 * `jwk`; the credential is then bound to that key (`credentialSubject.id`).
 * Pure apart from the crypto: no network, no storage.
 */
import { decodeProtectedHeader, importJWK, type JWK, jwtVerify } from 'jose';
import { createDidKeyDocument } from '../signing/did-key.ts';
import { OpenIdError } from './errors.ts';

export const PROOF_JWT_TYPE = 'openid4vci-proof+jwt';
/** JOSE algorithms accepted for holder keys (Ed25519 and P-256, the wallets' usual keys). */
export const PROOF_ALGORITHMS = ['EdDSA', 'ES256'] as const;

export interface VerifiedProof {
  /** The holder's identifier the credential is bound to: the did:key, or did:jwk for a bare key. */
  holder: string;
  nonce: string;
}

export interface VerifyProofOptions {
  /** The Credential Issuer Identifier: the proof's `aud` (F.1). */
  audience: string;
  now: Date;
  /** How far `iat` may lie from now, either way. */
  maxSkewSeconds?: number;
}

type Json = Record<string, unknown>;

const b64url = (text: string) => Buffer.from(text).toString('base64url');

/** The public members of a JWK only: a proof carrying a private key is refused, never echoed. */
function publicJwk(jwk: Json): JWK {
  if ('d' in jwk) throw new OpenIdError('invalid_proof', 'the proof header jwk must not contain a private key');
  const { kty, crv, x, y } = jwk;
  if (kty === 'OKP' && crv === 'Ed25519' && typeof x === 'string') return { kty, crv, x };
  if (kty === 'EC' && crv === 'P-256' && typeof x === 'string' && typeof y === 'string') return { kty, crv, x, y };
  throw new OpenIdError('invalid_proof', 'the proof key must be an Ed25519 (OKP) or P-256 (EC) public JWK');
}

/** The key a `kid` names: only did:key URLs, which need no resolution over the network. */
function keyOfKid(kid: string): { holder: string; jwk: JWK } {
  const did = kid.split('#')[0];
  if (!did.startsWith('did:key:')) {
    throw new OpenIdError('invalid_proof', 'kid must be a did:key URL (or send the key as jwk)');
  }
  const resolved = createDidKeyDocument(did, { publicKeyFormat: 'JsonWebKey', enableEncryptionKeyDerivation: false });
  if (resolved.error) throw new OpenIdError('invalid_proof', `kid: ${resolved.message}`);
  const methods = (resolved.document.verificationMethod ?? []) as Json[];
  const method = methods.find((vm) => vm.id === kid || (!kid.includes('#') && vm.id === `${did}#${did.slice(8)}`));
  if (!method?.publicKeyJwk) throw new OpenIdError('invalid_proof', 'kid names no key of that did:key');
  return { holder: did, jwk: publicJwk(method.publicKeyJwk as Json) };
}

/** Verifies one proof JWT; throws `invalid_proof` (OID4VCI §8.3.1.2) for anything wrong with it. */
export async function verifyProofJwt(jwt: unknown, options: VerifyProofOptions): Promise<VerifiedProof> {
  if (typeof jwt !== 'string' || jwt.length > 8192) throw new OpenIdError('invalid_proof', 'jwt must be a compact JWT');
  let header: Json;
  try {
    header = decodeProtectedHeader(jwt) as Json;
  } catch {
    throw new OpenIdError('invalid_proof', 'jwt is not a compact JWS');
  }
  if (header.typ !== PROOF_JWT_TYPE) throw new OpenIdError('invalid_proof', `typ must be ${PROOF_JWT_TYPE}`);
  if (!PROOF_ALGORITHMS.includes(header.alg as never)) {
    throw new OpenIdError('invalid_proof', `alg must be one of ${PROOF_ALGORITHMS.join(', ')}`);
  }
  // F.1: exactly one of kid, jwk, x5c (x5c is not supported here).
  const named = ['kid', 'jwk', 'x5c'].filter((k) => header[k] !== undefined);
  if (named.length !== 1 || named[0] === 'x5c') {
    throw new OpenIdError('invalid_proof', 'the proof header must name the key by exactly one of kid (did:key) or jwk');
  }
  let holder: string;
  let jwk: JWK;
  if (typeof header.kid === 'string') ({ holder, jwk } = keyOfKid(header.kid));
  else if (header.jwk && typeof header.jwk === 'object') {
    jwk = publicJwk(header.jwk as Json);
    holder = `did:jwk:${b64url(JSON.stringify(jwk))}`;
  } else throw new OpenIdError('invalid_proof', 'kid must be a string, jwk an object');
  if ((jwk.kty === 'OKP') !== (header.alg === 'EdDSA')) {
    throw new OpenIdError('invalid_proof', 'alg does not fit the key type');
  }
  let payload: Json;
  try {
    const key = await importJWK(jwk, header.alg as string);
    ({ payload } = await jwtVerify(jwt, key, {
      typ: PROOF_JWT_TYPE,
      audience: options.audience,
      algorithms: [header.alg as string],
      currentDate: options.now,
      clockTolerance: options.maxSkewSeconds ?? 300,
    }));
  } catch (error) {
    throw new OpenIdError('invalid_proof', `proof does not verify: ${(error as Error).message}`);
  }
  const skew = options.maxSkewSeconds ?? 300;
  const nowSeconds = options.now.getTime() / 1000;
  if (typeof payload.iat !== 'number' || Math.abs(nowSeconds - payload.iat) > skew) {
    throw new OpenIdError('invalid_proof', 'iat is missing or too far from now');
  }
  if (typeof payload.nonce !== 'string' || payload.nonce === '') {
    // §7.2: a nonce endpoint is offered, so the proof must carry its c_nonce.
    throw new OpenIdError('invalid_nonce', 'the proof carries no nonce from the nonce endpoint');
  }
  return { holder, nonce: payload.nonce };
}
