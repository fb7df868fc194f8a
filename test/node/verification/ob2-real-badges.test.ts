/**
 * Real Open Badges 2.0 badges issued by others (1EdTech's validator test resources and the spec's own examples,
 * test/fixtures/ob2/manifest.json), each with the result its source expects, every document it names served on
 * loopback from the offline copies beside it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isValid } from '../../../registry/verification/report.ts';
import { type BadgeHost, startBadgeHost } from '../../helpers/badge-host.ts';
import { caseInput, ob2Cases, ob2TestVerifier, servedDocuments } from '../../helpers/ob2.ts';

const FAILING: Record<string, { name: string; code: string; integrity: boolean }> = {
  'fail:expired': { name: 'validity', code: 'EXPIRED', integrity: false },
  'fail:revoked': { name: 'status', code: 'REVOKED', integrity: false },
  'fail:key-not-issuers': { name: 'issuer', code: 'OB2_KEY_NOT_ISSUERS', integrity: true },
  'fail:recipient': { name: 'recipient', code: 'RECIPIENT_MISMATCH', integrity: true },
};

describe('when verifying the real Open Badges 2.0 fixtures', () => {
  let host: BadgeHost | undefined;
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  for (const fixture of ob2Cases()) {
    it(`gives ${fixture.expected} for ${fixture.name}`, async () => {
      host = await startBadgeHost(servedDocuments(fixture.serve));
      const verifier = ob2TestVerifier({ fetch: host.fetch });
      const report = await verifier.verifyCredential(caseInput(fixture.input), {
        ...(fixture.at ? { at: new Date(fixture.at) } : {}),
        ...(fixture.recipient ? { recipient: fixture.recipient } : {}),
      });
      // Nothing but what the badge names was fetched, and only from the offline copies.
      for (const url of host.requests) expect(Object.keys(fixture.serve)).toContain(url);
      if (fixture.expected === 'valid') {
        expect(report.checks.filter((c) => c.status !== 'ok' && !['trust', 'recipient'].includes(c.name))).toEqual([]);
        expect(report.verified).toBe(true);
        expect(isValid(report)).toBe(true);
        // Given an identity, the recipient is checked; without one it is a warning, and the badge still valid.
        const recipient = report.checks.find((c) => c.name === 'recipient');
        if (fixture.recipient) expect(recipient?.status).toBe('ok');
        else {
          expect(recipient).toMatchObject({ status: 'unchecked', code: 'RECIPIENT_NOT_CHECKED' });
          expect(report.warnings.map((w) => w.code)).toContain('RECIPIENT_NOT_CHECKED');
        }
      } else {
        const failing = FAILING[fixture.expected];
        expect(failing, `unknown expectation ${fixture.expected}`).toBeDefined();
        expect(report.checks.find((c) => c.name === failing.name)).toMatchObject({
          status: 'failed',
          code: failing.code,
        });
        expect(report.verified).toBe(fixture.verified ?? !failing.integrity);
        expect(isValid(report)).toBe(false);
        expect((failing.integrity ? report.errors : report.warnings).map((p) => p.code)).toContain(failing.code);
      }
      // No registry here: never trusted.
      expect(report.trusted).toBe(false);
    });
  }
});
