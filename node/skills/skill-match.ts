/**
 * Which required skills a set of verification reports evidences: only verified,
 * trusted credentials count; direct evidence beats a crosswalk, and a closer
 * relation beats a looser one. Used by `/skills/match` and OID4VP results.
 */
import type { VerificationReport } from '../../registry/verification/report.ts';
import type { SkillCatalog } from './skill-catalog.ts';

const RANK: Record<string, number> = { exactMatch: 0, closeMatch: 1, broadMatch: 2, narrowMatch: 2 };

export function matchSkills(
  reports: VerificationReport[],
  required: string[],
  equivalents: SkillCatalog['equivalents'],
): { matches: Record<string, unknown>[]; ignored: Array<{ credential?: string; reason: string }> } {
  const counted = reports.filter((r) => r.verified && r.trusted);
  // All crosswalks count here, not only those into preferred frameworks.
  const evidenced = counted.flatMap((report) =>
    (report.skills ?? []).flatMap((e) =>
      e.skill ? [{ credential: report.credentialId, skill: e.skill.id, equivalents: equivalents(e.skill.id) }] : [],
    ),
  );
  const matches = required.map((skill) => {
    const direct = evidenced.find((e) => e.skill === skill);
    if (direct) return { skill, evidenced: true, credential: direct.credential, via: 'direct' };
    const viaCrosswalk = evidenced
      .flatMap((e) => e.equivalents.filter((q) => q.id === skill).map((q) => ({ ...e, equivalent: q })))
      .sort((a, b) => RANK[a.equivalent.relation] - RANK[b.equivalent.relation])[0];
    if (!viaCrosswalk) return { skill, evidenced: false };
    return {
      skill,
      evidenced: true,
      credential: viaCrosswalk.credential,
      via: 'crosswalk',
      from: viaCrosswalk.skill,
      relation: viaCrosswalk.equivalent.relation,
      crosswalks: viaCrosswalk.equivalent.crosswalks,
    };
  });
  return {
    matches,
    ignored: reports
      .filter((r) => !(r.verified && r.trusted))
      .map((r) => ({
        credential: r.credentialId,
        // Every check that kept it out (a revocation is a VCALM warning, not an error, but it counts here).
        reason:
          r.checks
            .filter((k) => k.status !== 'ok' && k.name !== 'skills')
            .map((k) => k.code)
            .join(', ') || 'not trusted',
      })),
  };
}
