/**
 * What a JOSE-secured credential the node issues consists of, without I/O or keys: the protected header and the
 * claims of a VC 2.0 `application/vc+jwt` (W3C VC-JOSE-COSE §3.1.1: the payload is the credential) or of a VC 1.1
 * JWT (`jwt_vc_json`, VC Data Model 1.1 §6.3.1 "JWT Encoding": the credential in `vc`, with the registered claims
 * standing for its properties), and the EnvelopedVerifiableCredential (VC DM 2.0 §4.13) that carries a vc+jwt in
 * JSON. The verifier (vc-jwt.ts) reads exactly these shapes back.
 */
import type { JwtFormat } from './vc-jwt.ts';

type Json = Record<string, unknown>;

export const JWT_FORMATS: readonly JwtFormat[] = ['vc+jwt', 'jwt_vc_json'];
/** The algorithms the node signs JWTs with: its Ed25519 key (EdDSA) or its P-256 key (ES256, decision 0021). */
export const JWT_SIGNING_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type JwtSigningAlgorithm = (typeof JWT_SIGNING_ALGORITHMS)[number];

export function isJwtFormat(value: unknown): value is JwtFormat {
  return JWT_FORMATS.includes(value as JwtFormat);
}

const seconds = (dateTime: unknown) =>
  typeof dateTime === 'string' && !Number.isNaN(Date.parse(dateTime))
    ? Math.floor(Date.parse(dateTime) / 1000)
    : undefined;

function idOf(value: unknown): string | undefined {
  const id = value && typeof value === 'object' && !Array.isArray(value) ? (value as Json).id : value;
  return typeof id === 'string' ? id : undefined;
}

/**
 * The header and payload that secure `credential` in `format`, signed by `kid` with `alg`. For VC 1.1 the
 * properties stay in `vc` too ("instead of, or in addition to", §6.3.1), so a reader of either finds them.
 */
export function jwtCredentialParts(
  credential: Json,
  format: JwtFormat,
  key: { alg: JwtSigningAlgorithm; kid: string },
): { header: Json; payload: Json } {
  if (format === 'vc+jwt') {
    return { header: { alg: key.alg, kid: key.kid, typ: 'vc+jwt', cty: 'vc' }, payload: credential };
  }
  const subjects = Array.isArray(credential.credentialSubject)
    ? credential.credentialSubject
    : [credential.credentialSubject];
  // sub stands for one subject's id: with several subjects there is no one value to give it.
  const sub = subjects.length === 1 ? idOf(subjects[0]) : undefined;
  const claims: Json = {
    iss: idOf(credential.issuer),
    nbf: seconds(credential.issuanceDate),
    exp: seconds(credential.expirationDate),
    jti: typeof credential.id === 'string' ? credential.id : undefined,
    sub,
  };
  const payload: Json = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
  payload.vc = credential;
  return { header: { alg: key.alg, kid: key.kid, typ: 'JWT' }, payload };
}

/** VC DM 2.0 §4.13: a vc+jwt carried in JSON (what the VC API and presentations hold). */
export function envelopedCredential(jwt: string): Json {
  return {
    '@context': 'https://www.w3.org/ns/credentials/v2',
    id: `data:application/vc+jwt,${jwt}`,
    type: 'EnvelopedVerifiableCredential',
  };
}
