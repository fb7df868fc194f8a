/**
 * Crosswalks between skill frameworks, with SKOS mapping relations, and the
 * transitive equivalents of a skill (relation kept along the way). Pure.
 */
import { RegistryError } from '../errors.ts';

export const SKOS_RELATIONS = ['exactMatch', 'closeMatch', 'broadMatch', 'narrowMatch'] as const;
export type SkosRelation = (typeof SKOS_RELATIONS)[number];

export interface Crosswalk {
  id: string;
  name?: string;
  mappings: Array<{ source: string; target: string; relation: SkosRelation }>;
}

/** Which crosswalk a mapping comes from: its id, and its publisher when it was published. */
export interface CrosswalkRef {
  id: string;
  publisher?: string;
}

export interface Equivalent {
  id: string;
  /** The relation from the asked skill to this one, composed along the path. */
  relation: SkosRelation;
  /** Skill ids from the asked skill to this one. */
  path: string[];
  /** The crosswalk of each hop along the path. */
  crosswalks: CrosswalkRef[];
}

type Edge = { id: string; relation: SkosRelation; crosswalk: CrosswalkRef };

const INVERSE: Record<SkosRelation, SkosRelation> = {
  exactMatch: 'exactMatch',
  closeMatch: 'closeMatch',
  broadMatch: 'narrowMatch',
  narrowMatch: 'broadMatch',
};

/**
 * Composes two hops: exact keeps the other relation; close weakens exact;
 * broad+broad stays broad; mixing broad and narrow says nothing (undefined).
 */
export function composeRelations(a: SkosRelation, b: SkosRelation): SkosRelation | undefined {
  if (a === 'exactMatch') return b;
  if (b === 'exactMatch') return a;
  if (a === 'closeMatch' && b === 'closeMatch') return 'closeMatch';
  if (a === b) return a;
  return undefined;
}

export function validateCrosswalk(value: unknown, knownItem: (id: string) => boolean, maxMappings = 50_000): Crosswalk {
  const fail = (message: string): never => {
    throw new RegistryError('INVALID_CROSSWALK', message);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('crosswalk must be an object');
  const c = value as Crosswalk;
  if (typeof c.id !== 'string' || c.id === '') fail('crosswalk id must be a non-empty string');
  if (!Array.isArray(c.mappings) || c.mappings.length === 0 || c.mappings.length > maxMappings) {
    fail(`crosswalk mappings must be a non-empty array of at most ${maxMappings}`);
  }
  for (const [i, m] of c.mappings.entries()) {
    if (!SKOS_RELATIONS.includes(m?.relation))
      fail(`mappings[${i}].relation must be one of ${SKOS_RELATIONS.join(', ')}`);
    for (const end of ['source', 'target'] as const) {
      if (typeof m[end] !== 'string' || !knownItem(m[end]))
        fail(`mappings[${i}].${end} is not a known skill: ${String(m[end])}`);
    }
  }
  return c;
}

/** An adjacency index over crosswalks, both directions (added to `edges` when given). */
export function indexCrosswalks(
  crosswalks: Iterable<Crosswalk & { publisher?: string }>,
  edges = new Map<string, Edge[]>(),
): Map<string, Edge[]> {
  const add = (from: string, edge: Edge) => {
    const list = edges.get(from) ?? [];
    list.push(edge);
    edges.set(from, list);
  };
  for (const c of crosswalks) {
    const crosswalk = c.publisher ? { id: c.id, publisher: c.publisher } : { id: c.id };
    for (const m of c.mappings) {
      add(m.source, { id: m.target, relation: m.relation, crosswalk });
      add(m.target, { id: m.source, relation: INVERSE[m.relation], crosswalk });
    }
  }
  return edges;
}

/** Skills reachable from `id` through crosswalks, with the composed relation, shortest paths first. */
export function equivalentsOf(edges: Map<string, Edge[]>, id: string, maxDepth = 4): Equivalent[] {
  const result: Equivalent[] = [];
  const seen = new Set([id]);
  let frontier: Equivalent[] = [{ id, relation: 'exactMatch', path: [id], crosswalks: [] }];
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const next: Equivalent[] = [];
    for (const current of frontier) {
      for (const edge of edges.get(current.id) ?? []) {
        if (seen.has(edge.id)) continue;
        const relation = composeRelations(current.relation, edge.relation);
        if (!relation) continue;
        seen.add(edge.id);
        const found = {
          id: edge.id,
          relation,
          path: [...current.path, edge.id],
          crosswalks: [...current.crosswalks, edge.crosswalk],
        };
        result.push(found);
        next.push(found);
      }
    }
    frontier = next;
  }
  return result;
}
