import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerPool, startWorkerThread, type WorkerPool } from '../../../node/verification/worker-pool.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../../../protocol/signing/document-loader.ts';
import type { ProofJob } from '../../../protocol/signing/proof-verifier.ts';
import { type Cryptosuite, createSignSuite } from '../../../protocol/signing/suites.ts';
import { fixtureCredentials, fixtureDidDocuments } from '../../helpers/fixtures.ts';
import { generateDidKey } from '../../helpers/holder.ts';
import { sampleBadge } from '../../helpers/node.ts';

// One pool for the file: each worker takes a second or more to load the JSON-LD stack.
let pool: WorkerPool;
beforeAll(() => {
  pool = createWorkerPool({ size: 2 });
});
afterAll(async () => {
  await pool.close();
});

describe('when proofs are verified in worker threads', () => {
  it('gives the same per-proof results as in-process verification', async () => {
    const valid = fixtureCredentials().find((f) => f.file.includes('dcc-v2-dualproof-didkey-ob3-endorsement'))!;
    const tampered = fixtureCredentials().find((f) => f.file.includes('ed2020-didkey-tampered'))!;
    const web = fixtureCredentials().find((f) => f.file.includes('dcc-v2-dualproof-didweb-multikey'))!;
    const webDid = 'did:web:digitalcredentials.github.io:vc-test-fixtures:dids:oidf';
    const [a, b, c] = await Promise.all([
      pool.verify({ document: valid.credential, purpose: { kind: 'assertion' }, didDocuments: {} }),
      pool.verify({ document: tampered.credential, purpose: { kind: 'assertion' }, didDocuments: {} }),
      pool.verify({
        document: web.credential,
        purpose: { kind: 'assertion' },
        didDocuments: { [webDid]: fixtureDidDocuments(webDid) },
      }),
    ]);
    expect(a.verified).toBe(true);
    expect(a.proofs).toHaveLength(2);
    expect(b.verified).toBe(false);
    expect(c.verified).toBe(true);
  });
});

describe('when many jobs are posted in one event-loop turn', () => {
  it('sends each worker its share in one message, and answers every job', async () => {
    const valid = fixtureCredentials().find((f) => f.file.includes('dcc-v2-dualproof-didkey-ob3-endorsement'))!;
    const tampered = fixtureCredentials().find((f) => f.file.includes('ed2020-didkey-tampered'))!;
    const job = (document: Record<string, unknown>) => ({
      document,
      purpose: { kind: 'assertion' as const },
      didDocuments: {},
    });
    const before = pool.messagesPosted();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => pool.verify(job(i % 4 === 3 ? tampered.credential : valid.credential))),
    );
    expect(answers.map((a) => a.verified)).toEqual([true, true, true, false, true, true, true, false]);
    // One wake-up per worker (two here), not one per job.
    expect(pool.messagesPosted() - before).toBe(2);
  });
});

describe('when jobs wait in the pool', () => {
  it('reports each posted and unanswered job in its queue depth, and none once they are answered', async () => {
    const valid = fixtureCredentials().find((f) => f.file.includes('dcc-v2-dualproof-didkey-ob3-endorsement'))!;
    const job = { document: valid.credential, purpose: { kind: 'assertion' as const }, didDocuments: {} };
    expect(pool.queueDepth()).toBe(0);
    const answers = [pool.verify(job), pool.verify(job), pool.verify(job)];
    expect(pool.queueDepth()).toBe(3);
    await Promise.all(answers);
    expect(pool.queueDepth()).toBe(0);
  });
});

const SUITES: Cryptosuite[] = ['eddsa-rdfc-2022', 'Ed25519Signature2020', 'eddsa-jcs-2022'];
// The names every plain object inherits; `__proto__` is the one that was seen in the wild.
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

describe('when anonymous callers post credentials whose status list is a prototype key', () => {
  const valid = new Map<Cryptosuite, Record<string, unknown>>();
  const job = (document: Record<string, unknown>): ProofJob => ({
    document,
    purpose: { kind: 'assertion' },
    didDocuments: {},
  });

  beforeAll(async () => {
    const { did, key } = await generateDidKey();
    const documentLoader = createDocumentLoader({ didResolution: createDidResolution({}) });
    for (const suite of SUITES) {
      const contexts = [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        ...(suite === 'Ed25519Signature2020' ? ['https://w3id.org/security/suites/ed25519-2020/v1'] : []),
      ];
      const credential = { ...sampleBadge(), '@context': contexts, issuer: did, validFrom: '2026-01-01T00:00:00Z' };
      valid.set(suite, await vc.issue({ credential, suite: createSignSuite(suite, key), documentLoader }));
    }
  });

  it('still verifies a valid credential of each cryptosuite afterwards, in every worker', async () => {
    for (const suite of SUITES) expect((await pool.verify(job(valid.get(suite)!))).verified).toBe(true);
    const poison = PROTOTYPE_KEYS.flatMap((key) =>
      SUITES.map((suite) => ({
        ...valid.get(suite)!,
        credentialStatus: {
          type: 'BitstringStatusListEntry',
          statusPurpose: 'revocation',
          statusListIndex: '1',
          statusListCredential: key,
        },
      })),
    );
    // Four rounds, so both workers get every poison more than once.
    for (let round = 0; round < 4; round++) {
      const results = await Promise.all(poison.map((p) => pool.verify(job(p)).catch((e: Error) => e)));
      for (const r of results) expect(r instanceof Error ? r.message : r.verified).not.toBe(true);
    }
    // Twice as many jobs as workers per suite, so each worker answers for each suite.
    const after = await Promise.all(
      SUITES.flatMap((suite) =>
        [1, 2, 3, 4].map(async () => [suite, await pool.verify(job(valid.get(suite)!))] as const),
      ),
    );
    for (const [suite, result] of after) expect({ suite, ...result }).toMatchObject({ suite, verified: true });
  });

  it('replaces a worker whose job fails internally, and runs the jobs queued behind it on the new one', async () => {
    const single = createWorkerPool({ size: 1 });
    try {
      expect((await single.verify(job(valid.get('eddsa-rdfc-2022')!))).verified).toBe(true);
      const [before] = single.threadIds();
      // Not something the verifier sends: a job that throws inside the worker stands for any internal failure.
      const broken = single.verify(job(null as unknown as Record<string, unknown>));
      const queued = SUITES.map((suite) => single.verify(job(valid.get(suite)!)));
      await expect(broken).rejects.toMatchObject({ code: 'PROOF_WORKER_FAILED' });
      for (const result of await Promise.all(queued)) expect(result.verified).toBe(true);
      const [after] = single.threadIds();
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
    } finally {
      await single.close();
    }
  });
});

describe('when the main thread runs with a small young generation', () => {
  const report = (worker: Worker) =>
    new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }).finally(() => worker.terminate());

  it('still gives proof workers their full-size young generation', async () => {
    const entry = new URL('../../helpers/heap-report-worker.mjs', import.meta.url);
    // What bin/ler-node.js sets for the main thread; V8 flags are per process.
    v8.setFlagsFromString('--max-semi-space-size=2');
    try {
      const small = await report(new Worker(entry, { resourceLimits: { maxYoungGenerationSizeMb: 48 } }));
      expect(small).toBeLessThanOrEqual(4);
      v8.setFlagsFromString('--max-semi-space-size=2');
      expect(await report(startWorkerThread(entry))).toBeGreaterThan(4);
    } finally {
      v8.setFlagsFromString('--max-semi-space-size=0');
    }
  });
});
