/**
 * The consuming side against a federation the test serves itself: statements signed with jose by keys the
 * test owns (not through this node's code), over a real HTTP server on loopback.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFederationResolver, type FederationResolver } from '../../../protocol/federation/chain-resolver.ts';
import { createOutboundFetcher } from '../../../protocol/signing/outbound-fetch.ts';

interface TestKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

async function testKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid } };
}

const nowS = () => Math.floor(Date.now() / 1000);

async function sign(key: TestKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  return new SignJWT({ iat: nowS() - 10, exp: nowS() + 600, ...claims })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'entity-statement+jwt', kid: key.kid, ...header })
    .sign(key.privateKey);
}

describe('when the node resolves issuers against other federations', () => {
  let server: Server;
  let base: string;
  const routes = new Map<string, string>();
  let anchorKey: TestKey;
  let otherKey: TestKey;
  let resolver: FederationResolver;
  const issuer = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
  const anchor = () => `${base}/anchor`;
  const did = (name: string) => `did:web:127.0.0.1%3A${new URL(base).port}:${name}`;

  /** An entity with its configuration and fetch endpoint served; `subs` maps a sub to its statement. */
  async function entity(path: string, key: TestKey, hints: string[] = [], name = path) {
    const id = `${base}/${path}`;
    routes.set(
      `/${path}/.well-known/openid-federation`,
      await sign(key, {
        iss: id,
        sub: id,
        jwks: { keys: [key.jwk] },
        ...(hints.length ? { authority_hints: hints } : {}),
        metadata: { federation_entity: { organization_name: name, federation_fetch_endpoint: `${id}/fetch` } },
      }),
    );
    return id;
  }
  async function subordinate(path: string, key: TestKey, sub: string, claims: Record<string, unknown> = {}) {
    const id = `${base}/${path}`;
    routes.set(
      `/${path}/fetch?sub=${encodeURIComponent(sub)}`,
      await sign(key, {
        iss: id,
        sub,
        metadata: { federation_entity: { organization_name: 'Registered Academy' } },
        ...claims,
      }),
    );
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      url.searchParams.delete('iss');
      const body = routes.get(`${url.pathname}${url.search}`);
      if (!body) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/entity-statement+jwt' }).end(body);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    anchorKey = await testKey('anchor-1');
    otherKey = await testKey('anchor-1');
    await entity('anchor', anchorKey, [], 'Credential Engine Test Registry');
    await subordinate('anchor', anchorKey, issuer);
    resolver = createFederationResolver({
      fetcher: createOutboundFetcher({ allowPrivateHosts: true, timeoutMs: 2_000 }),
      allowHttp: true,
    });
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('trusts an issuer the anchor lists by DID, with the anchor name', async () => {
    expect(await resolver.resolve(issuer, [anchor()])).toMatchObject({
      status: 'trusted',
      anchor: anchor(),
      anchorName: 'Credential Engine Test Registry',
      path: [anchor(), issuer],
      metadata: { federation_entity: { organization_name: 'Registered Academy' } },
    });
  });

  it('answers not_found for an issuer the anchor does not list', async () => {
    expect(await resolver.resolve('did:key:z6MkunknownIssuer', [anchor()])).toMatchObject({
      status: 'not_found',
      code: 'OIDF_NOT_FOUND',
    });
  });

  it('refuses a statement with a bad signature, an unknown kid, a foreign alg or past its exp', async () => {
    const cases: Array<[string, () => Promise<void>, string]> = [
      ['did:key:z6MkForged', () => subordinate('anchor', otherKey, 'did:key:z6MkForged'), 'OIDF_INVALID_SIGNATURE'],
      [
        'did:key:z6MkExpired',
        () => subordinate('anchor', anchorKey, 'did:key:z6MkExpired', { iat: nowS() - 7200, exp: nowS() - 3600 }),
        'OIDF_EXPIRED',
      ],
      [
        'did:key:z6MkFuture',
        () => subordinate('anchor', anchorKey, 'did:key:z6MkFuture', { iat: nowS() + 3600 }),
        'OIDF_NOT_YET_VALID',
      ],
      [
        'did:key:z6MkCrit',
        () => subordinate('anchor', anchorKey, 'did:key:z6MkCrit', { crit: ['ext'], ext: 1 }),
        'OIDF_UNSUPPORTED_CRIT',
      ],
      [
        'did:key:z6MkOtherKid',
        async () => {
          routes.set(
            `/anchor/fetch?sub=${encodeURIComponent('did:key:z6MkOtherKid')}`,
            await sign(anchorKey, { iss: anchor(), sub: 'did:key:z6MkOtherKid' }, { kid: 'not-listed' }),
          );
        },
        'OIDF_UNKNOWN_KID',
      ],
      [
        'did:key:z6MkWrongSub',
        async () => {
          routes.set(
            `/anchor/fetch?sub=${encodeURIComponent('did:key:z6MkWrongSub')}`,
            await sign(anchorKey, { iss: anchor(), sub: issuer }),
          );
        },
        'OIDF_CHAIN_MISMATCH',
      ],
      [
        'did:key:z6MkUnsigned',
        async () => {
          const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'entity-statement+jwt', kid: 'anchor-1' })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: anchor(), sub: 'did:key:z6MkUnsigned', iat: nowS(), exp: nowS() + 60 })).toString('base64url')}.`;
          routes.set(`/anchor/fetch?sub=${encodeURIComponent('did:key:z6MkUnsigned')}`, unsigned);
        },
        'OIDF_BAD_ALGORITHM',
      ],
    ];
    for (const [sub, serve, code] of cases) {
      await serve();
      expect(await resolver.resolve(sub, [anchor()]), sub).toMatchObject({ status: 'refused', code });
    }
  });

  it('resolves a did:web issuer bottom-up through an intermediate to the anchor', async () => {
    const leafKey = await testKey('leaf');
    const midKey = await testKey('mid');
    const mid = await entity('mid', midKey, [anchor()], 'State Board');
    await subordinate('anchor', anchorKey, mid, { jwks: { keys: [midKey.jwk] } });
    const leafId = await entity('college', leafKey, [mid]);
    await subordinate('mid', midKey, leafId, { jwks: { keys: [leafKey.jwk] } });
    expect(await resolver.resolve(did('college'), [anchor()])).toMatchObject({
      status: 'trusted',
      anchor: anchor(),
      path: [anchor(), mid, did('college')],
    });
  });

  it('refuses a chain that loops and one deeper than allowed', async () => {
    const k1 = await testKey('l1');
    const k2 = await testKey('l2');
    const leafKey = await testKey('loop-leaf');
    const i1 = `${base}/loop1`;
    const i2 = `${base}/loop2`;
    await entity('loop1', k1, [i2]);
    await entity('loop2', k2, [i1]);
    const leafId = await entity('looping', leafKey, [i1]);
    await subordinate('loop1', k1, leafId, { jwks: { keys: [leafKey.jwk] } });
    await subordinate('loop2', k2, i1, { jwks: { keys: [k1.jwk] } });
    await subordinate('loop1', k1, i2, { jwks: { keys: [k2.jwk] } });
    expect(await resolver.resolve(did('looping'), [anchor()])).toMatchObject({
      status: 'refused',
      code: 'OIDF_CHAIN_LOOP',
    });

    const shallow = createFederationResolver({
      fetcher: createOutboundFetcher({ allowPrivateHosts: true }),
      allowHttp: true,
      maxIntermediates: 0,
    });
    expect(await shallow.resolve(did('college'), [anchor()])).toMatchObject({
      status: 'refused',
      code: 'OIDF_TOO_DEEP',
    });
  });

  it('gives unchecked, never refused, when the registry cannot be reached or its address is refused', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    expect(await resolver.resolve(issuer, [`http://127.0.0.1:${port}/gone`])).toMatchObject({
      status: 'unchecked',
      code: 'OIDF_UNREACHABLE',
    });
    // The address guard as for did:web: a loopback registry is not asked unless private hosts are allowed.
    const guarded = createFederationResolver({ fetcher: createOutboundFetcher({}), allowHttp: true });
    expect(await guarded.resolve(issuer, [anchor()])).toMatchObject({ status: 'unchecked', code: 'OIDF_UNREACHABLE' });
  });

  it('refuses a statement larger than the limit', async () => {
    const small = createFederationResolver({
      fetcher: createOutboundFetcher({ allowPrivateHosts: true }),
      allowHttp: true,
      maxStatementBytes: 200,
    });
    expect(await small.resolve(issuer, [anchor()])).toMatchObject({ status: 'refused', code: 'OIDF_TOO_LARGE' });
  });
});
