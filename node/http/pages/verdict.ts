/**
 * What a person is told about a verification report: one verdict and each
 * check in words. Built on the node's own tri-state `checks` (not on the
 * standard's `verified`, whose meaning follows VCALM), so that a revoked,
 * suspended, expired or unchecked credential is never shown as valid.
 */
import type { Check, CheckName, CheckStatus, VerificationReport } from '../../../registry/verification/report.ts';

export type Verdict = 'valid' | 'invalid' | 'unknown';

/** The checks a credential must pass to be called valid: its own integrity and status, and trust in its issuer. */
const VERDICT_CHECKS: readonly CheckName[] = ['schema', 'proof', 'issuer', 'validity', 'status', 'trust'];

export function verdictOf(report: Pick<VerificationReport, 'checks'>): Verdict {
  const byName = new Map(report.checks.map((c) => [c.name, c]));
  const statuses = VERDICT_CHECKS.map((name) => byName.get(name)?.status ?? 'unchecked');
  if (statuses.includes('failed')) return 'invalid';
  if (statuses.every((s) => s === 'ok')) return 'valid';
  return 'unknown';
}

export const VERDICT_WORDS: Record<Verdict, { title: string; summary: string }> = {
  valid: {
    title: 'Valid',
    summary: 'Genuine, unchanged, current, and from an issuer this node trusts.',
  },
  invalid: {
    title: 'Not valid',
    summary: 'Do not rely on this credential: a check below failed.',
  },
  unknown: {
    title: 'Could not be checked',
    summary: 'Nothing failed, but not everything could be checked. Do not treat it as valid yet.',
  },
};

export const CHECK_LABELS: Record<CheckName, string> = {
  schema: 'Format',
  proof: 'Signature',
  issuer: 'Issuer key',
  validity: 'Dates',
  status: 'Revocation and suspension',
  trust: 'Issuer accreditation',
  skills: 'Skills',
  recipient: 'Recipient',
};

const OK_WORDS: Partial<Record<CheckName, string>> = {
  schema: 'It is a well-formed credential.',
  proof: 'The signature is genuine: nothing has been changed since it was issued.',
  issuer: 'It was signed with a key that belongs to the issuer.',
  validity: 'It is within its validity dates.',
  status: 'The issuer has not revoked or suspended it.',
  trust: 'The issuer is accredited for this kind of credential in a network this node trusts.',
  skills: 'Its skills were found in published skill frameworks.',
  recipient: 'It was awarded to the person named.',
};

/** Plain words for the codes a person most often meets; the node's own message follows. */
const CODE_WORDS: Record<string, string> = {
  REVOKED: 'The issuer has revoked this credential.',
  SUSPENDED: 'The issuer has suspended this credential.',
  EXPIRED: 'This credential has expired.',
  NOT_YET_VALID: 'This credential is not valid yet.',
  JWT_EXPIRED: "The credential's signature has expired.",
  JWT_NOT_YET_VALID: "The credential's signature is not valid yet.",
  INVALID_SIGNATURE: 'The signature does not match: the credential was changed after it was issued, or forged.',
  NO_PROOF: 'The credential is not signed.',
  UNSUPPORTED_PROOF: 'It is signed in a way this node cannot check.',
  KEY_UNRESOLVED: "The issuer's key could not be found, so the signature could not be checked.",
  DID_UNRESOLVABLE: "The issuer's identity could not be looked up.",
  ISSUER_KEY_MISMATCH: 'It was signed with a key that does not belong to the named issuer.',
  STATUS_LIST_UNCHECKED: 'Whether it was revoked could not be checked.',
  NOT_A_MEMBER: 'The issuer is not a member of any network this node follows.',
  NOT_ACCREDITED: 'The issuer is not accredited for this kind of credential.',
  MEMBER_SUSPENDED: 'The issuer was suspended by its network when this was issued.',
  MEMBER_REMOVED: 'The issuer had been removed from its network when this was issued.',
  ISSUANCE_VOIDED: "The issuer's network voided credentials issued at this time.",
  NO_TRUST_PATH: "The issuer's network is not recognized by the networks this node trusts.",
  NO_ANCHORS: 'This node trusts no network yet, so it cannot vouch for any issuer.',
  NO_TRUST_REGISTRY: 'This node has no trust registry.',
  PROOF_FAILED: 'The issuer could not be checked because the signature failed.',
  INVALID_SHAPE: 'This is not a well-formed credential.',
};

export const STATUS_WORDS: Record<CheckStatus, string> = {
  ok: 'passed',
  failed: 'failed',
  unchecked: 'not checked',
};

export function checkWords(check: Check): { label: string; sentence: string; detail?: string } {
  const label = CHECK_LABELS[check.name] ?? check.name;
  if (check.status === 'ok') return { label, sentence: OK_WORDS[check.name] ?? 'Passed.', detail: check.message };
  const sentence =
    (check.code && CODE_WORDS[check.code]) ??
    (check.status === 'failed' ? 'This check failed.' : 'This could not be checked.');
  return { label, sentence, detail: check.message };
}
