import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeMetrics, type NodeMetrics } from '../../../node/observability/metrics.ts';
import { bindNodeSources } from '../../../node/observability/node-sources.ts';
import { networkTopic } from '../../../protocol/constants.ts';
import { capturedLogger } from '../../helpers/logs.ts';
import { type Exposition, parseExposition } from '../../helpers/metrics.ts';
import { connect, type Peer, startPeer, until } from '../../helpers/peers.ts';
import { governance, governors, makeAction, signed } from '../../helpers/registry.ts';
import { answerSyncAs } from '../../helpers/rogue.ts';

const [g1] = governors(1);
const [outsiderKey] = governors(1);

describe('when two real libp2p nodes replicate a network', () => {
  let a: Peer;
  let b: Peer;
  let rogue: Peer;
  let network: string;
  const metricsA = createNodeMetrics({ version: 'test' });
  const metricsB = createNodeMetrics({ version: 'test' });
  const logB = capturedLogger();
  const scrape = async (metrics: NodeMetrics): Promise<Exposition> => parseExposition(await metrics.exposition());

  beforeAll(async () => {
    // No periodic rounds: every round in this test is one the test caused.
    a = await startPeer({ metrics: metricsA, syncIntervalMs: 3_600_000 });
    b = await startPeer({ metrics: metricsB, logger: logB.logger, syncIntervalMs: 3_600_000 });
    for (const [peer, metrics] of [
      [a, metricsA],
      [b, metricsB],
    ] as const) {
      bindNodeSources(metrics, {
        host: peer.host,
        follows: peer.components.follows,
        replicator: peer.replicator,
        dataDir: peer.dir,
      });
    }
    network = await governance(a.components.registry, [g1]).createNetwork('Observed');
    // Followed before the connection, so the round on connect pulls the network.
    await b.components.follows.add(network);
    await connect(b, a);
    await until(() => b.components.registry.network(network) !== undefined, 'b to hold the network');
    // The round is counted when it ends, a moment after the entry it brought is stored.
    await until(
      async () => (await scrape(metricsB)).value('ler_sync_items_total', { outcome: 'accepted' }) > 0,
      'the round to be counted',
    );
  }, 30_000);
  afterAll(async () => {
    for (const p of [a, b, rogue]) await p?.destroy();
  });

  it('counts the sync rounds and the entries they brought, and logs the round and the peer', async () => {
    const before = await scrape(metricsB);
    expect(before.value('ler_sync_items_total', { outcome: 'accepted' })).toBe(1);
    expect(before.value('ler_peers_connected')).toBe(1);
    expect(before.value('ler_replica_synced', { network })).toBe(1);
    expect(before.value('ler_replica_lag_seconds', { network })).toBeGreaterThanOrEqual(0);
    expect(before.value('ler_replica_lag_seconds', { network })).toBeLessThan(60);

    await b.replicator.syncWith(a.host.peerId);
    const after = await scrape(metricsB);
    expect(after.value('ler_sync_rounds_total', { result: 'ok' })).toBe(
      before.value('ler_sync_rounds_total', { result: 'ok' }) + 1,
    );
    // Nothing new to fetch: the counters of entries did not move.
    expect(after.value('ler_sync_items_total')).toBe(before.value('ler_sync_items_total'));

    const lines = logB.lines();
    expect(lines.find((l) => l.msg === 'peer connected')).toMatchObject({ peer: a.host.peerId.toString() });
    expect(lines.find((l) => l.msg === 'sync round' && l.fetched > 0)).toMatchObject({
      level: 30,
      peer: a.host.peerId.toString(),
      accepted: 1,
      rejected: 0,
    });
  });

  it('counts a gossip message out at the sender and in, accepted, at the receiver, per network', async () => {
    const topic = networkTopic(network);
    await until(
      () =>
        a.host.services.pubsub.getSubscribers(topic).length > 0 &&
        b.host.services.pubsub.getSubscribers(topic).length > 0,
      'each to see the other subscribed',
    );
    const [beforeA, beforeB] = [await scrape(metricsA), await scrape(metricsB)];
    expect(beforeA.value('ler_gossip_topic_peers', { network })).toBe(1);
    const member = 'did:web:college.example';
    await governance(a.components.registry, [g1]).act(network, { type: 'member.add', did: member, name: 'College' });
    await until(() => b.components.registry.network(network)?.members[member] !== undefined, 'b to hold the member');
    await until(
      async () =>
        (await scrape(metricsB)).value('ler_gossip_received_total', { network, result: 'accepted' }) >
        beforeB.value('ler_gossip_received_total', { network, result: 'accepted' }),
      'the message to be counted',
    );
    const [afterA, afterB] = [await scrape(metricsA), await scrape(metricsB)];
    expect(afterA.value('ler_gossip_published_total', { network })).toBe(
      beforeA.value('ler_gossip_published_total', { network }) + 1,
    );
    expect(afterB.value('ler_gossip_received_total', { network, result: 'accepted' })).toBe(
      beforeB.value('ler_gossip_received_total', { network, result: 'accepted' }) + 1,
    );
  });

  it('counts and logs, with its reason, a gossip message it rejects', async () => {
    const before = await scrape(metricsB);
    const count = (e: Exposition) => e.value('ler_gossip_received_total', { network, result: 'rejected' });
    // Not a message of the protocol at all; gossipsub does not validate what its own node publishes.
    await a.host.services.pubsub.publish(networkTopic(network), new TextEncoder().encode('{"type":"nonsense"}'));
    await until(async () => count(await scrape(metricsB)) > count(before), 'b to reject the message');
    expect(count(await scrape(metricsB))).toBe(count(before) + 1);
    const line = logB.lines().find((l) => l.msg === 'gossip message rejected');
    expect(line).toMatchObject({ level: 40, peer: a.host.peerId.toString(), network });
    expect(line?.code).toMatch(/^[A-Z_]+$/);
    expect(line?.reason).toEqual(expect.any(String));
  });

  it('counts and logs, with its reason, an entry a sync round brought that it rejects', async () => {
    rogue = await startPeer({ syncIntervalMs: 3_600_000 });
    // Signed by a key that governs nothing: a peer's answer no honest node would give.
    const forged = signed(
      makeAction({
        type: 'member.add',
        network,
        did: 'did:web:forged.example',
        name: 'Forged',
        effectiveAt: new Date().toISOString(),
      } as never),
      [outsiderKey],
    );
    forged.signatures[0].signature = forged.signatures[0].signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    await answerSyncAs(rogue, (request) => {
      if (request.type === 'digest')
        return { type: 'digest', digests: [{ network, inventory: 'different', count: 1 }] };
      if (request.type === 'inventory') return { type: 'inventory', network, items: [[forged.id, 1]] };
      if (request.type === 'get') return { type: 'get', network, entries: [forged] };
      return { type: 'publications', network, items: [] };
    });
    const before = await scrape(metricsB);
    await connect(b, rogue);
    let result = await b.replicator.syncWith(rogue.host.peerId);
    // The connect may have started a round of its own, which the call above joined.
    if (result.rejected === 0) result = await b.replicator.syncWith(rogue.host.peerId);
    expect(result.rejected).toBe(1);
    const after = await scrape(metricsB);
    expect(after.value('ler_sync_items_total', { outcome: 'rejected' })).toBe(
      before.value('ler_sync_items_total', { outcome: 'rejected' }) + 1,
    );
    const line = logB.lines().find((l) => l.msg === 'sync entry rejected' && l.id === forged.id);
    expect(line).toMatchObject({ network, kind: 'action' });
    expect(line?.code).toMatch(/^[A-Z_]+$/);
    expect(line?.reason).toEqual(expect.any(String));
  });
});
