/**
 * CORS (decision 0039) over real HTTP: public documents for any origin, verification only for the configured
 * origins, admin routes never; preflights answered; and a real browser on another loopback origin reading a
 * status list while being refused the verify endpoint of a node that lists no origins.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../node/config.ts';
import { corsKind } from '../../../node/http/cors.ts';
import { launchBrowser } from '../../helpers/browser.ts';
import { type HttpTestNode, startHttpTestNode } from '../../helpers/http-node.ts';
import { sampleBadge } from '../../helpers/node.ts';

const WALLET = 'https://wallet.example';

async function issue(node: HttpTestNode) {
  const res = await fetch(`${node.url}/credentials/issue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
    body: JSON.stringify({ credential: sampleBadge({ issuer: node.components.identity.did }) }),
  });
  expect(res.status).toBe(201);
  const { verifiableCredential } = (await res.json()) as { verifiableCredential: Record<string, any> };
  const status = [verifiableCredential.credentialStatus].flat()[0];
  return { vc: verifiableCredential, listPath: new URL(status.statusListCredential).pathname };
}

const preflight = (url: string, origin: string, method: string, headers = 'content-type') =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

describe('CORS', () => {
  let node: HttpTestNode;
  let issued: Awaited<ReturnType<typeof issue>>;
  beforeAll(async () => {
    node = await startHttpTestNode({}, { corsOrigins: [WALLET] });
    issued = await issue(node);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('lets any origin read public documents, without credentials', async () => {
    for (const path of [
      issued.listPath,
      `/1.0/identifiers/${node.components.identity.did}`,
      '/.well-known/openid-credential-issuer',
      '/openapi.json',
    ]) {
      const res = await fetch(`${node.url}${path}`, { headers: { origin: 'https://anyone.example' } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(res.headers.get('access-control-allow-credentials'), path).toBeNull();
    }
    const pre = await preflight(`${node.url}${issued.listPath}`, 'https://anyone.example', 'GET');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('lets only the configured origins call verify, and says Vary: Origin', async () => {
    const pre = await preflight(`${node.url}/credentials/verify`, WALLET, 'POST');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(WALLET);
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(pre.headers.get('vary')).toContain('Origin');
    const post = (origin: string) =>
      fetch(`${node.url}/credentials/verify`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ verifiableCredential: issued.vc }),
      });
    const allowed = await post(WALLET);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(WALLET);
    expect(allowed.headers.get('vary')).toContain('Origin');
    const other = await post('https://elsewhere.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const refused = await preflight(`${node.url}/credentials/verify`, 'https://elsewhere.example', 'POST');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never opens an admin route or the Authorization header to another origin', async () => {
    const pre = await preflight(`${node.url}/credentials/issue`, WALLET, 'POST', 'authorization, content-type');
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await fetch(`${node.url}/governor-keys`, {
      headers: { origin: WALLET, authorization: `Bearer ${node.adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    for (const [method, path] of [
      ['GET', '/oidf/keys'],
      ['POST', '/oidf/anchors'],
      ['GET', '/networks'],
      ['POST', '/credentials/status'],
    ]) {
      expect(corsKind(method, path), `${method} ${path}`).toBeUndefined();
    }
    expect(corsKind('GET', '/oidf/abc/fetch')).toBe('public-documents');
  });

  it('reads --cors-origins from flags, env and config.json, refusing what is not an origin', () => {
    expect(resolveConfig({ corsOrigins: ['https://a.example', '*'] }).corsOrigins).toEqual(['https://a.example', '*']);
    expect(resolveConfig({}).corsOrigins).toEqual([]);
    expect(() => resolveConfig({ corsOrigins: ['https://a.example/path'] })).toThrow(/--cors-origins takes/);
    expect(() => resolveConfig({ corsOrigins: ['a.example'] })).toThrow(/--cors-origins takes/);
  });
});

describe('CORS in a browser', () => {
  let node: HttpTestNode;
  let browser: Browser;
  let site: Server;
  let siteUrl: string;
  let listPath: string;
  beforeAll(async () => {
    // No --cors-origins: the default.
    node = await startHttpTestNode();
    ({ listPath } = await issue(node));
    // A page on another loopback origin (localhost, not 127.0.0.1, and another port).
    site = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>wallet</p>'),
    );
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await node?.close();
  });

  it('fetches a status list cross-origin, and is refused verify by default', async () => {
    const page = await browser.newPage();
    await page.goto(siteUrl);
    const list = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: ((await res.json()) as { type: string[] }).type };
    }, `${node.url}${listPath}`);
    expect(list.status).toBe(200);
    expect(list.type).toContain('BitstringStatusListCredential');
    const verify = await page.evaluate(async (url) => {
      try {
        await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        return 'read';
      } catch (error) {
        return (error as Error).name;
      }
    }, `${node.url}/credentials/verify`);
    expect(verify).toBe('TypeError');
    await page.close();
  });
});
