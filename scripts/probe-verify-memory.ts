/**
 * Memory of a node under verification load (issue 17, goal 5): starts `ler-node start` as `npm start` runs it
 * (compiled when built, `--max-semi-space-size=2`), reads its idle RSS after a full GC, sends N verifications from 16 keep-alive clients
 * over a few hundred distinct credentials of three cryptosuites (one in ten tampered, so failures are
 * exercised too), and reads RSS again: right after, after a full GC, and after the proof workers stopped
 * (they stop after a minute idle) and another GC. The GC runs through the attack harness's preload (SIGUSR2,
 * scripts/attack/gc-preload.mjs); the node itself has no GC endpoint.
 *
 *   npm run probe:verify-memory -- [--verifications 100000] [--credentials 300] [--concurrency 16]
 */
import '../node/polyfills.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startNode } from './attack/node-process.ts';
import { benchCredential } from './bench-credential.ts';

const { values } = parseArgs({
  options: {
    verifications: { type: 'string', default: '100000' },
    credentials: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '16' },
  },
});
const TOTAL = Number(values.verifications);
const DISTINCT = Number(values.credentials);
const CONCURRENCY = Number(values.concurrency);
const SUITES = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'Ed25519Signature2020'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
function post(url: string, body: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const dataDir = await mkdtemp(join(tmpdir(), 'ler-probe-mem-'));
// As `npm start` and the bin's shebang start it: with the main thread's small young generation.
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS ?? '', '--max-semi-space-size=2'].join(' ').trim();
const node = await startNode({
  dataDir,
  env: { LER_FROM_SOURCE: '0', LER_PUBLIC_RATE_LIMIT: '0', LER_READ_RATE_LIMIT: '0' },
});
const mib = (n: number) => Math.round(n * 10) / 10;
try {
  await sleep(10_000);
  await node.gc();
  const idle = await node.rssMiB();

  const bodies: string[] = [];
  for (let i = 0; i < DISTINCT; i++) {
    const credential = benchCredential() as { credentialSubject: Record<string, unknown>; name: string };
    credential.credentialSubject.id = `did:example:learner-${i}`;
    credential.name = `${credential.name} ${i}`;
    const res = await post(
      `${node.url}/credentials/issue`,
      JSON.stringify({ credential: { ...credential, issuer: node.did }, options: { cryptosuite: SUITES[i % 3] } }),
      node.token,
    );
    if (res.status !== 201) throw new Error(`issue failed: ${res.body}`);
    const vc = (JSON.parse(res.body) as { verifiableCredential: Record<string, unknown> }).verifiableCredential;
    bodies.push(JSON.stringify({ verifiableCredential: i % 10 === 9 ? { ...vc, name: 'Tampered' } : vc }));
  }
  const statuses = new Map<number, number>();
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        const k = next++;
        const res = await post(`${node.url}/credentials/verify`, bodies[k % bodies.length]);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const afterWork = await node.rssMiB();
  await node.gc();
  const afterGc = await node.rssMiB();
  // The proof workers stop after a minute without jobs; then the node is idle again.
  await sleep(65_000);
  await node.gc();
  const afterIdle = await node.rssMiB();
  console.log(
    JSON.stringify(
      {
        verifications: TOTAL,
        distinctCredentials: DISTINCT,
        seconds,
        perSecond: Math.round(TOTAL / seconds),
        statuses: Object.fromEntries(statuses),
        rssMiB: {
          idleAfterGc: mib(idle),
          afterVerifications: mib(afterWork),
          afterGcWorkersRunning: mib(afterGc),
          afterWorkersStoppedAndGc: mib(afterIdle),
        },
        idleToAfterPercent: Math.round(((afterIdle - idle) / idle) * 1000) / 10,
        loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
      },
      null,
      1,
    ),
  );
} finally {
  agent.destroy();
  await node.stop();
  await rm(dataDir, { recursive: true, force: true });
}
