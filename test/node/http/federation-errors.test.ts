/**
 * OpenID Federation 1.0 §8.9: every federation endpoint answers errors as `{"error", "error_description"}`
 * (application/json) with the spec's code and status, our stable code as `ler_code`; the admin routes below
 * /oidf keep the house format.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { memberEntityId, trustMarkType } from '../../../registry/federation.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';
import { governance, governors } from '../../helpers/registry.ts';

const PUBLIC = 'https://node.example';

describe('when a federation endpoint cannot answer', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;
  let gov: ReturnType<typeof governance>;
  let networkId: string;
  let keyless: string;
  let anchor: string;
  let now = new Date('2026-03-01T00:00:00Z');
  const college = 'did:web:college.example';
  const unaccredited = 'did:web:newcomer.example';

  const act = (network: string, action: Record<string, unknown>) => {
    now = new Date(now.getTime() + 1000);
    return gov.act(network, action);
  };
  const q = encodeURIComponent;

  /** The answer is §8.9's error response: that code, that status, JSON, with our code alongside. */
  async function federationError(res: Response, status: number, error: string, lerCode?: string) {
    const body = (await res.json()) as Record<string, unknown>;
    expect({ status: res.status, body }).toMatchObject({ status, body: { error } });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(typeof body.error_description).toBe('string');
    expect(String(body.error_description).length).toBeGreaterThan(0);
    if (lerCode) expect(body.ler_code).toBe(lerCode);
    return body;
  }

  beforeAll(async () => {
    node = await createTestNode({ publicUrl: PUBLIC, now: () => now });
    app = createApp({ components: node.components, version: 't', health: () => ({ multiaddrs: [], networks: [] }) });
    gov = governance(node.components.registry, governors(1));
    networkId = await gov.createNetwork('Healthcare Talent Network');
    keyless = await gov.createNetwork('Network Without Keys');
    anchor = `${PUBLIC}/oidf/${networkId}`;
    const key = await node.components.federationKeys.create();
    await act(networkId, {
      type: 'federation.keys',
      keys: [{ kty: 'OKP', crv: 'Ed25519', x: key.publicJwk.x, kid: key.kid, holder: PUBLIC }],
    });
    await act(networkId, {
      type: 'member.add',
      did: college,
      name: 'Riverside Community College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    await act(networkId, { type: 'member.add', did: unaccredited, name: 'Newcomer Academy', accreditations: [] });
  });
  afterAll(async () => {
    await node.close();
  });

  it('fetch: a missing sub is invalid_request, an unknown one not_found, a foreign iss invalid_issuer', async () => {
    await federationError(await app.request(`/oidf/${networkId}/fetch`), 400, 'invalid_request', 'VALIDATION_FAILED');
    await federationError(
      await app.request(`/oidf/${networkId}/fetch?sub=did:web:stranger.example`),
      404,
      'not_found',
      'NOT_FOUND',
    );
    await federationError(
      await app.request(`/oidf/${networkId}/fetch?sub=${college}&iss=${q('https://evil.example')}`),
      404,
      'invalid_issuer',
      'INVALID_ISSUER',
    );
    // §8.1.2: asking the anchor about itself.
    await federationError(await app.request(`/oidf/${networkId}/fetch?sub=${q(anchor)}`), 400, 'invalid_request');
  });

  it('resolve: missing parameters are invalid_request, an unknown anchor or subject is named as such', async () => {
    const member = q(memberEntityId(anchor, college));
    await federationError(await app.request(`/oidf/${networkId}/resolve?sub=${member}`), 400, 'invalid_request');
    await federationError(
      await app.request(`/oidf/${networkId}/resolve?trust_anchor=${q(anchor)}`),
      400,
      'invalid_request',
    );
    await federationError(
      await app.request(`/oidf/${networkId}/resolve?sub=${member}&trust_anchor=${q('https://x.example')}`),
      404,
      'invalid_trust_anchor',
      'INVALID_TRUST_ANCHOR',
    );
    await federationError(
      await app.request(`/oidf/${networkId}/resolve?sub=did:web:stranger.example&trust_anchor=${q(anchor)}`),
      404,
      'invalid_subject',
      'INVALID_SUBJECT',
    );
  });

  it('trust-mark: a subject without that mark is not_found', async () => {
    const type = q(trustMarkType(anchor, 'OpenBadgeCredential'));
    await federationError(
      await app.request(`/oidf/${networkId}/trust-mark?trust_mark_type=${type}&sub=${unaccredited}`),
      404,
      'not_found',
    );
    await federationError(await app.request(`/oidf/${networkId}/trust-mark?sub=${college}`), 400, 'invalid_request');
  });

  it('trust-mark-status: no trust_mark is invalid_request; a mark this network never issued is a 404', async () => {
    const post = (body: Record<string, string>) =>
      app.request(`/oidf/${networkId}/trust-mark-status`, { method: 'POST', body: new URLSearchParams(body) });
    await federationError(await post({}), 400, 'invalid_request');
    const { privateKey } = await generateKeyPair('EdDSA');
    const foreign = await new SignJWT({
      iss: 'https://elsewhere.example',
      sub: memberEntityId(anchor, college),
      trust_mark_type: trustMarkType(anchor, 'OpenBadgeCredential'),
      iat: Math.floor(now.getTime() / 1000),
    })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'trust-mark+jwt', kid: 'not-one-of-ours' })
      .sign(privateKey);
    await federationError(await post({ trust_mark: foreign }), 404, 'not_found');
  });

  it('a network not served, one without keys, and a path that is no endpoint are not_found', async () => {
    const unknown = 'A'.repeat(43);
    await federationError(
      await app.request(`/oidf/${unknown}/.well-known/openid-federation`),
      404,
      'not_found',
      'NOT_FOUND',
    );
    await federationError(
      await app.request(`/oidf/${keyless}/historical-keys`),
      404,
      'not_found',
      'NO_FEDERATION_KEYS',
    );
    await federationError(await app.request(`/oidf/${networkId}/no-such-endpoint`), 404, 'not_found');
    await federationError(
      await app.request(`/oidf/${networkId}/members/${'x'.repeat(10)}/.well-known/openid-federation`),
      404,
      'not_found',
    );
  });

  it('list: the optional filters are supported (so never unsupported_parameter), trust_marked included', async () => {
    const list = async (query: string) => {
      const res = await app.request(`/oidf/${networkId}/list${query}`);
      expect(res.status).toBe(200);
      return res.json();
    };
    expect(await list('?trust_marked=true')).toEqual([memberEntityId(anchor, college)]);
    expect(await list('?entity_type=openid_provider&entity_type=ler_issuer')).toHaveLength(2);
    expect(await list('?entity_type=openid_provider')).toEqual([]);
  });

  it('a client over its rate limit gets temporarily_unavailable, with Retry-After', async () => {
    const limited = createApp({
      components: node.components,
      version: 't',
      health: () => ({ multiaddrs: [], networks: [] }),
      publicRateLimit: 1,
    });
    const path = `/oidf/${networkId}/fetch?sub=${college}`;
    expect((await limited.request(path)).status).toBe(200);
    const res = await limited.request(path);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    await federationError(res, 429, 'temporarily_unavailable', 'RATE_LIMITED');
  });

  it('the admin routes below /oidf keep the house error format', async () => {
    for (const res of [
      await app.request('/oidf/keys', { method: 'POST' }),
      await app.request('/oidf/anchors', { method: 'POST', body: '{}' }),
      await app.request('/oidf/anchors'),
    ]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    }
  });
});
