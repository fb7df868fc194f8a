/**
 * What an HTTP fuzz run leaves behind in a node's memory (issue 16, finding 8). Starts a node in this
 * process (verification on the main thread, rate limits off), measures the heap after a full GC, sends
 * N hostile requests from 8 concurrent clients (unknown issuers, DID resolution and verification with
 * random did:keys, mutated credentials, TRQP for made-up networks, mutated match bodies), and measures
 * again after a full GC.
 *
 *   node --expose-gc --max-semi-space-size=2 --import tsx scripts/probe-http-memory.ts [N=30000]
 */
import './../node/polyfills.ts';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../node/config.ts';
import type { Logger } from '../node/logger.ts';
import { startNode } from '../node/run-node.ts';
import { didKeyFromRawPublicKey } from '../protocol/signing/governor-keys.ts';
import { sampleBadge } from '../test/helpers/node.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function memory() {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round(n / 1e6);
  return { heapUsedMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), rssMB: mb(m.rss) };
}

/** Three random printable characters put in random places. */
function mutate(text: string): string {
  const chars = text.split('');
  for (let k = 0; k < 3; k++) {
    chars[Math.floor(Math.random() * chars.length)] = String.fromCharCode(32 + Math.floor(Math.random() * 90));
  }
  return chars.join('');
}

const total = Number(process.argv[2] ?? 30_000);
const dir = await mkdtemp(join(tmpdir(), 'ler-probe-'));
const quiet = { info() {}, warn() {}, error() {}, debug() {}, child: () => quiet } as unknown as Logger;
const config = resolveConfig({
  dataDir: dir,
  http: '127.0.0.1:0',
  p2p: ['/ip4/127.0.0.1/tcp/0'],
  verifyWorkers: 0,
  publicRateLimit: 0,
  readRateLimit: 0,
  statusListLength: 1024,
});
const node = await startNode(config, { logger: quiet, version: 'probe' });
try {
  const url = node.httpUrl;
  const post = (path: string, body: string, token?: string) =>
    fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
  const issued = (await (
    await post('/credentials/issue', JSON.stringify({ credential: sampleBadge() }), node.createdAdminToken)
  ).json()) as { verifiableCredential: { issuer: string } };
  const vc = issued.verifiableCredential;
  const vcText = JSON.stringify(vc);

  const requests: Array<(did: string, k: number) => Promise<Response>> = [
    (did) => fetch(`${url}/issuers/${encodeURIComponent(did)}`),
    (did) => fetch(`${url}/1.0/identifiers/${encodeURIComponent(did)}`),
    (did, k) =>
      post(
        '/credentials/verify',
        `{"verifiableCredential":${k % 2 ? mutate(vcText) : vcText.replace(vc.issuer, did)}}`,
      ),
    (did) =>
      post(
        '/trqp/authorization',
        JSON.stringify({
          entity_id: did,
          authority_id: randomBytes(32).toString('base64url').slice(0, 43),
          action: 'issue',
          resource: 'x',
        }),
      ),
    () => post('/skills/match', mutate(`{"required":["a"],"credentials":[${vcText}]}`)),
  ];
  const before = memory();
  const started = Date.now();
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < total) {
        const k = next++;
        const res = await requests[k % requests.length](didKeyFromRawPublicKey(randomBytes(32)), k);
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  console.log(
    JSON.stringify(
      { requests: total, seconds, statuses: Object.fromEntries(statuses), before, after: memory() },
      null,
      1,
    ),
  );
} finally {
  await node.stop();
  await rm(dir, { recursive: true, force: true });
}
