/** Issue 16, finding 8: the per-client rate limit (a sliding window, bounded memory) and what it covers. */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { handleError } from '../../../node/http/errors.ts';
import { clientKey, rateLimit } from '../../../node/http/rate-limit.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';

/** The env the Node server gives a request: the socket's remote address. */
const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

function limitedApp(options: { max: number; windowMs: number; now: () => number; maxClients?: number }) {
  const limiter = rateLimit(options);
  const app = new Hono();
  app.use(limiter);
  app.get('/', (c) => c.json({ ok: true }));
  app.onError((error, c) => handleError(error, c));
  return { app, limiter };
}

describe('the rate limit', () => {
  describe('when a client sends at a window boundary', () => {
    it('lets no second burst through right after the boundary (sliding window)', async () => {
      let t = 0;
      const { app } = limitedApp({ max: 10, windowMs: 60_000, now: () => t });
      const burst = async (n: number) => {
        let passed = 0;
        for (let i = 0; i < n; i++) if ((await app.request('/', {}, from('192.0.2.1'))).status === 200) passed++;
        return passed;
      };
      t = 59_999;
      expect(await burst(10)).toBe(10);
      // A fixed window would start afresh here and let 10 more through: 20 within 2 ms.
      t = 60_001;
      expect(await burst(10)).toBe(0);
      // Half a window later, half of the previous window's weight is gone.
      t = 90_000;
      expect(await burst(10)).toBe(5);
      // A full quiet window later, the whole budget is back.
      t = 240_000;
      expect(await burst(12)).toBe(10);
    });

    it('answers 429 RATE_LIMITED with a retry-after', async () => {
      let t = 1_000;
      const { app } = limitedApp({ max: 1, windowMs: 60_000, now: () => t });
      expect((await app.request('/', {}, from('192.0.2.1'))).status).toBe(200);
      const refused = await app.request('/', {}, from('192.0.2.1'));
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      t = 200_000;
      expect((await app.request('/', {}, from('192.0.2.1'))).status).toBe(200);
    });
  });

  describe('when many clients come', () => {
    it('keeps each client apart and remembers at most maxClients of them', async () => {
      const { app, limiter } = limitedApp({ max: 1, windowMs: 60_000, now: () => 0, maxClients: 50 });
      for (let i = 0; i < 500; i++) {
        expect((await app.request('/', {}, from(`10.0.${i >> 8}.${i & 255}`))).status).toBe(200);
      }
      expect(limiter.size).toBe(50);
      // The most recent clients are remembered and limited.
      expect((await app.request('/', {}, from('10.0.1.243'))).status).toBe(429);
    });

    it('counts an IPv6 client by its /64 and an IPv4-mapped address as the IPv4 one', () => {
      expect(clientKey('2001:db8:1:2::1')).toBe(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
      expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
      expect(clientKey('::ffff:192.0.2.7')).toBe(clientKey('192.0.2.7'));
    });
  });
});

describe('what the rate limits cover', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;
  const json = { 'content-type': 'application/json' };
  beforeAll(async () => {
    node = await createTestNode();
    app = createApp({
      components: node.components,
      version: 't',
      health: () => ({ multiaddrs: [], networks: [] }),
      publicRateLimit: 2,
      readRateLimit: 3,
      // One clock that never moves: every request falls in the same window.
      rateLimitWindow: { now: () => 0 },
    });
  });
  afterAll(async () => {
    await node.close();
  });

  /** The statuses of `n` requests from one client. */
  async function statuses(n: number, client: string, path: string, init: RequestInit = {}) {
    const result: number[] = [];
    for (let i = 0; i < n; i++) result.push((await app.request(path, init, from(client))).status);
    return result;
  }

  it('limits DID resolution on the public budget', async () => {
    const did = encodeURIComponent(node.components.identity.did);
    const got = await statuses(3, '198.51.100.1', `/1.0/identifiers/${did}`);
    expect(got.slice(0, 2)).toEqual([200, 200]);
    expect(got[2]).toBe(429);
  });

  it('limits the public approval POST on the public budget', async () => {
    const body = JSON.stringify({ signer: 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH', signature: 'x' });
    const got = await statuses(3, '198.51.100.2', '/proposals/nope/approvals', { method: 'POST', headers: json, body });
    expect(got.slice(0, 2).every((s) => s !== 429)).toBe(true);
    expect(got[2]).toBe(429);
  });

  it('limits every GET on the read budget, apart from the public one', async () => {
    for (const [i, path] of [
      '/networks',
      '/skills/frameworks',
      '/status-lists/nope',
      '/health',
      '/no/such',
    ].entries()) {
      const client = `198.51.100.${i + 10}`;
      const got = await statuses(4, client, path);
      expect({ path, got: got.slice(0, 3).includes(429), last: got[3] }).toEqual({ path, got: false, last: 429 });
    }
  });

  it('still limits verification, presentations, TRQP and matching', async () => {
    const routes = [
      ['/credentials/verify', { verifiableCredential: {} }],
      ['/presentations/verify', { verifiablePresentation: {} }],
      ['/trqp/authorization', {}],
      ['/skills/match', {}],
    ] as const;
    for (const [i, [path, body]] of routes.entries()) {
      const client = `203.0.113.${i + 1}`;
      const got = await statuses(3, client, path, { method: 'POST', headers: json, body: JSON.stringify(body) });
      expect({ path, last: got[2] }).toEqual({ path, last: 429 });
    }
  });
});
