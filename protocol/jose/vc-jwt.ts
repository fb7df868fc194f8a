/**
 * JOSE-secured credentials, read and checked without I/O: VC 2.0 secured with JOSE (W3C VC-JOSE-COSE §3.1,
 * `application/vc+jwt`: the JWT payload is the credential) and VC 1.1 JWTs (VC Data Model 1.1 §6.3.1,
 * `jwt_vc_json`: the credential is the `vc` claim, with `iss`, `nbf`, `exp`, `jti` and `sub` standing for its
 * properties). The signature is checked by `jose` with the key of the verification method the header's `kid`
 * names, found in DID documents the caller resolved; that the key is the issuer's is the caller's issuer check.
 */
import { compactVerify, decodeProtectedHeader, importJWK, type JWK, type ProtectedHeaderParameters } from 'jose';
import { base58btc } from 'multiformats/bases/base58';
import { resolveDidKeyDocument } from '../signing/did-key.ts';
import type { ProofsResult } from '../signing/verify-proofs.ts';

type Json = Record<string, unknown>;

/** Media types of a JOSE-secured credential in an EnvelopedVerifiableCredential's `data:` URL (VC DM 2.0 §4.13). */
const ENVELOPE_MEDIA_TYPES = new Set(['application/vc+jwt', 'application/vc-ld+jwt', 'application/jwt']);
// `typ` values of the formats read here: VC-JOSE-COSE's (and its drafts'), and RFC 7519's for VC 1.1 JWTs.
const VC2_TYPES = new Set(['vc+jwt', 'application/vc+jwt', 'vc+ld+jwt', 'application/vc+ld+jwt']);
const VC11_TYPES = new Set(['JWT', 'jwt', 'application/jwt']);
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The one algorithm each key type is used with here: asymmetric signatures only, never `none` or an HMAC. */
function algorithmsFor(jwk: JWK): string[] {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return ['EdDSA', 'Ed25519'];
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return ['ES256'];
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return ['ES384'];
  return [];
}

export type JwtFormat = 'vc+jwt' | 'jwt_vc_json';

export interface OpenedJwt {
  jwt: string;
  format: JwtFormat;
  header: ProtectedHeaderParameters;
  /** The credential as the data model sees it (for VC 1.1, with the registered claims mapped in). */
  credential: Json;
  /** The absolute DID URL of the key that must have signed it. */
  verificationMethod?: string;
  /** VC 2.0 vc+jwt: the signature's lifetime, `exp` and `nbf` (VC-JOSE-COSE §3.1.1), apart from validFrom/validUntil. */
  signatureLifetime?: { exp?: number; nbf?: number };
}

export class JwtCredentialError extends Error {
  readonly code = 'MALFORMED_JWT';
  constructor(message: string) {
    super(message);
    this.name = 'JwtCredentialError';
  }
}

function isObject(value: unknown): value is Json {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The compact JWT a credential is secured with, when it is one: a JWT string, or an EnvelopedVerifiableCredential
 * whose `id` is a `data:` URL of a JWT media type. Undefined for anything else (e.g. a Data Integrity credential).
 */
export function securedJwtOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (!isObject(value) || typeof value.id !== 'string') return undefined;
  const types = Array.isArray(value.type) ? value.type : [value.type];
  if (!types.includes('EnvelopedVerifiableCredential')) return undefined;
  const match = /^data:([^,;]+)(;[^,]*)?,(.*)$/s.exec(value.id);
  if (!match || !ENVELOPE_MEDIA_TYPES.has(match[1]) || match[2]) return undefined;
  return decodeURIComponent(match[3]).trim();
}

function decodeJson(segment: string, what: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new JwtCredentialError(`the JWT ${what} is not JSON`);
  }
  if (!isObject(value)) throw new JwtCredentialError(`the JWT ${what} is not a JSON object`);
  return value;
}

function seconds(value: unknown, claim: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new JwtCredentialError(`${claim} is not a NumericDate`);
  return value;
}

const iso = (s: number) => new Date(Math.floor(s) * 1000).toISOString().replace('.000Z', 'Z');

/** A claim and the property it stands for must agree (VC DM 1.1 §6.3.1: either may be present, not both differing). */
function agree(credential: Json, property: string, value: string | undefined, claim: string, compare = same): void {
  if (value === undefined) return;
  const present = credential[property];
  if (present === undefined || present === '') credential[property] = value;
  else if (!compare(present, value)) throw new JwtCredentialError(`the ${claim} claim does not match ${property}`);
}
function same(a: unknown, b: string): boolean {
  return a === b;
}
function sameSecond(a: unknown, b: string): boolean {
  return typeof a === 'string' && Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);
}

/** VC DM 1.1 §6.3.1 "JWT Decoding": the credential the `vc` claim and the registered claims describe together. */
function credentialOfVc11(payload: Json): Json {
  if (!isObject(payload.vc)) throw new JwtCredentialError('a VC 1.1 JWT carries the credential in its vc claim');
  const credential: Json = structuredClone(payload.vc);
  const iss = payload.iss;
  if (iss !== undefined) {
    if (typeof iss !== 'string') throw new JwtCredentialError('iss is not a string');
    if (isObject(credential.issuer)) {
      if (credential.issuer.id !== iss) throw new JwtCredentialError('the iss claim does not match issuer');
    } else agree(credential, 'issuer', iss, 'iss');
  }
  const nbf = seconds(payload.nbf, 'nbf');
  const exp = seconds(payload.exp, 'exp');
  agree(credential, 'issuanceDate', nbf === undefined ? undefined : iso(nbf), 'nbf', sameSecond);
  agree(credential, 'expirationDate', exp === undefined ? undefined : iso(exp), 'exp', sameSecond);
  if (payload.jti !== undefined) {
    if (typeof payload.jti !== 'string') throw new JwtCredentialError('jti is not a string');
    agree(credential, 'id', payload.jti, 'jti');
  }
  if (payload.sub !== undefined) {
    if (typeof payload.sub !== 'string') throw new JwtCredentialError('sub is not a string');
    const subject = credential.credentialSubject;
    if (isObject(subject)) {
      if (subject.id === undefined) subject.id = payload.sub;
      else if (subject.id !== payload.sub)
        throw new JwtCredentialError('the sub claim does not match credentialSubject.id');
    }
  }
  return credential;
}

function issuerOf(credential: Json): string | undefined {
  const issuer = isObject(credential.issuer) ? credential.issuer.id : credential.issuer;
  return typeof issuer === 'string' ? issuer : undefined;
}

/**
 * The absolute DID URL `kid` names: relative to the issuer's DID, or (did:key, did:jwk, no kid) the issuer's only
 * key, whose id those methods fix (`#<multibase>`, `#0`).
 */
function keyIdOf(header: ProtectedHeaderParameters, issuer: string | undefined): string | undefined {
  const kid = header.kid;
  if (typeof kid === 'string' && kid.startsWith('did:')) return kid;
  // 1EdTech's convention: a kid that is an https URL in the issuer's controller document (decision 0035).
  if (typeof kid === 'string' && kid.startsWith('https:') && kid.includes('#')) return kid;
  if (typeof kid === 'string' && kid.startsWith('#') && issuer?.startsWith('https:')) return `${issuer}${kid}`;
  if (typeof kid === 'string' && kid.startsWith('#') && issuer?.startsWith('did:')) return `${issuer}${kid}`;
  if (kid === undefined && issuer?.startsWith('did:key:')) return `${issuer}#${issuer.slice('did:key:'.length)}`;
  if (kid === undefined && issuer?.startsWith('did:jwk:')) return `${issuer}#0`;
  return undefined;
}

/**
 * Reads a compact JWT as a credential, checking its form but not its signature. Throws JwtCredentialError
 * (MALFORMED_JWT) for what is no JWT-secured credential at all.
 */
export function openJwtCredential(jwt: string): OpenedJwt {
  if (!COMPACT.test(jwt)) throw new JwtCredentialError('not a compact JWS (three base64url parts)');
  const [headerPart, payloadPart] = jwt.split('.');
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw new JwtCredentialError('the JWT header is not a JSON object');
  }
  decodeJson(headerPart, 'header');
  const payload = decodeJson(payloadPart, 'payload');
  const typ = header.typ;
  if (typ !== undefined && !VC2_TYPES.has(typ) && !VC11_TYPES.has(typ)) {
    throw new JwtCredentialError(`unexpected typ ${String(typ)}`);
  }
  // VC-JOSE-COSE: the payload is the credential; VC 1.1: the credential is the vc claim.
  const vc2 = (typ !== undefined && VC2_TYPES.has(typ)) || (payload.vc === undefined && '@context' in payload);
  const credential = vc2 ? payload : credentialOfVc11(payload);
  if (vc2 && typeof payload.iss === 'string' && payload.iss !== issuerOf(payload)) {
    throw new JwtCredentialError('the iss claim does not match issuer');
  }
  const verificationMethod = keyIdOf(header, issuerOf(credential));
  // For VC 1.1 the claims became issuanceDate/expirationDate above; for VC 2.0 they bound the signature only.
  const exp = vc2 ? seconds(payload.exp, 'exp') : undefined;
  const nbf = vc2 ? seconds(payload.nbf, 'nbf') : undefined;
  return {
    jwt,
    format: vc2 ? 'vc+jwt' : 'jwt_vc_json',
    header,
    credential,
    ...(verificationMethod ? { verificationMethod } : {}),
    ...(exp !== undefined || nbf !== undefined
      ? {
          signatureLifetime: {
            ...(exp !== undefined ? { exp } : {}),
            ...(nbf !== undefined ? { nbf } : {}),
          },
        }
      : {}),
  };
}

function listsMethod(document: Json, relationship: string, id: string): boolean {
  const value = document[relationship];
  return (Array.isArray(value) ? value : [value]).some((m) => m === id || (isObject(m) && m.id === id));
}

function methodIn(document: Json, id: string): Json | undefined {
  for (const relationship of ['verificationMethod', 'assertionMethod']) {
    const value = document[relationship];
    for (const m of Array.isArray(value) ? value : []) if (isObject(m) && m.id === id) return m;
  }
  return undefined;
}

/** The public JWK of a verification method: JsonWebKey, Multikey or the 2018/2020 Ed25519 types. */
function publicJwkOf(method: Json): JWK | undefined {
  if (isObject(method.publicKeyJwk)) {
    const { d: _private, ...jwk } = method.publicKeyJwk as JWK;
    return jwk;
  }
  let multibase = typeof method.publicKeyMultibase === 'string' ? method.publicKeyMultibase : undefined;
  if (!multibase && typeof method.publicKeyBase58 === 'string' && method.type === 'Ed25519VerificationKey2018') {
    try {
      multibase = base58btc.encode(Uint8Array.from([0xed, 0x01, ...base58btc.baseDecode(method.publicKeyBase58)]));
    } catch {
      return undefined;
    }
  }
  if (!multibase) return undefined;
  // A multicodec-prefixed key is a did:key identifier: its resolution gives the JWK (and checks the point).
  const resolved = resolveDidKeyDocument(`did:key:${multibase}`, { publicKeyFormat: 'JsonWebKey' });
  const vm = (resolved.document?.verificationMethod as Json[] | undefined)?.[0];
  return isObject(vm?.publicKeyJwk) ? (vm.publicKeyJwk as JWK) : undefined;
}

/**
 * Checks the JWT's signature with its verification method's key, from `didDocuments` (keyed by DID), as a proof
 * result: `alg: none` (ALG_NONE_REFUSED), an algorithm that is not the key's (ALG_NOT_ALLOWED), a key not listed
 * for assertions (PROOF_PURPOSE_MISMATCH) and a bad signature (INVALID_SIGNATURE) each fail with their code.
 */
export async function verifyJwtCredential(opened: OpenedJwt, didDocuments: Json): Promise<ProofsResult> {
  const alg = String(opened.header.alg);
  const suite = `${opened.format} ${alg}`;
  const vmId = opened.verificationMethod;
  const fail = (code: NonNullable<ProofsResult['proofs'][number]['code']>, error: string, unresolvedKey = false) => ({
    verified: false,
    proofs: [{ suite, verified: false, code, error, ...(vmId ? { verificationMethod: vmId } : {}), unresolvedKey }],
  });
  if (alg.toLowerCase() === 'none') return fail('ALG_NONE_REFUSED', 'an unsecured JWT (alg none) proves nothing');
  if (!vmId) return fail('MALFORMED_JWT', 'the JWT names no key (kid) of its issuer');
  const did = vmId.split('#')[0];
  const document = Object.hasOwn(didDocuments, did) ? didDocuments[did] : undefined;
  if (!isObject(document)) return fail('KEY_UNRESOLVED', `${did} did not resolve`, true);
  const method = methodIn(document, vmId);
  if (!method) return fail('KEY_UNRESOLVED', `${vmId} is not in the DID document of ${did}`, true);
  if (!listsMethod(document, 'assertionMethod', vmId)) {
    return fail('PROOF_PURPOSE_MISMATCH', `${vmId} is not an assertion method of ${did}`);
  }
  if (typeof method.controller === 'string' && method.controller !== did) {
    return fail('PROOF_PURPOSE_MISMATCH', `${vmId} is controlled by ${method.controller}, not ${did}`);
  }
  const jwk = publicJwkOf(method);
  if (!jwk) return fail('KEY_UNRESOLVED', `${vmId}: no usable public key`, true);
  const allowed = algorithmsFor(jwk);
  if (!allowed.includes(alg)) {
    return fail('ALG_NOT_ALLOWED', `alg ${alg} is not the algorithm of ${vmId} (${allowed.join(', ') || 'none'})`);
  }
  try {
    const key = await importJWK({ ...jwk, alg: undefined }, alg);
    // crit parameters jose does not know are refused by compactVerify (RFC 7515 §4.1.11).
    await compactVerify(opened.jwt, key, { algorithms: [alg] });
  } catch (error) {
    return fail('INVALID_SIGNATURE', (error as Error).message || 'the signature does not verify');
  }
  return { verified: true, proofs: [{ suite, verified: true, verificationMethod: vmId }] };
}
