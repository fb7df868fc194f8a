/**
 * Renders a verification report for people at a terminal. A person is told VALID only when every check that
 * makes a credential valid passed: a revoked, suspended, expired or unchecked credential reads NOT VALID, even
 * where VCALM's `verified` (integrity only) is true (docs/decisions/0022).
 */
import { isValid, type VerificationReport } from '../../registry/verification/report.ts';

const MARK = { ok: '✔', failed: '✘', unchecked: '?' } as const;

export function formatReport(report: VerificationReport & { credentials?: VerificationReport[] }, indent = ''): string {
  const lines = [
    `${indent}${isValid(report) ? 'VALID' : 'NOT VALID'}${report.trusted ? ', TRUSTED' : ''}` +
      `${report.verified ? '' : ' (integrity check failed)'}` +
      (report.credentialId ? `  ${report.credentialId}` : ''),
    `${indent}issuer: ${report.issuer.did ?? '(unknown)'}${report.issuer.name ? ` (${report.issuer.name})` : ''}`,
  ];
  for (const check of report.checks) {
    const detail = [check.code, check.message].filter(Boolean).join(': ');
    lines.push(`${indent}  ${MARK[check.status]} ${check.name.padEnd(9)}${check.status.padEnd(10)}${detail}`);
  }
  // Failed checks are already listed above; the rest are notices (another key's proof, a skipped proof, …).
  for (const warning of report.warnings.filter((w) => !w.check)) lines.push(`${indent}  ! ${warning.detail}`);
  // How current a status read from the replica is (decision 0041).
  for (const n of report.freshness?.networks ?? []) {
    lines.push(
      `${indent}  replica of ${n.network}: ${n.lastSyncAt ? `synced ${n.lastSyncAt} (${n.ageSeconds} s ago)` : 'not synced since start'}`,
    );
  }
  for (const evidence of report.skills ?? []) {
    const { skill, alignment } = evidence;
    if (!skill) {
      lines.push(`${indent}  skill: ${alignment.targetName ?? alignment.targetUrl ?? '?'} (unresolved)`);
      continue;
    }
    lines.push(`${indent}  skill: ${skill.code ? `${skill.code} ` : ''}${skill.name}  [${skill.framework}]`);
    for (const e of evidence.equivalents ?? []) {
      lines.push(`${indent}    ${e.relation}: ${e.name ?? e.id}  [${e.framework ?? e.id}]`);
    }
  }
  for (const [i, credential] of (report.credentials ?? []).entries()) {
    lines.push(`${indent}credential ${i + 1}:`, formatReport(credential, `${indent}  `));
  }
  return lines.join('\n');
}
