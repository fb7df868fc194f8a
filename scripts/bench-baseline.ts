/**
 * The library baseline of `bench:verify`, run in its own worker thread so its jsonld module is exactly as shipped:
 * the suites are the libraries' own (no key cache, no context sharing: those are the node's, decision 0043), and the
 * thread refuses to measure if jsonld has been patched. Only the document loader is the node's (bundled contexts
 * and the DID documents, as any verifier has to give the library one).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { createVerifyCryptosuite as createEcdsaJcsVerifyCryptosuite } from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import { createVerifyCryptosuite as createJcsVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { createDidResolution } from '../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../protocol/signing/document-loader.ts';
import { jsonLdContextSharingActive } from '../protocol/signing/jsonld-context-sharing.ts';
import { measure } from './bench-measure.ts';

const { credentials, seconds } = workerData as {
  credentials: Record<string, Record<string, unknown>>;
  seconds: number;
};
const documentLoader = createDocumentLoader({ didResolution: createDidResolution() });
const suite = [
  new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
  new DataIntegrityProof({ cryptosuite: createJcsVerifyCryptosuite() }),
  new Ed25519Signature2020(),
  new DataIntegrityProof({ cryptosuite: ecdsaRdfc2019 }),
  new DataIntegrityProof({ cryptosuite: createEcdsaJcsVerifyCryptosuite() }),
];
const results: Record<string, unknown> = {};
for (const [cryptosuite, credential] of Object.entries(credentials)) {
  // The baseline skips the status list (checkStatus answers "fine"): it measures proof verification alone.
  const verify = () =>
    vc.verifyCredential({ credential, suite, documentLoader, checkStatus: async () => ({ verified: true }) });
  if (!(await verify()).verified) throw new Error(`baseline does not verify ${cryptosuite}`);
  if (jsonLdContextSharingActive()) throw new Error('the baseline thread runs a patched jsonld');
  results[cryptosuite] = await measure(
    async () => {
      await verify();
    },
    1,
    seconds,
  );
}
parentPort?.postMessage(results);
