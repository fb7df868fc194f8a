import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessProofVerifier, type ProofJob } from '../../../protocol/signing/proof-verifier.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

const statusOf = (report: { checks: Array<{ name: string; status: string }> }) =>
  report.checks.find((c) => c.name === 'status');

describe('when a status list check fails through an internal error', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await createTestNode();
  });
  afterAll(async () => {
    await node.close();
  });
  afterEach(() => {
    Reflect.deleteProperty(Object.prototype, '@id');
  });

  it('does not keep the failure as the list verdict: a valid credential on that list verifies afterwards', async () => {
    const credential = await node.components.issuer.issue(sampleBadge());
    // The state a poisoned proof worker was in (finding 2): every object has an `@id`, so JSON-LD fails.
    Object.defineProperty(Object.prototype, '@id', { value: '__proto__', configurable: true, writable: true });
    const during = await node.components.verifier.verifyCredential(credential);
    Reflect.deleteProperty(Object.prototype, '@id');
    expect(during.verified).toBe(false);
    expect(statusOf(during)?.status).not.toBe('ok');

    const after = await node.components.verifier.verifyCredential(credential);
    expect(statusOf(after)).toMatchObject({ status: 'ok' });
    expect(after.verified).toBe(true);
  });
});

describe('when many status lists are checked', () => {
  let node: TestNode;
  const listJobs: string[] = [];
  beforeAll(async () => {
    const inProcess = createInProcessProofVerifier();
    node = await createTestNode({
      // Two entries per list, so six credentials span three lists.
      statusListLength: 2,
      maxStatusListCache: 2,
      // Counts which status lists reach proof verification; the verification itself is the real one.
      proofVerifier: {
        verify(job: ProofJob) {
          const types = ([] as unknown[]).concat(job.document.type);
          if (types.includes('BitstringStatusListCredential')) listJobs.push(String(job.document.id));
          return inProcess.verify(job);
        },
      },
    });
  });
  afterAll(async () => {
    await node.close();
  });

  it('keeps the most recently used verified lists, up to the bound', async () => {
    const credentials: Record<string, any>[] = [];
    for (let i = 0; i < 6; i++) credentials.push(await node.components.issuer.issue(sampleBadge()));
    const [a, b, c] = [credentials[0], credentials[2], credentials[4]];
    const list = (vc: Record<string, any>) => vc.credentialStatus.statusListCredential as string;
    expect(new Set([a, b, c].map(list)).size).toBe(3);
    const verify = async (vc: Record<string, any>) => {
      const report = await node.components.verifier.verifyCredential(vc);
      expect(report.verified).toBe(true);
    };
    await verify(a);
    await verify(b);
    await verify(a); // cached: A is now the most recently used
    await verify(c); // evicts B, the least recently used
    await verify(a); // still cached
    await verify(b); // checked again
    expect(listJobs).toEqual([list(a), list(b), list(c), list(b)]);
  });
});
