/**
 * Memory of a node under verification load (issue 17, goal 5): starts `ler-node start` as `npm start` runs it
 * (compiled when built, `--max-semi-space-size=2`), reads its idle RSS (30 s after start) after a full GC, sends N verifications from
 * 16 keep-alive clients over a mix of inputs, and reads RSS again: its peak during the run, right after, after a
 * full GC, and after the proof workers stopped (they stop after a minute idle) and another GC. The GC runs through
 * the attack harness's preload (SIGUSR2, scripts/attack/gc-preload.mjs); the node itself has no GC endpoint.
 * `--warm` first verifies each distinct body once and reads RSS once the workers stopped: the node idle after it
 * has served each kind of request (code compiled, modules loaded on first use), against which what N more
 * verifications leave is what grows with N.
 *
 * The mix (`--mix uniform` gives the earlier one: node-issued credentials of three cryptosuites, one in ten
 * tampered) is what a public verifier sees, so every cache a verification fills gets keys it has not seen:
 * node-issued credentials of three cryptosuites (some revoked, so status lists are read and decoded), a tampered
 * field, a mangled proof value; credentials of `--issuers` other did:key issuers (a key import, a DID document and
 * an untrusted issuer each) whose status entries point at the node's lists under random indexes and at lists it
 * does not have; a fresh did:key issuer for one request in twenty (never seen again: what fills caches without
 * bound if one is unbounded); a did:key that does not decode; bodies that are not JSON or not a credential.
 *
 *   npm run probe:verify-memory -- [--verifications 100000] [--credentials 300] [--issuers 50]
 *                                  [--concurrency 16] [--mix mixed|uniform]
 */
import '../node/polyfills.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as vc from '@digitalbazaar/vc';
import { createDidResolution } from '../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../protocol/signing/document-loader.ts';
import { type Cryptosuite, createSignSuite } from '../protocol/signing/suites.ts';
import { generateDidKey } from '../test/helpers/holder.ts';
import { startNode } from './attack/node-process.ts';
import { benchCredential } from './bench-credential.ts';

const { values } = parseArgs({
  options: {
    verifications: { type: 'string', default: '100000' },
    credentials: { type: 'string', default: '300' },
    issuers: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '16' },
    mix: { type: 'string', default: 'mixed' },
    warm: { type: 'boolean', default: false },
  },
});
const TOTAL = Number(values.verifications);
const DISTINCT = Number(values.credentials);
const ISSUERS = Number(values.issuers);
const CONCURRENCY = Number(values.concurrency);
const MIXED = values.mix !== 'uniform';
const SUITES = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'Ed25519Signature2020'] as const;
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

// The probe signs the other issuers' credentials itself, with the node's own suites and bundled contexts.
const documentLoader = createDocumentLoader({ didResolution: createDidResolution() });
type DidKey = Awaited<ReturnType<typeof generateDidKey>>;
async function signAs(issuer: DidKey, credential: Record<string, unknown>, suite: Cryptosuite) {
  return vc.issue({
    credential: { ...credential, issuer: issuer.did, validFrom: '2026-01-01T00:00:00Z' },
    suite: createSignSuite(suite, issuer.key),
    documentLoader,
  }) as Promise<Record<string, unknown>>;
}
function learnerBadge(i: number): Record<string, unknown> {
  const credential = benchCredential() as { credentialSubject: Record<string, unknown>; name: string };
  credential.credentialSubject.id = `did:example:learner-${i}`;
  credential.name = `${credential.name} ${i}`;
  return credential as unknown as Record<string, unknown>;
}
/** A status entry on one of the node's lists (or a list it does not have) at a random index. */
function statusEntry(listUrls: string[], nodeUrl: string, i: number): Record<string, unknown> {
  const index = Math.floor(Math.random() * 131_072);
  const url = i % 4 === 3 ? `${nodeUrl}/status-lists/no-such-list-${i}` : listUrls[i % listUrls.length];
  return {
    id: `${url}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(index),
    statusListCredential: url,
  };
}
function mangleProof(credential: Record<string, unknown>): Record<string, unknown> {
  const proof = credential.proof as Record<string, unknown>;
  const value = String(proof.proofValue ?? '');
  const swapped = value.slice(0, 10) + (value[10] === 'A' ? 'B' : 'A') + value.slice(11);
  return { ...credential, proof: { ...proof, proofValue: swapped } };
}
const body = (credential: unknown) => JSON.stringify({ verifiableCredential: credential });

/** The peak RSS of a process (kernel's high-water mark), in MiB. */
async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}
/**
 * Where a process's resident pages are (MiB): mapped files (the node binary and libraries, shared with other
 * processes), the main malloc arena (`[heap]`), and other anonymous memory (V8's heaps, thread stacks, the malloc
 * arenas of other threads).
 */
async function rssBreakdown(pid: number): Promise<{ files: number; mallocMain: number; otherAnonymous: number }> {
  const smaps = await readFile(`/proc/${pid}/smaps`, 'utf8');
  let name = '';
  const kib = { files: 0, mallocMain: 0, otherAnonymous: 0 };
  for (const line of smaps.split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) name = mapping[1];
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss) continue;
    if (name === '[heap]') kib.mallocMain += Number(rss[1]);
    else if (name.startsWith('/')) kib.files += Number(rss[1]);
    else kib.otherAnonymous += Number(rss[1]);
  }
  return {
    files: mib(kib.files / 1024),
    mallocMain: mib(kib.mallocMain / 1024),
    otherAnonymous: mib(kib.otherAnonymous / 1024),
  };
}
/** heapUsed / external after the last harness GC, as the preload prints them (MiB). */
function lastGcHeap(stderr: string): { heapUsed: number; external: number } | undefined {
  const all = [...stderr.matchAll(/ler-attack: gc done heapUsed=(\d+) external=(\d+)/g)];
  const last = all.at(-1);
  return last ? { heapUsed: mib(Number(last[1]) / 1048576), external: mib(Number(last[2]) / 1048576) } : undefined;
}
const mib = (n: number) => Math.round(n * 10) / 10;

const dataDir = await mkdtemp(join(tmpdir(), 'ler-probe-mem-'));
// As `npm start` and the bin's shebang start it: with the main thread's small young generation.
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS ?? '', '--max-semi-space-size=2'].join(' ').trim();
const node = await startNode({
  dataDir,
  env: { LER_FROM_SOURCE: '0', LER_PUBLIC_RATE_LIMIT: '0', LER_READ_RATE_LIMIT: '0' },
});
try {
  // Idle for half a minute: V8's memory reducer gives back what start-up committed some 20 s after it.
  await sleep(30_000);
  await node.gc();
  const idle = await node.rssMiB();
  const idleHeap = lastGcHeap(node.stderr());
  const idleBreakdown = await rssBreakdown(node.pid);

  const bodies: string[] = [];
  const kinds = new Map<string, number>();
  const add = (kind: string, text: string) => {
    bodies.push(text);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  };
  const issued: Array<{ id: string; vc: Record<string, unknown> }> = [];
  for (let i = 0; i < DISTINCT; i++) {
    const res = await post(
      `${node.url}/credentials/issue`,
      JSON.stringify({ credential: { ...learnerBadge(i), issuer: node.did }, options: { cryptosuite: SUITES[i % 3] } }),
      node.token,
    );
    if (res.status !== 201) throw new Error(`issue failed: ${res.body}`);
    const vc = (JSON.parse(res.body) as { verifiableCredential: Record<string, unknown> }).verifiableCredential;
    issued.push({ id: String(vc.id), vc });
  }
  if (!MIXED) {
    for (const [i, { vc }] of issued.entries()) {
      if (i % 10 === 9) add('tampered', body({ ...vc, name: 'Tampered' }));
      else add('own', body(vc));
    }
  } else {
    const listUrls = [
      ...new Set(
        issued.map(({ vc }) =>
          String((vc.credentialStatus as Record<string, unknown> | undefined)?.statusListCredential),
        ),
      ),
    ];
    for (const [i, { id, vc }] of issued.entries()) {
      if (i % 5 === 4) {
        const res = await post(
          `${node.url}/credentials/status`,
          JSON.stringify({ credentialId: id, credentialStatus: { statusPurpose: 'revocation' }, status: true }),
          node.token,
        );
        if (res.status !== 200) throw new Error(`revoke failed: ${res.body}`);
        add('own-revoked', body(vc));
      } else if (i % 10 === 1) add('own-tampered', body({ ...vc, name: 'Tampered' }));
      else if (i % 10 === 3) add('own-bad-proof', body(mangleProof(vc)));
      else add('own', body(vc));
    }
    const issuers = await Promise.all(Array.from({ length: ISSUERS }, generateDidKey));
    for (let i = 0; i < DISTINCT; i++) {
      const credential = { ...learnerBadge(i), credentialStatus: statusEntry(listUrls, node.url, i) };
      add('other-issuer', body(await signAs(issuers[i % ISSUERS], credential, SUITES[i % 2])));
    }
    // A did:key whose key does not decode (the DID resolution error path) and credentials that are not ones.
    const broken = await signAs(issuers[0], learnerBadge(0), 'eddsa-rdfc-2022');
    const proof = broken.proof as Record<string, unknown>;
    add(
      'undecodable-did-key',
      body({
        ...broken,
        issuer: 'did:key:z6MkNotAKey',
        proof: { ...proof, verificationMethod: 'did:key:z6MkNotAKey#z6MkNotAKey' },
      }),
    );
    add('not-json', '{"verifiableCredential": {"@context": [');
    add('not-a-credential', body({ type: ['VerifiableCredential'], credentialSubject: 'x' }));
    add('no-proof', body({ ...learnerBadge(1), issuer: node.did }));
  }
  /** One request in twenty, a credential of an issuer never seen before (a new key each time). */
  const nextBody = async (k: number): Promise<string> => {
    if (!MIXED || k % 20 !== 7) return bodies[k % bodies.length];
    kinds.set('fresh-issuer', (kinds.get('fresh-issuer') ?? 0) + 1);
    return body(await signAs(await generateDidKey(), learnerBadge(k), 'eddsa-jcs-2022'));
  };
  let warm: { rss: number; heap: ReturnType<typeof lastGcHeap> } | undefined;
  if (values.warm) {
    for (let k = 0; k < bodies.length; k++) await post(`${node.url}/credentials/verify`, bodies[k]);
    for (let k = 7; k < 7 + 20 * 20; k += 20) await post(`${node.url}/credentials/verify`, await nextBody(k));
    await sleep(65_000);
    await node.gc();
    warm = { rss: await node.rssMiB(), heap: lastGcHeap(node.stderr()) };
  }
  const statuses = new Map<number, number>();
  let next = 0;
  const started = Date.now();
  const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        const k = next++;
        const res = await post(`${node.url}/credentials/verify`, await nextBody(k));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const afterWork = await node.rssMiB();
  const peak = await peakRssMiB(node.pid);
  await node.gc();
  const afterGc = await node.rssMiB();
  // The proof workers stop after a minute without jobs; then the node is idle again.
  await sleep(65_000);
  await node.gc();
  const afterIdle = await node.rssMiB();
  const afterHeap = lastGcHeap(node.stderr());
  const afterBreakdown = await rssBreakdown(node.pid);
  console.log(
    JSON.stringify(
      {
        verifications: TOTAL,
        mix: MIXED ? 'mixed' : 'uniform',
        distinctBodies: bodies.length,
        kinds: Object.fromEntries(kinds),
        seconds,
        perSecond: Math.round(TOTAL / seconds),
        statuses: Object.fromEntries(statuses),
        rssMiB: {
          idleAfterGc: mib(idle),
          peak: mib(peak),
          afterVerifications: mib(afterWork),
          afterGcWorkersRunning: mib(afterGc),
          afterWorkersStoppedAndGc: mib(afterIdle),
        },
        idleToAfterPercent: Math.round(((afterIdle - idle) / idle) * 1000) / 10,
        ...(warm
          ? {
              warmIdle: { rssMiB: mib(warm.rss), mainThreadHeapMiB: warm.heap },
              warmToAfterPercent: Math.round(((afterIdle - warm.rss) / warm.rss) * 1000) / 10,
            }
          : {}),
        mainThreadHeapMiB: { idle: idleHeap, afterWorkersStoppedAndGc: afterHeap },
        rssBreakdownMiB: { idle: idleBreakdown, afterWorkersStoppedAndGc: afterBreakdown },
        loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((l) => Math.round(l * 100) / 100) },
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
