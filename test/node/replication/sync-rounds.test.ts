/**
 * Issue 17, goal 3: a pull requested while a pull from the same peer runs is served by a round that starts
 * after the request, not left to the periodic round (30 s by default). The running round read the peer's
 * digests, and this node's follow list, before the reason for the request existed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SignedAction } from '../../../registry/types.ts';
import { connect, type Peer, startPeer, until } from '../../helpers/peers.ts';
import { genesis, governors, makeAction, signed } from '../../helpers/registry.ts';

const govs = governors(3);

/** A network's genesis and `count` approved member additions, signed 2 of 3. */
function history(name: string, count: number): { network: string; entries: SignedAction[] } {
  const first = genesis(govs, 2, '2026-01-01T00:00:00Z', name);
  const entries = [first];
  for (let i = 0; i < count; i++) {
    entries.push(
      signed(
        makeAction({
          type: 'member.add',
          network: first.id,
          did: `did:web:${name.toLowerCase()}-${i}.example`,
          name: `${name} ${i}`,
          effectiveAt: new Date(Date.parse('2026-01-02T00:00:00Z') + i * 1000).toISOString(),
        }),
        govs.slice(0, 2),
      ),
    );
  }
  return { network: first.id, entries };
}

describe('pull rounds with one peer', () => {
  const peers: Peer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) await p.destroy();
  });

  it('pulls a network followed while a round with the peer runs right after that round, not at the periodic one', async () => {
    // No periodic round within the test: only rounds the replicator starts on purpose count.
    const a = await startPeer({ syncIntervalMs: 600_000 });
    const b = await startPeer({ syncIntervalMs: 600_000 });
    peers.push(a, b);
    // A large network keeps the first round busy; the small one is followed while it runs.
    const large = history('Large', 600);
    const small = history('Small', 2);
    for (const h of [large, small]) {
      await a.components.follows.add(h.network);
      const { rejected } = await a.components.registry.ingest(h.entries);
      expect(rejected).toEqual([]);
    }
    await connect(b, a);
    // The round on connect (nothing followed yet) is over before the test begins.
    await until(() => b.replicator.stats().syncRuns >= 1, 'the round on connect');

    await b.components.follows.add(large.network); // starts a round over [large]
    await b.components.follows.add(small.network); // asks for a round while that one runs
    expect(b.components.registry.inventoryDigest(large.network)?.count ?? 0).toBeLessThan(large.entries.length);

    await until(
      () => b.components.registry.inventoryDigest(small.network)?.count === small.entries.length,
      'the network followed during the round',
      90_000,
    );
    await until(
      () => b.components.registry.inventoryDigest(large.network)?.count === large.entries.length,
      'the large network',
      90_000,
    );
  }, 240_000);

  it('asks for the genesis of a network new to it first, wherever its id sorts in a bounded inventory', async () => {
    const a = await startPeer({ syncIntervalMs: 600_000 });
    const b = await startPeer({ syncIntervalMs: 600_000, syncBounds: { maxMissing: 5 } });
    peers.push(a, b);
    // A network whose genesis id sorts after the first 5 ids: a round that took the inventory in id order
    // would bring 5 entries refused for want of their network, and nothing else.
    let late = history('Late', 12);
    while (late.network <= late.entries.map((e) => e.id).sort()[5]) late = history('Late', 12);
    await a.components.follows.add(late.network);
    expect((await a.components.registry.ingest(late.entries)).rejected).toEqual([]);
    await b.components.follows.add(late.network);
    await connect(b, a);
    await until(
      () => b.components.registry.digest(late.network) === a.components.registry.digest(late.network),
      'the network in full',
      30_000,
    );
  }, 60_000);

  it('goes on at once after a round its bounds cut, until nothing is missing, across networks sharing the bound', async () => {
    // 5 missing actions per round, no periodic round within the test: without the next round starting at once
    // only the first 5 would arrive.
    const a = await startPeer({ syncIntervalMs: 600_000 });
    const b = await startPeer({ syncIntervalMs: 600_000, syncBounds: { maxMissing: 5 } });
    peers.push(a, b);
    const first = history('First', 11);
    const second = history('Second', 7);
    for (const h of [first, second]) {
      await a.components.follows.add(h.network);
      expect((await a.components.registry.ingest(h.entries)).rejected).toEqual([]);
      await b.components.follows.add(h.network);
    }
    // b already holds the newest entry of one network (as gossip brings news first): what the rounds bring of it
    // lands before what b holds.
    expect((await b.components.registry.ingest([first.entries[0], first.entries.at(-1)])).rejected).toEqual([]);
    await connect(b, a);

    const held = () =>
      [first, second].map((h) => b.components.registry.inventoryDigest(h.network)?.inventory ?? 'none');
    const source = [first, second].map((h) => a.components.registry.inventoryDigest(h.network)?.inventory);
    await until(() => held().every((d, i) => d === source[i]), 'both networks in full', 30_000);
    // 10 + 8 entries missing, 5 a round: the rounds that brought them were cut and went on by themselves.
    expect(b.replicator.stats().syncTruncated).toBeGreaterThanOrEqual(3);
    expect(b.replicator.stats().syncContinued).toBeGreaterThanOrEqual(3);
    // The replica is the source's: the same folded state, the same state digest.
    for (const h of [first, second]) {
      expect(b.components.registry.network(h.network)).toEqual(a.components.registry.network(h.network));
      expect(b.components.registry.digest(h.network)).toBe(a.components.registry.digest(h.network));
    }
  }, 60_000);
});
