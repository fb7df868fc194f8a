/**
 * The verification report (API.md): every check named, each `ok | failed |
 * unchecked`, so a caller can see exactly what was and was not established;
 * and the W3C VCALM result fields derived from them (docs/decisions/0022):
 * `verified`, `errors` and `warnings`, the latter two as RFC 9457 ProblemDetails.
 */
export type CheckName = 'schema' | 'proof' | 'issuer' | 'validity' | 'status' | 'trust' | 'skills' | 'recipient';
export type CheckStatus = 'ok' | 'failed' | 'unchecked';

export interface Check {
  name: CheckName;
  status: CheckStatus;
  /** A stable code for failed and unchecked results, e.g. REVOKED, EXPIRED. */
  code?: string;
  message?: string;
}

/**
 * RFC 9457 problem details as VCALM §Error Handling uses them. `type` is the spec's URL where a spec defines the
 * problem, else `urn:ler-node:problem:CODE`; `code` (our stable code) and `check` are extension members.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  detail: string;
  code: string;
  check?: CheckName;
}

/** A warning before it becomes ProblemDetails: something worth knowing that is not a failed check. */
export interface Notice {
  code: string;
  message: string;
}

export interface VerificationReport {
  /** VCALM: true when no error was found (integrity and data model, plus the checks the caller required). */
  verified: boolean;
  /** The issuer is accredited for this credential in a network reachable from the anchors, and it is valid. */
  trusted: boolean;
  checks: Check[];
  warnings: ProblemDetails[];
  errors: ProblemDetails[];
  /** Who the issuer is, from the registry (name, url, logo, every followed network listing it); `claimedName` is what the credential says. */
  issuer: {
    did: string | null;
    name?: string;
    url?: string;
    logo?: string;
    claimedName?: string;
    networks: Array<{ id: string; name?: string; status?: string; accreditations?: unknown[] }>;
  };
  trustPath?: string[];
  credentialId?: string;
  /** Each OB 3.0 alignment, resolved to a published skill (or `unresolved`), with its equivalents. */
  skills?: SkillEvidence[];
  /** CLR 2.0: the report of each AchievementCredential the ClrCredential nests, verified in its own right. */
  credentials?: VerificationReport[];
  /**
   * When a status came from this node's replica: how fresh the replica is (decision 0041). `current` is false
   * when no followed network listing the issuer completed a sync with a peer since `startedAt`.
   */
  freshness?: ReplicaFreshnessReport;
}

export interface ReplicaFreshnessReport {
  startedAt: string;
  current: boolean;
  networks: Array<{ network: string; lastSyncAt?: string; ageSeconds?: number }>;
}

export interface SkillEvidence {
  alignment: { targetName?: string; targetUrl?: string; targetCode?: string; targetFramework?: string };
  status: 'resolved' | 'unresolved';
  skill?: { id: string; name: string; code?: string; framework: string };
  /** The same skill in other frameworks, through crosswalks (each hop's crosswalk id and publisher). */
  equivalents?: Array<{
    id: string;
    name?: string;
    framework?: string;
    relation: string;
    crosswalks: Array<{ id: string; publisher?: string }>;
  }>;
}

/**
 * The checks a credential must pass to be *valid* for a person relying on it: integrity plus validity period and
 * status. A person-facing surface (CLI, web page) shows anything short of this as not valid, whatever the
 * standard's `verified` says; `trusted` requires them too.
 */
export const VALID_CHECKS: readonly CheckName[] = ['schema', 'proof', 'issuer', 'validity', 'status'];

/**
 * VCALM errors by default: cryptography, data model and malformed input, and the issuer relationship (a proof by a
 * key that is not the issuer's makes the issuer say nothing).
 */
export const INTEGRITY_CHECKS: readonly CheckName[] = ['schema', 'proof', 'issuer'];

/**
 * The issuer check's code for an issuer that is not a DID: the issuer relationship cannot be established, so the
 * check is unchecked, and by default a warning rather than an error (decision 0028); a caller that names `issuer`
 * in `options.checks` gets it as an error.
 */
export const ISSUER_NOT_DID = 'ISSUER_NOT_DID';
/** A status "not set" read from a replica that has not synced since the node started (decision 0041). */
export const STATUS_REPLICA_STALE = 'STATUS_REPLICA_STALE';

/** Always errors, whatever the caller's `options.checks` name: no credential is verified without them. */
export const ALWAYS_REQUIRED: readonly CheckName[] = ['schema', 'proof'];

/**
 * Whether every check that makes a credential valid (VALID_CHECKS) passed, and the recipient (OB 2.0, when the
 * caller named one) is not someone else.
 */
export function isValid(report: Pick<VerificationReport, 'checks'>): boolean {
  const byName = new Map(report.checks.map((c) => [c.name, c]));
  return (
    VALID_CHECKS.every((name) => byName.get(name)?.status === 'ok') && byName.get('recipient')?.status !== 'failed'
  );
}

export function ok(name: CheckName, message?: string): Check {
  return message ? { name, status: 'ok', message } : { name, status: 'ok' };
}
export function failed(name: CheckName, code: string, message: string): Check {
  return { name, status: 'failed', code, message };
}
export function unchecked(name: CheckName, code: string, message: string): Check {
  return { name, status: 'unchecked', code, message };
}

const VCDM = 'https://www.w3.org/TR/vc-data-model#';
const DI = 'https://w3id.org/security#';
const BSL = 'https://www.w3.org/ns/credentials/status-list#';

// Problem types the specs define (VC DM 2.0 §7.2, VC Data Integrity §4.7, Bitstring Status List §3.5).
const SPEC_TYPES: Record<string, string> = {
  INVALID_SHAPE: `${VCDM}MALFORMED_VALUE_ERROR`,
  INVALID_PRESENTATION: `${VCDM}MALFORMED_VALUE_ERROR`,
  MALFORMED_JWT: `${VCDM}MALFORMED_VALUE_ERROR`,
  ALG_NONE_REFUSED: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  ALG_NOT_ALLOWED: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  NO_PROOF: `${DI}PROOF_VERIFICATION_ERROR`,
  INVALID_SIGNATURE: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  UNSUPPORTED_PROOF: `${DI}PROOF_VERIFICATION_ERROR`,
  MALFORMED_PROOF: `${DI}PROOF_VERIFICATION_ERROR`,
  PROOF_PURPOSE_MISMATCH: `${DI}PROOF_VERIFICATION_ERROR`,
  PREVIOUS_PROOF_MISSING: `${DI}PROOF_VERIFICATION_ERROR`,
  PREVIOUS_PROOF_INVALID: `${DI}PROOF_VERIFICATION_ERROR`,
  KEY_UNRESOLVED: `${DI}PROOF_VERIFICATION_ERROR`,
  INVALID_CHALLENGE: `${DI}INVALID_CHALLENGE_ERROR`,
  INVALID_DOMAIN: `${DI}INVALID_DOMAIN_ERROR`,
  ISSUER_KEY_MISMATCH: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  OB2_INVALID: `${VCDM}MALFORMED_VALUE_ERROR`,
  OB2_KEY_INVALID: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  OB2_KEY_NOT_ISSUERS: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  OB2_HOSTED_MISMATCH: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  HOLDER_KEY_MISMATCH: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  STATUS_LIST_UNAVAILABLE: `${BSL}STATUS_RETRIEVAL_ERROR`,
  STATUS_LIST_URL_INVALID: `${BSL}STATUS_RETRIEVAL_ERROR`,
  STATUS_LIST_URL_REFUSED: `${BSL}STATUS_RETRIEVAL_ERROR`,
  STATUS_LIST_INVALID: `${BSL}STATUS_VERIFICATION_ERROR`,
  STATUS_LIST_UNCHECKED: `${BSL}STATUS_VERIFICATION_ERROR`,
  STATUS_LIST_SIGNER_MISMATCH: `${BSL}STATUS_VERIFICATION_ERROR`,
};

export function problem(code: string, detail: string, check?: CheckName): ProblemDetails {
  return {
    type: SPEC_TYPES[code] ?? `urn:ler-node:problem:${code}`,
    title: code,
    detail,
    code,
    ...(check ? { check } : {}),
  };
}

function checkProblem(check: Check): ProblemDetails {
  return problem(check.code ?? 'UNKNOWN', `${check.name}: ${check.message ?? check.status}`, check.name);
}

/** Builds the report from checks in their fixed order. */
export function buildReport(options: {
  checks: Check[];
  warnings?: Notice[];
  /** Errors beyond the failed checks (e.g. an embedded credential that does not verify). */
  errors?: Notice[];
  /**
   * The checks whose failures are errors, when the caller chose them (`options.checks`); ALWAYS_REQUIRED are
   * added. Without it, INTEGRITY_CHECKS.
   */
  required?: readonly CheckName[];
  issuer: VerificationReport['issuer'];
  credentialId?: string;
  trustPath?: string[];
  skills?: SkillEvidence[];
  freshness?: ReplicaFreshnessReport;
}): VerificationReport {
  const { checks } = options;
  const asError = new Set<CheckName>(options.required ? [...ALWAYS_REQUIRED, ...options.required] : INTEGRITY_CHECKS);
  const notOk = checks.filter((c) => c.status !== 'ok');
  // The recipient check fails only against an identity the caller gave: it asked, so a mismatch is an error; without
  // one it is unchecked, a warning (an OB 2.0 badge says whom it was awarded to, not who presents it).
  const isError = (c: Check) =>
    c.name === 'recipient'
      ? c.status === 'failed'
      : asError.has(c.name) && !(c.code === ISSUER_NOT_DID && !options.required?.includes('issuer'));
  const errors = [
    ...notOk.filter(isError).map(checkProblem),
    ...(options.errors ?? []).map((n) => problem(n.code, n.message)),
  ];
  const warnings = [
    ...notOk.filter((c) => !isError(c)).map(checkProblem),
    ...(options.warnings ?? []).map((n) => problem(n.code, n.message)),
  ];
  const verified = errors.length === 0;
  const trusted = verified && isValid({ checks }) && checks.find((c) => c.name === 'trust')?.status === 'ok';
  return {
    verified,
    trusted,
    checks,
    warnings,
    errors,
    issuer: options.issuer,
    ...(options.trustPath ? { trustPath: options.trustPath } : {}),
    ...(options.credentialId ? { credentialId: options.credentialId } : {}),
    ...(options.skills ? { skills: options.skills } : {}),
    ...(options.freshness ? { freshness: options.freshness } : {}),
  };
}
