/**
 * `GET /events`: an admin's server-sent stream of the registry entries and publications this node commits,
 * each stamped with the node's clock (the multi-process simulation measures propagation with it).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { startHttpServer } from '../../../node/http/server.ts';
import { generateGovernorKey, signActionId } from '../../../protocol/signing/governor-keys.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';

let node: TestNode;
let server: Server;
let base: string;

beforeAll(async () => {
  node = await createTestNode();
  const app = createApp({
    components: node.components,
    version: 't',
    health: () => ({ multiaddrs: [], networks: [] }),
  });
  server = await startHttpServer({ fetch: app.fetch, hostname: '127.0.0.1', port: 0, limits: {} });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await node.close();
});

/** An SSE reader: `next(kind, count)` reads until `count` events of that kind have come. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const next = async (kind: string, count: number) => {
    const found: Array<Record<string, unknown>> = [];
    while (found.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: (.*)$/m.exec(block)?.[1] === kind) found.push(JSON.parse(/^data: (.*)$/m.exec(block)![1]));
      }
    }
    return found;
  };
  return { next, cancel: () => reader.cancel() };
}

describe('GET /events', () => {
  it('refuses a request without the admin token', async () => {
    const response = await fetch(`${base}/events`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBeTypeOf('string');
  });

  it('streams each committed registry entry with its status and the node clock', async () => {
    const response = await fetch(`${base}/events`, { headers: { authorization: `Bearer ${node.adminToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const governors = [generateGovernorKey(), generateGovernorKey()];
    const before = Date.now();
    const stream = sseReader(response.body!);
    // Once 'ready' is out, the stream is registered: nothing committed after it is missed.
    await stream.next('ready', 1);
    const created = await fetch(`${base}/networks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${node.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Events', governors: governors.map((g) => g.did), threshold: 2 }),
    }).then((r) => r.json() as Promise<{ proposal: { id: string } }>);
    const id = created.proposal.id as string;
    for (const g of governors) {
      await fetch(`${base}/proposals/${id}/approvals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ signer: g.did, signature: signActionId(g, id) }),
      });
    }
    const seen = await stream.next('action', 3);
    await stream.cancel();
    expect(seen.map((e) => [e.id, e.signatures, e.status, e.source])).toEqual([
      [id, 0, 'pending', 'local'],
      [id, 1, 'pending', 'local'],
      [id, 2, 'applied', 'local'],
    ]);
    for (const e of seen) expect(e.at as number).toBeGreaterThanOrEqual(before);
  });
});
