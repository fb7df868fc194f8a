/** The validity period check (VC 2.0 §4.9 validFrom/validUntil; VC 1.1 issuanceDate/expirationDate). */
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
