import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignSuite } from '../../../protocol/signing/suites.ts';
import { freshP256Key, signAndDeriveSd, specP256Key } from '../../helpers/ecdsa.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

describe('when a P-256 wallet presents ECDSA credentials', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await createTestNode();
  });
  afterAll(async () => {
    await node.close();
  });

  async function present(credentials: Record<string, unknown>[], challenge: string) {
    const holder = await freshP256Key();
    return vc.signPresentation({
      presentation: vc.createPresentation({ verifiableCredential: credentials, holder: holder.controller }),
      suite: createSignSuite('ecdsa-rdfc-2019', holder),
      challenge,
      documentLoader: node.components.documentLoader,
    });
  }

  it('verifies an ecdsa-rdfc-2019 presentation of an ecdsa-jcs-2019 and an ecdsa-sd-2023 derived credential', async () => {
    const issued = await node.components.issuer.issue(sampleBadge(), { cryptosuite: 'ecdsa-jcs-2019' });
    const key = await specP256Key();
    const { derived } = await signAndDeriveSd(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
        id: 'urn:uuid:2f1c7a52-8f0b-4c0e-a4a4-1f3f0d6f7c31',
        type: ['VerifiableCredential', 'ExampleDegreeCredential'],
        issuer: key.controller,
        validFrom: '2024-01-01T00:00:00Z',
        credentialSubject: { id: 'did:example:learner', degree: 'BSc', birthYear: '1999' },
      },
      key,
      { mandatoryPointers: ['/issuer'], selectivePointers: ['/credentialSubject/degree'] },
    );
    const vp = await present([issued, derived], 'job-0021');
    const report = await node.components.verifier.verifyPresentation(vp, { challenge: 'job-0021' });
    expect(report.checks.find((c) => c.name === 'proof')).toMatchObject({ status: 'ok' });
    expect(report.credentials.map((c) => c.verified)).toEqual([true, true]);
    expect(report.verified).toBe(true);

    const replayed = await node.components.verifier.verifyPresentation(vp, { challenge: 'job-0022' });
    expect(replayed.verified).toBe(false);
    expect(replayed.checks.find((c) => c.name === 'proof')).toMatchObject({ status: 'failed' });
  });
});
