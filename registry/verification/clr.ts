/**
 * CLR 2.0 (1EdTech Comprehensive Learner Record 2.0, §8 Verification): a ClrCredential carries the
 * AchievementCredentials it summarizes in `credentialSubject.verifiableCredential`, each signed by its own
 * issuer. The CLR's proof vouches for the CLR issuer's copy of them, not for their issuers: each is verified in
 * its own right and reported beside the CLR. Pure: the coordinator verifies them.
 */
import { asArray } from './credential-shape.ts';
import type { Notice, VerificationReport } from './report.ts';
import { isValid } from './report.ts';

type Json = Record<string, unknown>;

/** The credentials a ClrCredential nests (JSON or JOSE-secured), or none for any other credential. */
export function nestedCredentialsOf(document: Json, types: readonly string[]): unknown[] {
  if (!types.includes('ClrCredential')) return [];
  const subject = asArray(document.credentialSubject as unknown)[0];
  if (!subject || typeof subject !== 'object') return [];
  return asArray((subject as Json).verifiableCredential as unknown);
}

/** A warning on the CLR for each nested credential that does not verify or is not valid (revoked, expired…). */
export function nestedNotices(reports: readonly VerificationReport[]): Notice[] {
  return reports.flatMap((report, i) => {
    const which = `nested credential ${i + 1}${report.credentialId ? ` (${report.credentialId})` : ''}`;
    if (!report.verified) {
      return [
        {
          code: 'NESTED_CREDENTIAL_NOT_VERIFIED',
          message: `${which} does not verify: ${report.errors.map((e) => e.code).join(', ')}`,
        },
      ];
    }
    if (!isValid(report)) {
      const notOk = report.checks.filter((c) => c.status !== 'ok' && c.name !== 'trust' && c.name !== 'skills');
      return [
        {
          code: 'NESTED_CREDENTIAL_NOT_VALID',
          message: `${which} is not valid: ${notOk.map((c) => c.code).join(', ')}`,
        },
      ];
    }
    return [];
  });
}
