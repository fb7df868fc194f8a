import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkTopic } from '../../../protocol/constants.ts';
import { signActionId } from '../../../protocol/signing/governor-keys.ts';
import type { SignedAction } from '../../../registry/types.ts';
import { connect, type Peer, startPeer, until } from '../../helpers/peers.ts';
import { governors, makeAction, signed } from '../../helpers/registry.ts';
import { answerSyncAs } from '../../helpers/rogue.ts';

const [g1, g2] = governors(2);
const [r1] = governors(1);
const hash = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('when a rogue peer sends unsigned proposals and padded messages', () => {
  let honest: Peer;
  let relay: Peer;
  let far: Peer;
  let rogue: Peer;
  let network: string;
  const fromRelayAtFar: Array<{ hash: string; bytes: number }> = [];
  // Honest nodes that ever had a direct connection to the rogue (discovery may dial it): they may receive its
  // padded message first-hand, and re-serialize it as the relay does.
  const metRogue = new Set<Peer>();

  async function admit(did: string) {
    const registry = honest.components.registry;
    const p = await registry.propose(network, { type: 'member.add', did, name: did });
    for (const g of [g1, g2]) await registry.approve(p.id, { signer: g.did, signature: signActionId(g, p.id) });
    return p.id;
  }
  const digests = () => [honest, relay, far].map((p) => p.components.registry.digest(network));
  const converged = () => new Set(digests()).size === 1;

  beforeAll(async () => {
    [honest, relay, far, rogue] = [await startPeer(), await startPeer(), await startPeer(), await startPeer()];
    for (const p of [honest, far]) {
      p.host.addEventListener('peer:connect', (event) => {
        if (event.detail.equals(rogue.host.peerId)) metRogue.add(p);
      });
    }
    const registry = honest.components.registry;
    const created = await registry.createNetwork({ name: 'Guarded', governors: [g1.did, g2.did], threshold: 2 });
    for (const g of [g1, g2])
      await registry.approve(created.id, { signer: g.did, signature: signActionId(g, created.id) });
    network = created.id;
    await admit(honest.components.identity.did);
    for (const p of [relay, far, rogue]) await p.components.follows.add(network);
    await connect(honest, relay);
    await connect(relay, far);
    await connect(rogue, relay);
    await until(converged, 'everyone in sync');
    const topic = networkTopic(network);
    await until(() => rogue.host.services.pubsub.getMeshPeers(topic).length > 0, 'the rogue in the mesh');
    const validator = far.host.services.pubsub.topicValidators.get(topic)!;
    far.host.services.pubsub.topicValidators.set(topic, (p, m) => {
      if (p.equals(relay.host.peerId)) fromRelayAtFar.push({ hash: hash(m.data), bytes: m.data.byteLength });
      return validator(p, m);
    });
  });
  afterAll(async () => {
    for (const p of [honest, relay, far, rogue]) await p?.destroy();
  });

  const unsigned = (fields: Record<string, unknown>): SignedAction =>
    signed(makeAction({ network, effectiveAt: new Date().toISOString(), ...fields } as never), []);

  it('neither stores, lists, forwards nor lets them change the digest; the padded one travels re-serialized', async () => {
    const topic = networkTopic(network);
    const suspend = unsigned({ type: 'member.suspend', did: honest.components.identity.did });
    const takeover = unsigned({ type: 'governance.update', governors: [r1.did], threshold: 1 });
    // Genuinely signed by one governor (so pending), with 900 KiB riding outside the action.
    const proposal = signed(
      makeAction({
        type: 'member.add',
        network,
        effectiveAt: new Date().toISOString(),
        did: 'did:web:p.example',
        name: 'P',
      }),
      [g1],
    );
    const messages: Buffer[] = [];
    // Gossip is best effort (a message can miss a mesh still forming): the rogue repeats itself, as an attacker
    // would, with fresh bytes each time (gossipsub drops a message it has already published).
    const attack = async (round: number) => {
      const batch = [
        Buffer.from(JSON.stringify({ type: 'action', entry: suspend, round })),
        Buffer.from(JSON.stringify({ type: 'action', entry: takeover, round })),
        Buffer.from(JSON.stringify({ type: 'action', entry: { ...proposal, padding: 'x'.repeat(900 * 1024), round } })),
      ];
      messages.push(...batch);
      for (const m of batch) await rogue.host.services.pubsub.publish(topic, m).catch(() => undefined);
    };
    let round = 0;
    await attack(round);
    await until(async () => {
      if (relay.components.registry.proposal(proposal.id) !== undefined) return true;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      if (relay.components.registry.proposal(proposal.id) !== undefined) return true;
      await attack(++round);
      return false;
    }, 'the relay to receive the rogue’s messages');
    // A genuine change afterwards still flows, so what follows is not vacuous.
    const genuine = await admit('did:web:real.example');
    await until(
      () =>
        far.components.registry.proposal(proposal.id) !== undefined &&
        far.components.registry.proposal(genuine)?.status === 'applied',
      'the padded proposal (re-serialized) and the genuine change at the far node',
    );
    await until(converged, 'convergence');

    for (const p of [honest, relay, far]) {
      for (const bad of [suspend, takeover]) expect(p.components.registry.proposal(bad.id)).toBeUndefined();
      const pending = p.components.registry.proposals({ network, pending: true }).map((v) => v.id);
      expect(pending).toEqual([proposal.id]);
    }
    expect(far.components.registry.proposal(proposal.id)?.signatures).toHaveLength(1);
    const seen = fromRelayAtFar.map((m) => m.hash);
    for (const m of messages) expect(seen).not.toContain(hash(m));
    expect(Math.max(...fromRelayAtFar.map((m) => m.bytes))).toBeLessThan(64 * 1024);
    // Whoever took the padded message from the rogue (the relay, or an honest node discovery let dial it) passed
    // it on re-serialized, not as it came.
    const tookFromRogue = [relay, ...[honest, far].filter((q) => metRogue.has(q))];
    expect(tookFromRogue.reduce((n, p) => n + p.replicator.stats().gossipReserialized, 0)).toBeGreaterThan(0);
    // Honest nodes serialize entries alike: what they relay is forwarded as it came.
    for (const p of [honest, far].filter((q) => !metRogue.has(q))) {
      expect(p.replicator.stats().gossipReserialized).toBe(0);
    }
    await until(() => relay.host.services.pubsub.getScore(rogue.host.peerId.toString()) < 0, 'the rogue penalized');
  });

  it('refuses unsigned entries in a sync answer', async () => {
    const entry = unsigned({ type: 'member.remove', did: honest.components.identity.did });
    await answerSyncAs(rogue, (request) => {
      if (request.type === 'digest')
        return { type: 'digest', digests: request.networks.map((n) => ({ network: n, inventory: 'other', count: 1 })) };
      if (request.type === 'inventory') return { type: 'inventory', network: request.network, items: [[entry.id, 0]] };
      if (request.type === 'get') return { type: 'get', network: request.network, entries: [entry] };
      return { type: 'publications', network: request.network, items: [] };
    });
    const before = relay.components.registry.digest(network);
    const result = await relay.replicator.syncWith(rogue.host.peerId);
    expect(result).toMatchObject({ accepted: 0, rejected: 1 });
    expect(relay.components.registry.proposal(entry.id)).toBeUndefined();
    expect(relay.components.registry.digest(network)).toBe(before);
  });
});
