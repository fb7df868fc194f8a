/**
 * Issue 16, finding 8: the real Node HTTP server closes slow and idle sockets within its configured
 * timeouts, caps connections, and refuses an oversized framework body before it is sent.
 */
import type { Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import type { HttpServerLimits } from '../../../node/http/limits.ts';
import { startHttpServer } from '../../../node/http/server.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';

const servers: Server[] = [];
const sockets: Socket[] = [];

async function serveApp(
  fetch: (r: Request, env: unknown) => Response | Promise<Response>,
  limits: Partial<HttpServerLimits>,
) {
  const server = await startHttpServer({ fetch, hostname: '127.0.0.1', port: 0, limits });
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => {});
    socket.once('error', reject);
    sockets.push(socket);
  });
}

/** Resolves with what the server sent once it closes the socket, and the time that took. */
function untilClosed(socket: Socket): Promise<{ data: string; ms: number }> {
  const started = Date.now();
  let data = '';
  socket.on('data', (chunk) => {
    data += chunk.toString('latin1');
  });
  return new Promise((resolve) => socket.once('close', () => resolve({ data, ms: Date.now() - started })));
}

const hello = new Hono()
  .get('/health', (c) => c.json({ status: 'ok' }))
  .post('/echo', async (c) => c.json({ length: (await c.req.text()).length }))
  // A body cut off by the server's timeout fails to read; that is the expected end here.
  .onError((_, c) => c.json({ error: { code: 'REQUEST_ABORTED', message: 'aborted' } }, 400));

afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('the HTTP server', () => {
  describe('when a client is slow (slowloris)', () => {
    it('closes a socket whose headers never finish within the headers timeout', async () => {
      const port = await serveApp(hello.fetch, { headersTimeoutMs: 300, requestTimeoutMs: 600 });
      const socket = await open(port);
      const closed = untilClosed(socket);
      socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a');
      const { ms } = await closed;
      // Node's defaults held such a socket for ~85 s; allow for a loaded machine, not for that.
      expect(ms).toBeLessThan(5_000);
    });

    it('closes a socket whose body never finishes within the request timeout', async () => {
      const port = await serveApp(hello.fetch, { headersTimeoutMs: 300, requestTimeoutMs: 600 });
      const socket = await open(port);
      const closed = untilClosed(socket);
      socket.write('POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n0123456789');
      expect((await closed).ms).toBeLessThan(5_000);
    });

    it('closes an idle keep-alive socket after the keep-alive timeout', async () => {
      const port = await serveApp(hello.fetch, { keepAliveTimeoutMs: 200 });
      const socket = await open(port);
      const closed = untilClosed(socket);
      socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      const { data, ms } = await closed;
      expect(data).toMatch(/^HTTP\/1\.1 200/);
      // Node's default keeps it 5 s.
      expect(ms).toBeLessThan(4_000);
    });
  });

  describe('when too many clients connect', () => {
    it('drops connections beyond maxConnections', async () => {
      const port = await serveApp(hello.fetch, { maxConnections: 2 });
      const held = [await open(port), await open(port)];
      const server = servers[servers.length - 1];
      await new Promise<void>((resolve) => {
        const check = () => server.getConnections((_, n) => (n >= 2 ? resolve() : setImmediate(check)));
        check();
      });
      const extra = await open(port);
      const closed = untilClosed(extra);
      extra.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect((await closed).data).toBe('');
      // The held ones still get answers.
      const answered = untilClosed(held[0]);
      held[0].end('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      expect((await answered).data).toMatch(/^HTTP\/1\.1 200/);
    });
  });

  describe('when an admin announces an oversized framework body', () => {
    let node: TestNode;
    beforeAll(async () => {
      node = await createTestNode();
    });
    afterAll(async () => {
      await node.close();
    });

    it('answers 413 from the Content-Length alone, before the body is sent', async () => {
      const app = createApp({
        components: node.components,
        version: 't',
        health: () => ({ multiaddrs: [], networks: [] }),
      });
      const port = await serveApp(app.fetch, {});
      const socket = await open(port);
      const closed = untilClosed(socket);
      socket.write(
        [
          'POST /skills/frameworks HTTP/1.1',
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          `Authorization: Bearer ${node.adminToken}`,
          `Content-Length: ${10 * 1024 * 1024}`,
          '',
          '',
        ].join('\r\n'),
      );
      const answer = await new Promise<string>((resolve) => {
        let data = '';
        socket.on('data', (chunk) => {
          data += chunk.toString('latin1');
          if (data.includes('PAYLOAD_TOO_LARGE')) resolve(data);
        });
      });
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
      socket.destroy();
      await closed;
    });
  });
});
