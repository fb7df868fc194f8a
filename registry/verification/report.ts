/**
 * The verification report (API.md): every check named, each `ok | failed |
 * unchecked`, so a caller can see exactly what was and was not established.
 */
export type CheckName = 'schema' | 'proof' | 'issuer' | 'validity' | 'status' | 'trust' | 'skills';
export type CheckStatus = 'ok' | 'failed' | 'unchecked';

export interface Check {
  name: CheckName;
  status: CheckStatus;
  /** A stable code for failed and unchecked results, e.g. REVOKED, EXPIRED. */
  code?: string;
  message?: string;
}

export interface VerificationReport {
  verified: boolean;
  trusted: boolean;
  checks: Check[];
  warnings: string[];
  errors: Array<{ code: string; message: string }>;
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

/** The checks that make up `verified` (API.md): trust and skills stand apart. */
export const VERIFIED_CHECKS: readonly CheckName[] = ['schema', 'proof', 'issuer', 'validity', 'status'];

export function ok(name: CheckName, message?: string): Check {
  return message ? { name, status: 'ok', message } : { name, status: 'ok' };
}
export function failed(name: CheckName, code: string, message: string): Check {
  return { name, status: 'failed', code, message };
}
export function unchecked(name: CheckName, code: string, message: string): Check {
  return { name, status: 'unchecked', code, message };
}

/** Builds the report from checks in their fixed order. */
export function buildReport(options: {
  checks: Check[];
  warnings?: string[];
  issuer: VerificationReport['issuer'];
  credentialId?: string;
  trustPath?: string[];
  skills?: SkillEvidence[];
}): VerificationReport {
  const { checks } = options;
  const byName = new Map(checks.map((c) => [c.name, c]));
  const verified = VERIFIED_CHECKS.every((name) => byName.get(name)?.status === 'ok');
  const trusted = verified && byName.get('trust')?.status === 'ok';
  return {
    verified,
    trusted,
    checks,
    warnings: options.warnings ?? [],
    errors: checks
      .filter((c) => c.status !== 'ok')
      .map((c) => ({ code: c.code ?? 'UNKNOWN', message: `${c.name}: ${c.message ?? c.status}` })),
    issuer: options.issuer,
    ...(options.trustPath ? { trustPath: options.trustPath } : {}),
    ...(options.credentialId ? { credentialId: options.credentialId } : {}),
    ...(options.skills ? { skills: options.skills } : {}),
  };
}
