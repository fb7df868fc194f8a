import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignSuite } from '../../../protocol/signing/suites.ts';
import { generateDidKey } from '../../helpers/holder.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

describe('credentials that must not verify', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await createTestNode();
  });
  afterAll(async () => {
    await node.close();
  });

  it('reports an unknown proof type as UNSUPPORTED_PROOF, not as valid', async () => {
    const credential = await node.components.issuer.issue(sampleBadge());
    const odd = { ...credential, proof: { ...(credential.proof as object), type: 'BbsBlsSignature2020' } };
    const report = await node.components.verifier.verifyCredential(odd);
    expect(report.verified).toBe(false);
    expect(report.checks.find((c) => c.name === 'proof')).toMatchObject({
      status: 'failed',
      code: 'UNSUPPORTED_PROOF',
    });
  });

  it('fails a credential whose issuer is not the controller of the signing key', async () => {
    // Someone signs with their own did:key but names our institution as the issuer.
    const { key } = await generateDidKey();
    const credential = {
      ...sampleBadge(),
      issuer: node.components.identity.did,
      validFrom: '2026-01-01T00:00:00Z',
    };
    const forged = await vc.issue({
      credential,
      suite: createSignSuite('eddsa-rdfc-2022', key),
      documentLoader: node.components.documentLoader,
    });
    const report = await node.components.verifier.verifyCredential(forged);
    expect(report.verified).toBe(false);
    expect(report.checks.find((c) => c.name === 'issuer')).toMatchObject({
      status: 'failed',
      code: 'ISSUER_KEY_MISMATCH',
    });
    // Data Integrity: the proof verifies by its own key; that the key is not the issuer's is the issuer check.
    expect(report.checks.find((c) => c.name === 'proof')?.status).toBe('ok');
    expect(report.errors.map((e) => e.code)).toEqual(['ISSUER_KEY_MISMATCH']);
  });
});
