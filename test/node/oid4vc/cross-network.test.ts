/**
 * The walkthrough end to end: institution A offers a credential (OID4VCI), the
 * reference wallet's libraries receive it, employer B — a node in another
 * network that recognizes A's — requests it (OID4VP) with required skills, the
 * wallet presents, and B reports it verified, trusted and with the skills
 * matched through B's own crosswalk. Two real nodes over libp2p and HTTP.
 */
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLUEWAVE, CROSSWALKS, CYBER } from '../../../data/sample-skills.ts';
import { type App, createApp } from '../../../node/http/app.ts';
import { generateHolderKey } from '../../../scripts/wallet/holder-key.ts';
import { presentCredential } from '../../../scripts/wallet/present.ts';
import { receiveCredential } from '../../../scripts/wallet/receive.ts';
import { alignedBadge } from '../../helpers/node.ts';
import { connect, type Peer, startPeer, until } from '../../helpers/peers.ts';
import { governance, governors } from '../../helpers/registry.ts';

type Json = Record<string, unknown>;
const [g] = governors(1);

/** A peer behind a real HTTP server whose address is its public URL. */
async function httpPeer(): Promise<{ peer: Peer; url: string; server: ServerType }> {
  let app: App | undefined;
  const server = serve({ fetch: (request, env) => app!.fetch(request, env), hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const peer = await startPeer({ publicUrl: url });
  app = createApp({ components: peer.components, version: 't', health: () => ({ multiaddrs: [], networks: [] }) });
  return { peer, url, server };
}

describe('a credential offered by A, presented to B in another network', () => {
  let a: Awaited<ReturnType<typeof httpPeer>>;
  let b: Awaited<ReturnType<typeof httpPeer>>;

  beforeAll(async () => {
    setGlobalConfig({ allowInsecureUrls: true });
    a = await httpPeer();
    b = await httpPeer();
    const collegeGov = governance(a.peer.components.registry, [g]);
    const cyber = await collegeGov.createNetwork('Cyber Workforce');
    await collegeGov.act(cyber, {
      type: 'member.add',
      did: a.peer.components.identity.did,
      name: 'Harbor CC',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    const employerGov = governance(b.peer.components.registry, [g]);
    const employers = await employerGov.createNetwork('Employers');
    await employerGov.act(employers, { type: 'network.recognize', network: cyber });
    await employerGov.act(employers, { type: 'member.add', did: b.peer.components.identity.did, name: 'Bluewave' });
    await connect(b.peer, a.peer);
    await a.peer.components.publications.publishOwn('skill-framework', `${CYBER.id}|${CYBER.version}`, CYBER as never);
    await b.peer.components.publications.publishOwn(
      'skill-framework',
      `${BLUEWAVE.id}|${BLUEWAVE.version}`,
      BLUEWAVE as never,
    );
    await b.peer.components.publications.publishOwn('skill-crosswalk', CROSSWALKS[0].id, CROSSWALKS[0] as never);
    await until(() => b.peer.components.skills.frameworks().length === 2, "A's framework at B", 20_000);
  });
  afterAll(async () => {
    setGlobalConfig({ allowInsecureUrls: false });
    for (const side of [a, b]) {
      if (!side) continue;
      await new Promise((resolve) => side.server.close(resolve));
      await side.peer.destroy();
    }
  });

  it('is reported verified, trusted and with its skills', async () => {
    const holder = await generateHolderKey();
    const badge = alignedBadge(`${CYBER.id}/CY-IR-1`);
    const { id: _id, ...subject } = badge.credentialSubject as Json;
    const offer = (await (
      await fetch(`${a.url}/offers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${a.peer.adminToken}` },
        body: JSON.stringify({ credential: { ...badge, credentialSubject: subject } }),
      })
    ).json()) as Json;
    const { credential } = await receiveCredential({ offerUri: offer.offerUriByReference as string, key: holder });
    // B checks status against A's list as replicated to it, never by asking A.
    await until(
      () => b.peer.components.publications.list({ kind: 'status-list' }).length > 0,
      "A's status list at B",
      20_000,
    );

    const required = [`${BLUEWAVE.id}/SOC-1`, `${BLUEWAVE.id}/IAM-1`];
    const request = (await (
      await fetch(`${b.url}/presentation-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${b.peer.adminToken}` },
        body: JSON.stringify({ requiredSkills: required }),
      })
    ).json()) as Json;
    const answer = await presentCredential({
      requestUri: request.requestUri as string,
      key: holder,
      credentials: [credential],
    });
    expect(answer.status).toBe(200);

    const view = (await (
      await fetch(request.resultUrl as string, { headers: { authorization: `Bearer ${request.resultToken}` } })
    ).json()) as { result: Json };
    expect(view.result).toMatchObject({ verified: true, trusted: true, holder: holder.did });
    expect((view.result.skills as Json).matches).toEqual([
      expect.objectContaining({ skill: required[0], evidenced: true, via: 'crosswalk', from: `${CYBER.id}/CY-IR-1` }),
      { skill: required[1], evidenced: false },
    ]);
  });
});
