import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { SYNC_INVENTORY_PAGE, SYNC_MAX_INVENTORY_PAGES, SYNC_MAX_MISSING } from '../../../protocol/constants.ts';
import type { SyncRequest } from '../../../protocol/messages.ts';
import { signActionId } from '../../../protocol/signing/governor-keys.ts';
import type { SyncResult } from '../../../protocol/sync/sync-protocol.ts';
import type { SignedAction } from '../../../registry/types.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';
import { connect, type Peer, startPeer, until } from '../../helpers/peers.ts';
import { genesis, governors, makeAction, signed } from '../../helpers/registry.ts';
import { answerSyncAs } from '../../helpers/rogue.ts';

const [g1, g2] = governors(2);
const [r1] = governors(1);

describe('when a rogue peer answers a relay’s sync pull with a network it made up', () => {
  let honest: Peer;
  let relay: Peer;
  let rogue: Peer;
  let outsider: TestNode;
  let network: string;
  let madeUp: SignedAction[];
  let pulled: SyncResult;

  beforeAll(async () => {
    [honest, relay, rogue] = [await startPeer(), await startPeer({ syncIntervalMs: 3_600_000 }), await startPeer()];
    outsider = await createTestNode();
    const registry = honest.components.registry;
    const created = await registry.createNetwork({ name: 'Genuine', governors: [g1.did, g2.did], threshold: 2 });
    for (const g of [g1, g2])
      await registry.approve(created.id, { signer: g.did, signature: signActionId(g, created.id) });
    network = created.id;
    const add = await registry.propose(network, {
      type: 'member.add',
      did: honest.components.identity.did,
      name: 'Genuine College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    for (const g of [g1, g2]) await registry.approve(add.id, { signer: g.did, signature: signActionId(g, add.id) });
    await relay.components.follows.add(network);

    // The made-up network: the rogue's own governor, listing the relay's institution (so it would be followed
    // and anchored), accrediting the outsider, and claiming the genuine issuer too.
    const origin = genesis([r1], 1, '2026-01-01T00:00:00Z', 'Totally Real Accreditor');
    const member = (did: string, at: string) =>
      signed(
        makeAction({
          type: 'member.add',
          network: origin.id,
          effectiveAt: at,
          did,
          name: did,
          accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
        }),
        [r1],
      );
    madeUp = [
      origin,
      member(relay.components.identity.did, '2026-01-02T00:00:00Z'),
      member(outsider.components.identity.did, '2026-01-03T00:00:00Z'),
      member(honest.components.identity.did, '2026-01-04T00:00:00Z'),
    ];
    await answerSyncAs(rogue, (request) => {
      if (request.type === 'digest')
        return {
          type: 'digest',
          digests: request.networks.map((n) => ({ network: n, inventory: 'forged', count: madeUp.length })),
        };
      if (request.type === 'inventory')
        return { type: 'inventory', network: request.network, items: madeUp.map((e) => [e.id, 1]) };
      if (request.type === 'get') return { type: 'get', network: request.network, entries: madeUp };
      return { type: 'publications', network: request.network, items: [] };
    });
    await connect(relay, honest);
    await until(() => relay.components.registry.network(network)?.members !== undefined, 'the genuine network');
    await connect(relay, rogue);
    pulled = await relay.replicator.syncWith(rogue.host.peerId);
  });
  afterAll(async () => {
    for (const p of [honest, relay, rogue]) await p?.destroy();
    await outsider?.close();
  });

  it('drops the foreign entries, and neither follows, offers nor anchors the made-up network', async () => {
    expect(pulled.accepted).toBe(0);
    expect(pulled.dropped).toBe(madeUp.length);
    const madeUpId = madeUp[0].id;
    expect(relay.components.registry.network(madeUpId)).toBeUndefined();
    expect(relay.components.follows.list()).not.toContain(madeUpId);
    expect(relay.components.follows.offers()).not.toContain(madeUpId);
    expect(relay.components.follows.trustAnchors()).not.toContain(madeUpId);
    expect(relay.replicator.stats().syncMisbehaviour).toBeGreaterThan(0);
    await until(() => relay.host.services.pubsub.getScore(rogue.host.peerId.toString()) < 0, 'the rogue penalized');
  });

  it('does not trust the issuer the made-up network accredits', async () => {
    const credential = await outsider.components.issuer.issue(sampleBadge());
    const report = await relay.components.verifier.verifyCredential(credential);
    expect(report.checks.find((c) => c.name === 'proof')).toMatchObject({ status: 'ok' });
    expect(report.checks.find((c) => c.name === 'trust')?.status).not.toBe('ok');
    expect(report.trustPath).toBeUndefined();
    expect(report.trusted).toBe(false);
  });

  it('reports a genuine issuer with its genuine networks only', async () => {
    const credential = await honest.components.issuer.issue(sampleBadge());
    const report = await relay.components.verifier.verifyCredential(credential);
    expect(report.issuer?.networks?.map((n: { id: string }) => n.id)).toEqual([network]);
  });
});

describe('when a network lists the institution, but nobody here asked to follow it', () => {
  it('is offered to the operator, and followed and anchored only once the operator accepts it', async () => {
    const [governing, member] = [await startPeer(), await startPeer()];
    try {
      const registry = governing.components.registry;
      const created = await registry.createNetwork({ name: 'Invites', governors: [g1.did, g2.did], threshold: 2 });
      for (const g of [g1, g2])
        await registry.approve(created.id, { signer: g.did, signature: signActionId(g, created.id) });
      const add = await registry.propose(created.id, {
        type: 'member.add',
        did: member.components.identity.did,
        name: 'Invited College',
        accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
      });
      for (const g of [g1, g2]) await registry.approve(add.id, { signer: g.did, signature: signActionId(g, add.id) });
      // How the member's node came to hold it does not matter (here: an import); holding it is not following it.
      await member.components.registry.ingest(registry.allActions(created.id));
      expect(member.components.follows.offers()).toEqual([created.id]);
      expect(member.components.follows.list()).not.toContain(created.id);
      expect(member.components.follows.trustAnchors()).toEqual([]);
      const app = createApp({
        components: member.components,
        version: 'test',
        health: () => ({ peerId: undefined, multiaddrs: [], networks: member.components.follows.list() }),
      });
      const offers = await app.request('/follows/offers');
      expect(await offers.json()).toMatchObject({ offers: [created.id], declined: [] });
      // Accepting is the operator's (authenticated) act.
      const accept = (headers: Record<string, string>) =>
        app.request('/follows', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ network: created.id }),
        });
      expect((await accept({})).status).toBe(401);
      expect((await accept({ authorization: `Bearer ${member.adminToken}` })).status).toBe(201);
      expect(await (await app.request('/follows')).json()).toMatchObject({ offers: [], explicit: [created.id] });
      expect(member.components.follows.offers()).toEqual([]);
      expect(member.components.follows.trustAnchors()).toEqual([created.id]);
    } finally {
      await governing.destroy();
      await member.destroy();
    }
  });
});

describe('when a rogue sync responder offers an endless inventory', () => {
  it('stops each round at the page and id bounds, and the next round reads on from there', async () => {
    const [relay, rogue] = [await startPeer({ syncIntervalMs: 3_600_000 }), await startPeer()];
    try {
      const followed = 'n'.repeat(43);
      await relay.components.follows.add(followed);
      let page = 0;
      // Ids with count -1 look held here (nothing to fetch), so only the page bound can end a round; with count 1
      // each id is missing, so the id bound ends it.
      let count = -1;
      // Every page is full and points to another; after 200 pages the rogue gives up.
      const received: SyncRequest[] = await answerSyncAs(rogue, (request) => {
        if (request.type === 'digest')
          return { type: 'digest', digests: [{ network: followed, inventory: 'endless', count: 1e9 }] };
        if (request.type === 'inventory') {
          page++;
          if (page > 200) return { type: 'error', code: 'GAVE_UP', message: 'the bound did not hold' };
          const prefix = String(page).padStart(6, '0');
          const items = Array.from({ length: SYNC_INVENTORY_PAGE }, (_, i) => [
            `${prefix}${String(i).padStart(6, '0')}${'x'.repeat(31)}`,
            count,
          ]);
          return { type: 'inventory', network: followed, items, next: items[items.length - 1][0] };
        }
        if (request.type === 'get') return { type: 'get', network: followed, entries: [] };
        return { type: 'publications', network: followed, items: [] };
      });
      const runsBefore = relay.replicator.stats().syncRuns;
      await connect(relay, rogue);
      const rounds = async () => {
        const start = received.length;
        const result = await relay.replicator.syncWith(rogue.host.peerId);
        return { result, requests: received.slice(start) };
      };
      // The connect starts a round of its own (after identify): let it end, so the rounds below are exactly the
      // ones asked for (a request during a running round gets the next round, decision 0045).
      await until(() => relay.replicator.stats().syncRuns > runsBefore, 'the on-connect round');
      const first = await rounds();
      const inventories = (rs: SyncRequest[]) => rs.filter((r) => r.type === 'inventory');
      const requested = (rs: SyncRequest[]) => rs.flatMap((r) => (r.type === 'get' ? r.ids : [])).length;
      expect(first.result.truncated).toBe(true);
      expect(inventories(first.requests)).toHaveLength(SYNC_MAX_INVENTORY_PAGES);
      const second = await rounds();
      const lastOfFirst = inventories(first.requests).at(-1)!;
      expect(inventories(second.requests)[0]).toMatchObject({ after: expect.any(String) });
      expect((inventories(second.requests)[0] as { after: string }).after > String(lastOfFirst.after)).toBe(true);
      expect(inventories(second.requests)).toHaveLength(SYNC_MAX_INVENTORY_PAGES);
      count = 1;
      const third = await rounds();
      expect(third.result.truncated).toBe(true);
      expect(requested(third.requests)).toBe(SYNC_MAX_MISSING);
      expect(inventories(third.requests).length).toBeLessThan(SYNC_MAX_INVENTORY_PAGES);
    } finally {
      await relay.destroy();
      await rogue.destroy();
    }
  });
});
