import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { buildSearchIndex, createSearchIndex } from '../../../node/skills/search-index.ts';

const skills = [
  { id: 'a', code: 'CY-IR-1', name: 'Triage security alerts', description: 'Sort incoming alerts by severity.' },
  { id: 'b', code: 'CY-NET-2', name: 'Configure firewalls', description: 'Write and review firewall rules.' },
  { id: 'c', code: 'NU-1', name: 'Assess wounds', description: 'Assess and document wound healing on a ward.' },
  { id: 'd', code: 'RT-4', name: 'Plan inventory', description: 'Plan stock levels and triage shortages.' },
  { id: 'e', code: 'RT-5', name: 'Coach a team', description: 'Coach new staff on the shop floor.' },
  { id: 'f', code: 'CY-IR-3', name: 'Document incidents', description: 'Document security incidents for review.' },
];
const ids = (hits: Array<{ document: { id: string } }>) => hits.map((h) => h.document.id);

describe('skill search index', () => {
  const index = createSearchIndex(skills);

  it('requires every word, takes the last word as a prefix and tolerates a typo in long words', () => {
    expect(ids(index.search('security'))).toEqual(expect.arrayContaining(['a', 'f']));
    expect(ids(index.search('security alerts'))).toEqual(['a']);
    expect(ids(index.search('security firewall'))).toEqual([]);
    expect(ids(index.search('configure fire'))).toEqual(['b']);
    expect(ids(index.search('fire configure'))).toEqual([]);
    expect(ids(index.search('inventary'))).toEqual(['d']);
    expect(ids(index.search('cy ir 3'))).toEqual(['f']);
    expect(index.search('  ')).toEqual([]);
  });

  it('ranks a match in the name above a match only in the description', () => {
    expect(ids(index.search('triage'))).toEqual(['a', 'd']);
    expect(ids(index.search('document'))).toEqual(['f', 'c']);
  });

  it('limits results and searches a range of documents', () => {
    expect(index.search('a', { limit: 1 })).toHaveLength(1);
    expect(ids(index.search('triage', { range: [2, 6] }))).toEqual(['d']);
    expect(ids(index.search('triage', { range: [0, 1] }))).toEqual(['a']);
  });

  it('builds a large index in slices, letting other work run meanwhile, with the same results', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ name: `Skill ${i} plan inventory`, code: `S-${i}` }));
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const built = await buildSearchIndex(many);
    clearInterval(ticker);
    expect(turns).toBeGreaterThan(0);
    expect(built.search('S 9999')).toEqual(createSearchIndex(many).search('S 9999'));
    expect(built.search('S 9999')[0].document).toBe(many[9_999]);
  });

  it('scores as minisearch scores the same documents with the same options', () => {
    // A corpus with common and rare words, repeated words and shared prefixes, every field present.
    const words = 'plan planning assess alerts alert wounds inventory invent firewall firewalls risk risks team'.split(
      ' ',
    );
    const corpus = Array.from({ length: 400 }, (_, i) => ({
      id: `s${i}`,
      code: `C${i % 37}-${i % 11}`,
      name: `${words[i % words.length]} ${words[(i * 7) % words.length]}`,
      description: `${words[(i * 3) % words.length]} ${words[(i * 5) % words.length]} ${words[i % 4]} item ${i}`,
    }));
    const reference = new MiniSearch<(typeof corpus)[number]>({
      fields: ['name', 'code', 'description'],
      searchOptions: {
        boost: { name: 3, code: 2 },
        prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 2,
        fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
        combineWith: 'AND',
      },
    });
    reference.addAll(corpus);
    const ours = createSearchIndex(corpus);
    const queries = [
      'plan',
      'pla',
      'alert',
      'alerts risk',
      'inventroy',
      'firewal',
      'team plan',
      'c3 4',
      'item 12',
      'x',
    ];
    for (const q of queries) {
      const expected = reference.search(q).slice(0, 20);
      const actual = ours.search(q, { limit: 20 });
      expect(
        actual.map((h) => h.score.toFixed(9)),
        q,
      ).toEqual(expected.map((r) => r.score.toFixed(9)));
      // Equal scores may list in another order; each score names the same documents.
      const byScore = (rows: Array<[string, number]>) => rows.map(([id, score]) => `${score.toFixed(9)} ${id}`).sort();
      const tail = expected.length === 20 ? expected[19].score.toFixed(9) : undefined;
      const notTail = (row: [string, number]) => row[1].toFixed(9) !== tail;
      expect(byScore(actual.map((h) => [h.document.id, h.score] as [string, number]).filter(notTail)), q).toEqual(
        byScore(expected.map((r) => [r.id as string, r.score] as [string, number]).filter(notTail)),
      );
    }
  });
});
