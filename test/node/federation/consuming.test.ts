/**
 * A ler-node process that accepts another federation's trust anchor (--oidf-anchor, and the admin API):
 * the federation is served by the test over HTTPS from statements it signs with jose (not through this
 * node's code); the node's report says "trusted via OpenID Federation anchor …" for a listed issuer,
 * refuses a forged statement with its code, and leaves trust unchecked when the registry is unreachable.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTlsFront, type TlsFront } from '../../../scripts/conformance/tls-front.ts';
import { sampleBadge, tempDir } from '../../helpers/node.ts';
import { type NodeProcess, startNodeProcess } from '../../helpers/process.ts';

const nowS = () => Math.floor(Date.now() / 1000);
const TOKEN = 'consuming-test-admin-token-0123456789';

describe('when a ler-node process accepts another federation as a source of trust', () => {
  let dir: string;
  let front: TlsFront;
  let origin: Server;
  let node: NodeProcess;
  let did: string;
  let credential: Record<string, unknown>;
  const routes = new Map<string, string>();
  const key = generateKeyPairSync('ed25519');
  const forger = generateKeyPairSync('ed25519');

  async function serveAnchor(path: string, name: string, signer = key.privateKey) {
    const id = `${front.url}/${path}`;
    const jwk = { ...(await exportJWK(key.publicKey)), kid: 'k1' };
    const sign = (claims: Record<string, unknown>, by = key.privateKey) =>
      new SignJWT({ iat: nowS() - 5, exp: nowS() + 600, ...claims })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'entity-statement+jwt', kid: 'k1' })
        .sign(by);
    routes.set(
      `/${path}/.well-known/openid-federation`,
      await sign({
        iss: id,
        sub: id,
        jwks: { keys: [jwk] },
        metadata: { federation_entity: { organization_name: name, federation_fetch_endpoint: `${id}/fetch` } },
      }),
    );
    routes.set(
      `/${path}/fetch?sub=${encodeURIComponent(did)}`,
      await sign(
        { iss: id, sub: did, metadata: { federation_entity: { organization_name: 'Riverside Community College' } } },
        signer,
      ),
    );
    return id;
  }
  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${node.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  const trustCheck = async () => {
    const report = (await call('POST', '/credentials/verify', { verifiableCredential: credential })).body;
    return { check: report.checks.find((c: any) => c.name === 'trust'), report };
  };

  beforeAll(async () => {
    dir = await tempDir('ler-oidf-consume-');
    origin = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      url.searchParams.delete('iss');
      const body = routes.get(`${url.pathname}${url.search}`);
      if (!body) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/entity-statement+jwt' }).end(body);
    });
    await new Promise<void>((done) => origin.listen(0, '127.0.0.1', done));
    const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
    front = await startTlsFront(() => originUrl, dir);
    node = await startNodeProcess(join(dir, 'node'), { NODE_EXTRA_CA_CERTS: front.caFile }, 20_000, [
      '--allow-private-hosts',
      '--admin-token',
      TOKEN,
      '--oidf-anchor',
      `${front.url}/anchor`,
    ]);
    did = (await call('GET', '/health')).body.did;
    await serveAnchor('anchor', 'Credential Engine Test Registry');
    const issued = await call('POST', '/credentials/issue', {
      credential: sampleBadge({ id: `urn:uuid:${randomUUID()}`, issuer: did }),
    });
    credential = issued.body.verifiableCredential;
  }, 60_000);

  afterAll(async () => {
    node?.child.kill('SIGTERM');
    await node?.exited;
    await front?.close();
    origin?.closeAllConnections();
    origin?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports an issuer listed by the anchor as trusted via that anchor, like a network path', async () => {
    const { check, report } = await trustCheck();
    expect(check, JSON.stringify(report.checks)).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('trusted via OpenID Federation anchor Credential Engine Test Registry'),
    });
    expect(report.trustPath).toEqual([`${front.url}/anchor`, did]);
    expect(report.trusted).toBe(true);
  });

  it('refuses a statement with a bad signature with its code (anchor added at runtime)', async () => {
    const configured = `${front.url}/anchor`;
    const removal = await call('DELETE', `/oidf/anchors?entity_id=${encodeURIComponent(configured)}`);
    expect(removal.body.error.code).toBe('CONFLICT');
    // Restarted without --oidf-anchor, then given the forged registry through the admin API.
    node.child.kill('SIGTERM');
    await node.exited;
    node = await startNodeProcess(join(dir, 'node'), { NODE_EXTRA_CA_CERTS: front.caFile }, 20_000, [
      '--allow-private-hosts',
      '--admin-token',
      TOKEN,
    ]);
    const forged = await serveAnchor('forged', 'Forged Registry', forger.privateKey);
    expect((await call('POST', '/oidf/anchors', { entityId: forged })).body.anchors).toEqual([forged]);
    const { check, report } = await trustCheck();
    expect(check).toMatchObject({ status: 'failed', code: 'OIDF_INVALID_SIGNATURE' });
    expect(report.trusted).toBe(false);
  }, 60_000);

  it('leaves trust unchecked, not failed, when the only anchor cannot be reached', async () => {
    await call('DELETE', `/oidf/anchors?entity_id=${encodeURIComponent(`${front.url}/forged`)}`);
    expect((await call('POST', '/oidf/anchors', { entityId: 'https://127.0.0.1:1/gone' })).body.anchors).toEqual([
      'https://127.0.0.1:1/gone',
    ]);
    const { check } = await trustCheck();
    expect(check).toMatchObject({ status: 'unchecked', code: 'OIDF_UNREACHABLE' });
  });
});
