/**
 * Counts every verification the node does, whichever edge asked (VC API, web
 * pages, OID4VP, VCALM exchanges, skill matching): a wrapper over the one
 * verifier. Outcome follows the person-facing rule (decision 0022): `valid`
 * only when verified and every validity check is ok; revoked, expired or
 * unchecked is `not_valid`; an integrity or data-model error is `failed`.
 */
import { securedJwtOf } from '../../protocol/jose/vc-jwt.ts';
import { CRYPTOSUITES } from '../../protocol/signing/cryptosuite-names.ts';
import { isValid, type VerificationReport } from '../../registry/verification/report.ts';
import type { CredentialVerifier } from '../verification/verifier.ts';
import type { NodeMetrics, VerificationKind } from './metrics.ts';

/** Suites named as themselves; anything else a caller sends is `other`, so labels stay a fixed set. */
const KNOWN_SUITES: ReadonlySet<string> = new Set([...CRYPTOSUITES, 'ecdsa-sd-2023']);

/** The suite of a document's first proof: `vc-jwt` for a JOSE-secured credential, `none` without a proof. */
export function cryptosuiteOf(document: unknown): string {
  if (securedJwtOf(document) !== undefined) return 'vc-jwt';
  if (!document || typeof document !== 'object') return 'none';
  const proofs = (document as { proof?: unknown }).proof;
  const first = (Array.isArray(proofs) ? proofs[0] : proofs) as Record<string, unknown> | undefined;
  if (!first || typeof first !== 'object') return 'none';
  const name = first.type === 'DataIntegrityProof' ? first.cryptosuite : first.type;
  return typeof name === 'string' && KNOWN_SUITES.has(name) ? name : 'other';
}

function outcomeOf(report: VerificationReport) {
  if (!report.verified) return 'failed' as const;
  return isValid(report) ? ('valid' as const) : ('not_valid' as const);
}

export function withVerificationMetrics(
  verifier: CredentialVerifier,
  metrics: Pick<NodeMetrics, 'verification'>,
): CredentialVerifier {
  const count = (kind: VerificationKind, document: unknown, report: VerificationReport) =>
    metrics.verification(kind, outcomeOf(report), cryptosuiteOf(document));
  return {
    async verifyCredential(credential, options) {
      const report = await verifier.verifyCredential(credential, options);
      count('credential', credential, report);
      return report;
    },
    async verifyCredentials(credentials, options) {
      const reports = await verifier.verifyCredentials(credentials, options);
      for (const [i, report] of reports.entries()) count('credential', credentials[i], report);
      return reports;
    },
    async verifyPresentation(presentation, options) {
      const report = await verifier.verifyPresentation(presentation, options);
      count('presentation', presentation, report);
      const inner = (presentation as { verifiableCredential?: unknown } | null)?.verifiableCredential;
      const credentials = Array.isArray(inner) ? inner : inner === undefined ? [] : [inner];
      for (const [i, r] of (report.credentials ?? []).entries()) count('credential', credentials[i], r);
      return report;
    },
  };
}
