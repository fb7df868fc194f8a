/**
 * OID4VCI 1.0 pre-authorized code flow against a node on real HTTP, with the
 * OpenWallet Foundation's @openid4vc/openid4vci client as the wallet.
 */
import { setGlobalConfig } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { CompactSign, decodeProtectedHeader, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHolderKey, type HolderKey, signerOf, walletCallbacks } from '../../../scripts/wallet/holder-key.ts';
import { receiveCredential } from '../../../scripts/wallet/receive.ts';
import { type HttpTestNode, startHttpTestNode } from '../../helpers/http-node.ts';
import { sampleBadge } from '../../helpers/node.ts';

type Json = Record<string, unknown>;

/** An offerable badge: the subject's id comes from the wallet's proof. */
function offerableBadge(): Json {
  const badge = sampleBadge();
  const { id: _id, ...subject } = badge.credentialSubject as Json;
  return { ...badge, credentialSubject: subject };
}

describe('OID4VCI pre-authorized code flow', () => {
  let node: HttpTestNode;
  let clock = Date.now();
  let holder: HolderKey;

  async function createOffer(extra: Json = {}): Promise<Json> {
    const response = await fetch(`${node.url}/offers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
      body: JSON.stringify({ credential: offerableBadge(), ...extra }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as Json;
  }

  async function post(path: string, body: string, headers: Record<string, string>) {
    const response = await fetch(`${node.url}${path}`, { method: 'POST', headers, body });
    return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
  }

  const tokenFor = (code: string, txCode?: string) =>
    post(
      '/oid4vci/token',
      new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
        'pre-authorized_code': code,
        ...(txCode ? { tx_code: txCode } : {}),
      }).toString(),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
  const codeOf = (created: Json) =>
    ((created.offer as Json).grants as Json)['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as Json;

  async function proofJwt(key: HolderKey, nonce: string, signWith: HolderKey = key): Promise<string> {
    return new CompactSign(
      new TextEncoder().encode(JSON.stringify({ aud: node.url, iat: Math.floor(clock / 1000), nonce })),
    )
      .setProtectedHeader({ alg: 'EdDSA', typ: 'openid4vci-proof+jwt', kid: key.kid })
      .sign(await importJWK(signWith.privateJwk, 'EdDSA'));
  }

  async function nonce(): Promise<string> {
    return (await post('/oid4vci/nonce', '', {})).body.c_nonce as string;
  }

  const credentialRequest = (accessToken: string, body: Json) =>
    post('/oid4vci/credential', JSON.stringify(body), {
      'content-type': 'application/json',
      authorization: `Bearer ${accessToken}`,
    });

  beforeAll(async () => {
    // Loopback tests speak http://; the library insists on https:// unless told otherwise.
    setGlobalConfig({ allowInsecureUrls: true });
    node = await startHttpTestNode({ now: () => new Date(clock) });
    holder = await generateHolderKey();
  });
  afterAll(async () => {
    setGlobalConfig({ allowInsecureUrls: false });
    await node?.close();
  });

  describe('when the wallet library redeems an offer', () => {
    it('issues the credential bound to the did:key, with a status entry, and it verifies', async () => {
      const created = await createOffer();
      const { credential } = await receiveCredential({ offerUri: created.offerUri as string, key: holder });
      expect((credential.credentialSubject as Json).id).toBe(holder.did);
      expect(credential.id).toBe(created.credentialId);
      expect((credential.credentialStatus as Json).type).toBe('BitstringStatusListEntry');
      expect(await node.components.issuer.get(credential.id as string)).toBeDefined();
      const report = await node.components.verifier.verifyCredential(credential);
      expect(report.verified).toBe(true);
      const status = await fetch(`${node.url}/offers/${created.id}/status`, {
        headers: { authorization: `Bearer ${node.adminToken}` },
      });
      expect(((await status.json()) as Json).state).toBe('issued');
    });

    it('issues a jwt_vc_json offer as a VC 1.1 JWT bound to the did:key, with a status entry, and it verifies', async () => {
      const { '@context': _context, ...badge } = offerableBadge();
      const created = await createOffer({ credential: badge, options: { format: 'jwt_vc_json', alg: 'ES256' } });
      expect(created.offer).toMatchObject({ credential_configuration_ids: ['OpenBadgeCredential_jwt_vc_json'] });
      const received = await receiveCredential({ offerUri: created.offerUri as string, key: holder });
      expect(received.configurationId).toBe('OpenBadgeCredential_jwt_vc_json');
      expect(received.jwt).toMatch(/^eyJ/);
      expect(decodeProtectedHeader(received.jwt!)).toMatchObject({ alg: 'ES256', typ: 'JWT' });
      expect(received.credential['@context']).toContain('https://www.w3.org/2018/credentials/v1');
      expect((received.credential.credentialSubject as Json).id).toBe(holder.did);
      expect((received.credential.credentialStatus as Json).type).toBe('BitstringStatusListEntry');
      const report = await node.components.verifier.verifyCredential(received.jwt);
      expect(report.verified).toBe(true);
      expect(report.checks.find((c) => c.name === 'proof')?.message).toBe('jwt_vc_json ES256');
      expect(report.checks.find((c) => c.name === 'status')?.status).toBe('ok');
    });

    it('offers the jwt_vc_json configuration in its metadata, as the library reads it', async () => {
      const client = new Openid4vciClient({ callbacks: walletCallbacks(holder) as never });
      const metadata = await client.resolveIssuerMetadata(node.url);
      const configuration = metadata.credentialIssuer.credential_configurations_supported
        .OpenBadgeCredential_jwt_vc_json as Json;
      expect(configuration).toMatchObject({
        format: 'jwt_vc_json',
        credential_signing_alg_values_supported: ['EdDSA', 'ES256'],
        credential_definition: { type: ['VerifiableCredential', 'OpenBadgeCredential'] },
      });
    });

    it.each([
      [{ format: 'vc+jwt' }, 'options.format must be ldp_vc or jwt_vc_json'],
      [{ format: 'jwt_vc_json', cryptosuite: 'eddsa-rdfc-2022' }, 'options.cryptosuite is for ldp_vc offers'],
      [{ format: 'jwt_vc_json', alg: 'HS256' }, 'options.alg must be one of'],
      [{ alg: 'EdDSA' }, 'options.alg is for jwt_vc_json offers'],
    ])('refuses an offer with options %j', async (options, message) => {
      const response = await fetch(`${node.url}/offers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
        body: JSON.stringify({ credential: offerableBadge(), options }),
      });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: Json };
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toContain(message);
    });

    it('works by reference with a transaction code, and binds a bare jwk as did:jwk', async () => {
      const created = await createOffer({ txCode: true });
      expect(created.txCode).toMatch(/^\d{6}$/);
      expect(JSON.stringify(created.offer)).not.toContain(created.txCode as string);
      const { credential } = await receiveCredential({
        offerUri: created.offerUriByReference as string,
        key: holder,
        txCode: created.txCode as string,
        binding: 'jwk',
      });
      expect((credential.credentialSubject as Json).id).toMatch(/^did:jwk:/);
      // Redeemed: the reference no longer reveals the code.
      expect((await fetch(created.offerUrl as string)).status).toBe(404);
    });

    it('serves the metadata the library resolves, in the 1.0 shape', async () => {
      const client = new Openid4vciClient({ callbacks: walletCallbacks(holder) as never });
      const metadata = await client.resolveIssuerMetadata(node.url);
      expect(metadata.originalDraftVersion).toBe('V1');
      expect(metadata.authorizationServers[0].token_endpoint).toBe(`${node.url}/oid4vci/token`);
      const configuration = metadata.credentialIssuer.credential_configurations_supported
        .OpenBadgeCredential_ldp_vc as Json;
      expect(configuration.credential_signing_alg_values_supported).toContain('eddsa-rdfc-2022');
    });

    it('issues an offer made from a published achievement definition', async () => {
      const achievement = {
        id: 'https://example.edu/achievements/forklift',
        type: ['Achievement'],
        name: 'Forklift Safety',
        criteria: { narrative: 'Passed the practical test.' },
      };
      await node.components.publications.publishOwn('achievement', achievement.id, achievement);
      const response = await fetch(`${node.url}/offers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
        body: JSON.stringify({ achievement: achievement.id }),
      });
      expect(response.status).toBe(201);
      const created = (await response.json()) as Json;
      const { credential } = await receiveCredential({ offerUri: created.offerUri as string, key: holder });
      expect((credential.credentialSubject as Json).achievement).toMatchObject({ id: achievement.id });
      expect(credential.name).toBe('Forklift Safety');
    });

    it('answers the QR code as SVG and PNG', async () => {
      const created = await createOffer();
      const svg = await fetch((created.qr as Json).svg as string);
      expect(svg.headers.get('content-type')).toBe('image/svg+xml');
      expect(await svg.text()).toContain('<svg');
      const png = Buffer.from(await (await fetch((created.qr as Json).png as string)).arrayBuffer());
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    });
  });

  describe('when a request is bad', () => {
    it('refuses an offer without the admin token', async () => {
      const response = await fetch(`${node.url}/offers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ credential: offerableBadge() }),
      });
      expect(response.status).toBe(401);
    });

    it('refuses an offer that sets the subject id', async () => {
      const response = await fetch(`${node.url}/offers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
        body: JSON.stringify({ credential: sampleBadge() }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: Json }).error.code).toBe('VALIDATION_FAILED');
    });

    it('refuses a reused pre-authorized code with invalid_grant', async () => {
      const code = codeOf(await createOffer())['pre-authorized_code'] as string;
      expect((await tokenFor(code)).status).toBe(200);
      const again = await tokenFor(code);
      expect(again.status).toBe(400);
      expect(again.body.error).toBe('invalid_grant');
    });

    it('refuses the same code redeemed twice at once: one token only', async () => {
      const code = codeOf(await createOffer())['pre-authorized_code'] as string;
      const answers = await Promise.all(Array.from({ length: 6 }, () => tokenFor(code)));
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    });

    it('refuses an expired code with invalid_grant', async () => {
      const code = codeOf(await createOffer({ expiresIn: 60 }))['pre-authorized_code'] as string;
      clock += 61_000;
      const answer = await tokenFor(code);
      expect(answer.body).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringContaining('expired'),
      });
    });

    it('refuses a wrong transaction code, and voids the offer after five', async () => {
      const created = await createOffer({ txCode: { length: 6 } });
      const code = codeOf(created)['pre-authorized_code'] as string;
      const wrong = created.txCode === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) expect((await tokenFor(code, wrong)).body.error).toBe('invalid_grant');
      const right = await tokenFor(code, created.txCode as string);
      expect(right.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('void') });
    });

    it('refuses a proof signed by another key than its kid names (invalid_proof)', async () => {
      const code = codeOf(await createOffer())['pre-authorized_code'] as string;
      const token = (await tokenFor(code)).body.access_token as string;
      const other = await generateHolderKey();
      const answer = await credentialRequest(token, {
        credential_configuration_id: 'OpenBadgeCredential_ldp_vc',
        proofs: { jwt: [await proofJwt(holder, await nonce(), other)] },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_proof');
    });

    it('refuses a replayed nonce (invalid_nonce), and a used access token (invalid_token)', async () => {
      const n = await nonce();
      const first = (await tokenFor(codeOf(await createOffer())['pre-authorized_code'] as string)).body
        .access_token as string;
      const second = (await tokenFor(codeOf(await createOffer())['pre-authorized_code'] as string)).body
        .access_token as string;
      const request = { credential_configuration_id: 'OpenBadgeCredential_ldp_vc' };
      const ok = await credentialRequest(first, { ...request, proofs: { jwt: [await proofJwt(holder, n)] } });
      expect(ok.status).toBe(200);
      const replay = await credentialRequest(second, { ...request, proofs: { jwt: [await proofJwt(holder, n)] } });
      expect(replay.body.error).toBe('invalid_nonce');
      const reuse = await credentialRequest(first, {
        ...request,
        proofs: { jwt: [await proofJwt(holder, await nonce())] },
      });
      expect(reuse.status).toBe(401);
      expect(reuse.body.error).toBe('invalid_token');
      expect(reuse.headers.get('www-authenticate')).toContain('invalid_token');
    });

    it('answers nonces without writing to storage, and refuses a nonce it did not make', async () => {
      const store = node.database.db.sublevel('oid4vci', { valueEncoding: 'json' });
      await nonce();
      const count = async () => (await store.keys().all()).length;
      const before = await count();
      for (let i = 0; i < 20; i++) await nonce();
      expect(await count()).toBe(before);
      const token = (await tokenFor(codeOf(await createOffer())['pre-authorized_code'] as string)).body
        .access_token as string;
      const [time, random] = (await nonce()).split('.');
      const forged = `${time}.${random}.${Buffer.alloc(32).toString('base64url')}`;
      const answer = await credentialRequest(token, {
        credential_configuration_id: 'OpenBadgeCredential_ldp_vc',
        proofs: { jwt: [await proofJwt(holder, forged)] },
      });
      expect(answer.body.error).toBe('invalid_nonce');
    });

    it('refuses a proof for another audience, and a request without a proof', async () => {
      const token = (await tokenFor(codeOf(await createOffer())['pre-authorized_code'] as string)).body
        .access_token as string;
      const foreign = await new CompactSign(
        new TextEncoder().encode(
          JSON.stringify({ aud: 'https://other.example', iat: Math.floor(clock / 1000), nonce: await nonce() }),
        ),
      )
        .setProtectedHeader({ alg: 'EdDSA', typ: 'openid4vci-proof+jwt', kid: holder.kid })
        .sign(await importJWK(holder.privateJwk, 'EdDSA'));
      const request = { credential_configuration_id: 'OpenBadgeCredential_ldp_vc' };
      expect((await credentialRequest(token, { ...request, proofs: { jwt: [foreign] } })).body.error).toBe(
        'invalid_proof',
      );
      expect((await credentialRequest(token, request)).body.error).toBe('invalid_proof');
      expect(
        (await credentialRequest(token, { credential_configuration_id: 'Other', proofs: { jwt: [foreign] } })).body
          .error,
      ).toBe('unknown_credential_configuration');
    });

    it('refuses a token request that is not form-encoded or not this grant', async () => {
      const json = await post('/oid4vci/token', '{}', { 'content-type': 'application/json' });
      expect(json.body.error).toBe('invalid_request');
      const grant = await post('/oid4vci/token', 'grant_type=authorization_code&code=x', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(grant.body.error).toBe('unsupported_grant_type');
    });

    it('uses the signer the library makes for did proofs', () => {
      expect(signerOf(holder)).toMatchObject({ method: 'did', didUrl: holder.kid });
    });
  });
});
