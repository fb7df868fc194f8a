/**
 * Data Integrity verifies a proof by its verification method; whether that key speaks for the issuer is the
 * issuer check, with its own codes (issue 10, item 3).
 */
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignSuite } from '../../../protocol/signing/suites.ts';
import { isValid } from '../../../registry/verification/report.ts';
import { generateDidKey } from '../../helpers/holder.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

type Json = Record<string, any>;

describe('when the proof and the issuer tell different stories', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await createTestNode();
  });
  afterAll(async () => {
    await node.close();
  });
  const check = (report: { checks: Array<{ name: string }> }, name: string) =>
    report.checks.find((c) => c.name === name);

  it("says when a did:web issuer was refused by this node's address policy, and only then (issue 15, 5)", async () => {
    const signer = await generateDidKey();
    const issue = (issuer: string) =>
      vc.issue({
        credential: sampleBadge({ issuer, validFrom: '2026-01-01T00:00:00Z' }),
        suite: createSignSuite('eddsa-rdfc-2022', signer.key),
        documentLoader: node.components.documentLoader,
      });
    const loopback = await node.components.verifier.verifyCredential(await issue('did:web:127.0.0.1%3A9'));
    expect(check(loopback, 'issuer')).toMatchObject({ status: 'failed', code: 'DID_UNRESOLVABLE' });
    expect(JSON.stringify(check(loopback, 'issuer'))).toContain("refused by this node's policy");
    // A failure on the far side keeps the one uniform message (no port-scan oracle).
    const far = await node.components.verifier.verifyCredential(await issue('did:web:issuer.invalid'));
    expect(JSON.stringify(check(far, 'issuer'))).not.toContain('policy');
    expect(JSON.stringify(check(far, 'issuer'))).toContain('could not be fetched');
  });

  it('still checks the proof of a credential whose issuer DID does not resolve, by its did:key method', async () => {
    const signer = await generateDidKey();
    const credential = await vc.issue({
      // .invalid never resolves (RFC 2606), so the issuer's DID document is missing whatever the network does.
      credential: sampleBadge({ issuer: 'did:web:issuer.invalid', validFrom: '2026-01-01T00:00:00Z' }),
      suite: createSignSuite('eddsa-rdfc-2022', signer.key),
      documentLoader: node.components.documentLoader,
    });
    const report = await node.components.verifier.verifyCredential(credential);
    expect(check(report, 'proof')).toMatchObject({ status: 'ok' });
    expect(check(report, 'issuer')).toMatchObject({ status: 'failed', code: 'DID_UNRESOLVABLE' });
    expect(report.verified).toBe(false);
    expect(report.errors.map((e) => e.code)).toEqual(['DID_UNRESOLVABLE']);

    // The same credential with its signature broken: now the proof fails on its own account.
    const tampered: Json = structuredClone(credential);
    tampered.name = 'Tampered';
    const broken = await node.components.verifier.verifyCredential(tampered);
    expect(check(broken, 'proof')).toMatchObject({ status: 'failed', code: 'INVALID_SIGNATURE' });
  });

  it('verifies the proof of a credential whose issuer is a URL but no DID, never calling it valid (decision 0028)', async () => {
    // As the W3C vc-di-ecdsa vectors are: issuer https://vc.example/issuers/5678, signed by a did:key.
    const signer = await generateDidKey();
    const credential = await vc.issue({
      credential: sampleBadge({ issuer: 'https://vc.example/issuers/5678', validFrom: '2026-01-01T00:00:00Z' }),
      suite: createSignSuite('eddsa-rdfc-2022', signer.key),
      documentLoader: node.components.documentLoader,
    });
    const report = await node.components.verifier.verifyCredential(credential);
    expect(check(report, 'proof')).toMatchObject({ status: 'ok' });
    expect(check(report, 'issuer')).toMatchObject({ status: 'unchecked', code: 'ISSUER_NOT_DID' });
    expect(report).toMatchObject({ verified: true, trusted: false, errors: [] });
    expect(report.warnings.map((w) => w.code)).toContain('ISSUER_NOT_DID');
    expect(isValid(report)).toBe(false);
    // A caller that requires the issuer relationship gets it as an error.
    const strict = await node.components.verifier.verifyCredential(credential, { required: ['issuer'] });
    expect(strict.verified).toBe(false);
    expect(strict.errors.map((e) => e.code)).toEqual(['ISSUER_NOT_DID']);
    // A broken signature is still an error.
    const tampered: Json = { ...structuredClone(credential), name: 'Tampered' };
    const broken = await node.components.verifier.verifyCredential(tampered);
    expect(broken.verified).toBe(false);
    expect(check(broken, 'proof')).toMatchObject({ status: 'failed', code: 'INVALID_SIGNATURE' });
  });

  it('accepts the issuer’s proof next to a valid proof by another key, and names the other key', async () => {
    const issued = await node.components.issuer.issue(sampleBadge());
    const endorser = await generateDidKey();
    const endorsed = await vc.issue({
      credential: issued,
      suite: createSignSuite('eddsa-rdfc-2022', endorser.key),
      documentLoader: node.components.documentLoader,
    });
    expect(endorsed.proof).toHaveLength(2);
    const report = await node.components.verifier.verifyCredential(endorsed);
    expect(report).toMatchObject({ verified: true, errors: [] });
    expect(check(report, 'issuer')).toMatchObject({ status: 'ok' });
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        code: 'PROOF_NOT_BY_ISSUER',
        detail: expect.stringContaining(String(endorser.key.id)),
      }),
    );
  });

  it('accepts a credential with an extra proof of a kind it cannot check, with a warning (decision 0023)', async () => {
    const issued: Json = await node.components.issuer.issue(sampleBadge());
    const extra = { ...issued.proof, cryptosuite: 'bbs-2023', proofValue: 'u2V0AhVhA' };
    const report = await node.components.verifier.verifyCredential({ ...issued, proof: [issued.proof, extra] });
    expect(report).toMatchObject({ verified: true, errors: [] });
    expect(check(report, 'proof')).toMatchObject({ status: 'ok' });
    expect(report.warnings.map((w) => w.code)).toContain('UNSUPPORTED_PROOF_IGNORED');
  });
});
