/**
 * The skills check: each Open Badges 3.0 alignment of a credential resolved to
 * a published framework item (by targetUrl, else by framework and code), with
 * its equivalents through crosswalks (limited to the verifier's preferred
 * frameworks when it has any). Unresolved alignments make the check
 * `unchecked`; an alignment to a framework the issuer's accreditation does not
 * cover is a warning. Skills never affect `verified`.
 */
import type { Accreditation } from '../../registry/types.ts';
import { asArray } from '../../registry/verification/credential-shape.ts';
import { type Check, type Notice, ok, type SkillEvidence, unchecked } from '../../registry/verification/report.ts';
import type { SkillCatalog } from '../skills/skill-catalog.ts';

type Json = Record<string, unknown>;

export type SkillsCheck = (
  document: Json,
  accreditation?: Accreditation,
) => { check: Check; skills: SkillEvidence[]; warnings: Notice[] };

/** OB 3.0 alignments: on the achievement (and, as some issuers put them, on the subject). */
export function alignmentsOf(document: Json): Json[] {
  const subjects = asArray(document.credentialSubject as unknown) as Json[];
  return subjects
    .flatMap((s) => [
      ...(asArray((s?.achievement as Json | undefined)?.alignment as unknown) as Json[]),
      ...(asArray(s?.alignment as unknown) as Json[]),
    ])
    .filter((a) => a && typeof a === 'object');
}

export function createSkillsCheck(options: {
  catalog: SkillCatalog;
  preferFrameworks?: string[];
  /** The issuer's published definition of an achievement, whose alignments count too. */
  achievementDefinition?: (issuer: string, achievementId: string) => Json | undefined;
}): SkillsCheck {
  const prefer = new Set(options.preferFrameworks ?? []);
  return (document, accreditation) => {
    const alignments = alignmentsOf(document);
    const issuer = typeof document.issuer === 'string' ? document.issuer : (document.issuer as Json | undefined)?.id;
    for (const subject of asArray(document.credentialSubject as unknown) as Json[]) {
      const achievementId = (subject?.achievement as Json | undefined)?.id;
      if (typeof issuer !== 'string' || typeof achievementId !== 'string') continue;
      const definition = options.achievementDefinition?.(issuer, achievementId);
      for (const a of asArray(definition?.alignment as unknown) as Json[]) {
        if (a && typeof a === 'object' && !alignments.some((b) => b.targetUrl === a.targetUrl)) alignments.push(a);
      }
    }
    const warnings: Notice[] = [];
    if (alignments.length === 0) return { check: ok('skills', 'no skill alignments'), skills: [], warnings };
    const skills: SkillEvidence[] = alignments.map((a) => {
      const alignment = {
        ...(typeof a.targetName === 'string' ? { targetName: a.targetName } : {}),
        ...(typeof a.targetUrl === 'string' ? { targetUrl: a.targetUrl } : {}),
        ...(typeof a.targetCode === 'string' ? { targetCode: a.targetCode } : {}),
        ...(typeof a.targetFramework === 'string' ? { targetFramework: a.targetFramework } : {}),
      };
      const found = alignment.targetUrl ? options.catalog.item(alignment.targetUrl) : undefined;
      if (!found) {
        const claimants = alignment.targetUrl ? options.catalog.conflict(alignment.targetUrl) : undefined;
        if (claimants)
          warnings.push({
            code: 'SKILL_CLAIM_CONFLICT',
            message: `${alignment.targetUrl} is claimed by several publishers: ${claimants.join(', ')}`,
          });
        return { alignment, status: 'unresolved' };
      }
      if (accreditation?.skillFrameworks && !accreditation.skillFrameworks.includes(found.framework)) {
        warnings.push({
          code: 'SKILL_FRAMEWORK_NOT_ACCREDITED',
          message: `aligned to ${found.framework}, which the issuer's accreditation does not cover`,
        });
      }
      const equivalents = options.catalog
        .equivalents(found.item.id)
        .map((e) => {
          const target = options.catalog.item(e.id);
          return {
            id: e.id,
            ...(target ? { name: target.item.name, framework: target.framework } : {}),
            relation: e.relation,
            crosswalks: e.crosswalks,
          };
        })
        .filter((e) => prefer.size === 0 || (e.framework !== undefined && prefer.has(e.framework)));
      return {
        alignment,
        status: 'resolved',
        skill: {
          id: found.item.id,
          name: found.item.name,
          ...(found.item.code ? { code: found.item.code } : {}),
          framework: found.framework,
        },
        equivalents,
      };
    });
    const unresolved = skills.filter((s) => s.status === 'unresolved').length;
    const check = unresolved
      ? unchecked(
          'skills',
          'SKILLS_UNRESOLVED',
          `${unresolved} of ${skills.length} alignment(s) match no published skill`,
        )
      : ok('skills', `${skills.length} alignment(s) resolved`);
    return { check, skills, warnings };
  };
}
