/**
 * The library baseline of `bench:verify`, run in its own worker thread so its
 * jsonld module is exactly as shipped (the node's pipeline patches jsonld in
 * its own thread; see protocol/signing/jsonld-context-sharing.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as vc from '@digitalbazaar/vc';
import { createDidResolution } from '../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../protocol/signing/document-loader.ts';
import { createVerifySuites } from '../protocol/signing/suites.ts';
import { measure } from './bench-measure.ts';

const { credentials, seconds } = workerData as {
  credentials: Record<string, Record<string, unknown>>;
  seconds: number;
};
const documentLoader = createDocumentLoader({ didResolution: createDidResolution() });
const suite = createVerifySuites();
const results: Record<string, unknown> = {};
for (const [cryptosuite, credential] of Object.entries(credentials)) {
  // The baseline skips the status list (checkStatus answers "fine"): it measures proof verification alone.
  const verify = () =>
    vc.verifyCredential({ credential, suite, documentLoader, checkStatus: async () => ({ verified: true }) });
  if (!(await verify()).verified) throw new Error(`baseline does not verify ${cryptosuite}`);
  results[cryptosuite] = await measure(
    async () => {
      await verify();
    },
    1,
    seconds,
  );
}
parentPort?.postMessage(results);
