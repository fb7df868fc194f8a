/**
 * Issue 16, finding 16: a rogue sync responder offers 304 inventory pages (1.52 M invented ids, as in the
 * attack) to a relay that follows the network; prints what the relay read and its peak heap and RSS during
 * the round. `COUNT=-1` offers ids that look held (only the page bound can stop the round); the default
 * offers missing ids (the missing-id bound stops it).
 *
 *   node --expose-gc --import tsx scripts/measure-sync-flood.ts
 */
import '../node/polyfills.ts';
import { SYNC_INVENTORY_PAGE } from '../protocol/constants.ts';
import { connect, startPeer } from '../test/helpers/peers.ts';
import { answerSyncAs } from '../test/helpers/rogue.ts';

const PAGES = 304;
const count = Number(process.env.COUNT ?? 1);
const relay = await startPeer({ syncIntervalMs: 3_600_000 });
const rogue = await startPeer();
const followed = 'n'.repeat(43);
await relay.components.follows.add(followed);
let pages = 0;
await answerSyncAs(rogue, (request) => {
  if (request.type === 'digest')
    return { type: 'digest', digests: [{ network: followed, inventory: 'x', count: PAGES * SYNC_INVENTORY_PAGE }] };
  if (request.type === 'inventory') {
    pages++;
    const prefix = String(pages).padStart(6, '0');
    const items = Array.from({ length: SYNC_INVENTORY_PAGE }, (_, i) => [
      `${prefix}${String(i).padStart(6, '0')}${'x'.repeat(31)}`,
      count,
    ]);
    return { type: 'inventory', network: followed, items, ...(pages < PAGES ? { next: items.at(-1)?.[0] } : {}) };
  }
  if (request.type === 'get') return { type: 'get', network: followed, entries: [] };
  return { type: 'publications', network: followed, items: [] };
});
(globalThis as { gc?: () => void }).gc?.();
const before = process.memoryUsage();
let peakHeap = 0;
let peakRss = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
}, 20);
await connect(relay, rogue);
const started = Date.now();
const result = await relay.replicator.syncWith(rogue.host.peerId).catch((error) => ({ error: String(error) }));
clearInterval(sampler);
const mb = (n: number) => Math.round(n / 1e6);
console.log(
  JSON.stringify({
    pagesServed: pages,
    result: { ...result, peer: undefined },
    ms: Date.now() - started,
    heapBeforeMB: mb(before.heapUsed),
    peakHeapMB: mb(peakHeap),
    rssBeforeMB: mb(before.rss),
    peakRssMB: mb(peakRss),
  }),
);
await relay.destroy();
await rogue.destroy();
process.exit(0);
