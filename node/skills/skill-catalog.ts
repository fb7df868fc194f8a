/**
 * The skills this node knows: every `skill-framework` and `skill-crosswalk`
 * publication in its replica, indexed for ranked full-text search and for
 * crosswalk equivalents. Kept current as publications arrive.
 */
import type { Publication } from '../../registry/publications.ts';
import { createClaims, settleClaims } from '../../registry/skills/claims.ts';
import { type Crosswalk, type Equivalent, equivalentsOf, indexCrosswalks } from '../../registry/skills/crosswalk.ts';
import type { SkillFramework, SkillItem } from '../../registry/skills/framework.ts';
import { assembleFramework, type FrameworkPart, isFrameworkPart } from '../../registry/skills/framework-parts.ts';
import type { PublicationStore } from '../publications/publication-store.ts';
import { buildSearchIndex, type SearchIndex } from './search-index.ts';

interface IndexedItem {
  id: string;
  name: string;
  code?: string;
  description?: string;
  framework: string;
  publisher: string;
}

export interface SkillCatalog {
  /** The newest version of each framework, with every version held (oldest first). */
  frameworks(): Array<{
    id: string;
    name: string;
    version: string;
    publisher: string;
    items: number;
    versions: string[];
  }>;
  framework(id: string, version?: string): (SkillFramework & { publisher: string }) | undefined;
  item(id: string): { item: SkillItem; framework: string; publisher: string } | undefined;
  search(q: string, options?: { framework?: string; limit?: number }): Promise<Array<IndexedItem & { score: number }>>;
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
  const memo = createAssemblyMemo();
  let view = emptyView();
  // Bumped by every change. After a change the view is rebuilt in the background a slice at a time, so a
  // node holding 50,000 skills does not stall its requests and peers; a lookup that needs the new view before
  // the background is done finishes the rebuild at once.
  let generation = 0;
  let viewGeneration = 0;
  let rebuilding: { generation: number; steps: Generator<void, View> } | undefined;
  let indexed: { generation: number; built: Promise<Searchable> } | undefined;

  function* buildView(): Generator<void, View> {
    const next = emptyView();
    const claimed = settleClaims(
      frameworkVersions(publications.list({ kind: 'skill-framework' }), options.maxFrameworkItems, memo),
    );
    next.conflicts = new Map(claimed.conflicts);
    for (const f of claimed.kept) {
      const versions = next.frameworks.get(f.id) ?? [];
      versions.push(f);
      next.frameworks.set(f.id, versions);
    }
    for (const versions of next.frameworks.values())
      versions.sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
    let done = 0;
    // A pause after every few thousand items or mappings.
    const tick = (count: number) => {
      done += count;
      if (done < SLICE_ITEMS) return false;
      done = 0;
      return true;
    };
    const itemClaims = createClaims();
    for (const versions of next.frameworks.values()) {
      for (const v of versions) {
        for (const item of v.items) itemClaims.add(item.id, v.publisher);
        if (tick(v.items.length)) yield;
      }
    }
    const settled = itemClaims.settle();
    for (const [id, publishers] of settled.conflicts) next.conflicts.set(id, publishers);
    for (const [id, versions] of next.frameworks) {
      // Skills of older versions stay resolvable (credentials aligned to them keep their meaning); the newest
      // version's wording wins, and only the newest version is searched.
      for (const version of versions) {
        for (const item of version.items) {
          if (settled.stands(item.id, version.publisher))
            next.items.set(item.id, { item, framework: id, publisher: version.publisher });
        }
        if (tick(version.items.length)) yield;
      }
    }
    for (const p of publications.list({ kind: 'skill-crosswalk' })) {
      const crosswalk = p.body as unknown as Crosswalk;
      indexCrosswalks([{ ...crosswalk, publisher: p.publisher }], next.edges);
      if (tick(crosswalk.mappings.length)) yield;
    }
    return next;
  }

  function startRebuild(): Generator<void, View> {
    if (rebuilding?.generation !== generation) rebuilding = { generation, steps: buildView() };
    return rebuilding.steps;
  }

  function install(built: View, of: number): void {
    view = built;
    viewGeneration = of;
    rebuilding = undefined;
  }

  /** The current view, finishing its rebuild now if the background has not. */
  function current(): View {
    if (viewGeneration === generation) return view;
    const of = generation;
    const steps = startRebuild();
    for (;;) {
      const step = steps.next();
      if (step.done) {
        install(step.value, of);
        return view;
      }
    }
  }

  // Publications arrive in bursts (a sync, the parts of a framework): start once they pause.
  let quiet: NodeJS.Timeout | undefined;
  function rebuildInBackground(): void {
    clearTimeout(quiet);
    quiet = setTimeout(() => {
      const of = generation;
      const steps = startRebuild();
      const step = () => {
        if (generation !== of || viewGeneration === of) return; // superseded, or finished on demand
        let result: IteratorResult<void, View>;
        try {
          result = steps.next();
        } catch {
          // Never crash the node from a timer: the next lookup rebuilds on demand and reports the error.
          rebuilding = undefined;
          return;
        }
        if (result.done) {
          install(result.value, of);
          // Searches are why a node holds skills: have the index ready before the first one.
          searchIndex().catch(() => undefined);
        } else setImmediate(step);
      };
      step();
    }, 50).unref();
  }

  function searchIndex(): Promise<Searchable> {
    const { frameworks } = current();
    if (indexed?.generation === generation) return indexed.built;
    // Each framework's items sit together in the index: a search within one framework scans only its range.
    const ranges = new Map<string, [number, number]>();
    const docs: IndexedItem[] = [];
    for (const [id, versions] of frameworks) {
      const latest = versions[versions.length - 1];
      const own: IndexedItem[] = latest.items.map((item) => ({
        id: item.id,
        name: item.name,
        code: item.code,
        description: item.description,
        framework: id,
        publisher: latest.publisher,
      }));
      ranges.set(id, [docs.length, docs.length + own.length]);
      docs.push(...own);
    }
    indexed = { generation, built: buildSearchIndex(docs).then((index) => ({ index, ranges })) };
    return indexed.built;
  }

  publications.onChange((p) => {
    if (p.kind !== 'skill-framework' && p.kind !== 'skill-crosswalk') return;
    generation++;
    rebuildInBackground();
  });
  // What the store already holds at start-up is indexed in the background too.
  generation++;
  rebuildInBackground();

  return {
    frameworks() {
      return [...current().frameworks.values()].map((versions) => {
        const f = versions[versions.length - 1];
        return {
          id: f.id,
          name: f.name,
          version: f.version,
          publisher: f.publisher,
          items: f.items.length,
          versions: versions.map((v) => v.version),
        };
      });
    },
    framework(id, version) {
      const versions = current().frameworks.get(id);
      const found = version ? versions?.find((f) => f.version === version) : versions?.[versions.length - 1];
      if (!found) return undefined;
      const { publishedAt: _, ...framework } = found;
      return framework;
    },
    item(id) {
      return current().items.get(id);
    },
    async search(q, options = {}) {
      const { index, ranges } = await searchIndex();
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
      return equivalentsOf(current().edges, id);
    },
    knows(id) {
      return current().items.has(id);
    },
    conflicts() {
      return [...current().conflicts].map(([id, publishers]) => ({ id, publishers }));
    },
    conflict(id) {
      return current().conflicts.get(id);
    },
  };
}

const SLICE_ITEMS = 5_000;

interface View {
  frameworks: Map<string, HeldFramework[]>;
  items: Map<string, { item: SkillItem; framework: string; publisher: string }>;
  edges: ReturnType<typeof indexCrosswalks>;
  conflicts: Map<string, string[]>;
}

function emptyView(): View {
  return { frameworks: new Map(), items: new Map(), edges: new Map(), conflicts: new Map() };
}

type HeldFramework = SkillFramework & { publisher: string; publishedAt: string };
type Searchable = { index: SearchIndex<IndexedItem>; ranges: Map<string, [number, number]> };

/** What one catalog rebuild hands the next: assembled parted frameworks, and the last complete of each version. */
export interface AssemblyMemo {
  byDigest: Map<string, HeldFramework | null>;
  lastComplete: Map<string, HeldFramework>;
}

export function createAssemblyMemo(): AssemblyMemo {
  return { byDigest: new Map(), lastComplete: new Map() };
}

/**
 * Framework versions from publications: whole ones as they are, parted ones once every part is held. Sets
 * already put together (and checked) are taken from `memo`; while a version is being replaced part by part,
 * its last complete assembly stays served.
 */
export function frameworkVersions(
  list: Publication[],
  maxFrameworkItems?: number,
  memo: AssemblyMemo = createAssemblyMemo(),
): HeldFramework[] {
  const held: HeldFramework[] = [];
  const sets = new Map<string, Publication[]>();
  for (const p of list) {
    if (!isFrameworkPart(p.body)) {
      held.push({ ...(p.body as unknown as SkillFramework), publisher: p.publisher, publishedAt: p.publishedAt });
      continue;
    }
    const key = `${p.publisher} ${p.body.part.digest}`;
    const set = sets.get(key);
    if (set) set.push(p);
    else sets.set(key, [p]);
  }
  const versionKey = (f: { publisher: string; id: string; version: string }) => `${f.publisher} ${f.id} ${f.version}`;
  const complete = new Set<string>();
  const waiting = new Set<string>();
  for (const [key, parts] of sets) {
    const first = parts[0].body as unknown as FrameworkPart;
    const version = versionKey({ ...first, publisher: parts[0].publisher });
    let framework = memo.byDigest.get(key);
    if (framework === undefined) {
      try {
        const assembled = assembleFramework(
          parts.map((p) => p.body as unknown as FrameworkPart),
          { maxItems: maxFrameworkItems },
        );
        if ('missing' in assembled) {
          waiting.add(version);
          continue;
        }
        const publishedAt = parts.map((p) => p.publishedAt).sort()[parts.length - 1];
        framework = { ...assembled.framework, publisher: parts[0].publisher, publishedAt };
      } catch {
        // Parts that do not make a valid framework are not served: each part was signed by its publisher, so
        // only that publisher's own framework is affected, and it is refused before publishing at its node.
        framework = null;
      }
      memo.byDigest.set(key, framework);
    }
    if (!framework) continue;
    held.push(framework);
    complete.add(version);
    memo.lastComplete.set(version, framework);
  }
  for (const version of waiting) {
    const previous = memo.lastComplete.get(version);
    if (!complete.has(version) && previous) {
      held.push(previous);
      complete.add(version);
    }
  }
  for (const key of memo.byDigest.keys()) if (!sets.has(key)) memo.byDigest.delete(key);
  for (const version of memo.lastComplete.keys()) if (!complete.has(version)) memo.lastComplete.delete(version);
  return held;
}
