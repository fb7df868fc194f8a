/**
 * Slowloris sockets (headers trickled forever, or a body that never arrives) and oversized bodies:
 * how long the node keeps a socket a client never finishes, and whether huge bodies are refused early.
 */
import net from 'node:net';
import { createClient, type RawResponse } from './http-client.ts';

export interface SlowResult {
  sockets: number;
  /** Closed by the node before the cap. */
  closedByNode: number;
  /** Longest a socket stayed open (ms), capped at `capMs`. */
  longestMs: number;
  /** What the node wrote before closing, if anything (e.g. a 408), from the first socket it closed. */
  answer?: string;
}

/** Opens `count` sockets that never finish a request; resolves when all closed or `capMs` passed. */
export function slowloris(baseUrl: string, count: number, capMs: number): Promise<SlowResult> {
  const url = new URL(baseUrl);
  const started = Date.now();
  let closedByNode = 0;
  let longestMs = 0;
  let answer: string | undefined;
  const sockets: net.Socket[] = [];
  const closings: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const socket = net.connect(Number(url.port), url.hostname);
    sockets.push(socket);
    socket.on('error', () => undefined);
    let got = '';
    socket.on('data', (d) => {
      got += d;
    });
    socket.on('connect', () => {
      // Half of them trickle headers, half announce a body and send a byte now and then.
      if (i % 2 === 0) socket.write(`GET /health HTTP/1.1\r\nHost: ${url.host}\r\n`);
      else
        socket.write(
          `POST /credentials/verify HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
        );
    });
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write(i % 2 === 0 ? `X-Slow-${Date.now()}: 1\r\n` : ' ');
    }, 2_000);
    closings.push(
      new Promise<void>((resolve) =>
        socket.on('close', () => {
          clearInterval(trickle);
          const held = Date.now() - started;
          if (held < capMs) {
            closedByNode++;
            answer ??= got.slice(0, 80) || '(closed without an answer)';
          }
          longestMs = Math.max(longestMs, Math.min(held, capMs));
          resolve();
        }),
      ),
    );
  }
  const cap = setTimeout(() => {
    for (const s of sockets) s.destroy();
  }, capMs);
  return Promise.all(closings).then(() => {
    clearTimeout(cap);
    return { sockets: count, closedByNode, longestMs, ...(answer ? { answer } : {}) };
  });
}

export interface OversizedResult {
  requests: number;
  statuses: Record<string, number>;
  slowestMs: number;
}

/** Bodies far over the limits, declared and chunked, to public and admin routes; `parallel` at once. */
export async function oversized(baseUrl: string, token: string, parallel: number): Promise<OversizedResult> {
  const client = createClient(baseUrl, { maxSockets: parallel, timeoutMs: 60_000 });
  const big = Buffer.alloc(10 * 1024 * 1024, 0x20);
  big.write('{"verifiableCredential":{"name":"');
  big.write('"}}', big.length - 3);
  const statuses: Record<string, number> = {};
  let slowestMs = 0;
  const count = (r: RawResponse | Error) => {
    const key = r instanceof Error ? 'connection error' : String(r.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (!(r instanceof Error)) slowestMs = Math.max(slowestMs, r.ms);
  };
  const kinds: Array<{ path: string; headers: Record<string, string> }> = [
    { path: '/credentials/verify', headers: { 'content-type': 'application/json' } },
    { path: '/skills/frameworks', headers: { 'content-type': 'application/json' } },
    { path: '/skills/frameworks', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
    { path: '/skills/import/case', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
  ];
  const jobs = Array.from({ length: parallel }, (_, i) => {
    const kind = kinds[i % kinds.length];
    // Every other one chunked, without a Content-Length the node could refuse on sight.
    const chunked = i % 2 === 1;
    return client
      .send({
        method: 'POST',
        path: kind.path,
        headers: chunked ? { ...kind.headers, 'transfer-encoding': 'chunked' } : kind.headers,
        body: big,
        label: 'oversized',
      })
      .then(count, count);
  });
  await Promise.all(jobs);
  client.close();
  return { requests: parallel, statuses, slowestMs };
}
