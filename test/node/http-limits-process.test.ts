/** Issue 16, finding 8, as a process: `ler-node start` applies its configured HTTP limits and Host check. */
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/node.ts';
import { type NodeProcess, startNodeProcess } from '../helpers/process.ts';

function get(url: string, host: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a started node', () => {
  let dir: string;
  let node: NodeProcess;
  beforeAll(async () => {
    dir = await tempDir();
    node = await startNodeProcess(dir, {
      LER_HTTP_HEADERS_TIMEOUT_MS: '300',
      LER_HTTP_REQUEST_TIMEOUT_MS: '600',
      LER_ALLOWED_HOSTS: 'node.example.edu',
    });
  });
  afterAll(async () => {
    if (node.child.exitCode === null) node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('answers its own hosts with nosniff and no-store, and refuses a foreign Host with 421', async () => {
    const port = new URL(node.url).port;
    for (const host of [`127.0.0.1:${port}`, 'node.example.edu']) {
      const res = await get(`${node.url}/health`, host);
      expect({ host, status: res.status }).toEqual({ host, status: 200 });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const foreign = await get(`${node.url}/health`, 'rebound.attacker.example');
    expect(foreign.status).toBe(421);
    expect(JSON.parse(foreign.body)).toMatchObject({ error: { code: 'HOST_NOT_ALLOWED' } });
  });

  it('closes a slowloris socket within its configured headers timeout', async () => {
    const { port } = new URL(node.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => {});
    // Read what the server sends (its 408), or the socket never ends on our side.
    socket.resume();
    const started = Date.now();
    socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a');
    await new Promise((resolve) => socket.once('close', resolve));
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
