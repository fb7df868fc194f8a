/**
 * `npm run bench:skills`: ranked skill search over 1,000 frameworks × 50 items
 * (50,000 skills) and crosswalk equivalents lookups, through the same catalog
 * the HTTP API uses (publications in a real level store), then
 * `GET /skills/search` against a node process started on that store.
 * Options: --frameworks N (default 1000), --items N (default 50), --queries N (default 2000),
 * --seconds N (HTTP measurement, default 5).
 */
import '../node/polyfills.ts';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadOrCreateIdentity } from '../node/identity.ts';
import { openPublicationStore } from '../node/publications/publication-store.ts';
import { createSkillCatalog } from '../node/skills/skill-catalog.ts';
import { openDatabase } from '../node/storage/database.ts';
import { createDidResolution } from '../protocol/signing/did-resolution.ts';
import { tempDir } from '../test/helpers/node.ts';
import { startNodeProcess } from '../test/helpers/process.ts';
import { measure } from './bench-measure.ts';

const { values } = parseArgs({
  options: {
    frameworks: { type: 'string', default: '1000' },
    items: { type: 'string', default: '50' },
    queries: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '5' },
  },
});
const F = Number(values.frameworks);
const I = Number(values.items);
const Q = Number(values.queries);

const VERBS = [
  'Plan',
  'Assess',
  'Configure',
  'Document',
  'Coach',
  'Analyze',
  'Triage',
  'Forecast',
  'Monitor',
  'Design',
];
const NOUNS = [
  'inventory',
  'wounds',
  'firewalls',
  'budgets',
  'schedules',
  'alerts',
  'patients',
  'vendors',
  'risks',
  'displays',
  'logs',
  'medications',
];
const CONTEXTS = [
  'in a busy store',
  'on a hospital ward',
  'in a security operations center',
  'for a regional team',
  'during peak season',
];

function percentile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main() {
  const dir = await tempDir('ler-bench-skills-');
  const database = await openDatabase(join(dir, 'db'));
  let open = true;
  try {
    const { identity } = await loadOrCreateIdentity(database);
    const publications = await openPublicationStore({
      database,
      identity,
      didResolution: createDidResolution(),
      isMember: () => true,
    });
    const catalog = createSkillCatalog({ publications });
    let n = 0;
    const publishStart = performance.now();
    for (let f = 0; f < F; f++) {
      const id = `https://skills.example/f${f}`;
      const items = Array.from({ length: I }, (_, i) => {
        n++;
        const verb = VERBS[(f + i) % VERBS.length];
        const noun = NOUNS[(f * 7 + i) % NOUNS.length];
        return {
          id: `${id}/s${i}`,
          code: `F${f}-${i}`,
          name: `${verb} ${noun}`,
          description: `${verb} ${noun} ${CONTEXTS[(f + 3 * i) % CONTEXTS.length]} (skill ${n}).`,
        };
      });
      await publications.publishOwn('skill-framework', `${id}|1`, { id, name: `Framework ${f}`, version: '1', items });
    }
    // Crosswalks chain framework f to f+1, item for item: equivalents are found transitively.
    for (let f = 0; f + 1 < F; f += 1) {
      await publications.publishOwn('skill-crosswalk', `x${f}`, {
        id: `x${f}`,
        mappings: Array.from({ length: I }, (_, i) => ({
          source: `https://skills.example/f${f}/s${i}`,
          target: `https://skills.example/f${f + 1}/s${i}`,
          relation: i % 3 === 0 ? 'exactMatch' : 'closeMatch',
        })),
      });
    }
    const publishMs = performance.now() - publishStart;
    // The longest gap between turns of a 1 ms timer: how long the rebuild kept everything else waiting.
    let longestStall = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      longestStall = Math.max(longestStall, performance.now() - last);
      last = performance.now();
    }, 1);
    // The node rebuilds its catalog and then its search index in the background, in slices, once publications
    // pause.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const searchStart = performance.now();
    await catalog.search('warm up');
    const firstSearchMs = performance.now() - searchStart;
    longestStall = Math.max(longestStall, performance.now() - last);
    clearInterval(ticker);

    const queries = Array.from({ length: Q }, (_, q) => {
      const verb = VERBS[q % VERBS.length];
      const noun = NOUNS[(q * 5) % NOUNS.length];
      return q % 4 === 0
        ? noun.slice(0, 4)
        : q % 4 === 1
          ? `${verb} ${noun}`
          : q % 4 === 2
            ? `${noun} ${CONTEXTS[q % CONTEXTS.length].split(' ').pop()}`
            : `F${q % F}-${q % I}`;
    });
    const search: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      await catalog.search(q, { limit: 20 });
      search.push(performance.now() - t);
    }
    const scoped: number[] = [];
    for (const [k, q] of queries.slice(0, 500).entries()) {
      const t = performance.now();
      await catalog.search(q, { framework: `https://skills.example/f${k % F}` });
      scoped.push(performance.now() - t);
    }
    const equivalents: number[] = [];
    let found = 0;
    for (let k = 0; k < Q; k++) {
      const t = performance.now();
      found += catalog.equivalents(`https://skills.example/f${k % F}/s${k % I}`).length;
      equivalents.push(performance.now() - t);
    }
    console.log(`${F} frameworks × ${I} items = ${n} skills, ${F - 1} crosswalks of ${I} mappings`);
    console.log('| measurement | result |');
    console.log('|---|---|');
    console.log(`| publish (sign + store) all frameworks and crosswalks | ${(publishMs / 1000).toFixed(1)} s |`);
    console.log(
      `| first search 3 s after the last change; longest event-loop stall while the catalog rebuilt | ${firstSearchMs.toFixed(0)} ms; ${longestStall.toFixed(0)} ms |`,
    );
    console.log(
      `| search, ${Q} queries, top 20: p50 / p99 | ${percentile(search, 0.5).toFixed(2)} / ${percentile(search, 0.99).toFixed(2)} ms |`,
    );
    console.log(
      `| search within one framework, 500 queries: p50 / p99 | ${percentile(scoped, 0.5).toFixed(2)} / ${percentile(scoped, 0.99).toFixed(2)} ms |`,
    );
    console.log(
      `| equivalents (transitive, depth 4), ${Q} lookups: p50 / p99 | ${percentile(equivalents, 0.5).toFixed(3)} / ${percentile(equivalents, 0.99).toFixed(3)} ms (${(found / Q).toFixed(1)} found each) |`,
    );

    // The same store served by a node process (compiled, as `npm start` runs it), searched over HTTP.
    await database.close();
    open = false;
    const node = await startNodeProcess(
      dir,
      { LER_PUBLIC_RATE_LIMIT: '0', LER_READ_RATE_LIMIT: '0', LER_FROM_SOURCE: '0' },
      60_000,
    );
    try {
      let k = 0;
      const search = async () => {
        const res = await fetch(`${node.url}/skills/search?q=${encodeURIComponent(queries[k++ % queries.length])}`);
        if (res.status !== 200) throw new Error(`search answered ${res.status}`);
        await res.arrayBuffer();
      };
      await search(); // builds the index
      const seconds = Number(values.seconds);
      for (const clients of [1, 8]) {
        const f = await measure(search, clients, seconds);
        console.log(
          `| GET /skills/search over HTTP, ${clients} client(s): p50 / p99, rate | ${f.p50.toFixed(2)} / ${f.p99.toFixed(2)} ms, ${f.perSecond.toFixed(0)}/s |`,
        );
      }
    } finally {
      node.child.kill('SIGTERM');
      await node.exited;
    }
  } finally {
    if (open) await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
