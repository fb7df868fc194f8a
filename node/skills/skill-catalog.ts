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
  let scoped = new Map<string, MiniSearch<IndexedItem>>();
  let documents = new Map<string, IndexedItem[]>();

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
    scoped = new Map();
    documents = new Map();
    const docs: IndexedItem[] = [];
    for (const [id, versions] of frameworks) {
      const latest = versions[versions.length - 1];
      const own: IndexedItem[] = latest.items.map((item) => {
        items.set(item.id, { item, framework: id, publisher: latest.publisher });
        return {
          id: item.id,
          name: item.name,
          code: item.code,
          description: item.description,
          framework: id,
          publisher: latest.publisher,
        };
      });
      documents.set(id, own);
      docs.push(...own);
    }
    const search = createIndex();
    search.addAll(docs);
    index = search;
    edges = indexCrosswalks(
      publications.list({ kind: 'skill-crosswalk' }).map((p: Publication) => p.body as unknown as Crosswalk),
    );
  }

  function createIndex(): MiniSearch<IndexedItem> {
    return new MiniSearch<IndexedItem>({
      fields: ['name', 'code', 'description'],
      storeFields: ['id', 'name', 'code', 'framework', 'publisher'],
      // Prefix matching for the word being typed, typo tolerance only for longer words, and every word must
      // match: over 50,000 skills, looser settings cost p99 latency for little gain in the top results.
      searchOptions: {
        boost: { name: 3, code: 2 },
        prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 2,
        fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
        combineWith: 'AND',
      },
    });
  }

  /** A small index per framework, built on first use: a scoped search then scores only that framework. */
  function scopedIndex(framework: string): MiniSearch<IndexedItem> | undefined {
    let found = scoped.get(framework);
    const docs = documents.get(framework);
    if (!found && docs) {
      found = createIndex();
      found.addAll(docs);
      scoped.set(framework, found);
    }
    return found;
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
      const target = options.framework ? scopedIndex(options.framework) : index;
      const results = target ? target.search(q) : [];
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
