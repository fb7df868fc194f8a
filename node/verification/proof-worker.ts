/**
 * A worker thread that runs proof jobs (JSON-LD canonicalization and Ed25519:
 * all CPU, no I/O), one at a time, so that if one corrupts the thread we know
 * which. A job that throws (verification failures come back as data, so a
 * throw is internal) or that leaves the built-ins changed is answered with
 * `internal: true`; the pool then replaces this worker, and this worker takes
 * no further job.
 */
import { parentPort } from 'node:worker_threads';
import { loadProofStack, type ProofJob, runProofJob } from '../../protocol/signing/proof-verifier.ts';
import { watchRuntimeIntegrity } from './runtime-integrity.ts';

// Loaded before the built-ins are fingerprinted, so that nothing a library does as it loads counts against a job
// (the proof stack also installs the JSON-LD context sharing: protocol/signing/suites.ts).
await loadProofStack();
const integrity = watchRuntimeIntegrity();
let broken = false;
let queue = Promise.resolve();

/** `job` is the ProofJob as JSON text (worker-pool.ts says why). */
async function run(message: { id: number; job: string }): Promise<void> {
  if (broken) return;
  try {
    const result = await runProofJob(JSON.parse(message.job) as ProofJob);
    if (!integrity.intact()) {
      broken = true;
      parentPort?.postMessage({ id: message.id, internal: true, error: 'proof job changed built-in objects' });
      return;
    }
    parentPort?.postMessage({ id: message.id, result });
  } catch (error) {
    broken = true;
    parentPort?.postMessage({ id: message.id, internal: true, error: (error as Error)?.message ?? String(error) });
  }
}

// The pool sends the jobs of one event-loop turn together (worker-pool.ts): [id, job as JSON] each.
parentPort?.on('message', (message: { jobs: Array<[number, string]> }) => {
  for (const [id, job] of message.jobs) queue = queue.then(() => run({ id, job }));
});
