/**
 * `npm run bench:verify`: verification throughput and latency for a ~2 KB
 * Open Badges 3.0 credential signed with each cryptosuite:
 *   1. in-process, one core (this node's full pipeline, proofs on the main thread);
 *   2. plain @digitalbazaar/vc verifyCredential of the same credential (baseline);
 *   3. over HTTP against a real `ler-node start` process whose worker pool uses every core.
 * Options: --seconds N (per measurement, default 5), --concurrency N (HTTP, default 16), --suites a,b (default
 * all), --client http|fetch (the load generator: node:http with keep-alive, default, or fetch as before),
 * --cpu-prof DIR (the node process writes V8 CPU profiles of its main thread and of each worker into DIR when it stops).
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
  },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
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
    // NODE_OPTIONS may not carry --cpu-prof: it goes to Node itself.
    values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [],
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
    for (const cryptosuite of SUITES) {
      const body = JSON.stringify({ verifiableCredential: credentials[cryptosuite] });
      const nodeCpu = { start: 0, ms: 0, mainStart: 0, mainMs: 0 };
      const ownCpu = { start: process.cpuUsage(), ms: 0 };
      results[`http:${cryptosuite}`] = await measure(
        async () => {
          const report = (await post(`${node.url}/credentials/verify`, body)) as { verified: boolean };
          if (!report.verified) throw new Error('verification over HTTP failed');
        },
        CONCURRENCY,
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
      const n = results[`http:${cryptosuite}`].n;
      cpuNotes.push(
        `${cryptosuite}: node ${(nodeCpu.ms / n).toFixed(3)} ms CPU/request (main thread ${(nodeCpu.mainMs / n).toFixed(3)}), load generator (${values.client}) ${(ownCpu.ms / n).toFixed(3)} ms CPU/request`,
      );
      lines.push(
        row(`HTTP, ${cpus().length} workers, ${CONCURRENCY} clients: ${cryptosuite}`, results[`http:${cryptosuite}`]),
      );
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
    }
    console.log('(the baseline skips the status list check; the node checks it against a cached, verified list)');
  } finally {
    node.child.kill('SIGTERM');
    await node.exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
