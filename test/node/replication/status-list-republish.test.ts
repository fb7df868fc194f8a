import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkTopic } from '../../../protocol/constants.ts';
import { signActionId } from '../../../protocol/signing/governor-keys.ts';
import type { Publication } from '../../../registry/publications.ts';
import { sampleBadge } from '../../helpers/node.ts';
import { connect, type Peer, startPeer, until } from '../../helpers/peers.ts';
import { governors } from '../../helpers/registry.ts';
import { signAs } from '../../helpers/rogue.ts';

const [g1, g2] = governors(2);
const hash = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('when a member republishes another issuer’s older status list', () => {
  let holder: Peer;
  let rogue: Peer;
  let relay: Peer;
  let follower: Peer;
  let network: string;
  let credential: Record<string, unknown>;
  let older: Publication;
  const fromRelay: string[] = [];

  const listsOf = (p: Peer, publisher: string) => p.components.publications.list({ kind: 'status-list', publisher });
  const status = async (p: Peer) =>
    (await p.components.verifier.verifyCredential(credential)).checks.find((c) => c.name === 'status');

  beforeAll(async () => {
    [holder, rogue, relay, follower] = [await startPeer(), await startPeer(), await startPeer(), await startPeer()];
    const registry = holder.components.registry;
    const govern = async (id: string) => {
      for (const g of [g1, g2]) await registry.approve(id, { signer: g.did, signature: signActionId(g, id) });
    };
    const created = await registry.createNetwork({ name: 'Two Colleges', governors: [g1.did, g2.did], threshold: 2 });
    await govern(created.id);
    network = created.id;
    for (const [p, name] of [
      [holder, 'Honest College'],
      [rogue, 'Rogue College'],
    ] as const) {
      const add = await registry.propose(network, {
        type: 'member.add',
        did: p.components.identity.did,
        name,
        accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
      });
      await govern(add.id);
    }
    for (const p of [rogue, relay, follower]) await p.components.follows.add(network);
    await connect(holder, relay);
    await connect(rogue, relay);
    await connect(relay, follower);
    const H = holder.components.identity.did;
    credential = await holder.components.issuer.issue(sampleBadge());
    await until(() => listsOf(follower, H).length === 1, 'the first list at the follower');
    [older] = listsOf(follower, H);
    await holder.components.issuer.setStatus(String(credential.id), 'revocation', true);
    await until(async () => (await status(follower))?.code === 'REVOKED', 'the revocation at the follower');
    const topic = networkTopic(network);
    await until(() => rogue.host.services.pubsub.getMeshPeers(topic).length > 0, 'the rogue in the mesh');
    const validator = follower.host.services.pubsub.topicValidators.get(topic)!;
    follower.host.services.pubsub.topicValidators.set(topic, (p, m) => {
      if (p.equals(relay.host.peerId)) fromRelay.push(hash(m.data));
      return validator(p, m);
    });
  });
  afterAll(async () => {
    for (const p of [holder, rogue, relay, follower]) await p?.destroy();
  });

  it('is neither stored nor forwarded, and the revoked credential stays revoked', async () => {
    const H = holder.components.identity.did;
    const newest = listsOf(follower, H)[0];
    expect(newest.version).toBeGreaterThan(older.version);
    const republished = await signAs(rogue, {
      kind: 'status-list',
      id: older.id,
      version: newest.version + 10,
      publishedAt: new Date().toISOString(),
      body: older.body,
    });
    const bytes = Buffer.from(JSON.stringify({ type: 'publication', publication: republished }));
    await rogue.host.services.pubsub.publish(networkTopic(network), bytes);
    // The way a sync pull hands it over, too.
    const direct = await follower.components.publications.ingest([republished], 'peer');
    expect(direct.rejected).toMatchObject([{ code: 'INVALID_PUBLICATION' }]);
    // Something genuine afterwards proves the path works.
    await holder.components.publications.publishOwn('achievement', 'https://college.example/a/1', {
      id: 'https://college.example/a/1',
      type: ['Achievement'],
      name: 'Wound Care',
    });
    await until(
      () => follower.components.publications.list({ kind: 'achievement' }).length === 1,
      'the genuine publication',
    );
    for (const p of [relay, follower]) {
      expect(listsOf(p, rogue.components.identity.did)).toEqual([]);
      expect(listsOf(p, H)).toMatchObject([{ version: newest.version }]);
    }
    expect(fromRelay).not.toContain(hash(bytes));
    // The genuine publications were forwarded as they came.
    expect(follower.replicator.stats().gossipReserialized).toBe(0);
    expect(await status(follower)).toMatchObject({ code: 'REVOKED' });
  });

  it('answers for a credential with its own issuer’s list even when another member claims the list’s URL', async () => {
    // The rogue's "own" list under the holder's URL, naming itself as issuer: a valid publication of its own,
    // but never the list of the holder's credentials.
    const { proof: _proof, ...unsigned } = older.body;
    const claim = await rogue.components.publications.publishOwn('status-list', older.id, {
      ...unsigned,
      issuer: rogue.components.identity.did,
    });
    await until(() => listsOf(follower, rogue.components.identity.did).length === 1, 'the claim at the follower');
    expect(claim.publisher).toBe(rogue.components.identity.did);
    expect(await status(follower)).toMatchObject({ code: 'REVOKED' });
  });
});
