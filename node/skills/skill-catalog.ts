/**
 * The skills this node knows: every `skill-framework` and `skill-crosswalk`
 * publication in its replica, indexed for ranked full-text search and for
 * crosswalk equivalents. Kept current as publications arrive.
 */
import type { Publication } from '../../registry/publications.ts';
import { type Crosswalk, type Equivalent, equivalentsOf, indexCrosswalks } from '../../registry/skills/crosswalk.ts';
import type { SkillFramework, SkillItem } from '../../registry/skills/framework.ts';
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
}

export function createSkillCatalog(publications: PublicationStore): SkillCatalog {
  let index: SearchIndex<IndexedItem> | undefined;
  let frameworks = new Map<string, Array<SkillFramework & { publisher: string; publishedAt: string }>>();
  let items = new Map<string, { item: SkillItem; framework: string; publisher: string }>();
  let edges: ReturnType<typeof indexCrosswalks> = new Map();
  // Each framework's items sit together in the index: a search within one framework scans only its range.
  let ranges = new Map<string, [number, number]>();

  // Rebuilt lazily after a change: frameworks change rarely, searches are frequent.
  function build(): void {
    frameworks = new Map();
    items = new Map();
    for (const p of publications.list({ kind: 'skill-framework' })) {
      const f = p.body as unknown as SkillFramework;
      const versions = frameworks.get(f.id) ?? [];
      versions.push({ ...f, publisher: p.publisher, publishedAt: p.publishedAt });
      versions.sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
      frameworks.set(f.id, versions);
    }
    ranges = new Map();
    const docs: IndexedItem[] = [];
    for (const [id, versions] of frameworks) {
      // Skills of older versions stay resolvable (credentials aligned to them keep their meaning); the newest
      // version's wording wins, and only the newest version is searched.
      for (const version of versions) {
        for (const item of version.items) items.set(item.id, { item, framework: id, publisher: version.publisher });
      }
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
    edges = indexCrosswalks(
      publications.list({ kind: 'skill-crosswalk' }).map((p: Publication) => p.body as unknown as Crosswalk),
    );
  }

  publications.onChange((p) => {
    if (p.kind === 'skill-framework' || p.kind === 'skill-crosswalk') index = undefined;
  });
  const ready = () => {
    if (!index) build();
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
      ready();
      const range = options.framework ? ranges.get(options.framework) : undefined;
      if (!index || (options.framework && !range)) return [];
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
  };
}
