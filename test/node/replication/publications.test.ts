import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkTopic } from '../../../protocol/constants.ts';
import { signActionId } from '../../../protocol/signing/governor-keys.ts';
import type { Publication } from '../../../registry/publications.ts';
import { sampleBadge } from '../../helpers/node.ts';
import { connect, type Peer, startPeer, until } from '../../helpers/peers.ts';
import { governors } from '../../helpers/registry.ts';

const [g1, g2] = governors(2);
const achievement = (path: string, name: string) => ({
  id: `https://college.example/${path}`,
  type: ['Achievement'],
  name,
});

describe('member publications over libp2p', () => {
  let issuer: Peer;
  let relay: Peer;
  let verifier: Peer;
  let rogue: Peer;
  let network: string;

  beforeAll(async () => {
    [issuer, relay, verifier, rogue] = [await startPeer(), await startPeer(), await startPeer(), await startPeer()];
    const registry = issuer.components.registry;
    const genesis = await registry.createNetwork({
      name: 'Healthcare Talent',
      governors: [g1.did, g2.did],
      threshold: 2,
    });
    for (const g of [g1, g2])
      await registry.approve(genesis.id, { signer: g.did, signature: signActionId(g, genesis.id) });
    network = genesis.id;
    const add = await registry.propose(network, {
      type: 'member.add',
      did: issuer.components.identity.did,
      name: 'Riverside Community College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    for (const g of [g1, g2]) await registry.approve(add.id, { signer: g.did, signature: signActionId(g, add.id) });
    for (const p of [relay, verifier, rogue]) await p.components.follows.add(network);
    await connect(issuer, relay);
    await connect(relay, verifier);
    await connect(rogue, relay);
    await until(
      () => verifier.components.registry.network(network)?.members[issuer.components.identity.did] !== undefined,
      'membership at the verifier',
    );
  });
  afterAll(async () => {
    for (const p of [issuer, relay, verifier, rogue]) await p?.destroy();
  });

  const statusLists = (p: Peer) => p.components.publications.list({ kind: 'status-list' });

  it('lets a follower check status from its replica, and sees a revocation within seconds', async () => {
    const credential = await issuer.components.issuer.issue(sampleBadge());
    await until(() => statusLists(verifier).length === 1, 'the status list at the verifier');
    // The issuer's public URL (http://127.0.0.1:1) is unreachable: only the replica can answer.
    const before = await verifier.components.verifier.verifyCredential(credential);
    expect(before.checks.find((c) => c.name === 'status')).toMatchObject({ status: 'ok' });
    const started = Date.now();
    await issuer.components.issuer.setStatus(credential.id, 'revocation', true);
    await until(
      async () => {
        const report = await verifier.components.verifier.verifyCredential(credential);
        return report.checks.find((c) => c.name === 'status')?.code === 'REVOKED';
      },
      'the revocation at the verifier',
      5_000,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not take or forward a replayed stale publication', async () => {
    const [latest] = statusLists(verifier);
    expect(latest.version).toBeGreaterThan(1);
    const stale: Publication = { ...latest, version: 1 };
    // Stale and unsigned-for-this-version: either way it must go nowhere.
    const topic = networkTopic(network);
    const seen: string[] = [];
    const validator = verifier.host.services.pubsub.topicValidators.get(topic)!;
    // What the relay forwards (the rogue may also reach the verifier directly, through discovery).
    verifier.host.services.pubsub.topicValidators.set(topic, (p, m) => {
      if (p.equals(relay.host.peerId)) seen.push(createHash('sha256').update(m.data).digest('hex'));
      return validator(p, m);
    });
    const bytes = Buffer.from(JSON.stringify({ type: 'publication', publication: stale }, null, 1));
    await rogue.host.services.pubsub.publish(topic, bytes).catch(() => undefined);
    // Something genuine afterwards proves the path works.
    await issuer.components.publications.publishOwn(
      'achievement',
      'https://college.example/a/1',
      achievement('a/1', 'Wound Care'),
    );
    await until(
      () => verifier.components.publications.list({ kind: 'achievement' }).length === 1,
      'the genuine publication',
    );
    expect(seen).not.toContain(createHash('sha256').update(bytes).digest('hex'));
    expect(statusLists(verifier)[0].version).toBe(latest.version);
  });

  it('keeps two different bodies under one version as evidence and reports them', async () => {
    const first = await issuer.components.publications.publishOwn(
      'achievement',
      'https://college.example/a/2',
      achievement('a/2', 'A'),
      7,
    );
    await until(
      () =>
        verifier.components.publications
          .list({ kind: 'achievement' })
          .some((p) => p.id === 'https://college.example/a/2'),
      'the first body',
    );
    // The issuer equivocates: same version, other body (it stays only in its own evidence store)…
    const second = await issuer.components.publications.publishOwn(
      'achievement',
      'https://college.example/a/2',
      achievement('a/2', 'B'),
      7,
    );
    expect(second.body).not.toEqual(first.body);
    // …and a peer hands the second one to the verifier.
    const result = await verifier.components.publications.ingest([second], 'peer');
    expect(result.accepted).toEqual([]);
    const evidence = await verifier.components.publications.equivocations({ kind: 'achievement' });
    expect(evidence).toMatchObject([{ version: 7 }]);
    expect(evidence[0].publications.map((p) => p.body.name)).toEqual(['A', 'B']);
  });

  it('refuses publications from a DID that is not a member of a followed network', async () => {
    const outsider = await rogue.components.publications.publishOwn(
      'achievement',
      'https://college.example/a/9',
      achievement('a/9', 'Fake'),
    );
    const result = await verifier.components.publications.ingest([outsider], 'peer');
    expect(result.rejected).toMatchObject([{ code: 'NOT_A_MEMBER' }]);
  });
});
