/** The VCALM result fields derived from the checks (docs/decisions/0022), over every combination of outcomes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildReport,
  type Check,
  type CheckName,
  INTEGRITY_CHECKS,
  isValid,
} from '../../../registry/verification/report.ts';

const NAMES: CheckName[] = ['schema', 'proof', 'issuer', 'validity', 'status', 'trust', 'skills'];
const outcome = fc.constantFrom('ok', 'failed', 'unchecked') as fc.Arbitrary<Check['status']>;

describe('when a report is built from check outcomes', () => {
  it('is verified exactly when it has no errors, and errors come only from required checks', () => {
    fc.assert(
      fc.property(
        fc.tuple(...NAMES.map(() => outcome)),
        fc.option(fc.subarray(NAMES), { nil: undefined }),
        (statuses, required) => {
          const checks: Check[] = NAMES.map((name, i) =>
            statuses[i] === 'ok'
              ? { name, status: 'ok' }
              : { name, status: statuses[i], code: `C_${name}`, message: name },
          );
          const report = buildReport({
            checks,
            issuer: { did: null, networks: [] },
            ...(required ? { required } : {}),
          });
          const asError = new Set(required ? ['schema', 'proof', ...required] : INTEGRITY_CHECKS);
          expect(report.verified).toBe(report.errors.length === 0);
          for (const e of report.errors) expect(asError.has(e.check!)).toBe(true);
          for (const w of report.warnings) expect(asError.has(w.check!)).toBe(false);
          // Every check that is not ok is reported once, as an error or a warning, as RFC 9457 problem details.
          expect(report.errors.length + report.warnings.length).toBe(checks.filter((c) => c.status !== 'ok').length);
          for (const p of [...report.errors, ...report.warnings]) {
            expect(p).toMatchObject({
              type: expect.stringMatching(/^(https:|urn:)/),
              title: p.code,
              detail: expect.any(String),
            });
          }
          // Trusted never without valid: revoked, suspended, expired or unchecked are never trusted.
          if (report.trusted) expect(report.verified && isValid(report)).toBe(true);
        },
      ),
    );
  });

  it('names a trust registry without anchors as a warning, never an error of a verified credential', () => {
    const ok = (name: CheckName): Check => ({ name, status: 'ok' });
    const report = buildReport({
      checks: [
        ...(['schema', 'proof', 'issuer', 'validity', 'status'] as const).map(ok),
        { name: 'trust', status: 'unchecked', code: 'NO_ANCHORS', message: 'no anchors' },
      ],
      issuer: { did: null, networks: [] },
    });
    expect(report).toMatchObject({ verified: true, trusted: false, errors: [] });
    expect(report.warnings).toEqual([
      {
        type: 'urn:ler-node:problem:NO_ANCHORS',
        title: 'NO_ANCHORS',
        detail: 'trust: no anchors',
        code: 'NO_ANCHORS',
        check: 'trust',
      },
    ]);
  });
});
