/**
 * GET /openapi.json describes every route the app registers (or the route is left out on purpose, with a
 * reason), and the answers of a real node over real HTTP match the documented response schemas, checked with
 * Ajv (JSON Schema 2020-12, what OpenAPI 3.1 uses) against the served document, not against our zod schemas.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNDOCUMENTED } from '../../../node/http/api-schemas/index.ts';
import { createNodeMetrics } from '../../../node/observability/metrics.ts';
import { type HttpTestNode, startHttpTestNode } from '../../helpers/http-node.ts';
import { sampleBadge } from '../../helpers/node.ts';

type Json = Record<string, any>;

/** hono's `/a/:id{re}` → OpenAPI's `/a/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z_]+)(\{[^/]*\})?/g, '{$1}');

/** Operations whose success is not exercised here, with why. */
const NOT_EXERCISED: Record<string, string> = {
  'post /oid4vci/token': 'needs a wallet: test/node/oid4vc/issuance.test.ts runs the flow',
  'post /oid4vci/credential': 'needs a wallet key proof: test/node/oid4vc/issuance.test.ts',
  'post /oid4vp/requests/{id}': 'wallet side of OID4VP: test/node/oid4vc/presentation.test.ts',
  'post /oid4vp/responses/{id}': 'needs a wallet presentation: test/node/oid4vc/presentation.test.ts',
  'get /presentation-requests/{id}/events': 'a stream that waits for a wallet: test/node/oid4vc/presentation.test.ts',
  'post /workflows/{workflow}/exchanges/{id}': 'needs a holder: test/node/vcalm/exchanges.test.ts',
  'get /workflows/{workflow}/exchanges/{id}/request':
    'answers once a holder has started: test/node/vcalm/exchanges.test.ts',
  'get /oidf/{network}/.well-known/openid-federation':
    'needs federation keys approved by governors: test/node/http/federation.test.ts',
  'get /oidf/{network}/members/{entity}/.well-known/openid-federation': 'as above',
  'get /oidf/{network}/fetch': 'as above',
  'get /oidf/{network}/resolve': 'as above',
  'get /oidf/{network}/trust-mark': 'as above',
  'post /oidf/{network}/trust-mark-status': 'as above',
  'get /oidf/{network}/historical-keys': 'as above',
  'post /oidf/anchors': 'fetches another federation’s entity configuration: test/node/federation',
  'delete /oidf/anchors': 'as above',
  'get /.well-known/did.json': 'a did:web node only; its 404 for a did:key node is checked here',
  'post /skills/import/case': 'same answer schema as POST /skills/frameworks: test/node/http/skills.test.ts',
  'post /skills/import/osmt': 'as above',
  'post /backup': 'a gzip stream, checked by restoring it: test/node/cli/backup-restore.test.ts',
  'get /events': 'a stream that stays open: test/node/http/events.test.ts',
  'delete /follows/{network}': 'needs an explicit follow first: test/node/cli/follow-commands.test.ts',
  'post /follows/offers/{network}/accept': 'needs an offer from peers: test/node/replication/membership.test.ts',
  'post /follows/offers/{network}/decline': 'as above',
};

describe('the OpenAPI document', () => {
  let node: HttpTestNode;
  let doc: Json;
  let admin: Record<string, string>;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const exercised = new Set<string>();

  beforeAll(async () => {
    // With metrics, so that GET /metrics is registered too.
    node = await startHttpTestNode({}, { metrics: createNodeMetrics({ version: 't' }) });
    admin = { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` };
    const res = await fetch(`${node.url}/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Json;
    ajv.addSchema(doc, 'doc');
  });
  afterAll(async () => {
    await node?.close();
  });

  /** Sends a real request and checks the answer against the document's schema for (path, method, status). */
  async function call(
    method: string,
    template: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const res = await fetch(`${node.url}${path}`, {
      method: method.toUpperCase(),
      headers: init.headers ?? (init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.body === undefined
        ? {}
        : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });
    const text = await res.text();
    const op = doc.paths[template]?.[method];
    expect(op, `${method} ${template} is documented`).toBeDefined();
    const response = op.responses[String(res.status)];
    expect(response, `${method} ${template} documents status ${res.status}: ${text.slice(0, 300)}`).toBeDefined();
    const [type, media] = Object.entries((response.content ?? {}) as Record<string, Json>)[0] ?? [];
    if (type) expect(res.headers.get('content-type') ?? '').toContain(type.split(';')[0]);
    const body = type && /json|did-resolution/.test(type) ? JSON.parse(text) : text;
    if (media?.schema) {
      const pointer = `doc#/paths/${template.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${res.status}/content/${type.replace(/~/g, '~0').replace(/\//g, '~1')}/schema`;
      const validate = ajv.getSchema(pointer)!;
      expect(validate(body), `${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    if (res.status < 300) exercised.add(`${method} ${template}`);
    return { status: res.status, body: body as Json, headers: res.headers };
  }

  it('describes every route the app registers, or says why it leaves one out', () => {
    const routes = new Set(
      node.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${r.path}`),
    );
    const missing: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(' ');
      if (UNDOCUMENTED.some((u) => u.path.test(path))) continue;
      if (!doc.paths[openApiPath(path)]?.[method]) missing.push(route);
    }
    expect(missing).toEqual([]);
    // And nothing documented that the app does not serve.
    const served = new Set([...routes].map((r) => openApiPath(r)));
    const stale = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
      Object.keys(item)
        .map((m) => `${m} ${path}`)
        .filter((op) => !served.has(op)),
    );
    expect(stale).toEqual([]);
    expect(doc.openapi).toBe('3.1.0');
    expect(UNDOCUMENTED.every((u) => u.reason.length > 10)).toBe(true);
  });

  it('answers every documented operation as its schema says, errors in the one error shape', async () => {
    const json = { 'content-type': 'application/json' };
    await call('get', '/health', '/health');
    await call('get', '/openapi.json', '/openapi.json');
    await call('get', '/metrics', '/metrics', { headers: admin });
    expect((await call('get', '/metrics', '/metrics')).status).toBe(401);
    await call('get', '/.well-known/did.json', '/.well-known/did.json');
    await call('get', '/1.0/identifiers/{did}', `/1.0/identifiers/${node.components.identity.did}`);
    expect((await call('get', '/1.0/identifiers/{did}', '/1.0/identifiers/did:nope')).status).toBe(400);

    // Credentials: issue, verify (200 and 400), status, the status list, presentations.
    expect((await call('post', '/credentials/issue', '/credentials/issue', { body: { credential: {} } })).status).toBe(
      401,
    );
    expect(
      (await call('post', '/credentials/issue', '/credentials/issue', { body: { nope: 1 }, headers: admin })).status,
    ).toBe(400);
    const did = node.components.identity.did;
    const issued = await call('post', '/credentials/issue', '/credentials/issue', {
      body: { credential: sampleBadge({ issuer: did }) },
      headers: admin,
    });
    const vc = issued.body.verifiableCredential;
    expect(
      (await call('post', '/credentials/verify', '/credentials/verify', { body: { verifiableCredential: vc } })).status,
    ).toBe(200);
    const tampered = { ...vc, name: 'Something else' };
    expect(
      (await call('post', '/credentials/verify', '/credentials/verify', { body: { verifiableCredential: tampered } }))
        .status,
    ).toBe(400);
    expect(
      (
        await call('post', '/credentials/verify', '/credentials/verify', {
          body: { verifiableCredential: vc, options: { nope: 1 } },
        })
      ).status,
    ).toBe(400);
    const batch = await call('post', '/credentials/verify/batch', '/credentials/verify/batch', {
      body: { verifiableCredentials: [vc, tampered] },
    });
    expect(batch.body.results.map((r: Json) => r.status)).toEqual([200, 400]);
    expect((await call('post', '/credentials/verify/batch', '/credentials/verify/batch', { body: {} })).status).toBe(
      400,
    );
    const listPath = new URL(vc.credentialStatus.statusListCredential ?? vc.credentialStatus[0].statusListCredential)
      .pathname;
    await call('get', '/status-lists/{listId}', listPath);
    expect((await call('get', '/status-lists/{listId}', '/status-lists/nope')).status).toBe(404);
    await call('post', '/credentials/status', '/credentials/status', {
      body: { credentialId: vc.id, status: true },
      headers: admin,
    });
    const presentation = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      verifiableCredential: [vc],
    };
    await call('post', '/presentations/verify', '/presentations/verify', {
      body: { verifiablePresentation: presentation },
    });

    // Registry: a governor key, a network with this node as member, proposals, follows, anchors.
    const key = (await call('post', '/governor-keys', '/governor-keys', { headers: admin })).body.did;
    await call('get', '/governor-keys', '/governor-keys', { headers: admin });
    const created = await call('post', '/networks', '/networks', {
      body: { name: 'Docs Network', governors: [key], threshold: 1, options: { sign: true } },
      headers: admin,
    });
    const network = created.body.proposal.id;
    await call('get', '/networks', '/networks');
    await call('get', '/networks/{id}', `/networks/${network}`);
    await call('get', '/networks/{id}/actions', `/networks/${network}/actions?limit=10`);
    expect((await call('get', '/networks/{id}/actions', `/networks/${network}/actions?limit=x`)).status).toBe(400);
    await call('get', '/networks/{id}/export', `/networks/${network}/export`);
    const proposed = await call('post', '/proposals', '/proposals', {
      body: {
        network,
        action: {
          type: 'member.add',
          did,
          name: 'Docs College',
          accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
        },
      },
      headers: admin,
    });
    const proposalId = proposed.body.proposal.id;
    await call('get', '/proposals', '/proposals?pending=true');
    await call('get', '/proposals/{id}', `/proposals/${proposalId}`);
    await call('post', '/proposals/{id}/approvals', `/proposals/${proposalId}/approvals`, {
      body: { signer: key, sign: true },
      headers: admin,
    });
    await call('get', '/networks/{id}/members/{did}', `/networks/${network}/members/${did}`);
    expect(
      (await call('get', '/networks/{id}/members/{did}', `/networks/${network}/members/did:key:nobody`)).status,
    ).toBe(404);
    await call('get', '/issuers/{did}', `/issuers/${did}`);
    await call('get', '/follows', '/follows');
    await call('get', '/follows/offers', '/follows/offers');
    await call('post', '/follows', '/follows', { body: { network }, headers: admin });
    expect((await call('post', '/follows', '/follows', { body: { network: 'x' }, headers: admin })).status).toBe(400);
    await call('get', '/anchors', '/anchors');
    const other = 'A'.repeat(43);
    await call('post', '/anchors', '/anchors', { body: { network: other }, headers: admin });
    await call('delete', '/anchors/{network}', `/anchors/${other}`, { headers: admin });
    const published = await call('post', '/publications', '/publications', {
      body: {
        kind: 'achievement',
        id: 'https://example.edu/achievements/bm-101',
        body: (sampleBadge().credentialSubject as Json).achievement,
      },
      headers: admin,
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    expect(
      (
        await call('post', '/publications', '/publications', {
          body: { kind: 'nope', id: 'x', body: {} },
          headers: admin,
        })
      ).status,
    ).toBe(400);
    await call('get', '/publications', `/publications?publisher=${did}`);

    // Skills.
    const framework = {
      id: 'https://skills.example/docs',
      name: 'Docs Skills',
      version: '1',
      items: [
        { id: 'https://skills.example/docs/a', code: 'A', name: 'Incident triage', description: 'Triage alerts' },
      ],
    };
    await call('post', '/skills/frameworks', '/skills/frameworks', { body: framework, headers: admin });
    await call('get', '/skills/frameworks', '/skills/frameworks');
    await call('get', '/skills/frameworks/{id}', `/skills/frameworks/${encodeURIComponent(framework.id)}`);
    await call(
      'get',
      '/ims/case/v1p1/CFPackages/{id}',
      `/ims/case/v1p1/CFPackages/${encodeURIComponent(framework.id)}`,
    );
    await call('get', '/skills/search', '/skills/search?q=triage');
    expect((await call('get', '/skills/search', '/skills/search?q=triage&limit=0')).status).toBe(400);
    await call('get', '/skills/{id}', `/skills/${encodeURIComponent(framework.items[0].id)}`);
    await call('get', '/skills/{id}/equivalents', `/skills/${encodeURIComponent(framework.items[0].id)}/equivalents`);
    await call('post', '/skills/crosswalks', '/skills/crosswalks', {
      body: {
        id: 'https://skills.example/docs-self',
        mappings: [{ source: framework.items[0].id, target: framework.items[0].id, relation: 'exactMatch' }],
      },
      headers: admin,
    });
    await call('post', '/skills/match', '/skills/match', {
      body: { required: [framework.items[0].id], credentials: [vc] },
    });

    // TRQP.
    const query = { entity_id: did, authority_id: network, action: 'issue', resource: 'OpenBadgeCredential' };
    await call('post', '/trqp/authorization', '/trqp/authorization', { body: query });
    expect(
      (await call('post', '/trqp/authorization', '/trqp/authorization', { body: { ...query, authority_id: other } }))
        .status,
    ).toBe(404);
    await call('post', '/trqp/recognition', '/trqp/recognition', {
      body: { ...query, entity_id: other, action: 'recognize', resource: '*' },
    });

    // Wallets: OID4VCI, OID4VP, VCALM exchanges.
    await call('get', '/.well-known/openid-credential-issuer', '/.well-known/openid-credential-issuer');
    await call('get', '/.well-known/oauth-authorization-server', '/.well-known/oauth-authorization-server');
    const { id: _id, ...subject } = sampleBadge().credentialSubject as Json;
    const offer = await call('post', '/offers', '/offers', {
      body: { credential: { ...sampleBadge(), credentialSubject: subject } },
      headers: admin,
    });
    await call('get', '/offers/{id}', `/offers/${offer.body.id}`);
    await call('get', '/offers/{id}/status', `/offers/${offer.body.id}/status`, { headers: admin });
    await call('get', '/offers/{id}/{qr}', `/offers/${offer.body.id}/qr.svg`);
    expect((await call('get', '/offers/{id}', '/offers/nope')).status).toBe(404);
    await call('post', '/oid4vci/nonce', '/oid4vci/nonce');
    expect(
      (
        await call('post', '/oid4vci/token', '/oid4vci/token', {
          body: 'grant_type=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(400);
    const request = await call('post', '/presentation-requests', '/presentation-requests', {
      body: {},
      headers: admin,
    });
    await call('get', '/presentation-requests/{id}', `/presentation-requests/${request.body.id}`, { headers: admin });
    await call('get', '/presentation-requests/{id}/{qr}', `/presentation-requests/${request.body.id}/qr.svg`);
    await call('get', '/oid4vp/requests/{id}', `/oid4vp/requests/${request.body.id}`);
    const exchange = await call('post', '/workflows/{workflow}/exchanges', '/workflows/issuance/exchanges', {
      body: { variables: { credential: { ...sampleBadge(), credentialSubject: subject } } },
      headers: admin,
    });
    const exchangePath = new URL(exchange.body.exchangeUrl).pathname;
    await call('get', '/workflows/{workflow}/exchanges/{id}', exchangePath, { headers: admin });
    await call('get', '/workflows/{workflow}/exchanges/{id}/protocols', `${exchangePath}/protocols`);
    await call('get', '/interactions/{id}', new URL(exchange.body.interactionUrl).pathname);

    // OpenID Federation: keys held, anchors, and what needs no approved key.
    await call('post', '/oidf/keys', '/oidf/keys', { headers: admin });
    await call('get', '/oidf/keys', '/oidf/keys', { headers: admin });
    await call('get', '/oidf/anchors', '/oidf/anchors', { headers: admin });
    await call('get', '/oidf/{network}/list', `/oidf/${network}/list`);
    await call('get', '/oidf/{network}/dcc-registry.json', `/oidf/${network}/dcc-registry.json`);
    void json;

    const documented = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m} ${path}`),
    );
    const unexercised = documented.filter((op) => !exercised.has(op) && !(op in NOT_EXERCISED));
    expect(unexercised).toEqual([]);
  });

  it('refuses what the documented schema refuses, naming the field', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['/offers', { expiresIn: 0 }, 'expiresIn'],
      ['/presentation-requests', { requiredSkills: 'x' }, 'requiredSkills'],
      ['/publications', { kind: 'achievement', id: '', body: {} }, 'id'],
      ['/trqp/authorization', { entity_id: 'a b', authority_id: 'x', action: 'issue', resource: 'r' }, 'entity_id'],
    ];
    for (const [path, body, field] of cases) {
      const res = await fetch(`${node.url}${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
      const answer = (await res.json()) as Json;
      expect(res.status, path).toBe(400);
      expect(answer.error.code, path).toBe('VALIDATION_FAILED');
      expect(answer.error.details.issues[0].path, path).toBe(field);
    }
  });

  it('renders the reference page from the same document, under the pages’ CSP', async () => {
    const res = await fetch(`${node.url}/api`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).not.toMatch(/<script/);
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const method of Object.keys(item)) expect(html).toContain(`id="${item[method].operationId}"`);
      expect(html).toContain(path.replace(/&/g, '&amp;'));
    }
  });
});
