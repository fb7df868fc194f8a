/** A worker thread that runs proof jobs (JSON-LD canonicalization and Ed25519: all CPU, no I/O). */
import { parentPort } from 'node:worker_threads';
import { installJsonLdContextSharing } from '../../protocol/signing/jsonld-context-sharing.ts';
import { type ProofJob, runProofJob } from '../../protocol/signing/proof-verifier.ts';

installJsonLdContextSharing();

parentPort?.on('message', async (message: { id: number; job: ProofJob }) => {
  try {
    const result = await runProofJob(message.job);
    parentPort?.postMessage({ id: message.id, result });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
