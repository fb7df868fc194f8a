/**
 * OID4VP 1.0 presentation requests against a node on real HTTP, the wallet
 * being the OpenWallet Foundation's @openid4vc/openid4vp client (and
 * @openid4vc/openid4vci to receive the credential first).
 */
import { setGlobalConfig } from '@openid4vc/oauth2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHolderKey, type HolderKey } from '../../../scripts/wallet/holder-key.ts';
import { presentCredential, signedPresentation } from '../../../scripts/wallet/present.ts';
import { receiveCredential } from '../../../scripts/wallet/receive.ts';
import { type HttpTestNode, startHttpTestNode } from '../../helpers/http-node.ts';
import { sampleBadge } from '../../helpers/node.ts';
import { until } from '../../helpers/peers.ts';
import { governance, governors } from '../../helpers/registry.ts';

type Json = Record<string, unknown>;

describe('OID4VP presentation requests', () => {
  let node: HttpTestNode;
  let holder: HolderKey;
  let credential: Json;

  const admin = () => ({ authorization: `Bearer ${node.adminToken}` });

  async function createRequest(body: Json = {}, headers: Record<string, string> = admin()) {
    const response = await fetch(`${node.url}/presentation-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }

  async function result(created: Json, token = created.resultToken as string) {
    const response = await fetch(created.resultUrl as string, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Json };
  }

  /** The request object's claims, as the wallet fetches them. */
  async function requestClaims(created: Json): Promise<Json> {
    const jwt = await (await fetch(created.requestUrl as string)).text();
    return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Json;
  }

  async function postResponse(created: Json, vpToken: unknown, state: string) {
    const claims = await requestClaims(created);
    const response = await fetch(claims.response_uri as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify(vpToken), state }).toString(),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }

  beforeAll(async () => {
    setGlobalConfig({ allowInsecureUrls: true });
    node = await startHttpTestNode();
    // The node's institution is an accredited member of a network it governs: its credentials are trusted here.
    const gov = governance(node.components.registry, governors(1));
    const network = await gov.createNetwork('Retail Talent');
    await gov.act(network, {
      type: 'member.add',
      did: node.components.identity.did,
      name: 'Riverside College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'], validFrom: '2020-01-01T00:00:00Z' }],
    });
    await node.components.follows.addCreated(network);
    holder = await generateHolderKey();
    const { id: _id, ...subject } = sampleBadge().credentialSubject as Json;
    const offer = await fetch(`${node.url}/offers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin() },
      body: JSON.stringify({ credential: { ...sampleBadge(), credentialSubject: subject } }),
    });
    ({ credential } = await receiveCredential({
      offerUri: ((await offer.json()) as Json).offerUri as string,
      key: holder,
    }));
  });
  afterAll(async () => {
    setGlobalConfig({ allowInsecureUrls: false });
    await node?.close();
  });

  describe('when the wallet library answers a request', () => {
    it('verifies the presentation and keeps the result for the requester: verified and trusted', async () => {
      const created = (await createRequest()).body;
      expect(created.requestUri).toMatch(/^openid4vp:\/\/\?client_id=decentralized_identifier%3Adid%3A/);
      const events = await fetch(`${created.resultUrl}/events`, {
        headers: { authorization: `Bearer ${created.resultToken}` },
      });
      const answer = await presentCredential({
        requestUri: created.requestUri as string,
        key: holder,
        credentials: [credential],
      });
      expect(answer.status).toBe(200);
      expect(answer.verifier).toBe(node.components.identity.did);
      const { body } = await result(created);
      expect(body.state).toBe('answered');
      const outcome = body.result as Json;
      expect(outcome).toMatchObject({ verified: true, trusted: true, holder: holder.did, problems: [] });
      expect((outcome.credentials as Json[])[0]).toMatchObject({ verified: true, credentialId: credential.id });
      // The server-sent event stream announces the same result.
      const text = await events.text();
      expect(text).toContain('event: result');
      expect(text).toContain('"state":"answered"');
    });

    it('reports the skills match when the request names required skills', async () => {
      const created = (await createRequest({ requiredSkills: ['https://skills.example/s/budgeting'] })).body;
      await presentCredential({ requestUri: created.requestUri as string, key: holder, credentials: [credential] });
      const outcome = (await result(created)).body.result as Json;
      expect(outcome.skills).toMatchObject({
        matches: [{ skill: 'https://skills.example/s/budgeting', evidenced: false }],
      });
    });
  });

  describe('when a response is refused', () => {
    it('refuses a vp_token made for another request, and leaves this one open', async () => {
      const first = (await createRequest()).body;
      const second = (await createRequest()).body;
      const claims = await requestClaims(first);
      const vp = await signedPresentation(holder, [credential], claims.nonce as string, claims.client_id as string);
      const secondClaims = await requestClaims(second);
      const answer = await postResponse(second, { credential: [vp] }, secondClaims.state as string);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_request');
      expect((await result(second)).body.state).toBe('pending');
    });

    it('refuses a replayed response once the request is answered', async () => {
      const created = (await createRequest()).body;
      const claims = await requestClaims(created);
      const vp = await signedPresentation(holder, [credential], claims.nonce as string, claims.client_id as string);
      expect((await postResponse(created, { credential: [vp] }, claims.state as string)).status).toBe(200);
      const again = await fetch(claims.response_uri as string, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ vp_token: JSON.stringify({ credential: [vp] }), state: claims.state as string }),
      });
      expect(again.status).toBe(400);
      expect(((await again.json()) as Json).error_description).toContain('already answered');
      // And the request object is no longer served.
      expect((await fetch(created.requestUrl as string)).status).toBe(404);
    });

    it('refuses a presentation whose holder is not the subject, and reports it to the requester', async () => {
      const thief = await generateHolderKey();
      const created = (await createRequest()).body;
      const answer = await presentCredential({
        requestUri: created.requestUri as string,
        key: thief,
        credentials: [credential],
      });
      expect(answer.status).toBe(400);
      expect((answer.body as Json).error).toBe('access_denied');
      const outcome = (await result(created)).body.result as Json;
      expect(outcome.verified).toBe(false);
      expect(outcome.problems).toContainEqual(expect.objectContaining({ code: 'HOLDER_NOT_SUBJECT' }));
    });

    it('refuses a presentation altered after it was signed (holder swapped)', async () => {
      const other = await generateHolderKey();
      const created = (await createRequest()).body;
      const answer = await presentCredential({
        requestUri: created.requestUri as string,
        key: other,
        credentials: [credential],
        // Signed by another key, then made to claim the subject as holder.
        tamper: (vp) => ({ ...vp, holder: holder.did }),
      });
      expect(answer.status).toBe(400);
      expect((await result(created)).body.state).toBe('pending');
    });

    it('refuses a response with a wrong state or a malformed vp_token', async () => {
      const created = (await createRequest()).body;
      const claims = await requestClaims(created);
      const vp = await signedPresentation(holder, [credential], claims.nonce as string, claims.client_id as string);
      expect((await postResponse(created, { credential: [vp] }, 'other-state')).body.error).toBe('invalid_request');
      expect((await postResponse(created, { other: [vp] }, claims.state as string)).body.error).toBe('invalid_request');
      expect((await result(created)).body.state).toBe('pending');
    });
  });

  describe('what is kept', () => {
    it('deletes requests nobody answered once they expired', async () => {
      let clock = Date.now();
      const other = await startHttpTestNode({ now: () => new Date(clock) });
      try {
        const requests = other.components.presentationRequests;
        const store = other.database.db.sublevel('oid4vp', { valueEncoding: 'json' });
        await requests.create({ expiresIn: 60 });
        expect(await store.keys().all()).toHaveLength(1);
        clock += 61_000;
        await requests.create({});
        // The sweep runs after the write; wait for the store to settle to one request.
        await new Promise((resolve) => setImmediate(resolve));
        await until(async () => (await store.keys().all()).length === 1, 'the expired request swept');
      } finally {
        await other.close();
      }
    });
  });

  describe('who may ask and read', () => {
    it('creates requests only with the admin token unless the operator runs a public verifier', async () => {
      expect((await createRequest({}, {})).status).toBe(401);
    });

    it('lets anyone create a request when the operator runs a public verifier', async () => {
      const open = await startHttpTestNode({ publicVerifier: true });
      try {
        const response = await fetch(`${open.url}/presentation-requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(response.status).toBe(201);
        const created = (await response.json()) as Json;
        expect((await fetch(created.resultUrl as string)).status).toBe(401);
      } finally {
        await open.close();
      }
    });

    it('shows a result only with its result token or the admin token', async () => {
      const created = (await createRequest()).body;
      expect((await result(created, 'wrong')).status).toBe(401);
      expect((await result(created, node.adminToken)).status).toBe(200);
      expect((await fetch(created.resultUrl as string)).status).toBe(401);
    });

    it('refuses a request for a credential type it cannot ask for', async () => {
      const answer = await createRequest({ credentialType: 'PassportCredential' });
      expect(answer.status).toBe(400);
    });
  });
});
