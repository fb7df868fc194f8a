/**
 * Issue 16, findings 6 and 7: ids that do not decode, prototype keys used as ids, and JSON values that
 * canonical JSON (RFC 8785) cannot represent. Every such request gets a JSON 4xx, never a 500.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';
import { governance, governors } from '../../helpers/registry.ts';

const BAD_ESCAPES = ['%25', '%', '%E0%A4%A', '%25E0%25A4%25A', '%%', '%ZZ'];
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('hostile ids and bodies over HTTP', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;
  let admin: Record<string, string>;
  let networkId: string;
  const json = { 'content-type': 'application/json' };
  const college = 'did:web:college.example';

  beforeAll(async () => {
    node = await createTestNode();
    app = createApp({ components: node.components, version: 't', health: () => ({ multiaddrs: [], networks: [] }) });
    admin = { ...json, authorization: `Bearer ${node.adminToken}` };
    const gov = governance(node.components.registry, governors(1));
    networkId = await gov.createNetwork('Prototype Test Network');
    await gov.act(networkId, {
      type: 'member.add',
      did: college,
      name: 'Riverside Community College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    // A framework and a recognition exist, so lookups run over non-empty tables.
    const framework = {
      id: 'https://skills.example/f',
      name: 'F',
      version: '1',
      items: [{ id: 'https://skills.example/f/1', name: 'One' }],
    };
    const res = await app.request('/skills/frameworks', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify(framework),
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await node.close();
  });

  /** Every GET route that takes an id in its path, with the id (already URL-escaped or not) put in. */
  const idRoutes = (id: string) => [
    `/skills/${id}`,
    `/skills/${id}/equivalents`,
    `/skills/frameworks/${id}`,
    `/ims/case/v1p1/CFPackages/${id}`,
    `/issuers/${id}`,
    `/networks/${id}`,
    `/networks/${id}/actions`,
    `/networks/${id}/export`,
    `/networks/${id}/members/${encodeURIComponent(college)}`,
    `/networks/${networkId}/members/${id}`,
    `/proposals/${id}`,
    `/status-lists/${id}`,
  ];

  async function expectJson4xx(res: Response, label: string) {
    const text = await res.text();
    expect({ label, status: res.status >= 400 && res.status < 500 }).toEqual({ label, status: true });
    const body = JSON.parse(text) as { error?: { code?: unknown } };
    expect(typeof body.error?.code, `${label}: ${text}`).toBe('string');
    return body.error?.code as string;
  }

  describe('when a path id does not decode (finding 6)', () => {
    it('answers %25, % and a truncated UTF-8 escape with JSON 4xx on every id route', async () => {
      for (const bad of BAD_ESCAPES) {
        for (const path of idRoutes(bad)) await expectJson4xx(await app.request(path), `GET ${path}`);
      }
    });

    it('never answers 500 for any escaped or unescaped id (property)', async () => {
      const fragment = fc.oneof(
        fc.constantFrom('%', '%2', '%25', '%E0', '%A4', '%C3%28', '%F0%9F', '%00', '%2F', 'a', ':', '~'),
        fc.string({ maxLength: 4 }).map((s) => encodeURIComponent(s)),
      );
      const id = fc.array(fragment, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
      await fc.assert(
        fc.asyncProperty(id, fc.nat(idRoutes('x').length - 1), async (raw, which) => {
          const path = idRoutes(raw)[which];
          const res = await app.request(path);
          expect(res.status, `GET ${path}`).not.toBe(500);
          expect(res.headers.get('content-type') ?? '').toMatch(/json/);
        }),
        { numRuns: 150 },
      );
    });

    it('decodes an id once: a did:web with an escaped port is not turned into another DID', async () => {
      const did = 'did:web:college.example%3A8443';
      const res = await app.request(`/issuers/${encodeURIComponent(did)}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(did);
    });
  });

  describe('when an id is a prototype key (finding 7)', () => {
    it('answers 404 on every id route, never 500 or a made-up record', async () => {
      for (const key of PROTOTYPE_KEYS) {
        for (const path of idRoutes(key)) {
          const code = await expectJson4xx(await app.request(path), `GET ${path}`);
          expect(code).toMatch(/NOT_FOUND/);
        }
      }
    });

    it('answers TRQP queries naming prototype keys as not authorized or unknown, never 500', async () => {
      for (const key of PROTOTYPE_KEYS) {
        const query = (path: string, body: Record<string, unknown>) =>
          app.request(path, { method: 'POST', headers: json, body: JSON.stringify(body) });
        const authz = await query('/trqp/authorization', {
          entity_id: key,
          authority_id: networkId,
          action: 'issue',
          resource: 'OpenBadgeCredential',
        });
        expect(authz.status, key).toBe(200);
        expect(await authz.json()).toMatchObject({ authorized: false, context: { code: 'NOT_A_MEMBER' } });
        const recog = await query('/trqp/recognition', {
          entity_id: key,
          authority_id: networkId,
          action: 'recognize',
          resource: '*',
        });
        expect(recog.status, key).toBe(200);
        expect(await recog.json()).toMatchObject({ recognized: false });
        const unknown = await query('/trqp/authorization', {
          entity_id: college,
          authority_id: key,
          action: 'issue',
          resource: 'OpenBadgeCredential',
        });
        expect(unknown.status, key).toBe(404);
      }
    });

    it('treats prototype keys in queries and approval ids as unknown, never 500', async () => {
      for (const key of PROTOTYPE_KEYS) {
        const reads = [
          `/proposals?network=${key}&pending=true`,
          `/publications?publisher=${key}&kind=${key}`,
          `/skills/search?q=one&framework=${key}`,
          `/networks/${networkId}/actions?after=${key}`,
          `/networks/${networkId}/members/${encodeURIComponent(college)}?at=${key}`,
        ];
        for (const path of reads) {
          const res = await app.request(path);
          expect({ path, status: res.status < 500 }).toEqual({ path, status: true });
          expect(res.headers.get('content-type') ?? '').toMatch(/json/);
        }
        const approval = await app.request(`/proposals/${key}/approvals`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ signer: key, signature: key }),
        });
        expect(await expectJson4xx(approval, `approve ${key}`)).toBe('PROPOSAL_NOT_FOUND');
        const follow = await app.request('/follows', {
          method: 'POST',
          headers: admin,
          body: JSON.stringify({ network: key }),
        });
        expect(await expectJson4xx(follow, `follow ${key}`)).toBe('VALIDATION_FAILED');
      }
    });

    it('still finds the real member', async () => {
      const res = await app.request(`/networks/${networkId}/members/${encodeURIComponent(college)}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ did: college, current: { status: 'active' } });
    });
  });

  describe('when a body holds values canonical JSON cannot represent (finding 7)', () => {
    /** Each body-taking route with a plausible body; "MARK" is replaced by the hostile value. */
    const bodyRoutes = (): Array<[string, unknown]> => [
      ['/credentials/issue', { credential: { type: ['VerifiableCredential'], name: 'MARK' } }],
      ['/credentials/verify', { verifiableCredential: { type: ['VerifiableCredential'], name: 'MARK' } }],
      ['/credentials/status', { credentialId: 'MARK', status: true }],
      ['/presentations/verify', { verifiablePresentation: { type: ['VerifiablePresentation'], id: 'MARK' } }],
      ['/networks', { name: 'MARK', governors: [governors(1)[0].did], threshold: 1 }],
      ['/proposals', { network: networkId, action: { type: 'member.add', did: 'did:web:x.example', name: 'MARK' } }],
      [`/proposals/${networkId}/approvals`, { signer: 'MARK', signature: 'x' }],
      ['/publications', { kind: 'achievement', id: 'a', body: { name: 'MARK' } }],
      [
        '/skills/frameworks',
        {
          id: 'https://s.example/x',
          name: 'MARK',
          version: '1',
          items: [{ id: 'https://s.example/x/1', name: 'MARK' }],
        },
      ],
      ['/skills/import/case', { CFDocument: { identifier: 'x', title: 'MARK' }, CFItems: [] }],
      [
        '/skills/import/osmt',
        { uuid: 'x', name: 'MARK', skills: [{ id: 'https://s.example/r/1', skillName: 'MARK' }] },
      ],
      ['/skills/crosswalks', { id: 'MARK', mappings: [] }],
      ['/skills/match', { required: ['MARK'], credentials: [{ name: 'MARK' }] }],
      ['/trqp/authorization', { entity_id: 'MARK', authority_id: networkId, action: 'issue', resource: 'x' }],
      ['/trqp/recognition', { entity_id: 'MARK', authority_id: networkId, action: 'recognize', resource: '*' }],
      ['/follows', { network: 'MARK' }],
    ];
    const hostile = ['"\\ud800"', '"a\\udfffb"', '1e400', '-1e400'];

    it('answers lone surrogates and 1e400 with 422 JSON_NOT_CANONICALIZABLE on every body route', async () => {
      for (const value of hostile) {
        for (const [path, body] of bodyRoutes()) {
          const text = JSON.stringify(body).replaceAll('"MARK"', value);
          const res = await app.request(path, { method: 'POST', headers: admin, body: text });
          const code = await expectJson4xx(res, `POST ${path} with ${value}`);
          expect({ path, value, status: res.status, code }).toEqual({
            path,
            value,
            status: 422,
            code: 'JSON_NOT_CANONICALIZABLE',
          });
        }
      }
    });

    it('never answers 500 to arbitrary JSON on any body route (property)', async () => {
      // Strings of any UTF-16 code units (lone surrogates too) and doubles of any size, in and around the
      // fields each route reads.
      const leaf = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.string({ maxLength: 8 }),
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constantFrom('__proto__', 'constructor', 'did:key:z6Mk', networkId, '1e400'),
      );
      const value = fc.letrec((tie) => ({
        node: fc.oneof(
          { depthSize: 'small' },
          leaf,
          fc.array(tie('node'), { maxLength: 3 }),
          fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 3 }),
        ),
      })).node;
      const routes = bodyRoutes();
      await fc.assert(
        fc.asyncProperty(
          fc.nat(routes.length - 1),
          fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 4 }),
          async (which, extra) => {
            const [path, base] = routes[which];
            const body = { ...(base as object), ...extra };
            // JSON.stringify writes non-finite doubles as null; put 1e400 back where the generator asked for it.
            const text = JSON.stringify(body).replaceAll('"1e400"', '1e400');
            const res = await app.request(path, { method: 'POST', headers: admin, body: text });
            expect(res.status, `POST ${path} ${text}`).toBeLessThan(500);
            expect(res.headers.get('content-type') ?? '').toMatch(/json/);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('answers a lone surrogate in an object key the same way', async () => {
      const res = await app.request('/publications', {
        method: 'POST',
        headers: admin,
        body: '{"kind":"achievement","id":"a","body":{"\\udc00":1}}',
      });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ error: { code: 'JSON_NOT_CANONICALIZABLE' } });
    });

    it('still accepts well-formed surrogate pairs and large finite numbers', async () => {
      const res = await app.request('/publications', {
        method: 'POST',
        headers: admin,
        body: '{"kind":"achievement","id":"https://a.example/pair","body":{"id":"https://a.example/pair","type":["Achievement"],"name":"\\ud83c\\udf93 grad","n":1e300}}',
      });
      expect(res.status).toBe(201);
    });
  });
});
