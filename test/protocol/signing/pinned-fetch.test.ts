import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJsonGuarded } from '../../../protocol/signing/outbound-fetch.ts';
import { AddressRefusedError, createPinnedFetch } from '../../../protocol/signing/pinned-fetch.ts';

describe('the pinned fetch', () => {
  let server: Server;
  let port: number;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, accept: req.headers.accept }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  const loopback = async () => [{ address: '127.0.0.1', family: 4 }];

  it('connects to the address it resolved and returns a normal Response', async () => {
    const pinned = createPinnedFetch({ allowPrivateHosts: true, resolve: loopback });
    const response = await pinned(`http://issuer.test:${port}/.well-known/did.json`, {
      headers: { accept: 'application/did+json' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ path: '/.well-known/did.json', accept: 'application/did+json' });
  });

  it('refuses a name that rebinds to a private address between the check and the connection', async () => {
    const before = requests;
    // The check before the request sees a public address; the connection's own lookup gets loopback.
    const attempt = fetchJsonGuarded(new URL(`http://rebind.test:${port}/did.json`), {
      fetch: createPinnedFetch({ resolve: loopback }),
      lookup: async () => ['93.184.216.34'],
      allowPrivateHosts: false,
      timeoutMs: 2_000,
      maxBytes: 1024,
    });
    // The caller sees the one failure every fetch reports; the guard's decision is kept as the cause for logs.
    await expect(attempt).rejects.toMatchObject({ code: 'FETCH_FAILED', cause: { code: 'DID_HOST_REFUSED' } });
    expect(requests).toBe(before);
  });

  it('refuses a name whose DNS answer is loopback in an IPv6 form', async () => {
    const before = requests;
    for (const address of ['::ffff:7f00:1', '::ffff:127.0.0.1', '::7f00:1', '64:ff9b::7f00:1']) {
      const pinned = createPinnedFetch({ resolve: async () => [{ address, family: 6 }] });
      await expect(pinned(`http://mapped.test:${port}/x`), address).rejects.toBeInstanceOf(AddressRefusedError);
    }
    expect(requests).toBe(before);
  });

  it('refuses private address literals without connecting', async () => {
    const before = requests;
    await expect(createPinnedFetch()(`http://127.0.0.1:${port}/x`)).rejects.toBeInstanceOf(AddressRefusedError);
    expect(requests).toBe(before);
  });
});
