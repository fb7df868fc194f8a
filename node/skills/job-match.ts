/**
 * Job match: which required skills do verified, trusted credentials evidence,
 * and how (directly, or through a crosswalk)? One service for the JSON API
 * (POST /skills/match), OID4VP presentation results and the skills page.
 */
import type { VerificationReport } from '../../registry/verification/report.ts';
import type { SkillCatalog } from './skill-catalog.ts';

export interface SkillMatch {
  skill: string;
  evidenced: boolean;
  credential?: string;
  via?: 'direct' | 'crosswalk';
  from?: string;
  relation?: string;
  crosswalks?: Array<{ id: string; publisher?: string }>;
}

export interface MatchResult {
  matches: SkillMatch[];
  ignored: Array<{ credential?: string; reason: string }>;
}

const RANK: Record<string, number> = { exactMatch: 0, closeMatch: 1, broadMatch: 2, narrowMatch: 2 };

export function matchSkills(
  skills: Pick<SkillCatalog, 'equivalents'>,
  required: string[],
  reports: VerificationReport[],
): MatchResult {
  const counted = reports.filter((r) => r.verified && r.trusted);
  // The skills each counted credential evidences, resolved: direct evidence beats a crosswalk, and a closer
  // relation beats a looser one. All crosswalks count here, not only those into preferred frameworks.
  const evidenced = counted.flatMap((report) =>
    (report.skills ?? []).flatMap((e) =>
      e.skill
        ? [{ credential: report.credentialId, skill: e.skill.id, equivalents: skills.equivalents(e.skill.id) }]
        : [],
    ),
  );
  const matches = required.map((skill): SkillMatch => {
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
