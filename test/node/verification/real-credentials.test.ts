import { describe, expect, it } from 'vitest';
import { createForeignStatusListSource } from '../../../node/verification/status-lists.ts';
import { createVerifier } from '../../../node/verification/verifier.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createInProcessProofVerifier } from '../../../protocol/signing/proof-verifier.ts';
import { isValid } from '../../../registry/verification/report.ts';
import { FIXTURES_NOW, fixtureCredentials, fixtureDidDocuments, fixtureFetch } from '../../helpers/fixtures.ts';

// Which check must fail for each expected failure in the manifest.
const FAILING_CHECK: Record<string, { name: string; code?: string }> = {
  'fail:revoked': { name: 'status', code: 'REVOKED' },
  'fail:expired': { name: 'validity', code: 'EXPIRED' },
  'fail:not-yet-valid': { name: 'validity', code: 'NOT_YET_VALID' },
  'fail:signature': { name: 'proof', code: 'INVALID_SIGNATURE' },
  'fail:status-list-invalid': { name: 'status', code: 'STATUS_LIST_INVALID' },
  'fail:did-unresolvable': { name: 'issuer', code: 'DID_UNRESOLVABLE' },
};

describe('when verifying the real credentials of the shared fixtures', () => {
  const verifier = createVerifier({
    didResolution: createDidResolution({ known: fixtureDidDocuments }),
    proofVerifier: createInProcessProofVerifier(),
    statusLists: createForeignStatusListSource({ fetch: fixtureFetch }),
    now: () => FIXTURES_NOW,
  });

  for (const fixture of fixtureCredentials()) {
    const expected = fixture.expected;
    it(`gives ${expected} for ${fixture.file}`, async () => {
      const report = await verifier.verifyCredential(fixture.credential);
      if (expected === 'verify') {
        expect(report.checks.filter((c) => c.status !== 'ok' && c.name !== 'trust')).toEqual([]);
        expect(report.verified).toBe(true);
        expect(isValid(report)).toBe(true);
      } else {
        const failing = FAILING_CHECK[expected];
        expect(failing, `unknown expectation ${expected}`).toBeDefined();
        const check = report.checks.find((c) => c.name === failing.name);
        expect(check).toMatchObject({ status: 'failed', code: failing.code });
        // VCALM: integrity failures are errors (not verified); revoked, expired and a bad list are warnings, and
        // the credential is still not valid.
        const integrity = ['schema', 'proof', 'issuer'].includes(failing.name);
        expect(report.verified).toBe(!integrity);
        expect(isValid(report)).toBe(false);
        expect((integrity ? report.errors : report.warnings).map((p) => p.code)).toContain(failing.code);
      }
      // trust is never claimed without a registry
      expect(report.trusted).toBe(false);
      expect(report.checks.find((c) => c.name === 'trust')?.status).toBe('unchecked');
    });
  }
});
