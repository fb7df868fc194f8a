import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundFetcher } from '../../../protocol/signing/outbound-fetch.ts';
import { createPinnedFetch } from '../../../protocol/signing/pinned-fetch.ts';
import { countingListener } from '../../helpers/listener.ts';

describe('the outbound fetcher', () => {
  // An HTTP server that holds every answer until the test releases it.
  const held: ServerResponse[] = [];
  let requests = 0;
  const arrived: Array<() => void> = [];
  let port: number;
  const server = createServer((_req, res) => {
    requests++;
    held.push(res);
    for (const wake of arrived.splice(0)) wake();
  });
  const requestsSeen = (n: number) =>
    requests >= n ? Promise.resolve() : new Promise<void>((wake) => arrived.push(() => requestsSeen(n).then(wake)));
  const releaseAll = () => {
    for (const res of held.splice(0)) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    releaseAll();
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps a shared fetch going for the callers still waiting when one of them leaves', async () => {
    const fetcher = createOutboundFetcher({ allowPrivateHosts: true });
    const url = new URL(`http://127.0.0.1:${port}/shared`);
    const leaving = new AbortController();
    const before = requests;
    const first = fetcher.json(url, { maxBytes: 1024, signal: leaving.signal });
    const second = fetcher.json(url, { maxBytes: 1024 });
    await requestsSeen(before + 1);
    leaving.abort();
    await expect(first).rejects.toMatchObject({ code: 'FETCH_FAILED' });
    releaseAll();
    expect(await second).toEqual({ ok: true });
    expect(requests - before).toBe(1);
  });

  it('starts afresh once every caller of a shared fetch has left', async () => {
    const fetcher = createOutboundFetcher({ allowPrivateHosts: true });
    const url = new URL(`http://127.0.0.1:${port}/again`);
    const before = requests;
    const leaving = new AbortController();
    const first = fetcher.json(url, { maxBytes: 1024, signal: leaving.signal });
    await requestsSeen(before + 1);
    leaving.abort();
    await expect(first).rejects.toMatchObject({ code: 'FETCH_FAILED' });
    const second = fetcher.json(url, { maxBytes: 1024 });
    await requestsSeen(before + 2);
    releaseAll();
    expect(await second).toEqual({ ok: true });
  });

  it('holds the total limit across hosts', async () => {
    const hang = await countingListener({ mode: 'hang' });
    try {
      // Four host names, all resolving to the listener.
      const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
      const fetch = createPinnedFetch({ allowPrivateHosts: true, resolve });
      const fetcher = createOutboundFetcher({ fetch, allowPrivateHosts: true, perHost: 10, total: 2 });
      const leave = new AbortController();
      const hosts = ['a.test', 'b.test', 'c.test', 'd.test'];
      const pending = hosts.map((host, i) =>
        fetcher
          .json(new URL(`http://${host}:${hang.port}/${i}`), { maxBytes: 1024, signal: leave.signal })
          .catch((e) => e),
      );
      await hang.accepted(2);
      // The third and fourth wait for a slot; leaving frees them without ever connecting.
      leave.abort();
      for (const result of await Promise.all(pending)) expect(result).toMatchObject({ code: 'FETCH_FAILED' });
      await hang.idle();
      expect(hang.connections).toBe(2);
      expect(hang.maxOpen).toBe(2);
    } finally {
      await hang.close();
    }
  });

  it('counts every spelling of one address as one host', async () => {
    const hang = await countingListener({ mode: 'hang' });
    try {
      const fetcher = createOutboundFetcher({ allowPrivateHosts: true, perHost: 1, total: 10 });
      const leave = new AbortController();
      const pending = ['127.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]'].map((host, i) =>
        fetcher
          .json(new URL(`http://${host}:${hang.port}/${i}`), { maxBytes: 1024, signal: leave.signal })
          .catch((e) => e),
      );
      await hang.accepted(1);
      leave.abort();
      await Promise.all(pending);
      await hang.idle();
      expect(hang.connections).toBe(1);
    } finally {
      await hang.close();
    }
  });

  it('fails at once, like any failure, when too many requests are already waiting', async () => {
    const hang = await countingListener({ mode: 'hang' });
    try {
      const fetcher = createOutboundFetcher({ allowPrivateHosts: true, perHost: 1, total: 1, maxQueued: 1 });
      const leave = new AbortController();
      const url = (i: number) => new URL(`http://127.0.0.1:${hang.port}/${i}`);
      const running = fetcher.json(url(1), { maxBytes: 1024, signal: leave.signal }).catch((e) => e);
      const queued = fetcher.json(url(2), { maxBytes: 1024, signal: leave.signal }).catch((e) => e);
      await expect(fetcher.json(url(3), { maxBytes: 1024 })).rejects.toMatchObject({
        code: 'FETCH_FAILED',
        message: `http://127.0.0.1:${hang.port} could not be fetched`,
      });
      leave.abort();
      await Promise.all([running, queued]);
    } finally {
      await hang.close();
    }
  });
});
