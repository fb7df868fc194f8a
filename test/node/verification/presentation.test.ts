import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignSuite } from '../../../protocol/signing/suites.ts';
import { generateDidKey } from '../../helpers/holder.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

describe('when a holder presents credentials', () => {
  let node: TestNode;
  let holder: string;
  let holderKey: Awaited<ReturnType<typeof generateDidKey>>['key'];

  beforeAll(async () => {
    node = await createTestNode();
    ({ did: holder, key: holderKey } = await generateDidKey());
  });
  afterAll(async () => {
    await node.close();
  });

  async function present(credentials: Record<string, unknown>[], challenge: string) {
    const presentation = vc.createPresentation({ verifiableCredential: credentials, holder });
    return vc.signPresentation({
      presentation,
      suite: createSignSuite('eddsa-rdfc-2022', holderKey),
      challenge,
      documentLoader: node.components.documentLoader,
    });
  }

  it('verifies the presentation and reports each credential', async () => {
    const a = await node.components.issuer.issue(sampleBadge());
    const b = await node.components.issuer.issue(sampleBadge(), { cryptosuite: 'eddsa-jcs-2022' });
    const vp = await present([a, b], 'job-4711');
    const report = await node.components.verifier.verifyPresentation(vp, { challenge: 'job-4711' });
    expect(report.verified).toBe(true);
    expect(report.credentials.map((c) => c.verified)).toEqual([true, true]);
  });

  it('fails on a challenge mismatch (replay)', async () => {
    const vp = await present([await node.components.issuer.issue(sampleBadge())], 'old-challenge');
    const report = await node.components.verifier.verifyPresentation(vp, { challenge: 'new-challenge' });
    expect(report.verified).toBe(false);
    expect(report.checks.find((c) => c.name === 'proof')?.status).toBe('failed');
  });

  it('fails when an embedded credential was tampered with', async () => {
    const credential = await node.components.issuer.issue(sampleBadge());
    const vp = await present([credential], 'c1');
    const tampered = structuredClone(vp) as Record<string, any>;
    tampered.verifiableCredential[0].name = 'Doctor of Medicine';
    const report = await node.components.verifier.verifyPresentation(tampered, { challenge: 'c1' });
    expect(report.verified).toBe(false);
    // both the presentation proof (it covers the credential) and the credential's own proof fail
    expect(report.credentials[0].checks.find((c) => c.name === 'proof')).toMatchObject({ code: 'INVALID_SIGNATURE' });
  });

  it('fails an unsigned presentation', async () => {
    const presentation = vc.createPresentation({ verifiableCredential: [], holder });
    const report = await node.components.verifier.verifyPresentation(presentation);
    expect(report.checks.find((c) => c.name === 'proof')).toMatchObject({ status: 'failed', code: 'NO_PROOF' });
  });
});
