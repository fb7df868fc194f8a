/**
 * `npm run bench:verify`: verification throughput and latency for a ~2 KB
 * Open Badges 3.0 credential signed with each cryptosuite:
 *   1. in-process, one core (this node's full pipeline, proofs on the main thread);
 *   2. plain @digitalbazaar/vc verifyCredential of the same credential (baseline);
 *   3. over HTTP against a real `ler-node start` process whose worker pool uses every core.
 * Options: --seconds N (per measurement, default 5), --concurrency N (HTTP, default 16), --suites a,b (default
 * all), --client http|fetch (the load generator: node:http with keep-alive, default, or fetch as before),
 * --cpu-prof DIR (the node process writes V8 CPU profiles of its main thread and of each worker into DIR when it stops),
 * --node-args "…" (flags for the node process's Node, space-separated: e.g. --max-semi-space-size=2 as `npm start` runs it),
 * --batch N (also measures POST /credentials/verify/batch with N credentials per request, as a row of its own).
 *
 * The load generator shares the node's cores, so its own CPU per request is printed too, with the node's (from
 * /proc) and the load average: on a busy machine compare ratios measured in one run, not absolute figures.
 */
import '../node/polyfills.ts';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createForeignStatusListSource } from '../node/verification/status-lists.ts';
import { createVerifier } from '../node/verification/verifier.ts';
import { createDidResolution } from '../protocol/signing/did-resolution.ts';
import { installJsonLdContextSharing } from '../protocol/signing/jsonld-context-sharing.ts';
import { createInProcessProofVerifier } from '../protocol/signing/proof-verifier.ts';
import { CRYPTOSUITES, isEcdsaCryptosuite } from '../protocol/signing/suites.ts';
import { startNodeProcess } from '../test/helpers/process.ts';
import { benchCredential } from './bench-credential.ts';
import { type Figures, measure } from './bench-measure.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    suites: { type: 'string' },
    client: { type: 'string', default: 'http' },
    'cpu-prof': { type: 'string' },
    'node-args': { type: 'string' },
    batch: { type: 'string', default: '0' },
  },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const BATCH = Number(values.batch);
if (!Number.isInteger(BATCH) || BATCH < 0 || BATCH > 100) throw new Error('--batch is 0 (none) to 100');
const SUITES = values.suites ? CRYPTOSUITES.filter((s) => values.suites?.split(',').includes(s)) : [...CRYPTOSUITES];
if (values.client !== 'http' && values.client !== 'fetch') throw new Error('--client is http or fetch');

/** POSTs JSON and resolves with the parsed answer: node:http with keep-alive (a light client), or fetch. */
function createClient(kind: string, concurrency: number): (url: string, body: string) => Promise<unknown> {
  if (kind === 'fetch') {
    return async (url, body) =>
      (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
  }
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  return (url, body) =>
    new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(error);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

/**
 * CPU time (ms) a process has used so far, all its threads, from /proc (Linux); with `mainThreadOnly`, its main
 * thread's (the task whose id is the pid), which serves HTTP and runs every check but the proofs.
 */
function processCpuMs(pid: number, mainThreadOnly = false): number | undefined {
  try {
    const stat = readFileSync(mainThreadOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

function row(label: string, f: Figures): string {
  return `| ${label.padEnd(52)} | ${f.perSecond.toFixed(0).padStart(7)} | ${f.p50.toFixed(2).padStart(7)} | ${f.p99.toFixed(2).padStart(7)} |`;
}

async function main() {
  // As the node does at start, before any JSON-LD is processed in this thread.
  installJsonLdContextSharing();
  const dataDir = await mkdtemp(join(tmpdir(), 'ler-bench-'));
  // The node as `npm start` runs it (compiled when built), with one verification worker per core.
  const node = await startNodeProcess(
    dataDir,
    { LER_PUBLIC_RATE_LIMIT: '0', LER_READ_RATE_LIMIT: '0', LER_FROM_SOURCE: '0' },
    30_000,
    ['--verify-workers', String(cpus().length)],
    // NODE_OPTIONS may not carry --cpu-prof (nor most V8 flags): they go to Node itself.
    [
      ...(values['node-args']?.split(' ').filter(Boolean) ?? []),
      ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : []),
    ],
  );
  try {
    const credentials: Record<string, Record<string, unknown>> = {};
    // ECDSA credentials are issued under the node's P-256 DID (GET /health `ecdsaDid`), the others under its DID.
    const { ecdsaDid } = (await (await fetch(`${node.url}/health`)).json()) as { ecdsaDid?: string };
    for (const cryptosuite of SUITES) {
      const issuer = isEcdsaCryptosuite(cryptosuite) ? (ecdsaDid ?? node.did) : node.did;
      const res = await fetch(`${node.url}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
        body: JSON.stringify({ credential: { ...benchCredential(), issuer }, options: { cryptosuite } }),
      });
      const body = (await res.json()) as { verifiableCredential?: Record<string, unknown> };
      if (!body.verifiableCredential) throw new Error(`the node did not issue ${cryptosuite}: ${JSON.stringify(body)}`);
      credentials[cryptosuite] = body.verifiableCredential;
    }
    const size = Buffer.byteLength(JSON.stringify(credentials[SUITES[0]]));

    // The same pipeline the node runs, on this thread; the status list comes from the node once, then from cache.
    const didResolution = createDidResolution();
    const verifier = createVerifier({
      didResolution,
      proofVerifier: createInProcessProofVerifier(),
      statusLists: createForeignStatusListSource({ allowPrivateHosts: true, allowHttp: true }),
    });

    const lines: string[] = [];
    const results: Record<string, Figures> = {};
    // The baseline runs in its own thread so that its jsonld is exactly as shipped.
    const baseline = await new Promise<Record<string, Figures>>((resolve, reject) => {
      const worker = new Worker(new URL('./bench-baseline-entry.mjs', import.meta.url), {
        workerData: { credentials, seconds: SECONDS },
      });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    for (const cryptosuite of SUITES) {
      results[`lib:${cryptosuite}`] = baseline[cryptosuite];
      lines.push(row(`@digitalbazaar/vc baseline, 1 core: ${cryptosuite}`, baseline[cryptosuite]));
    }
    for (const cryptosuite of SUITES) {
      const credential = credentials[cryptosuite];
      const report = await verifier.verifyCredential(credential);
      if (!report.verified) throw new Error(`bench credential does not verify: ${JSON.stringify(report.checks)}`);
      results[`inproc:${cryptosuite}`] = await measure(
        async () => {
          await verifier.verifyCredential(credential);
        },
        1,
        SECONDS,
      );
      lines.push(row(`in-process, 1 core: ${cryptosuite}`, results[`inproc:${cryptosuite}`]));
    }
    const post = createClient(values.client as string, CONCURRENCY);
    const cpuNotes: string[] = [];
    /**
     * `clients` callers POST `body` to `path` for SECONDS; each answer carries `perRequest` verifications, all of
     * which must be verified. Figures are per verification (a batch's latency is the whole batch's).
     */
    async function overHttp(key: string, path: string, body: string, clients: number, perRequest: number) {
      const nodeCpu = { start: 0, ms: 0, mainStart: 0, mainMs: 0 };
      const ownCpu = { start: process.cpuUsage(), ms: 0 };
      const figures = await measure(
        async () => {
          const answer = (await post(`${node.url}${path}`, body)) as {
            verified?: boolean;
            results?: Array<{ verified: boolean }>;
          };
          const verified = answer.results ? answer.results.filter((r) => r.verified).length : answer.verified ? 1 : 0;
          if (verified !== perRequest) throw new Error(`verification over HTTP failed: ${JSON.stringify(answer)}`);
        },
        clients,
        SECONDS,
        {
          onStart() {
            nodeCpu.start = processCpuMs(node.child.pid ?? 0) ?? 0;
            nodeCpu.mainStart = processCpuMs(node.child.pid ?? 0, true) ?? 0;
            ownCpu.start = process.cpuUsage();
          },
          onEnd() {
            nodeCpu.ms = (processCpuMs(node.child.pid ?? 0) ?? 0) - nodeCpu.start;
            nodeCpu.mainMs = (processCpuMs(node.child.pid ?? 0, true) ?? 0) - nodeCpu.mainStart;
            const own = process.cpuUsage(ownCpu.start);
            ownCpu.ms = (own.user + own.system) / 1000;
          },
        },
      );
      results[key] = { ...figures, perSecond: figures.perSecond * perRequest, n: figures.n * perRequest };
      const n = results[key].n;
      cpuNotes.push(
        `${key}: node ${(nodeCpu.ms / n).toFixed(3)} ms CPU/verification (main thread ${(nodeCpu.mainMs / n).toFixed(3)}), load generator (${values.client}) ${(ownCpu.ms / n).toFixed(3)} ms CPU/verification`,
      );
    }
    for (const cryptosuite of SUITES) {
      const body = JSON.stringify({ verifiableCredential: credentials[cryptosuite] });
      await overHttp(`http:${cryptosuite}`, '/credentials/verify', body, CONCURRENCY, 1);
      lines.push(
        row(`HTTP, ${cpus().length} workers, ${CONCURRENCY} clients: ${cryptosuite}`, results[`http:${cryptosuite}`]),
      );
    }
    // Batches: a separate row, never instead of the single-request one. As many credentials in flight as there
    // are single-request clients (at least two batches at once, so the node is never idle between them).
    if (BATCH > 0) {
      const clients = Math.max(2, Math.round(CONCURRENCY / BATCH));
      for (const cryptosuite of SUITES) {
        const batch = JSON.stringify({ verifiableCredentials: Array(BATCH).fill(credentials[cryptosuite]) });
        await overHttp(`batch:${cryptosuite}`, '/credentials/verify/batch', batch, clients, BATCH);
        lines.push(
          row(`HTTP batches of ${BATCH}, ${clients} clients: ${cryptosuite}`, results[`batch:${cryptosuite}`]),
        );
      }
    }

    console.log(
      `credential: ${size} bytes (OB 3.0 AchievementCredential), ${cpus().length} cores, ${SECONDS} s per row, ` +
        `HTTP client ${values.client}, load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    console.log(`| ${'measurement'.padEnd(52)} | verif/s | p50 ms  | p99 ms  |`);
    console.log(`|${'-'.repeat(54)}|---------|---------|---------|`);
    for (const line of lines) console.log(line);
    for (const note of cpuNotes) console.log(note);
    for (const cryptosuite of SUITES) {
      const ratio = results[`http:${cryptosuite}`].perSecond / results[`lib:${cryptosuite}`].perSecond;
      console.log(`HTTP with worker pool / single-core library baseline, ${cryptosuite}: ${ratio.toFixed(2)}x`);
      if (BATCH > 0) {
        const batched = results[`batch:${cryptosuite}`].perSecond / results[`lib:${cryptosuite}`].perSecond;
        console.log(`HTTP batches of ${BATCH} / single-core library baseline, ${cryptosuite}: ${batched.toFixed(2)}x`);
      }
    }
    console.log('(the baseline skips the status list check; the node checks it against a cached, verified list)');
  } finally {
    node.child.kill('SIGTERM');
    await node.exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
