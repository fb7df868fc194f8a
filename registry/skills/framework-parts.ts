/**
 * Large frameworks travel in parts. A publication must fit one gossip message,
 * so a framework bigger than a part's byte budget is published as several
 * `skill-framework` publications, each carrying some of the items and
 * `part: {index, count, digest}`, where `digest` is the hash of the whole
 * framework: a follower serves the framework once it holds every part of one
 * digest and the parts put together hash to it and pass every framework check.
 * Pure.
 */
import { canonicalJson, sha256Base64url } from '../canonical.ts';
import { RegistryError } from '../errors.ts';
import { type SkillFramework, validateFramework } from './framework.ts';

export interface FrameworkPart extends SkillFramework {
  part: { index: number; count: number; digest: string };
}

/** Room left in a publication (512 KiB by default) for its envelope and proof. */
export const PART_BUDGET_BYTES = 400 * 1024;
export const MAX_PARTS = 1_000;

/** The hash that ties the parts of one framework together. */
export function frameworkDigest(f: SkillFramework): string {
  const { id, name, version, items } = f;
  return sha256Base64url(canonicalJson({ id, name, version, items }));
}

/** The publication id of a framework version, or of one of its parts. */
export function frameworkPublicationId(f: SkillFramework | FrameworkPart): string {
  const part = (f as FrameworkPart).part;
  return part ? `${f.id}|${f.version}|${part.index + 1}/${part.count}` : `${f.id}|${f.version}`;
}

/** A validated framework as the bodies to publish: itself when it fits the budget, else its parts. */
export function splitFramework(f: SkillFramework, budget = PART_BUDGET_BYTES): SkillFramework[] {
  const { items, ...header } = f;
  const size = (value: unknown) => Buffer.byteLength(canonicalJson(value));
  if (size(f) <= budget) return [f];
  // Room for the part marker and the header, then items in order until a part is full.
  const overhead = size({ ...header, items: [], part: { index: MAX_PARTS, count: MAX_PARTS, digest: 'x'.repeat(43) } });
  const groups: SkillFramework['items'][] = [];
  let current: SkillFramework['items'] = [];
  let used = overhead;
  for (const item of items) {
    const bytes = size(item) + 1;
    if (overhead + bytes > budget) {
      throw new RegistryError('INVALID_FRAMEWORK', `item ${item.id} alone is larger than a publication allows`);
    }
    if (used + bytes > budget) {
      groups.push(current);
      current = [];
      used = overhead;
    }
    current.push(item);
    used += bytes;
  }
  groups.push(current);
  if (groups.length > MAX_PARTS) throw new RegistryError('INVALID_FRAMEWORK', 'framework is too large to publish');
  const digest = frameworkDigest(f);
  return groups.map((group, index) => ({
    ...header,
    items: group,
    part: { index, count: groups.length, digest },
  }));
}

export function isFrameworkPart(body: unknown): body is FrameworkPart {
  return !!body && typeof body === 'object' && 'part' in body;
}

/** The checks one part can pass alone; links to other parts wait for `assembleFramework`. */
export function validateFrameworkPart(value: unknown, options: { maxItems?: number } = {}): FrameworkPart {
  const { part } = (value ?? {}) as Partial<FrameworkPart>;
  if (
    !part ||
    typeof part !== 'object' ||
    !Number.isInteger(part.count) ||
    part.count < 2 ||
    part.count > MAX_PARTS ||
    !Number.isInteger(part.index) ||
    part.index < 0 ||
    part.index >= part.count ||
    typeof part.digest !== 'string' ||
    !/^[A-Za-z0-9_-]{43}$/.test(part.digest) ||
    Object.keys(part).length !== 3
  ) {
    throw new RegistryError('INVALID_FRAMEWORK', 'part must be {index, count, digest} with 0 ≤ index < count ≤ 1000');
  }
  return validateFramework(value, { ...options, partial: true }) as FrameworkPart;
}

/**
 * The framework the given parts make up, or why they do not (yet): every part of one digest present once,
 * the same header on each, the items hashing to the digest and passing the whole-framework checks.
 */
export function assembleFramework(
  parts: FrameworkPart[],
  options: { maxItems?: number } = {},
): { framework: SkillFramework } | { missing: number } {
  const [first] = parts;
  const byIndex = new Map(parts.map((p) => [p.part.index, p]));
  const missing = first.part.count - byIndex.size;
  if (missing > 0) return { missing };
  const ordered = [...byIndex.values()].sort((a, b) => a.part.index - b.part.index);
  for (const p of ordered) {
    if (p.part.count !== first.part.count || p.part.digest !== first.part.digest || p.id !== first.id) {
      throw new RegistryError('INVALID_FRAMEWORK', 'parts of different frameworks');
    }
    if (p.name !== first.name || p.version !== first.version) {
      throw new RegistryError('INVALID_FRAMEWORK', 'parts disagree on the framework name or version');
    }
  }
  const { part: _, items: __, ...header } = first;
  const framework = validateFramework({ ...header, items: ordered.flatMap((p) => p.items) }, options);
  if (frameworkDigest(framework) !== first.part.digest) {
    throw new RegistryError('INVALID_FRAMEWORK', 'the parts do not hash to their digest');
  }
  return { framework };
}
