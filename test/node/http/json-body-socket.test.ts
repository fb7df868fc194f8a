/**
 * readJsonBody on the real Node server reads the Node request itself (not the web stream around it): the limits
 * and error codes must be the same as through the web body (app.request, test/node/http/app.test.ts).
 */
import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeError } from '../../../node/errors.ts';
import { readJsonObject } from '../../../node/http/json-body.ts';
import { startHttpServer } from '../../../node/http/server.ts';

let server: Server;
let port: number;
const app = new Hono()
  .post('/read', async (c) => {
    const body = await readJsonObject(c, { maxBytes: 1024, maxDepth: 4, maxArrayLength: 10 });
    // The web body was left alone: what was read came from the Node request.
    const incoming = (c.env as { incoming: { readableEnded: boolean } }).incoming;
    return c.json({ body, readFromNodeRequest: incoming.readableEnded, webBodyUsed: c.req.raw.bodyUsed });
  })
  .onError((error, c) =>
    c.json(
      { error: { code: error instanceof NodeError ? error.code : 'INTERNAL' } },
      error instanceof NodeError ? 400 : 500,
    ),
  );

/** Sends raw HTTP and resolves with the answer's body once the server closes or ends it. */
function raw(request: string, endAfterSend = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(request);
      if (endAfterSend) socket.end();
    });
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(data.split('\r\n\r\n').slice(1).join('\r\n\r\n')));
  });
}

beforeAll(async () => {
  server = await startHttpServer({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('when a JSON body is read from the Node request', () => {
  it('parses a body sent in several chunks, without touching the web stream', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/read`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (const part of ['{"a":', '[1,2,', '3],"b":"é"}']) controller.enqueue(new TextEncoder().encode(part));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(await res.json()).toEqual({ body: { a: [1, 2, 3], b: 'é' }, readFromNodeRequest: true, webBodyUsed: false });
  });

  it('refuses a chunked body beyond the limit with PAYLOAD_TOO_LARGE', async () => {
    const chunk = `{"a":"${'x'.repeat(2000)}"}`;
    const answer = await raw(
      `POST /read HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    expect(JSON.parse(answer.split('\r\n').find((l) => l.startsWith('{')) ?? answer)).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE' },
    });
  });

  it('answers malformed JSON with MALFORMED_JSON', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/read`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(await res.json()).toEqual({ error: { code: 'MALFORMED_JSON' } });
  });
});
