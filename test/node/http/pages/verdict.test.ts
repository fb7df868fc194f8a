import { describe, expect, it } from 'vitest';
import { checkWords, verdictOf } from '../../../../node/http/pages/verdict.ts';
import { failed, ok, unchecked } from '../../../../registry/verification/report.ts';

const passing = () => [ok('schema'), ok('proof'), ok('issuer'), ok('validity'), ok('status'), ok('trust')];

describe('the verdict a person sees', () => {
  it('is valid only when every check passed, trust included', () => {
    expect(verdictOf({ checks: passing() })).toBe('valid');
  });

  it('never calls an unchecked status or trust valid', () => {
    const noStatus = passing().map((c) =>
      c.name === 'status' ? unchecked('status', 'STATUS_LIST_UNCHECKED', 'x') : c,
    );
    expect(verdictOf({ checks: noStatus })).toBe('unknown');
    const noTrust = passing().map((c) => (c.name === 'trust' ? unchecked('trust', 'NO_ANCHORS', 'x') : c));
    expect(verdictOf({ checks: noTrust })).toBe('unknown');
    expect(verdictOf({ checks: passing().filter((c) => c.name !== 'status') })).toBe('unknown');
  });

  it('is not valid when anything failed, and says why in words', () => {
    const revoked = failed('status', 'REVOKED', 'revoked (list …#3)');
    expect(verdictOf({ checks: [...passing().slice(0, 4), revoked, ok('trust')] })).toBe('invalid');
    expect(checkWords(revoked)).toMatchObject({ sentence: 'The issuer has revoked this credential.' });
  });
});
