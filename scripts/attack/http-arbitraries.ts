/**
 * fast-check generators of hostile HTTP requests over the node's routes and body schemas (API.md):
 * valid bodies mutated at a random place (prototype keys, lone surrogates, 1e400, huge and deep values,
 * wrong types), broken encodings and content types, ids that are prototype keys or encoded twice, every
 * admin route with bad credentials, and credentials whose issuer, status list or holder points at the
 * harness's loopback listeners.
 */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import type { RawRequest } from './http-client.ts';
import { DELETE, pathsOf, Raw, replaceAt, toJsonText, withKey } from './json-text.ts';
import type { SsrfTargets } from './ssrf-targets.ts';

export interface HttpFixtures {
  token: string;
  did: string;
  /** Valid credentials signed by the node (each suite): verified after the attack, never changed by it. */
  credentials: Record<string, unknown>[];
  /** Credentials the attack may revoke. */
  sacrificial: Record<string, unknown>[];
  networkId: string;
  governorDid: string;
  proposalId: string;
  statusListId: string;
  frameworkId: string;
  skillId: string;
  ssrf: SsrfTargets;
}

export type AttackRequest = RawRequest & { adminWithBadCredentials?: boolean };

/** Text bodies as strings, and a short form for fast-check's counterexamples (bodies can be megabytes). */
function described(request: AttackRequest): AttackRequest {
  const body = Buffer.isBuffer(request.body) && isUtf8(request.body) ? request.body.toString('utf8') : request.body;
  const text = () => {
    const shown =
      typeof body === 'string'
        ? body
        : body
          ? `<${body.byteLength} bytes: ${body.subarray(0, 120).toString('hex')}>`
          : '';
    return `${request.label}: ${request.method} ${request.path.slice(0, 300)} ${JSON.stringify(request.headers ?? {}).slice(0, 200)} ${shown.length > 1500 ? `${shown.slice(0, 1500)}… (${shown.length} chars)` : shown}`;
  };
  return Object.assign({ ...request, body }, { [fc.toStringMethod]: text, toString: text });
}

type Json = Record<string, unknown>;

const EVIL_STRINGS = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  '\ud800',
  'a\udfffb',
  '\udc00\ud800',
  '%25',
  '%',
  '%E0%A4%A',
  '',
  ' ',
  '\u0000',
  '\u202e\u0644',
  '../../../etc/passwd',
  'did:web:%25',
  'did:key:z',
  `did:key:z6Mk${'1'.repeat(60)}`,
  'javascript:alert(1)',
  '1e400',
  'NaN',
];

const RAW_NUMBERS = [
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  '9007199254740993',
  '0.1e999999',
  '123456789012345678901234567890',
];

const nested = (depth: number) => new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const protoObject = new Raw('{"__proto__":{"polluted":true,"length":1e400},"constructor":{"prototype":{"x":1}}}');

/** A replacement value for whatever sits at the chosen place. */
function valueMutation(ssrf: SsrfTargets): fc.Arbitrary<(old: unknown) => unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...EVIL_STRINGS).map((s) => () => s) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_NUMBERS).map((n) => () => new Raw(n)) },
    { weight: 1, arbitrary: fc.constantFrom(1_000, 100_000, 900_000).map((n) => () => 'x'.repeat(n)) },
    { weight: 1, arbitrary: fc.integer({ min: 28, max: 40 }).map((d) => () => nested(d)) },
    { weight: 1, arbitrary: fc.constant(() => new Raw(`[${'0,'.repeat(10_000)}0]`)) },
    {
      weight: 1,
      arbitrary: fc.constant(() => new Raw(`{${Array.from({ length: 5000 }, (_, i) => `"k${i}":${i}`).join(',')}}`)),
    },
    { weight: 2, arbitrary: fc.constant(() => protoObject) },
    { weight: 3, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, [], {}, '1').map((v) => () => v) },
    { weight: 2, arbitrary: fc.constant((old: unknown) => [old, old]) },
    { weight: 2, arbitrary: fc.constant(() => DELETE) },
    { weight: 2, arbitrary: fc.constantFrom(...ssrf.urls, ...ssrf.dids).map((s) => () => s) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map((s) => () => s) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom('__proto__', 'constructor', 'prototype', '@context', 'id', 'type'),
          fc.constantFrom<unknown>(protoObject, '__proto__', null, new Raw('1e400')),
        )
        .map(
          ([key, value]) =>
            (old: unknown) =>
              old && typeof old === 'object' && !Array.isArray(old) && !(old instanceof Raw)
                ? withKey(old as Json, key, value)
                : old,
        ),
    },
  );
}

/** Mutates a valid body at 0–3 places. */
function mutatedBody(valid: fc.Arbitrary<unknown>, ssrf: SsrfTargets): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), valueMutation(ssrf)), { minLength: 0, maxLength: 3 }))
    .map(([body, mutations]) => {
      let out = body;
      for (const [at, mutate] of mutations) {
        const paths = pathsOf(out);
        out = replaceAt(out, paths[at % paths.length], mutate);
      }
      return out;
    });
}

type Encoding = (text: string) => { body: Buffer; contentType?: string };

const ENCODINGS: Array<{ weight: number; arbitrary: fc.Arbitrary<Encoding> }> = [
  { weight: 20, arbitrary: fc.constant((t: string) => ({ body: Buffer.from(t), contentType: 'application/json' })) },
  { weight: 1, arbitrary: fc.constant((t: string) => ({ body: Buffer.from(t), contentType: 'application/ld+json' })) },
  { weight: 1, arbitrary: fc.constant((t: string) => ({ body: Buffer.from(t), contentType: 'text/plain' })) },
  { weight: 1, arbitrary: fc.constant((t: string) => ({ body: Buffer.from(t) })) },
  {
    weight: 1,
    arbitrary: fc.constant((t: string) => ({
      body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
      contentType: 'application/json; charset=utf-16',
    })),
  },
  {
    weight: 1,
    arbitrary: fc.nat().map((n) => (t: string) => {
      const b = Buffer.from(t);
      const at = n % (b.length + 1);
      return {
        body: Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]), b.subarray(at)]),
        contentType: 'application/json',
      };
    }),
  },
  {
    weight: 1,
    arbitrary: fc.nat().map((n) => (t: string) => ({
      body: Buffer.from(t.slice(0, n % (t.length + 1))),
      contentType: 'application/json',
    })),
  },
  {
    weight: 1,
    arbitrary: fc.constant((t: string) => ({ body: Buffer.from(`${t}}}]`), contentType: 'application/json' })),
  },
  {
    weight: 1,
    arbitrary: fc.constant((t: string) => ({
      body: Buffer.from(t.replace('{', '{"__proto__":{"a":1},"__proto__":null,')),
      contentType: 'application/json',
    })),
  },
  { weight: 1, arbitrary: fc.constant((_t: string) => ({ body: Buffer.alloc(0), contentType: 'application/json' })) },
];

/** Evil route ids, already percent-encoded for the path. */
function evilId(fx: HttpFixtures): fc.Arbitrary<string> {
  const dids = [...fx.ssrf.dids, fx.did, 'did:web:%25'];
  return fc.oneof(
    fc.constantFrom(
      '%25',
      '%',
      '%2525',
      '%E0%A4%A',
      '%ED%A0%80',
      '%F0%9F',
      '%00',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'toString',
      'prototype',
      '%5F%5Fproto%5F%5F',
      '..%2F..%2F..%2Fetc%2Fpasswd',
      'x'.repeat(5000),
      '%uD800',
    ),
    fc.constantFrom(...dids).map((d) => encodeURIComponent(d)),
    fc.constantFrom(...dids).map((d) => encodeURIComponent(encodeURIComponent(d))),
    fc
      .string({ unit: 'binary', maxLength: 40 })
      .map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '')) || '%20'),
  );
}

interface Route {
  method: string;
  /** Path with `:name` placeholders. */
  path: string;
  admin?: boolean;
  /** Query string parts that may be mutated. */
  query?: Record<string, string>;
  body?: (fx: HttpFixtures) => fc.Arbitrary<unknown>;
  /** Valid path parameters. */
  params?: (fx: HttpFixtures) => Record<string, string>;
}

const pick = <T>(xs: T[]) => fc.constantFrom(...xs);
const VC2 = 'https://www.w3.org/ns/credentials/v2';

function presentation(credential: unknown, holder: string) {
  return {
    '@context': [VC2],
    type: ['VerifiablePresentation'],
    holder,
    verifiableCredential: [credential],
    proof: {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      verificationMethod: `${holder}#key-1`,
      proofPurpose: 'authentication',
      challenge: 'c-1',
      domain: 'verifier.example',
      created: '2026-01-01T00:00:00Z',
      proofValue: `z${'3'.repeat(86)}`,
    },
  };
}

const framework = (id: string) => ({
  id,
  name: 'Attack Framework',
  version: '1',
  items: [
    { id: `${id}/c1`, code: 'C1', name: 'Triage incidents', description: 'Sorts alerts by urgency.' },
    { id: `${id}/c2`, code: 'C2', name: 'Report incidents', broader: [`${id}/c1`] },
  ],
});

export const ROUTES: Route[] = [
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/.well-known/did.json' },
  { method: 'GET', path: '/networks' },
  { method: 'GET', path: '/networks/:id', params: (fx) => ({ id: fx.networkId }) },
  {
    method: 'GET',
    path: '/networks/:id/actions',
    params: (fx) => ({ id: fx.networkId }),
    query: { limit: '10', after: '' },
  },
  { method: 'GET', path: '/networks/:id/export', params: (fx) => ({ id: fx.networkId }) },
  {
    method: 'GET',
    path: '/networks/:id/members/:did',
    params: (fx) => ({ id: fx.networkId, did: encodeURIComponent(fx.did) }),
    query: { at: '2026-01-01T00:00:00Z' },
  },
  { method: 'GET', path: '/proposals', query: { network: '', pending: 'true' } },
  { method: 'GET', path: '/proposals/:id', params: (fx) => ({ id: fx.proposalId }) },
  { method: 'GET', path: '/issuers/:did', params: (fx) => ({ did: encodeURIComponent(fx.did) }) },
  { method: 'GET', path: '/follows' },
  { method: 'GET', path: '/publications', query: { publisher: '', kind: 'status-list' } },
  { method: 'GET', path: '/status-lists/:id', params: (fx) => ({ id: fx.statusListId }) },
  { method: 'GET', path: '/1.0/identifiers/:did', params: (fx) => ({ did: encodeURIComponent(fx.did) }) },
  { method: 'GET', path: '/skills/frameworks' },
  {
    method: 'GET',
    path: '/skills/frameworks/:id',
    params: (fx) => ({ id: encodeURIComponent(fx.frameworkId) }),
    query: { version: '1' },
  },
  { method: 'GET', path: '/skills/search', query: { q: 'triage', limit: '5' } },
  { method: 'GET', path: '/skills/:id/equivalents', params: (fx) => ({ id: encodeURIComponent(fx.skillId) }) },
  { method: 'GET', path: '/skills/:id', params: (fx) => ({ id: encodeURIComponent(fx.skillId) }) },
  {
    method: 'GET',
    path: '/ims/case/v1p1/CFPackages/:id',
    params: (fx) => ({ id: encodeURIComponent(fx.frameworkId) }),
  },
  { method: 'GET', path: '/governor-keys', admin: true },
  {
    method: 'POST',
    path: '/credentials/verify',
    body: (fx) =>
      fc.record({
        verifiableCredential: pick(fx.credentials),
        options: fc.constantFrom({}, { at: '2027-01-01T00:00:00Z' }),
      }),
  },
  {
    method: 'POST',
    path: '/presentations/verify',
    body: (fx) =>
      fc.record({
        verifiablePresentation: pick(fx.credentials).map((vc) => presentation(vc, fx.did)),
        options: fc.constant({ challenge: 'c-1', domain: 'verifier.example' }),
      }),
  },
  {
    method: 'POST',
    path: '/trqp/authorization',
    body: (fx) =>
      fc.record({
        entity_id: fc.constant(fx.did),
        authority_id: fc.constant(fx.networkId),
        action: fc.constant('issue'),
        resource: fc.constant('OpenBadgeCredential'),
        context: fc.constantFrom(
          {},
          { time: '2026-06-01T00:00:00Z' },
          { code: 'AUTHORIZED', network_name: 'Totally Real Accreditor', authorized: true },
        ),
      }),
  },
  {
    method: 'POST',
    path: '/trqp/recognition',
    body: (fx) =>
      fc.constant({ entity_id: fx.networkId, authority_id: fx.networkId, action: 'recognize', resource: '*' }),
  },
  {
    method: 'POST',
    path: '/skills/match',
    body: (fx) =>
      fc.record({ required: fc.constant([fx.skillId]), credentials: pick(fx.credentials).map((vc) => [vc]) }),
  },
  {
    method: 'POST',
    path: '/proposals/:id/approvals',
    params: (fx) => ({ id: fx.proposalId }),
    body: (fx) => fc.constant({ signer: fx.governorDid, signature: 'A'.repeat(86) }),
  },
  {
    method: 'POST',
    path: '/credentials/issue',
    admin: true,
    body: (fx) =>
      fc.constant({
        credential: {
          '@context': [VC2, 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
          type: ['VerifiableCredential', 'OpenBadgeCredential'],
          issuer: fx.did,
          name: 'Attack badge',
          credentialSubject: {
            id: 'did:example:learner',
            type: ['AchievementSubject'],
            achievement: {
              id: 'https://example.edu/a/1',
              type: ['Achievement'],
              name: 'A',
              criteria: { narrative: 'n' },
            },
          },
        },
        options: { cryptosuite: 'eddsa-jcs-2022' },
      }),
  },
  {
    method: 'POST',
    path: '/credentials/status',
    admin: true,
    body: (fx) =>
      pick(fx.sacrificial).map((vc) => ({
        credentialId: vc.id,
        credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
        status: false,
      })),
  },
  { method: 'POST', path: '/governor-keys', admin: true, body: () => fc.constant({}) },
  {
    method: 'POST',
    path: '/networks',
    admin: true,
    body: (fx) => fc.constant({ name: 'Attack network', governors: [fx.governorDid], threshold: 1 }),
  },
  {
    method: 'POST',
    path: '/proposals',
    admin: true,
    body: (fx) =>
      fc.constant({
        network: fx.networkId,
        action: {
          type: 'member.add',
          did: 'did:web:x.example',
          name: 'X',
          accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
        },
      }),
  },
  { method: 'POST', path: '/follows', admin: true, body: (fx) => fc.constant({ network: fx.networkId }) },
  {
    method: 'POST',
    path: '/publications',
    admin: true,
    body: () =>
      fc.constant({ kind: 'achievement', id: 'https://example.edu/a/attack', body: { name: 'Attack achievement' } }),
  },
  {
    method: 'POST',
    path: '/skills/frameworks',
    admin: true,
    body: () => fc.constant(framework('https://skills.example/attack')),
  },
  {
    method: 'POST',
    path: '/skills/import/osmt',
    admin: true,
    body: () =>
      fc.constant({
        id: 'https://osmt.example/c/1',
        name: 'OSMT',
        skills: [{ id: 'https://osmt.example/s/1', skillName: 'Triage', skillStatement: 'Sorts alerts.' }],
      }),
  },
  {
    method: 'POST',
    path: '/skills/import/case',
    admin: true,
    body: (fx) =>
      fc.constant({
        CFDocument: { identifier: 'https://case.example/f', title: 'CASE' },
        CFItems: [{ identifier: `${fx.frameworkId}/x`, fullStatement: 'x' }],
      }),
  },
  {
    method: 'POST',
    path: '/skills/crosswalks',
    admin: true,
    body: (fx) =>
      fc.constant({
        id: 'https://skills.example/cw',
        mappings: [{ source: fx.skillId, target: `${fx.frameworkId}/c2`, relation: 'closeMatch' }],
      }),
  },
];

/** Ways to present an admin token that must all be refused. */
function badCredentials(token: string): Array<Record<string, string>> {
  return [
    {},
    { authorization: '' },
    { authorization: 'Bearer' },
    { authorization: 'Bearer wrong-token' },
    { authorization: `Bearer ${token}x` },
    { authorization: `Bearer ${token.slice(0, -1)}` },
    { authorization: `Bearer ${token.slice(0, 8)}` },
    { authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}` },
    { authorization: `Token ${token}` },
    { authorization: `Bearer ${token} ${token}` },
    { authorization: `Bearer ${'A'.repeat(20_000)}` },
    { authorization: 'Bearer __proto__' },
    { authorization: 'Bearer null' },
    { 'x-admin-token': token },
    { cookie: `token=${token}` },
    { authorization: `Bearer ${Buffer.from(token).toString('base64')}` },
    { authorization: `Bearer ${token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}` },
  ];
}

function fillPath(route: Route, params: Record<string, string>): string {
  return route.path.replace(/:(\w+)/g, (_m, name: string) => params[name] ?? 'x');
}

function queryOf(route: Route, fx: HttpFixtures, mutate: boolean, evil: string): string {
  if (!route.query) return '';
  const entries = Object.entries(route.query).map(([k, v]) => [
    k,
    v || (k === 'network' ? fx.networkId : k === 'publisher' ? encodeURIComponent(fx.did) : ''),
  ]);
  if (mutate && entries.length > 0) entries[evil.length % entries.length][1] = evil;
  return `?${entries.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

/** One request to `route`: mostly valid credentials and a mutated body, sometimes bad credentials. */
function routeRequest(route: Route, fx: HttpFixtures): fc.Arbitrary<AttackRequest> {
  const valid = route.params?.(fx) ?? {};
  const names = Object.keys(valid);
  const params = names.length
    ? fc
        .tuple(fc.boolean(), fc.nat(), evilId(fx))
        .map(([mutate, which, id]) => (mutate ? { ...valid, [names[which % names.length]]: id } : valid))
    : fc.constant(valid);
  const credentials = route.admin
    ? fc.oneof(
        { weight: 1, arbitrary: fc.constant<Record<string, string> | undefined>(undefined) },
        { weight: 1, arbitrary: pick(badCredentials(fx.token)) },
      )
    : fc.constant<Record<string, string> | undefined>(undefined);
  const body = route.body ? mutatedBody(route.body(fx), fx.ssrf) : fc.constant(undefined);
  const encoding = fc.oneof(...ENCODINGS);
  return fc
    .tuple(params, credentials, body, encoding, fc.boolean(), evilId(fx))
    .map(([p, bad, b, encode, mutateQuery, evil]) => {
      const headers: Record<string, string> = {
        ...(bad ?? (route.admin ? { authorization: `Bearer ${fx.token}` } : {})),
      };
      let raw: Buffer | undefined;
      if (b !== undefined) {
        const encoded = encode(toJsonText(b));
        raw = encoded.body;
        if (encoded.contentType) headers['content-type'] = encoded.contentType;
      }
      return described({
        method: route.method,
        path: fillPath(route, p) + queryOf(route, fx, mutateQuery, evil),
        headers,
        body: raw,
        label: `${route.method} ${route.path}${bad ? ' (bad credentials)' : ''}`,
        adminWithBadCredentials: route.admin && bad !== undefined,
      });
    });
}

/** Requests whose credential or DID points at the loopback listeners (finding 1). */
export function ssrfRequest(fx: HttpFixtures): fc.Arbitrary<AttackRequest> {
  const json = (path: string, body: unknown, label: string): AttackRequest =>
    described({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: toJsonText(body), label });
  const asIssuer = (vc: Json, did: string) => {
    const proof = { ...(vc.proof as Json), verificationMethod: `${did}#key-1` };
    return { ...vc, issuer: did, proof };
  };
  const withStatus = (vc: Json, url: string) => ({
    ...vc,
    credentialStatus: { ...(vc.credentialStatus as Json), id: `${url}#1`, statusListCredential: url },
  });
  return fc.oneof(
    fc
      .tuple(pick(fx.credentials), pick(fx.ssrf.dids))
      .map(([vc, did]) =>
        json('/credentials/verify', { verifiableCredential: asIssuer(vc, did) }, 'SSRF issuer did:web'),
      ),
    fc
      .tuple(pick(fx.credentials), pick(fx.ssrf.urls))
      .map(([vc, url]) =>
        json('/credentials/verify', { verifiableCredential: withStatus(vc, url) }, 'SSRF status list URL'),
      ),
    fc.tuple(pick(fx.credentials), pick(fx.ssrf.dids)).map(([vc, did]) =>
      json(
        '/presentations/verify',
        {
          verifiablePresentation: presentation(vc, did),
          options: { challenge: 'c-1', domain: 'verifier.example' },
        },
        'SSRF presentation holder',
      ),
    ),
    fc
      .tuple(pick(fx.credentials), pick(fx.ssrf.urls), pick(fx.ssrf.dids))
      .map(([vc, url, did]) =>
        json(
          '/skills/match',
          { required: [fx.skillId], credentials: [withStatus(asIssuer(vc, did), url)] },
          'SSRF skills match',
        ),
      ),
    fc.tuple(pick(fx.ssrf.dids), fc.boolean()).map(([did, twice]) =>
      described({
        method: 'GET',
        path: `/1.0/identifiers/${twice ? encodeURIComponent(encodeURIComponent(did)) : encodeURIComponent(did)}`,
        label: `SSRF identifiers${twice ? ' (encoded twice)' : ''}`,
      }),
    ),
  );
}

/**
 * Genuinely signed credentials whose status list, context or issuer is a prototype key (finding 2: four
 * such requests poisoned the proof workers for everyone). The post-attack check then shows whether a valid
 * credential still verifies.
 */
function poisonRequest(fx: HttpFixtures): fc.Arbitrary<AttackRequest> {
  const keys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf'];
  return fc
    .tuple(pick(fx.credentials), pick(keys), fc.constantFrom('statusListCredential', 'statusId', 'context', 'issuer'))
    .map(([vc, key, where]) => {
      const status = vc.credentialStatus as Json | undefined;
      const poisoned =
        where === 'statusListCredential'
          ? { ...vc, credentialStatus: { ...status, statusListCredential: key } }
          : where === 'statusId'
            ? { ...vc, credentialStatus: { ...status, id: key, statusListCredential: key } }
            : where === 'context'
              ? { ...vc, '@context': [...(vc['@context'] as string[]), key] }
              : { ...vc, issuer: key };
      return described({
        method: 'POST',
        path: '/credentials/verify',
        headers: { 'content-type': 'application/json' },
        body: toJsonText({ verifiableCredential: poisoned }),
        label: `prototype key as ${where}`,
      });
    });
}

/** Unknown routes and methods. */
const strayRequest: fc.Arbitrary<AttackRequest> = fc
  .tuple(
    fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'POST'),
    fc.constantFrom(
      '/',
      '/credentials',
      '/credentials/verify',
      '/networks/x/y/z',
      '/%25',
      '/__proto__',
      '/admin',
      '/.env',
      '/status-lists/',
      '//health',
    ),
  )
  .map(([method, path]) => described({ method, path, label: `${method} (stray)` }));

/** Every admin route with every kind of bad credentials, each once, with a valid body. */
export function adminSweep(fx: HttpFixtures): AttackRequest[] {
  const requests: AttackRequest[] = [];
  for (const route of ROUTES.filter((r) => r.admin)) {
    const body = route.body ? toJsonText(fc.sample(route.body(fx), { numRuns: 1, seed: 1 })[0]) : undefined;
    for (const headers of badCredentials(fx.token)) {
      requests.push(
        described({
          method: route.method,
          path: fillPath(route, route.params?.(fx) ?? {}),
          headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
          body,
          label: `${route.method} ${route.path} (admin sweep)`,
          adminWithBadCredentials: true,
        }),
      );
    }
  }
  // Asking the node to sign an approval with a key it holds is an admin act on a public route.
  for (const headers of badCredentials(fx.token)) {
    requests.push(
      described({
        method: 'POST',
        path: `/proposals/${fx.proposalId}/approvals`,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ signer: fx.governorDid, sign: true }),
        label: 'POST /proposals/:id/approvals sign:true (admin sweep)',
        adminWithBadCredentials: true,
      }),
    );
  }
  return requests;
}

/**
 * The whole mix. `ssrf: false` leaves out the requests aimed at the loopback listeners: on a node that
 * follows them they take seconds each (the property test checks them apart).
 */
export function attackRequest(fx: HttpFixtures, options: { ssrf?: boolean } = {}): fc.Arbitrary<AttackRequest> {
  const routes = ROUTES.map((r) => ({ weight: r.method === 'POST' ? 3 : 1, arbitrary: routeRequest(r, fx) }));
  return fc.oneof(
    { weight: 80, arbitrary: fc.oneof(...routes) },
    { weight: options.ssrf === false ? 0 : 12, arbitrary: ssrfRequest(fx) },
    { weight: 5, arbitrary: poisonRequest(fx) },
    { weight: 3, arbitrary: strayRequest },
  );
}
