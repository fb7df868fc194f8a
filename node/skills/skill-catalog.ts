/**
 * The skills this node knows: every `skill-framework` and `skill-crosswalk`
 * publication in its replica, indexed for ranked full-text search (minisearch)
 * and for crosswalk equivalents. Kept current as publications arrive.
 */
import MiniSearch from 'minisearch';
import type { Publication } from '../../registry/publications.ts';
import { type Crosswalk, type Equivalent, equivalentsOf, indexCrosswalks } from '../../registry/skills/crosswalk.ts';
import type { SkillFramework, SkillItem } from '../../registry/skills/framework.ts';
import type { PublicationStore } from '../publications/publication-store.ts';

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
  let index: MiniSearch<IndexedItem> | undefined;
  let frameworks = new Map<string, Array<SkillFramework & { publisher: string; publishedAt: string }>>();
  let items = new Map<string, { item: SkillItem; framework: string; publisher: string }>();
  let edges: ReturnType<typeof indexCrosswalks> = new Map();

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
    const search = new MiniSearch<IndexedItem>({
      fields: ['name', 'code', 'description'],
      storeFields: ['id', 'name', 'code', 'framework', 'publisher'],
      searchOptions: { boost: { name: 3, code: 2 }, prefix: true, fuzzy: 0.2 },
    });
    const docs: IndexedItem[] = [];
    for (const [id, versions] of frameworks) {
      const latest = versions[versions.length - 1];
      for (const item of latest.items) {
        items.set(item.id, { item, framework: id, publisher: latest.publisher });
        docs.push({
          id: item.id,
          name: item.name,
          code: item.code,
          description: item.description,
          framework: id,
          publisher: latest.publisher,
        });
      }
    }
    search.addAll(docs);
    index = search;
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
      const results = index!.search(
        q,
        options.framework ? { filter: (r) => r.framework === options.framework } : undefined,
      );
      return results.slice(0, options.limit ?? 20).map((r) => ({
        id: r.id as string,
        name: r.name as string,
        ...(r.code ? { code: r.code as string } : {}),
        framework: r.framework as string,
        publisher: r.publisher as string,
        score: Math.round(r.score * 1000) / 1000,
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
