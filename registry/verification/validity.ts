/**
 * The validity period check (VC 2.0 §4.9 validFrom/validUntil; VC 1.1 issuanceDate/expirationDate), and for a
 * VC 2.0 vc+jwt the lifetime of its signature (`exp`, `nbf`).
 */
import type { CredentialShape } from './credential-shape.ts';
import { type Check, failed, ok } from './report.ts';

export function checkValidity(shape: CredentialShape, now: Date): Check {
  if (shape.validFrom && Date.parse(shape.validFrom) > now.getTime()) {
    return failed('validity', 'NOT_YET_VALID', `not valid before ${shape.validFrom}`);
  }
  if (shape.validUntil && Date.parse(shape.validUntil) < now.getTime()) {
    return failed('validity', 'EXPIRED', `expired at ${shape.validUntil}`);
  }
  return ok('validity', shape.validUntil ? `valid until ${shape.validUntil}` : 'no expiry');
}

/** The NumericDate claims that bound a JWT's signature (RFC 7519 §4.1.4, §4.1.5), in seconds. */
export interface SignatureLifetime {
  exp?: number;
  nbf?: number;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/**
 * The validity check of a VC 2.0 vc+jwt: its data's validity period, then its signature's lifetime. VC-JOSE-COSE
 * §3.1.1 makes `exp` the expiration of the signature, apart from validUntil; RFC 7519 §4.1.4/§4.1.5 say the JWT
 * must not be accepted after `exp` or before `nbf`. Either way the credential is not valid now, which is what
 * this check says (a warning under VCALM, NOT VALID for people), with its own code so the two are told apart.
 */
export function checkJwtValidity(shape: CredentialShape, lifetime: SignatureLifetime, now: Date): Check {
  const period = checkValidity(shape, now);
  if (period.status !== 'ok') return period;
  const seconds = now.getTime() / 1000;
  if (lifetime.nbf !== undefined && lifetime.nbf > seconds) {
    return failed('validity', 'JWT_NOT_YET_VALID', `the JWT is not to be accepted before ${iso(lifetime.nbf)} (nbf)`);
  }
  if (lifetime.exp !== undefined && lifetime.exp <= seconds) {
    return failed('validity', 'JWT_EXPIRED', `the JWT's signature expired at ${iso(lifetime.exp)} (exp)`);
  }
  return lifetime.exp === undefined
    ? period
    : ok('validity', `${period.message}; the JWT's signature until ${iso(lifetime.exp)}`);
}
