/**
 * Skill frameworks: the internal model every importer produces, and the checks
 * a framework must pass before it is published or stored. Pure.
 */
import { RegistryError } from '../errors.ts';

export interface SkillItem {
  /** A URI, unique across frameworks (CASE identifiers and RSD URLs are). */
  id: string;
  code?: string;
  name: string;
  description?: string;
  broader?: string[];
  narrower?: string[];
}

export interface SkillFramework {
  id: string;
  name: string;
  version: string;
  publisher?: string;
  items: SkillItem[];
}

export const DEFAULT_MAX_ITEMS = 10_000;

function fail(message: string, details?: unknown): never {
  throw new RegistryError('INVALID_FRAMEWORK', message, details);
}

const text = (v: unknown, max = 2000) => typeof v === 'string' && v.trim() !== '' && v.length <= max;

/**
 * Checks a framework: shape, unique item ids, known and acyclic broader/narrower links, size. A `partial`
 * framework (one part of a large one) may link to items outside it; those links are checked when the parts
 * are put together.
 */
export function validateFramework(
  value: unknown,
  options: { maxItems?: number; partial?: boolean } = {},
): SkillFramework {
  const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('framework must be an object');
  const f = value as SkillFramework;
  if (!text(f.id, 500)) fail('framework id must be a non-empty string');
  if (!text(f.name, 500)) fail('framework name must be a non-empty string');
  if (!text(f.version, 100)) fail('framework version must be a non-empty string');
  if (!Array.isArray(f.items) || f.items.length === 0) fail('framework items must be a non-empty array');
  if (f.items.length > maxItems) fail(`framework has ${f.items.length} items; the limit is ${maxItems}`);
  const ids = new Set<string>();
  for (const [i, item] of f.items.entries()) {
    if (!item || typeof item !== 'object') fail(`items[${i}] must be an object`);
    for (const links of [item.broader, item.narrower]) {
      if (links !== undefined && (!Array.isArray(links) || links.some((l) => typeof l !== 'string'))) {
        fail(`items[${i}] broader and narrower must be arrays of item ids`);
      }
    }
    if (!text(item.id, 500)) fail(`items[${i}].id must be a non-empty string`);
    if (!text(item.name, 500)) fail(`items[${i}].name must be a non-empty string`);
    if (item.description !== undefined && !text(item.description, 10_000)) fail(`items[${i}].description must be text`);
    if (ids.has(item.id)) fail(`duplicate item id ${item.id}`, { id: item.id });
    ids.add(item.id);
  }
  for (const item of f.items) {
    for (const link of [...(item.broader ?? []), ...(item.narrower ?? [])]) {
      if (!ids.has(link) && !options.partial) fail(`${item.id} links to unknown item ${link}`, { id: item.id, link });
    }
  }
  // broader must form no cycle (a skill cannot be, however indirectly, broader than itself).
  const broader = new Map(f.items.map((item) => [item.id, (item.broader ?? []).filter((link) => ids.has(link))]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting')
      fail(`cycle in broader links: ${[...path, id].join(' → ')}`, { cycle: [...path, id] });
    state.set(id, 'visiting');
    for (const parent of broader.get(id) ?? []) visit(parent, [...path, id]);
    state.set(id, 'done');
  };
  for (const id of ids) visit(id, []);
  return f;
}
