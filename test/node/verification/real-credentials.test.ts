import { describe, expect, it } from 'vitest';
import { createForeignStatusListSource } from '../../../node/verification/status-lists.ts';
import { createVerifier } from '../../../node/verification/verifier.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createInProcessProofVerifier } from '../../../protocol/signing/proof-verifier.ts';
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

// These fixtures' status lists are signed by did:key:z6MknNQD…, a DID the credential's issuer names nowhere (the
// fixtures' issuers sign their lists with a separate key). The spec allows that; this node does not let a list
// decide a credential's status unless the credential's issuer signed it (docs/decisions/0013), so their status
// check fails, whatever the list's bit says.
const SIGNED_BY_ANOTHER_DID = new Set([
  'vc/dcc-v1-ed2020-didweb-status-active.json',
  'vc/dcc-v1-eddsa-didweb-revoked.json',
  'vc/dcc-v1-dualproof-didweb-multikey-status-active.json',
  'vc/dcc-v2-eddsa-didkey-revoked-notexpired.json',
]);
FAILING_CHECK['fail:status-list-signer'] = { name: 'status', code: 'STATUS_LIST_SIGNER_MISMATCH' };

function expectation(fixture: { file: string; expected: string }): string {
  return SIGNED_BY_ANOTHER_DID.has(fixture.file) ? 'fail:status-list-signer' : fixture.expected;
}

describe('when verifying the real credentials of the shared fixtures', () => {
  const verifier = createVerifier({
    didResolution: createDidResolution({ known: fixtureDidDocuments }),
    proofVerifier: createInProcessProofVerifier(),
    statusLists: createForeignStatusListSource({ fetch: fixtureFetch }),
    now: () => FIXTURES_NOW,
  });

  for (const fixture of fixtureCredentials()) {
    const expected = expectation(fixture);
    it(`gives ${expected} for ${fixture.file}`, async () => {
      const report = await verifier.verifyCredential(fixture.credential);
      if (expected === 'verify') {
        expect(report.checks.filter((c) => c.status !== 'ok' && c.name !== 'trust')).toEqual([]);
        expect(report.verified).toBe(true);
      } else {
        const failing = FAILING_CHECK[expected];
        expect(failing, `unknown expectation ${expected}`).toBeDefined();
        expect(report.verified).toBe(false);
        const check = report.checks.find((c) => c.name === failing.name);
        expect(check).toMatchObject({ status: 'failed', code: failing.code });
      }
      // trust is never claimed without a registry
      expect(report.trusted).toBe(false);
      expect(report.checks.find((c) => c.name === 'trust')?.status).toBe('unchecked');
    });
  }
});
