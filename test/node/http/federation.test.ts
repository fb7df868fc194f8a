import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { okpThumbprint } from '../../../registry/actions/federation-keys.ts';
import { memberEntityId, trustMarkType } from '../../../registry/federation.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';
import { governance, governors } from '../../helpers/registry.ts';

const PUBLIC = 'https://node.example';

describe('when a followed network is served as an OpenID Federation trust anchor', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;
  let gov: ReturnType<typeof governance>;
  let networkId: string;
  let anchor: string;
  let now = new Date('2026-03-01T00:00:00Z');
  const college = 'did:web:college.example';
  const shortlived = 'did:web:bootcamp.example';
  const jwks = new Map<string, Record<string, unknown>>();

  const get = (path: string) => app.request(path);
  async function verified(res: Response, typ = 'entity-statement+jwt') {
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('content-type')).toBe(`application/${typ}`);
    const token = await res.text();
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: 'EdDSA', typ });
    const jwk = jwks.get(String(header.kid));
    expect(jwk, `kid ${header.kid} approved`).toBeDefined();
    const { payload } = await compactVerify(token, await importJWK(jwk as never, 'EdDSA'));
    return JSON.parse(new TextDecoder().decode(payload));
  }
  async function approveKey() {
    const key = await node.components.federationKeys.create();
    return { kty: 'OKP', crv: 'Ed25519', x: key.publicJwk.x as string, kid: key.kid, holder: PUBLIC };
  }
  // Each action a second after the last, so the fold order is the order of the test.
  const act = (action: Record<string, unknown>) => {
    now = new Date(now.getTime() + 1000);
    return gov.act(networkId, action);
  };

  beforeAll(async () => {
    node = await createTestNode({ publicUrl: PUBLIC, now: () => now });
    app = createApp({ components: node.components, version: 't', health: () => ({ multiaddrs: [], networks: [] }) });
    gov = governance(node.components.registry, governors(2));
    networkId = await gov.createNetwork('Healthcare Talent Network');
    anchor = `${PUBLIC}/oidf/${networkId}`;
    await act({
      type: 'member.add',
      did: college,
      name: 'Riverside Community College',
      url: 'https://college.example',
      logo: 'https://college.example/logo.png',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    await act({
      type: 'member.add',
      did: shortlived,
      name: 'Night Bootcamp',
      accreditations: [{ credentialTypes: ['AchievementCredential'], validUntil: '2026-03-01T00:05:00Z' }],
    });
  });
  afterAll(async () => {
    await node.close();
  });

  it('refuses to sign before the governors approve a federation key, and points to the holder after', async () => {
    const none = await get(`/oidf/${networkId}/.well-known/openid-federation`);
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ error: 'not_found', ler_code: 'NO_FEDERATION_KEYS' });
    // A key held by another node: this node must not sign, and says who does.
    const x = `${'B'.repeat(42)}A`;
    const foreign = {
      kty: 'OKP',
      crv: 'Ed25519',
      x,
      kid: okpThumbprint('Ed25519', x),
      holder: 'https://other.example',
    };
    await act({ type: 'federation.keys', keys: [foreign] });
    const misdirected = await get(`/oidf/${networkId}/fetch?sub=${college}`);
    expect(misdirected.status).toBe(421);
    expect(await misdirected.json()).toMatchObject({
      error: 'not_found',
      ler_code: 'FEDERATION_KEY_NOT_HELD',
      ler_details: {
        signers: [
          {
            kid: foreign.kid,
            holder: 'https://other.example',
            entityConfiguration: `https://other.example/oidf/${networkId}/.well-known/openid-federation`,
          },
        ],
      },
    });
    // The unsigned legacy list is served by any follower.
    const legacy = await get(`/oidf/${networkId}/dcc-registry.json`);
    expect(((await legacy.json()) as any).registry[college]).toEqual({
      name: 'Riverside Community College',
      url: 'https://college.example',
    });
  });

  it('signs the entity configuration with an approved key it holds, listing the endpoints', async () => {
    const key = await approveKey();
    jwks.set(key.kid, { kty: 'OKP', crv: 'Ed25519', x: key.x });
    await act({ type: 'federation.keys', keys: [key] });
    const res = await get(`/oidf/${networkId}/.well-known/openid-federation`);
    const claims = await verified(res);
    expect(claims).toMatchObject({
      iss: anchor,
      sub: anchor,
      jwks: { keys: [{ kid: key.kid, kty: 'OKP', crv: 'Ed25519', x: key.x }] },
      metadata: {
        federation_entity: {
          organization_name: 'Healthcare Talent Network',
          federation_fetch_endpoint: `${anchor}/fetch`,
          federation_list_endpoint: `${anchor}/list`,
          federation_resolve_endpoint: `${anchor}/resolve`,
          federation_trust_mark_status_endpoint: `${anchor}/trust-mark-status`,
          federation_historical_keys_endpoint: `${anchor}/historical-keys`,
        },
      },
    });
    expect(claims.trust_mark_issuers[trustMarkType(anchor, 'OpenBadgeCredential')]).toEqual([anchor]);
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge).toBe(claims.exp - claims.iat);
  });

  it('answers fetch for a member by DID or entity id with what verifiers show and decide on', async () => {
    const byDid = await verified(await get(`/oidf/${networkId}/fetch?sub=${college}`));
    expect(byDid).toMatchObject({
      iss: anchor,
      sub: college,
      metadata: {
        federation_entity: {
          organization_name: 'Riverside Community College',
          homepage_uri: 'https://college.example',
          logo_uri: 'https://college.example/logo.png',
        },
        ler_issuer: {
          did: college,
          network: networkId,
          accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
        },
      },
    });
    const entity = memberEntityId(anchor, college);
    const byEntity = await verified(await get(`/oidf/${networkId}/fetch?sub=${encodeURIComponent(entity)}`));
    expect(byEntity.sub).toBe(entity);
    expect((await get(`/oidf/${networkId}/fetch?sub=did:web:stranger.example`)).status).toBe(404);
    expect((await get(`/oidf/${networkId}/fetch?sub=${college}&iss=https://evil.example`)).status).toBe(404);
    expect((await get(`/oidf/${networkId}/fetch`)).status).toBe(400);
  });

  it('ends a statement no later than the accreditation it reports', async () => {
    const claims = await verified(await get(`/oidf/${networkId}/fetch?sub=${shortlived}`));
    expect(claims.exp).toBe(Date.parse('2026-03-01T00:05:00Z') / 1000);
  });

  it('lists subordinates, filtered by trust mark type', async () => {
    const all = await (await get(`/oidf/${networkId}/list`)).json();
    expect(all).toEqual(expect.arrayContaining([memberEntityId(anchor, college), memberEntityId(anchor, shortlived)]));
    const marked = trustMarkType(anchor, 'OpenBadgeCredential');
    const filtered = await (await get(`/oidf/${networkId}/list?trust_mark_type=${encodeURIComponent(marked)}`)).json();
    expect(filtered).toEqual([memberEntityId(anchor, college)]);
    expect(await (await get(`/oidf/${networkId}/list?entity_type=openid_provider`)).json()).toEqual([]);
  });

  it('resolves a member to a trust chain whose three statements verify', async () => {
    const entity = memberEntityId(anchor, college);
    const res = await get(
      `/oidf/${networkId}/resolve?sub=${encodeURIComponent(entity)}&trust_anchor=${encodeURIComponent(anchor)}`,
    );
    const claims = await verified(res, 'resolve-response+jwt');
    expect(claims.metadata.federation_entity.organization_name).toBe('Riverside Community College');
    expect(claims.trust_chain).toHaveLength(3);
    const [leaf, statement, top] = claims.trust_chain.map((t: string) => decodeJwt(t));
    expect([leaf.iss, leaf.sub, leaf.authority_hints]).toEqual([entity, entity, [anchor]]);
    expect([statement.iss, statement.sub]).toEqual([anchor, entity]);
    expect([top.iss, top.sub]).toEqual([anchor, anchor]);
    const other = await get(
      `/oidf/${networkId}/resolve?sub=${encodeURIComponent(entity)}&trust_anchor=https://x.example`,
    );
    expect(other.status).toBe(404);
  });

  it('issues accreditation trust marks whose status follows the registry', async () => {
    const type = trustMarkType(anchor, 'OpenBadgeCredential');
    const res = await get(`/oidf/${networkId}/trust-mark?trust_mark_type=${encodeURIComponent(type)}&sub=${college}`);
    const mark = await res.clone().text();
    expect(await verified(res, 'trust-mark+jwt')).toMatchObject({ iss: anchor, trust_mark_type: type });
    const status = async (token: string) =>
      verified(
        await app.request(`/oidf/${networkId}/trust-mark-status`, {
          method: 'POST',
          body: new URLSearchParams({ trust_mark: token }),
        }),
        'trust-mark-status-response+jwt',
      );
    expect((await status(mark)).status).toBe('active');
    const [h, p, s] = mark.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(mark), sub: memberEntityId(anchor, shortlived) }));
    expect((await status(`${h}.${forged.toString('base64url')}.${s}`)).status).toBe('invalid');
    expect(p).toBeTruthy();

    await act({ type: 'member.suspend', did: college });
    expect((await status(mark)).status).toBe('revoked');
    expect((await get(`/oidf/${networkId}/fetch?sub=${college}`)).status).toBe(404);
    expect(
      ((await (await get(`/oidf/${networkId}/dcc-registry.json`)).json()) as any).registry[college],
    ).toBeUndefined();
    await act({ type: 'member.reinstate', did: college });
    expect((await get(`/oidf/${networkId}/fetch?sub=${college}`)).status).toBe(200);
  });

  it('rotates keys: the new key signs, the old one stays listed as a historical key', async () => {
    const old = [...jwks.keys()];
    const next = await approveKey();
    jwks.set(next.kid, { kty: 'OKP', crv: 'Ed25519', x: next.x });
    now = new Date('2026-03-01T00:59:59Z');
    await act({ type: 'federation.keys', keys: [next] });
    const res = await get(`/oidf/${networkId}/.well-known/openid-federation`);
    const token = await res.clone().text();
    expect(decodeProtectedHeader(token).kid).toBe(next.kid);
    expect((await verified(res)).jwks.keys.map((k: any) => k.kid)).toEqual([next.kid]);
    const history = await verified(await get(`/oidf/${networkId}/historical-keys`), 'jwk-set+jwt');
    const retired = history.keys.find((k: any) => k.kid === old[0]);
    expect(retired).toMatchObject({ exp: Date.parse('2026-03-01T01:00:00Z') / 1000 });
    expect(history.keys.find((k: any) => k.kid === next.kid).exp).toBeUndefined();
  });

  it('rejects a federation.keys action whose kid is not the key thumbprint', async () => {
    const key = await approveKey();
    await expect(act({ type: 'federation.keys', keys: [{ ...key, kid: 'mine' }] })).rejects.toMatchObject({
      code: 'INVALID_ACTION',
    });
  });
});
