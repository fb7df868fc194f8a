/**
 * The skills this node knows: every `skill-framework` and `skill-crosswalk`
 * publication in its replica, indexed for ranked full-text search and for
 * crosswalk equivalents. Kept current as publications arrive.
 */
import type { Publication } from '../../registry/publications.ts';
import { settleClaims } from '../../registry/skills/claims.ts';
import { type Crosswalk, type Equivalent, equivalentsOf, indexCrosswalks } from '../../registry/skills/crosswalk.ts';
import type { SkillFramework, SkillItem } from '../../registry/skills/framework.ts';
import { assembleFramework, type FrameworkPart, isFrameworkPart } from '../../registry/skills/framework-parts.ts';
import type { PublicationStore } from '../publications/publication-store.ts';
import { createSearchIndex, type SearchIndex } from './search-index.ts';

interface IndexedItem {
  id: string;
  name: string;
  code?: string;
  description?: string;
  framework: string;
  publisher: string;
}

export interface SkillCatalog {
  frameworks(): Array<{ id: string; name: string; version: string; publisher: string; items: number }>;
  framework(id: string, version?: string): (SkillFramework & { publisher: string }) | undefined;
  item(id: string): { item: SkillItem; framework: string; publisher: string } | undefined;
  search(q: string, options?: { framework?: string; limit?: number }): Array<IndexedItem & { score: number }>;
  equivalents(id: string): Equivalent[];
  knows(id: string): boolean;
  /** Framework and skill ids that several publishers claim, none of which is served (registry/skills/claims.ts). */
  conflicts(): Array<{ id: string; publishers: string[] }>;
  conflict(id: string): string[] | undefined;
}

export function createSkillCatalog(options: {
  publications: PublicationStore;
  maxFrameworkItems?: number;
}): SkillCatalog {
  const { publications } = options;
  let current = false;
  let index: SearchIndex<IndexedItem> | undefined;
  let frameworks = new Map<string, HeldFramework[]>();
  let items = new Map<string, { item: SkillItem; framework: string; publisher: string }>();
  let edges: ReturnType<typeof indexCrosswalks> = new Map();
  // Each framework's items sit together in the index: a search within one framework scans only its range.
  let ranges = new Map<string, [number, number]>();
  let conflicts = new Map<string, string[]>();

  // Rebuilt lazily after a change (frameworks change rarely, lookups are frequent), the search index only
  // when a search needs it: parts of a large framework arriving one by one do not each cost an index.
  function build(): void {
    current = true;
    index = undefined;
    frameworks = new Map();
    items = new Map();
    const claimed = settleClaims(
      frameworkVersions(publications.list({ kind: 'skill-framework' }), options.maxFrameworkItems),
    );
    conflicts = new Map(claimed.conflicts);
    for (const f of claimed.kept) {
      const versions = frameworks.get(f.id) ?? [];
      versions.push(f);
      versions.sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
      frameworks.set(f.id, versions);
    }
    const itemClaims = settleClaims(
      [...frameworks.values()].flatMap((versions) =>
        versions.flatMap((v) => v.items.map((item) => ({ id: item.id, publisher: v.publisher }))),
      ),
    );
    for (const [id, publishers] of itemClaims.conflicts) conflicts.set(id, publishers);
    for (const [id, versions] of frameworks) {
      // Skills of older versions stay resolvable (credentials aligned to them keep their meaning); the newest
      // version's wording wins, and only the newest version is searched.
      for (const version of versions) {
        for (const item of version.items) {
          if (!itemClaims.conflicts.has(item.id))
            items.set(item.id, { item, framework: id, publisher: version.publisher });
        }
      }
    }
    edges = indexCrosswalks(
      publications
        .list({ kind: 'skill-crosswalk' })
        .map((p: Publication) => ({ ...(p.body as unknown as Crosswalk), publisher: p.publisher })),
    );
  }

  function searchIndex(): SearchIndex<IndexedItem> {
    ready();
    if (index) return index;
    ranges = new Map();
    const docs: IndexedItem[] = [];
    for (const [id, versions] of frameworks) {
      const latest = versions[versions.length - 1];
      const own: IndexedItem[] = latest.items.map((item) => {
        return {
          id: item.id,
          name: item.name,
          code: item.code,
          description: item.description,
          framework: id,
          publisher: latest.publisher,
        };
      });
      ranges.set(id, [docs.length, docs.length + own.length]);
      docs.push(...own);
    }
    index = createSearchIndex(docs);
    return index;
  }

  publications.onChange((p) => {
    if (p.kind === 'skill-framework' || p.kind === 'skill-crosswalk') current = false;
  });
  const ready = () => {
    if (!current) build();
  };

  return {
    frameworks() {
      ready();
      return [...frameworks.values()].map((versions) => {
        const f = versions[versions.length - 1];
        return { id: f.id, name: f.name, version: f.version, publisher: f.publisher, items: f.items.length };
      });
    },
    framework(id, version) {
      ready();
      const versions = frameworks.get(id);
      const found = version ? versions?.find((f) => f.version === version) : versions?.[versions.length - 1];
      if (!found) return undefined;
      const { publishedAt: _, ...framework } = found;
      return framework;
    },
    item(id) {
      ready();
      return items.get(id);
    },
    search(q, options = {}) {
      const index = searchIndex();
      const range = options.framework ? ranges.get(options.framework) : undefined;
      if (options.framework && !range) return [];
      return index.search(q, { limit: options.limit ?? 20, range }).map(({ document: d, score }) => ({
        id: d.id,
        name: d.name,
        ...(d.code ? { code: d.code } : {}),
        framework: d.framework,
        publisher: d.publisher,
        score: Math.round(score * 1000) / 1000,
      }));
    },
    equivalents(id) {
      ready();
      return equivalentsOf(edges, id);
    },
    knows(id) {
      ready();
      return items.has(id);
    },
    conflicts() {
      ready();
      return [...conflicts].map(([id, publishers]) => ({ id, publishers }));
    },
    conflict(id) {
      ready();
      return conflicts.get(id);
    },
  };
}

type HeldFramework = SkillFramework & { publisher: string; publishedAt: string };

/** Framework versions from publications: whole ones as they are, parted ones once every part is held. */
export function frameworkVersions(list: Publication[], maxFrameworkItems?: number): HeldFramework[] {
  const held: HeldFramework[] = [];
  const sets = new Map<string, Publication[]>();
  for (const p of list) {
    if (!isFrameworkPart(p.body)) {
      held.push({ ...(p.body as unknown as SkillFramework), publisher: p.publisher, publishedAt: p.publishedAt });
      continue;
    }
    const key = `${p.publisher} ${p.body.part.digest}`;
    sets.set(key, [...(sets.get(key) ?? []), p]);
  }
  for (const parts of sets.values()) {
    try {
      const assembled = assembleFramework(
        parts.map((p) => p.body as unknown as FrameworkPart),
        { maxItems: maxFrameworkItems },
      );
      if ('framework' in assembled) {
        const publishedAt = parts.map((p) => p.publishedAt).sort()[parts.length - 1];
        held.push({ ...assembled.framework, publisher: parts[0].publisher, publishedAt });
      }
    } catch {
      // Parts that do not make a valid framework are not served: each part was signed by its publisher, so
      // only that publisher's own framework is affected, and it is refused before publishing at its node.
    }
  }
  return held;
}
