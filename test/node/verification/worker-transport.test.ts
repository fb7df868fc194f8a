/**
 * Differential test of the proof workers' transport (decision 0046): a job goes to a worker as JSON text instead of
 * a structured clone of the object. Every result must be byte-for-byte what the old path gave: the same job,
 * structured-cloned (what a worker used to receive) and run by `runProofJob`.
 */
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerPool, type WorkerPool } from '../../../node/verification/worker-pool.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../../../protocol/signing/document-loader.ts';
import { type ProofJob, runProofJob } from '../../../protocol/signing/proof-verifier.ts';
import { type Cryptosuite, createSignSuite } from '../../../protocol/signing/suites.ts';
import { generateCredential } from '../../helpers/generated-credentials.ts';
import { generateDidKey } from '../../helpers/holder.ts';

type Json = Record<string, unknown>;
const GENERATED = 240;
const SUITES: Cryptosuite[] = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'Ed25519Signature2020'];

let pool: WorkerPool;
const jobs: ProofJob[] = [];

/** A signed credential spoiled in one of the ways a hostile or broken client would send it. */
function spoil(signed: Json, variant: number): Json {
  const proof = signed.proof as Json;
  switch (variant) {
    case 0:
      return { ...signed, name: `${String(signed.name)} (changed)` };
    case 1:
      return { ...signed, proof: { ...proof, proofValue: `${String(proof.proofValue).slice(0, -2)}zz` } };
    case 2:
      return { ...signed, proof: { ...proof, verificationMethod: 42 } };
    case 3: {
      const { proof: _proof, ...unsigned } = signed;
      return unsigned;
    }
    case 4:
      return { ...signed, proof: [proof, 'not a map'] };
    case 5:
      // Values whose JSON and structured-clone forms could differ if anything depended on them.
      return { ...signed, big: 1e21, tiny: 5e-324, nested: JSON.parse('{"__proto__": {"x": 1}, "z": -0}') };
    default:
      return { ...signed, proof: { ...proof, cryptosuite: 'no-such-suite' } };
  }
}

beforeAll(async () => {
  pool = createWorkerPool({ size: 2 });
  const { did, key } = await generateDidKey();
  const didDocument = (await createDidResolution().resolve(did)).didDocument;
  const documentLoader = createDocumentLoader({ didResolution: createDidResolution({}) });
  for (let seed = 0; seed < GENERATED; seed++) {
    const suite = SUITES[seed % SUITES.length];
    const { credential } = generateCredential(seed);
    if (suite === 'Ed25519Signature2020') {
      (credential['@context'] as unknown[]).push('https://w3id.org/security/suites/ed25519-2020/v1');
    }
    let signed: Json;
    try {
      signed = await vc.issue({
        credential: { ...credential, issuer: did },
        suite: createSignSuite(suite, key),
        documentLoader,
      });
    } catch {
      // A generated shape the signer refuses still makes a job: an unsigned credential with a foreign proof.
      signed = { ...credential, proof: { type: 'DataIntegrityProof', cryptosuite: suite, proofValue: 'z1' } };
    }
    // As a request body delivers it: parsed from JSON text. (An object signed in memory may share one inline
    // context between document and proof; eddsa-jcs-2022 compares contexts by identity, so only structured clone
    // keeps such an object verifiable. No input of the node is such an object: decision 0046.)
    const parsed = JSON.parse(JSON.stringify(signed)) as Json;
    const document = seed % 3 === 0 ? spoil(parsed, seed % 7) : parsed;
    // Half the jobs carry the DID document the main thread resolved, as the verifier sends it; the rest none.
    jobs.push({ document, purpose: { kind: 'assertion' }, didDocuments: seed % 2 ? { [did]: didDocument } : {} });
  }
  jobs.push({
    document: jobs[1].document,
    purpose: { kind: 'authentication', challenge: 'c-1', domain: 'example.org' },
    didDocuments: {},
  });
}, 120_000);
afterAll(async () => {
  await pool.close();
});

describe('when proof jobs go to the workers as JSON text', () => {
  it(`gives byte-identical results to the structured-clone path for ${GENERATED} generated credentials, good and bad`, async () => {
    const viaWorkers = await Promise.all(jobs.map((job) => pool.verify(job)));
    let verified = 0;
    for (const [i, job] of jobs.entries()) {
      const expected = JSON.stringify(await runProofJob(structuredClone(job)));
      expect(JSON.stringify(viaWorkers[i]), `job ${i}`).toBe(expected);
      if (viaWorkers[i].verified) verified++;
    }
    // Both kinds are in the sample: many verify, many do not.
    expect(verified).toBeGreaterThan(GENERATED / 2);
    expect(verified).toBeLessThan(jobs.length);
  }, 120_000);
});
