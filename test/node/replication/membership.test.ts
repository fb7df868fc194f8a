/**
 * Issue 15, defect 11: a newly admitted member's node learns from its peers that a network lists its institution,
 * checks the network's signed log itself, offers it to its operator, and follows it once accepted (never as an
 * anchor). Real libp2p nodes on loopback; the rogue is a real node whose answers the test scripts.
 */
import type { PeerId } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { MEMBERSHIP_PROTOCOL, networkTopic } from '../../../protocol/constants.ts';
import { encodeJson } from '../../../protocol/messages.ts';
import { signActionId } from '../../../protocol/signing/governor-keys.ts';
import type { SignedAction } from '../../../registry/types.ts';
import { capturedLogger } from '../../helpers/logs.ts';
import { sampleBadge } from '../../helpers/node.ts';
import { connect, type Peer, startPeer, until } from '../../helpers/peers.ts';
import { governance, governors, makeAction, genesis as makeGenesis, signed } from '../../helpers/registry.ts';
import { answerSyncAs } from '../../helpers/rogue.ts';

const accreditations = [{ credentialTypes: ['OpenBadgeCredential'] }];
const statusOf = (r: { checks: Array<{ name: string; code?: string; status: string }> }) =>
  r.checks.find((c) => c.name === 'status');

/** Replaces `peer`'s membership handler: every listing answer names `networks`; returns the peers that asked. */
async function answerListingAs(peer: Peer, networks: string[]): Promise<PeerId[]> {
  const asked: PeerId[] = [];
  await peer.host.unhandle(MEMBERSHIP_PROTOCOL);
  await peer.host.handle(MEMBERSHIP_PROTOCOL, async (stream, connection) => {
    try {
      const lp = lpStream(stream);
      await lp.read();
      asked.push(connection.remotePeer);
      await lp.write(encodeJson({ type: 'listing', networks }));
      await stream.close();
    } catch (error) {
      stream.abort(error as Error);
    }
  });
  return asked;
}

/** Answers every sync pull of `network` with `entries`, whatever they are. */
function serveLog(peer: Peer, network: string, entries: SignedAction[]) {
  return answerSyncAs(peer, (request) => {
    switch (request.type) {
      case 'digest':
        return { type: 'digest', digests: [{ network, inventory: 'rogue', count: entries.length }] };
      case 'inventory':
        return { type: 'inventory', network, items: entries.map((e) => [e.id, Math.max(1, e.signatures.length)]) };
      case 'get':
        return { type: 'get', network, entries };
      default:
        return { type: 'publications', network, items: [] };
    }
  });
}

describe('when governors admit a member at another node (issue 15, defect 11)', () => {
  const peers: Peer[] = [];
  const peer = async (options: Parameters<typeof startPeer>[0] = {}) => {
    const p = await startPeer(options);
    peers.push(p);
    return p;
  };
  afterEach(async () => {
    for (const p of peers.splice(0)) await p.destroy();
  });

  it('offers the network to the member, follows it once accepted (not as an anchor), and its revocations reach a follower', async () => {
    const [g1, g2] = governors(2);
    const governing = await peer();
    const member = await peer();
    const gov = governance(governing.components.registry, [g1, g2]);
    const network = await gov.createNetwork('Retail–University Pathways');
    const follower = await peer({ anchors: [network] });
    await connect(follower, governing);
    // The member's node is connected, and never held the network.
    await connect(member, governing);
    const did = member.components.identity.did;
    expect(member.components.registry.network(network)).toBeUndefined();

    await gov.act(network, { type: 'member.add', did, name: 'Riverside College', accreditations });
    // Issued once admitted (accreditation counts at issuance time), before the member's node knows it.
    const credential = await member.components.issuer.issue(sampleBadge({ issuer: did }));
    // The admission notice from the governing node brings it; the member checked the log itself.
    await until(() => member.components.follows.offers().includes(network), 'the offer at the member');
    expect(member.components.follows.list()).not.toContain(network);
    expect(member.components.follows.trustAnchors()).not.toContain(network);

    const app = createApp({
      components: member.components,
      version: 'test',
      health: () => ({ multiaddrs: [], networks: member.components.follows.list() }),
    });
    const listed = (await (await app.request('/follows/offers')).json()) as Record<string, any>;
    expect(listed.offers).toEqual([network]);
    expect(listed.details[0]).toMatchObject({
      network,
      name: 'Retail–University Pathways',
      threshold: 2,
      member: { name: 'Riverside College', status: 'active' },
    });
    const accept = (token?: string) =>
      app.request(`/follows/offers/${network}/accept`, {
        method: 'POST',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await accept()).status).toBe(401);
    expect((await accept(member.adminToken)).status).toBe(201);
    expect(member.components.follows.list()).toContain(network);
    expect(member.components.follows.offers()).toEqual([]);
    // Now the operator's word, not the peer's: without --anchor an accepted network listing the institution is
    // one of its default anchors (decision 0014), as before this flow existed.
    expect(member.components.follows.trustAnchors()).toContain(network);

    const verifyAtFollower = () => follower.components.verifier.verifyCredential(credential);
    await until(async () => (await verifyAtFollower()).trusted, 'the member trusted and its list at the follower');
    await member.components.issuer.setStatus(String(credential.id), 'revocation', true);
    await until(async () => statusOf(await verifyAtFollower())?.code === 'REVOKED', 'the revocation at the follower');
  });

  it('tells only peers off the network of an admission: a follower has it by gossip', async () => {
    const [g1] = governors(1);
    const governing = await peer();
    const member = await peer();
    const gov = governance(governing.components.registry, [g1]);
    const network = await gov.createNetwork('Quiet Followers');
    const follower = await peer({ anchors: [network] });
    // The follower's membership handler records what it is told (and names nothing when asked).
    const told: string[] = [];
    await follower.host.unhandle(MEMBERSHIP_PROTOCOL);
    await follower.host.handle(MEMBERSHIP_PROTOCOL, async (stream) => {
      try {
        const lp = lpStream(stream);
        const request = JSON.parse(new TextDecoder().decode((await lp.read()).subarray()));
        told.push(request.type);
        await lp.write(encodeJson(request.type === 'listing' ? { type: 'listing', networks: [] } : { type: 'ok' }));
        await stream.close();
      } catch (error) {
        stream.abort(error as Error);
      }
    });
    await connect(follower, governing);
    await connect(member, governing);
    const topic = networkTopic(network);
    await until(
      () => governing.host.services.pubsub.getSubscribers(topic).some((p) => p.equals(follower.host.peerId)),
      'the follower on the network topic',
    );
    await gov.act(network, { type: 'member.add', did: member.components.identity.did, name: 'M', accreditations });
    await until(() => member.components.follows.offers().includes(network), 'the offer at the member');
    // A question after the notices went out comes back after them on the same connection's handler.
    const asked = told.filter((t) => t === 'listing').length;
    await governing.membership.ask(follower.host.peerId);
    await until(() => told.filter((t) => t === 'listing').length > asked, 'the follower asked once more');
    expect(follower.components.registry.network(network)?.members).toHaveProperty(member.components.identity.did);
    expect(told).not.toContain('admitted');
  });

  it('learns of an admission made while it was away when it connects', async () => {
    const [g1] = governors(1);
    const governing = await peer();
    const member = await peer();
    const gov = governance(governing.components.registry, [g1]);
    const network = await gov.createNetwork('Cyber Workforce');
    await gov.act(network, { type: 'member.add', did: member.components.identity.did, name: 'M', accreditations });
    await connect(member, governing);
    await until(() => member.components.follows.offers().includes(network), 'the offer on connect');
  });

  it('keeps a declined offer declined, and accepting it later still works', async () => {
    const [g1] = governors(1);
    const governing = await peer();
    const member = await peer();
    const gov = governance(governing.components.registry, [g1]);
    const network = await gov.createNetwork('Declined Network');
    await gov.act(network, { type: 'member.add', did: member.components.identity.did, name: 'M', accreditations });
    await connect(member, governing);
    await until(() => member.components.follows.offers().includes(network), 'the offer');
    const app = createApp({
      components: member.components,
      version: 'test',
      health: () => ({ multiaddrs: [], networks: [] }),
    });
    const post = (path: string) =>
      app.request(path, { method: 'POST', headers: { authorization: `Bearer ${member.adminToken}` } });
    expect((await post(`/follows/offers/${network}/decline`)).status).toBe(200);
    expect(member.components.follows.offers()).toEqual([]);
    expect(member.components.follows.declined()).toEqual([network]);
    // Asked again, the peer names it again: it stays declined (and is not pulled again).
    await member.membership.ask(governing.host.peerId);
    expect(member.components.follows.offers()).toEqual([]);
    expect((await post(`/follows/offers/${network}/accept`)).status).toBe(404);
    expect((await post(`/follows/offers/${'A'.repeat(43)}/decline`)).status).toBe(404);
    expect(
      (
        await app.request('/follows', {
          method: 'POST',
          headers: { authorization: `Bearer ${member.adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ network }),
        })
      ).status,
    ).toBe(201);
    expect(member.components.follows.declined()).toEqual([]);
  });
});

describe('when a peer lies that a network lists this institution', () => {
  const peers: Peer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) await p.destroy();
  });

  it('offers nothing for a forged, a non-governor or an unsigned admission, nor for a network that does not list it', async () => {
    const [member, rogue] = [await startPeer(), await startPeer()];
    peers.push(member, rogue);
    const did = member.components.identity.did;
    const [governor, outsider] = governors(2);
    const genesis = makeGenesis([governor], 1);
    const network = genesis.id;
    const admission = () =>
      makeAction({
        type: 'member.add',
        network,
        effectiveAt: '2026-01-02T00:00:00Z',
        did,
        name: 'Riverside College',
        accreditations,
      });
    const byOutsider = signed(admission(), [outsider]);
    const unsigned = signed(admission(), []);
    const forgedAction = signed(admission(), []);
    // The governor's DID over another action's id: a signature that does not verify for this one.
    const forged = {
      ...forgedAction,
      signatures: [{ signer: governor.did, signature: signActionId(governor, byOutsider.id) }],
    };
    const asked = await answerListingAs(rogue, [network]);
    const pulled = await serveLog(rogue, network, [genesis, byOutsider, unsigned, forged]);
    await connect(member, rogue);
    await until(() => member.components.registry.network(network) !== undefined, 'the pull of the named network');
    expect(asked.map(String)).toContain(member.host.peerId.toString());
    expect(pulled.some((r) => r.type === 'get')).toBe(true);
    // Only the genesis verified: the network it made does not list the member, so there is no offer.
    expect(member.components.registry.network(network)?.members).toEqual({});
    expect(member.components.follows.offers()).toEqual([]);
    expect(member.components.follows.list()).not.toContain(network);
    expect(member.components.follows.trustAnchors()).toEqual([]);
  });

  it('offers a made-up but well-signed network only as an offer: it speaks for no issuer until accepted', async () => {
    const [member, rogue] = [await startPeer(), await startPeer()];
    peers.push(member, rogue);
    const [own] = governors(1);
    const genesis = makeGenesis([own], 1, '2026-01-01T00:00:00Z', 'Totally Real Accreditor');
    const network = genesis.id;
    const add = (did: string) =>
      signed(
        makeAction({
          type: 'member.add',
          network,
          effectiveAt: '2026-01-02T00:00:00Z',
          did,
          name: did,
          accreditations,
        }),
        [own],
      );
    const accredited = 'did:web:diploma-mill.example';
    await answerListingAs(rogue, [network]);
    await serveLog(rogue, network, [genesis, add(member.components.identity.did), add(accredited)]);
    await connect(member, rogue);
    await until(() => member.components.follows.offers().includes(network), 'the offer');
    expect(member.components.follows.list()).not.toContain(network);
    expect(member.components.follows.trustAnchors()).toEqual([]);
    const app = createApp({
      components: member.components,
      version: 'test',
      health: () => ({ multiaddrs: [], networks: [] }),
    });
    expect((await app.request(`/issuers/${encodeURIComponent(accredited)}`)).status).toBe(404);
  });
});

describe('when a catch-up applies many fresh admissions at once', () => {
  const peers: Peer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) await p.destroy();
  });

  it('sends each peer a bounded number of notices, one at a time, and later ones still go out', async () => {
    const log = capturedLogger();
    const a = await startPeer({ logger: log.logger });
    const b = await startPeer();
    peers.push(a, b);
    // b counts the notices that reach it (its own handler replaced; a speaks to it as to any peer) and lists nothing.
    const received: string[] = [];
    await b.host.unhandle(MEMBERSHIP_PROTOCOL);
    await b.host.handle(MEMBERSHIP_PROTOCOL, async (stream) => {
      try {
        const lp = lpStream(stream);
        const request = JSON.parse(new TextDecoder().decode((await lp.read()).subarray()));
        if (request.type === 'admitted') received.push(request.did);
        await lp.write(encodeJson(request.type === 'admitted' ? { type: 'ok' } : { type: 'listing', networks: [] }));
        await stream.close();
      } catch (error) {
        stream.abort(error as Error);
      }
    });
    await connect(a, b);
    await until(
      async () => (await a.host.peerStore.get(b.host.peerId)).protocols.includes(MEMBERSHIP_PROTOCOL),
      'a to know what b speaks',
    );
    const govs = governors(2);
    const g = makeGenesis(govs, 1, new Date(Date.now() - 120_000).toISOString());
    const admission = (i: number, ago: number) =>
      signed(
        makeAction({
          type: 'member.add',
          network: g.id,
          did: `did:web:caught-up-${i}.example`,
          name: `Caught up ${i}`,
          effectiveAt: new Date(Date.now() - ago).toISOString(),
        }),
        govs.slice(0, 1),
      );
    await a.components.follows.add(g.id);
    // 300 admissions minutes old (news by the notice rule) in one ingest, as a sync pull brings them.
    const bulk = Array.from({ length: 300 }, (_, i) => admission(i, 60_000 - i));
    expect((await a.components.registry.ingest([g, ...bulk])).rejected).toEqual([]);
    // Each admission was either sent or dropped, and what was sent arrived: the queue has drained.
    await until(() => {
      const { noticesSent, noticesDropped } = a.membership.stats();
      return noticesSent + noticesDropped === 300 && received.length === noticesSent;
    }, 'the notices of the catch-up');
    expect(received.length).toBeLessThanOrEqual(33);
    // One more admission afterwards: a notice again.
    expect((await a.components.registry.ingest([admission(300, 0)])).rejected).toEqual([]);
    await until(() => received.includes('did:web:caught-up-300.example'), 'the notice of the later admission');
    expect(new Set(received).size).toBe(received.length);
    // One notice in flight per peer: none refused for too many streams (all 300 at once, 284 were).
    expect(log.lines().filter((l) => l.msg === 'notice failed')).toEqual([]);
  }, 60_000);
});
