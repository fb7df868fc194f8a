/**
 * Ranked full-text search over skill names, codes and descriptions.
 *
 * Text analysis and the term dictionary are minisearch's (its tokenizer, and its radix tree for prefix
 * and typo-tolerant term lookup); ranking is minisearch's BM25+ with the same field boosts and prefix and
 * fuzzy weights, so results rank as `MiniSearch#search` ranks them (a test holds the two equal). What
 * differs is the posting lists: typed arrays scored into one reused accumulator, because minisearch
 * allocates result objects for every matching posting, and over 50,000 skills where a common word
 * matches thousands of them that was 95% of the query time (decision 0008).
 */
import MiniSearch from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';

export interface SearchDocument {
  name: string;
  code?: string;
  description?: string;
}

export interface SearchHit<D> {
  document: D;
  score: number;
}

export interface SearchIndex<D> {
  /**
   * Documents matching every word of `q` (the last word as a prefix, longer words with one typo),
   * best first. `range` restricts the search to documents [start, end) in the order they were given.
   */
  search(q: string, options?: { limit?: number; range?: [number, number] }): Array<SearchHit<D>>;
  readonly size: number;
}

const FIELDS = ['name', 'code', 'description'] as const;
const BOOST = [3, 2, 1];
// minisearch's defaults, kept so that scores match it.
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const MAX_FUZZY = 6;

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];
const processTerm = MiniSearch.getDefault('processTerm') as (term: string) => string | null | undefined | false;

/** One field's postings for one term: document numbers and term frequencies. */
interface Postings {
  docs: Int32Array;
  freqs: Uint32Array;
}
type TermEntry = Array<Postings | undefined>;

export function queryTerms(q: string): string[] {
  return tokenize(q)
    .map((t) => processTerm(t))
    .filter((t): t is string => !!t);
}

/** Builds the index at once (tests, small catalogs). */
export function createSearchIndex<D extends SearchDocument>(documents: readonly D[]): SearchIndex<D> {
  const steps = indexSteps(documents);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Builds the index in slices, giving the event loop a turn between them: 50,000 skills take most of a second
 * to index, which would otherwise stall every request and peer message on the node.
 */
export async function buildSearchIndex<D extends SearchDocument>(documents: readonly D[]): Promise<SearchIndex<D>> {
  const steps = indexSteps(documents);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const SLICE = 1_000;

function* indexSteps<D extends SearchDocument>(documents: readonly D[]): Generator<void, SearchIndex<D>> {
  const n = documents.length;
  const lengths = FIELDS.map(() => new Uint32Array(n));
  const average = FIELDS.map(() => 0);
  const building = new Map<string, Array<{ docs: number[]; freqs: number[] } | undefined>>();

  for (const [doc, document] of documents.entries()) {
    if (doc % SLICE === SLICE - 1) yield;
    FIELDS.forEach((field, f) => {
      const value = document[field];
      if (value == null) return;
      const tokens = tokenize(String(value));
      // minisearch counts a field's length in distinct tokens.
      lengths[f][doc] = new Set(tokens).size;
      average[f] += lengths[f][doc];
      for (const token of tokens) {
        const term = processTerm(token);
        if (!term) continue;
        let entry = building.get(term);
        if (!entry) {
          entry = FIELDS.map(() => undefined);
          building.set(term, entry);
        }
        let postings = entry[f];
        if (!postings) {
          postings = { docs: [], freqs: [] };
          entry[f] = postings;
        }
        const last = postings.docs.length - 1;
        if (postings.docs[last] === doc) postings.freqs[last]++;
        else {
          postings.docs.push(doc);
          postings.freqs.push(1);
        }
      }
    });
  }
  // The mean over all documents, a missing field counting as empty. (minisearch keeps a running mean that
  // skips missing fields, so scores differ slightly from its own when codes are missing.)
  FIELDS.forEach((_, f) => {
    average[f] = n ? average[f] / n : 0;
  });
  const terms = new SearchableMap<TermEntry>();
  let added = 0;
  for (const [term, entry] of building) {
    if (++added % (SLICE * 5) === 0) yield;
    terms.set(
      term,
      entry.map((p) => (p ? { docs: Int32Array.from(p.docs), freqs: Uint32Array.from(p.freqs) } : undefined)),
    );
  }

  // Reused across queries: a document's score so far, and how many query words it has matched in this query.
  const scores = new Float64Array(n);
  const matched = new Uint16Array(n);
  const generation = new Uint32Array(n);
  let current = 0;

  /** The terms a query word stands for, each with minisearch's weight for its distance from the word. */
  function expand(word: string, last: boolean): Array<[TermEntry, number]> {
    const found: Array<[TermEntry, number]> = [];
    const exact = terms.get(word);
    if (exact) found.push([exact, 1]);
    const prefixed = new Set<string>();
    if (last && word.length >= 2) {
      for (const [term, entry] of terms.atPrefix(word)) {
        prefixed.add(term);
        const distance = term.length - word.length;
        if (distance) found.push([entry, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance)]);
      }
    }
    if (word.length >= 6) {
      const maxDistance = Math.min(MAX_FUZZY, Math.round(word.length * 0.15));
      for (const [term, [entry, distance]] of terms.fuzzyGet(word, maxDistance)) {
        if (distance && !prefixed.has(term)) {
          found.push([entry, (FUZZY_WEIGHT * term.length) / (term.length + distance)]);
        }
      }
    }
    return found;
  }

  function search(q: string, options: { limit?: number; range?: [number, number] } = {}): Array<SearchHit<D>> {
    const words = queryTerms(q);
    if (!words.length || !n) return [];
    const [start, end] = options.range ?? [0, n];
    current++;
    if (current === 0xffffffff) {
      generation.fill(0);
      current = 1;
    }
    let candidates: number[] = [];
    for (const [i, word] of words.entries()) {
      const expansions = expand(word, i === words.length - 1);
      const next: number[] = [];
      for (const [entry, weight] of expansions) {
        for (let f = 0; f < FIELDS.length; f++) {
          const postings = entry[f];
          if (!postings) continue;
          const { docs, freqs } = postings;
          const idf = Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5));
          const factor = weight * BOOST[f] * idf;
          const norm = BM25.k * (1 - BM25.b);
          const slope = (BM25.k * BM25.b) / average[f];
          for (let j = 0; j < docs.length; j++) {
            const doc = docs[j];
            if (doc < start || doc >= end) continue;
            // Every word must match: after the first word, only documents that matched all earlier ones count.
            if (i === 0) {
              if (generation[doc] !== current) {
                generation[doc] = current;
                scores[doc] = 0;
                matched[doc] = 0;
              }
            } else if (generation[doc] !== current || matched[doc] < i) continue;
            if (matched[doc] === i) {
              matched[doc] = i + 1;
              next.push(doc);
            }
            const tf = freqs[j];
            scores[doc] += factor * (BM25.d + (tf * (BM25.k + 1)) / (tf + norm + slope * lengths[f][doc]));
          }
        }
      }
      candidates = next;
      if (!candidates.length) return [];
    }
    // minisearch multiplies by the number of distinct query words matched: all of them here.
    const quality = new Set(words).size;
    return topK(candidates, options.limit ?? 20).map((doc) => ({
      document: documents[doc],
      score: scores[doc] * quality,
    }));
  }

  /** The `limit` best-scoring candidates, best first, ties in document order. */
  function topK(candidates: number[], limit: number): number[] {
    const better = (a: number, b: number) => scores[a] > scores[b] || (scores[a] === scores[b] && a < b);
    if (candidates.length <= limit) return candidates.sort((a, b) => (better(a, b) ? -1 : 1));
    // A min-heap of the best `limit` so far: thousands of matches, twenty wanted.
    const heap: number[] = [];
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let worst = i;
        if (l < heap.length && better(heap[worst], heap[l])) worst = l;
        if (r < heap.length && better(heap[worst], heap[r])) worst = r;
        if (worst === i) return;
        [heap[i], heap[worst]] = [heap[worst], heap[i]];
        i = worst;
      }
    };
    for (const doc of candidates) {
      if (heap.length < limit) {
        heap.push(doc);
        for (let i = heap.length - 1; i > 0; ) {
          const parent = (i - 1) >> 1;
          if (!better(heap[parent], heap[i])) break;
          [heap[i], heap[parent]] = [heap[parent], heap[i]];
          i = parent;
        }
      } else if (better(doc, heap[0])) {
        heap[0] = doc;
        down(0);
      }
    }
    return heap.sort((a, b) => (better(a, b) ? -1 : 1));
  }

  return { search, size: n };
}
