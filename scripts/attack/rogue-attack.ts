/**
 * Phase 2, rogue peer: two honest `ler-node` processes share a network (a 1-of-1 governor key the harness
 * holds; both institutions and the rogue's own key are members). Round after round a fresh rogue libp2p
 * identity connects to both, publishes hostile entries and publications on the network's gossip topic and
 * answers their `/ler/sync/1.0.0` pulls with hostile entries, invented networks, fake inventories and
 * publications. An observer peer connected only to the honest nodes records what they forward. At the
 * end: what each honest node stored, followed, forwarded, and whether a revocation was undone.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { networkTopic } from '../../protocol/constants.ts';
import { generateGovernorKey, signActionId } from '../../protocol/signing/governor-keys.ts';
import type { Publication } from '../../registry/publications.ts';
import { type Api, api, issue, type Loose } from './api.ts';
import { type AttackNode, startNode } from './node-process.ts';
import { askSync, type HarnessHost, observe, serveSync, sha256, startHarnessHost } from './rogue-hosts.ts';
import {
  controlEntry,
  hostileEntry,
  hostilePublication,
  type Item,
  inventedNetwork,
  paddedGenuine,
  type RogueWorld,
  signPublication,
} from './rogue-mutations.ts';

export interface RogueOptions {
  mutations: number;
  seed: number;
  log: (line: string) => void;
}

export interface RogueFigures {
  mutations: number;
  gossipSent: number;
  syncEntriesServed: number;
  syncRequestsAnswered: number;
  hostileRequests: number;
  inventoryPagesServed: number;
  /** Per kind: sent, and (item × honest node) stored and forwarded. */
  byKind: Record<string, { sent: number; stored: number; forwarded: number }>;
  storedUnsigned: number;
  forwardedUnsigned: number;
  inventedNetworksStored: number;
  inventedNetworksAdopted: number;
  revocationsUndone: number;
  equivocationEvidence: number;
  controlAccepted: number;
  honestRss: Array<{ before: number; after: number }>;
  notes: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await what()) return true;
    await sleep(200);
  }
  return false;
}

async function statusFailed(node: Api, vc: Loose): Promise<boolean> {
  const { body } = await node.call('POST', '/credentials/verify', { verifiableCredential: vc }, false);
  return (body.checks ?? []).find((c: Loose) => c.name === 'status')?.status === 'failed';
}

const GOSSIP_PER_ROUND = 100;
const SYNC_ENTRIES_PER_ROUND = 60;
const SYNC_PUBLICATIONS_PER_ROUND = 20;
const FAKE_INVENTORY_PAGES_PER_ROUND = 4;

/** Malformed gossip: not JSON, wrong types, too large, too deep. */
function malformedGossip(): fc.Arbitrary<Item> {
  const item = (kind: string, gossip: string): Item => ({
    kind: `gossip: ${kind}`,
    entitled: false,
    text: gossip,
    gossip,
  });
  return fc.oneof(
    fc.constant(0).map(() => item('not JSON', `{"type":"action",${Math.random()}`)),
    fc.constant(0).map(() => item('unknown type', JSON.stringify({ type: 'takeover', nonce: Math.random() }))),
    fc
      .constant(0)
      .map(() => item('entry not an object', JSON.stringify({ type: 'action', entry: `x${Math.random()}` }))),
    fc
      .constant(0)
      .map(() =>
        item(
          'larger than 1 MiB',
          JSON.stringify({ type: 'action', entry: { pad: 'x'.repeat(1_100_000), n: Math.random() } }),
        ),
      ),
    fc
      .constant(0)
      .map(() =>
        item(
          'nested 10,000 deep',
          `{"type":"action","n":${Math.random()},"entry":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
        ),
      ),
  );
}

export async function rogueAttack(options: RogueOptions): Promise<RogueFigures> {
  const dirs = [
    mkdtempSync(join(tmpdir(), 'ler-attack-honest-a-')),
    mkdtempSync(join(tmpdir(), 'ler-attack-honest-b-')),
  ];
  const notes: string[] = [];
  const hosts: HarnessHost[] = [];
  const nodes: AttackNode[] = [];
  try {
    const a = await startNode({ dataDir: dirs[0], verifyWorkers: 0 });
    nodes.push(a);
    const b = await startNode({ dataDir: dirs[1], verifyWorkers: 0, bootstrap: [a.multiaddr] });
    nodes.push(b);
    const apiA = api(a.url, a.token);
    const apiB = api(b.url, b.token);
    const governor = generateGovernorKey();
    const member = generateGovernorKey();
    const outsiders = [generateGovernorKey(), generateGovernorKey(), generateGovernorKey()];
    const created = await apiA.must('POST', '/networks', {
      name: 'Honest Network',
      governors: [governor.did],
      threshold: 1,
    });
    const network = created.proposal.id as string;
    const approve = (id: string) =>
      apiA.must('POST', `/proposals/${id}/approvals`, { signer: governor.did, signature: signActionId(governor, id) });
    await approve(network);
    for (const [did, name] of [
      [a.did, 'Honest A'],
      [b.did, 'Honest B'],
      [member.did, 'Rogue Member'],
    ]) {
      const p = await apiA.must('POST', '/proposals', {
        network,
        action: {
          type: 'member.add',
          did,
          name,
          accreditations: [{ credentialTypes: ['OpenBadgeCredential', 'AchievementCredential'] }],
        },
      });
      await approve(p.proposal.id);
    }
    // Followed explicitly on both: a node may (after issue 16) only offer, not adopt, a network listing it.
    await apiA.must('POST', '/follows', { network });
    await apiB.must('POST', '/follows', { network });
    if (!(await until(async () => (await apiB.call('GET', `/networks/${network}`)).body.members === 3, 30_000)))
      notes.push('B did not replicate the network within 30 s');
    const world: RogueWorld = { network, governor, honest: [a.did, b.did], member, outsiders };

    // A credential of A, revoked; the list as it was before the revocation is what a rogue member republishes.
    const credential = await issue(apiA, a.did, 'eddsa-jcs-2022');
    const listId = String(credential.credentialStatus.statusListCredential);
    const ownList = async () =>
      (
        (await apiA.call('GET', `/publications?publisher=${encodeURIComponent(a.did)}&kind=status-list`)).body
          .publications ?? []
      ).find((p: Publication) => p.id === listId) as Publication | undefined;
    await until(async () => (await ownList()) !== undefined, 10_000);
    const oldList = await ownList();
    await apiA.must('POST', '/credentials/status', { credentialId: credential.id, status: true });
    if (!(await until(() => statusFailed(apiB, credential), 30_000)))
      notes.push('B did not see the revocation within 30 s (before the attack)');

    const observer = await startHarnessHost([a.peerId, b.peerId]);
    hosts.push(observer);
    observer.subscribe(network);
    const observed = observe(observer);
    await observer.dial(a.multiaddr);
    await observer.dial(b.multiaddr);

    for (const n of nodes) await n.gc();
    const rssBefore = await Promise.all(nodes.map((n) => n.rssMiB()));

    const items: Item[] = [];
    const byGossipHash = new Map<string, Item>();
    const invented: string[] = [];
    let requestsSent = 0;
    let inventedEntries = 0;
    const figures = { gossipSent: 0, syncEntriesServed: 0, syncRequestsAnswered: 0, inventoryPagesServed: 0 };
    const perRound = GOSSIP_PER_ROUND + SYNC_ENTRIES_PER_ROUND + SYNC_PUBLICATIONS_PER_ROUND;
    const rounds = Math.max(1, Math.ceil(options.mutations / perRound));
    const topic = networkTopic(network);
    const control = controlEntry(world);
    items.push(control);

    for (let round = 0; round < rounds; round++) {
      const seed = options.seed * 1000 + round;
      // First what an honest node may take (a relayed control action, padding beside a genuine entry, a
      // member republishing A's older list under its own name at A's list address (finding 10), two bodies
      // for one version (finding 14)): gossipsub scoring may grey-list this identity once it sees the rest.
      const gossip: Item[] = [];
      if (round === 0) gossip.push(control);
      const padded = paddedGenuine(world, 900);
      gossip.push({ ...padded, gossip: `{"type":"action","entry":${padded.text}}` });
      if (oldList) {
        const republished = signPublication(member, {
          kind: 'status-list',
          id: oldList.id,
          version: oldList.version + 100 + round,
          publishedAt: new Date().toISOString(),
          body: oldList.body,
        });
        gossip.push({
          kind: "publication: another issuer's list republished",
          entitled: true,
          text: JSON.stringify(republished),
          signature: republished.proof.signature,
          gossip: JSON.stringify({ type: 'publication', publication: republished }),
        });
      }
      const eqId = `https://rogue.example/equivocation/${round}`;
      for (const note of ['one', 'two']) {
        const p = signPublication(member, {
          kind: 'achievement',
          id: eqId,
          version: 1,
          publishedAt: new Date().toISOString(),
          body: { id: eqId, type: ['Achievement'], name: 'Equivocation', description: note },
        });
        gossip.push({
          kind: 'publication: equivocating member',
          entitled: true,
          text: JSON.stringify(p),
          signature: p.proof.signature,
          gossip: JSON.stringify({ type: 'publication', publication: p }),
        });
      }
      const entries = fc.sample(hostileEntry(world), { numRuns: Math.ceil(GOSSIP_PER_ROUND * 0.55), seed });
      const publications = fc.sample(hostilePublication(world, oldList), {
        numRuns: Math.ceil(GOSSIP_PER_ROUND * 0.3),
        seed: seed + 1,
      });
      const malformed = fc.sample(malformedGossip(), { numRuns: Math.ceil(GOSSIP_PER_ROUND * 0.1), seed: seed + 2 });
      gossip.push(...entries.map((e) => ({ ...e, gossip: `{"type":"action","entry":${e.text}}` })));
      gossip.push(...publications.map((p) => ({ ...p, gossip: `{"type":"publication","publication":${p.text}}` })));
      gossip.push(...malformed);
      const syncEntries = fc
        .sample(hostileEntry(world), { numRuns: SYNC_ENTRIES_PER_ROUND, seed: seed + 3 })
        .map((e) => ({ ...e, kind: `sync ${e.kind}` }));
      const made = inventedNetwork(world, round);
      invented.push(made.id);
      inventedEntries += made.entries.length;
      const inventedText = made.entries.map((e) => JSON.stringify(e));
      const syncPublications = fc
        .sample(hostilePublication(world, oldList), { numRuns: SYNC_PUBLICATIONS_PER_ROUND, seed: seed + 4 })
        .map((p) => ({ ...p, kind: `sync ${p.kind}` }));
      items.push(...gossip.filter((g) => g !== control), ...syncEntries, ...syncPublications);
      for (const g of gossip) if (g.gossip) byGossipHash.set(sha256(g.gossip), g);

      const rogue = await startHarnessHost();
      hosts.push(rogue);
      const asked = new Map<string, Set<string>>();
      let pages = 0;
      const served = new Set<string>();
      await serveSync(
        rogue,
        (request, from) => {
          figures.syncRequestsAnswered++;
          const net = String(request.network ?? network);
          switch (request.type) {
            case 'digest':
              return {
                type: 'digest',
                digests: [...(request.networks as string[]), ...invented].map((n) => ({
                  network: n,
                  inventory: `rogue-${Math.random()}`,
                  count: 999_999,
                  publications: `rogue-${Math.random()}`,
                })),
              };
            case 'inventory': {
              pages++;
              figures.inventoryPagesServed++;
              const fake = Array.from({ length: 5000 }, (_, i) => [
                `fake-${round}-${pages}-${i}-${'f'.repeat(40)}`.slice(0, 99),
                9,
              ]);
              const real = pages === 1 ? syncEntries.map((e) => [e.actionId, 9]) : [];
              return {
                type: 'inventory',
                network: net,
                items: [...real, ...fake],
                ...(pages % FAKE_INVENTORY_PAGES_PER_ROUND !== 0 ? { next: `page-${round}-${pages}` } : {}),
              };
            }
            case 'get': {
              // Whatever was asked for: the round's hostile entries and an invented network, once per peer.
              const texts = served.has(from) ? [] : [...syncEntries.map((e) => e.text), ...inventedText];
              figures.syncEntriesServed += texts.length;
              served.add(from);
              return `{"type":"get","network":${JSON.stringify(net)},"entries":[${texts.join(',')}]}`;
            }
            case 'publications':
              return `{"type":"publications","network":${JSON.stringify(net)},"items":[${syncPublications.map((p) => p.text).join(',')}]}`;
            default:
              return { type: 'error', code: 'NO', message: 'no' };
          }
        },
        (request, from) => {
          const set = asked.get(from) ?? new Set();
          set.add(String(request.type));
          asked.set(from, set);
        },
      );
      rogue.subscribe(network);
      await rogue.dial(a.multiaddr);
      await rogue.dial(b.multiaddr);
      const pubsub = rogue.host.services.pubsub;
      await until(async () => pubsub.getSubscribers(topic).length >= 2, 10_000);
      for (const g of gossip) {
        try {
          await pubsub.publish(topic, Buffer.from(g.gossip ?? g.text));
          // A moment between messages, as a peer would send them; a burst only measures queueing.
          await sleep(5);
          figures.gossipSent++;
        } catch (error) {
          // The same bytes twice (a replayed publication) are one gossip message: not sent again.
          if (!/Duplicate/.test((error as Error).message))
            notes.push(`gossip publish failed: ${(error as Error).message.slice(0, 100)}`);
        }
      }
      // Let both honest nodes finish the pull they started on connect.
      await until(
        async () => [...asked.values()].filter((s) => s.has('get') || s.has('publications')).length >= 2,
        20_000,
      );
      await sleep(1_500);
      // The rogue as a requester: hostile sync requests to each honest node.
      for (const node of nodes) {
        for (const body of [
          'not json',
          JSON.stringify({ type: 'get', network, ids: Array.from({ length: 5000 }, (_, i) => `x${i}`) }),
          JSON.stringify({ type: 'inventory', network, limit: 1e9 }),
          JSON.stringify({ type: 'publications', network, after: 'x'.repeat(2000), limit: 1e9 }),
          JSON.stringify({ type: '__proto__', network }),
          JSON.stringify({ type: 'digest', networks: Array.from({ length: 1000 }, () => network) }),
        ]) {
          await askSync(rogue, node.peerId, Buffer.from(body));
          requestsSent++;
        }
      }
      await rogue.stop();
      hosts.splice(hosts.indexOf(rogue), 1);
      options.log(
        `rogue: round ${round + 1}/${rounds}: ${figures.gossipSent} gossip, ${figures.syncEntriesServed} sync entries, ${figures.inventoryPagesServed} fake inventory pages`,
      );
      if (!nodes.every((n) => n.alive())) throw new Error('an honest node died');
    }
    await sleep(2_000);

    // What the honest nodes kept.
    const byKind: RogueFigures['byKind'] = {};
    const tally = (item: Item, what: 'sent' | 'stored' | 'forwarded') => {
      byKind[item.kind] ??= { sent: 0, stored: 0, forwarded: 0 };
      byKind[item.kind][what]++;
    };
    for (const item of items) tally(item, 'sent');
    let storedUnsigned = 0;
    let inventedNetworksStored = 0;
    let inventedNetworksAdopted = 0;
    let revocationsUndone = 0;
    let equivocationEvidence = 0;
    let controlAccepted = 0;
    const publishers = [a.did, b.did, member.did, outsiders[0].did];
    for (const client of [apiA, apiB]) {
      const exported = await client.call('GET', `/networks/${network}/export`);
      const stored = new Set<string>((exported.body.actions ?? []).map((e: Loose) => e.id));
      const proposals = await client.call('GET', `/proposals?network=${network}`);
      for (const p of proposals.body.proposals ?? []) stored.add(p.id);
      const signatures = new Set<string>();
      for (const p of publishers) {
        const { body } = await client.call('GET', `/publications?publisher=${encodeURIComponent(p)}`);
        for (const pub of body.publications ?? []) signatures.add(pub.proof?.signature);
        if (p === member.did && (body.equivocations ?? []).length > 0) equivocationEvidence++;
      }
      for (const item of items) {
        const hit = (item.actionId && stored.has(item.actionId)) || (item.signature && signatures.has(item.signature));
        if (!hit) continue;
        tally(item, 'stored');
        if (!item.entitled) storedUnsigned++;
      }
      if (stored.has(control.actionId!)) controlAccepted++;
      const networks = new Set<string>(
        ((await client.call('GET', '/networks')).body.networks ?? []).map((n: Loose) => n.id),
      );
      const follows = new Set<string>((await client.call('GET', '/follows')).body.follows ?? []);
      inventedNetworksStored += invented.filter((id) => networks.has(id)).length;
      inventedNetworksAdopted += invented.filter((id) => follows.has(id)).length;
      if (!(await statusFailed(client, credential))) revocationsUndone++;
    }
    // What they forwarded to the observer (it is connected to nobody else).
    let forwardedUnsigned = 0;
    const forwarded = new Set<Item>();
    const honestPeers = new Set([a.peerId, b.peerId]);
    for (const message of observed) {
      if (!honestPeers.has(message.from)) continue;
      const item = byGossipHash.get(sha256(message.data));
      if (item && !forwarded.has(item)) {
        forwarded.add(item);
        tally(item, 'forwarded');
        // Padding is signed by nobody: forwarding it whole forwards unsigned bytes.
        if (!item.entitled || item.kind.includes('padding')) forwardedUnsigned++;
      }
    }
    for (const n of nodes) await n.gc();
    const rssAfter = await Promise.all(nodes.map((n) => n.rssMiB()));
    return {
      // Everything hostile the rogue made (the control excluded): gossip, sync entries and publications,
      // invented networks' entries, and its own hostile sync requests.
      mutations: items.length - 1 + inventedEntries + requestsSent,
      hostileRequests: requestsSent,
      ...figures,
      byKind,
      storedUnsigned,
      forwardedUnsigned,
      inventedNetworksStored,
      inventedNetworksAdopted,
      revocationsUndone,
      equivocationEvidence,
      controlAccepted,
      honestRss: rssBefore.map((before, i) => ({ before, after: rssAfter[i] })),
      notes: [...new Set(notes)],
    };
  } finally {
    for (const h of hosts) await h.stop();
    for (const n of nodes) await n.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
}
