import { describe, expect, it } from 'vitest';
import { issuanceProblems } from '../../../registry/issuing/data-model-rules.ts';
import { parseDigestMultibase, parseDigestSri } from '../../../registry/issuing/related-resources.ts';
import { getStatusValue, withStatusValue } from '../../../registry/status/bitstring.ts';
import { parseStatusEntry, statusOutcome } from '../../../registry/verification/status.ts';

const base = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  credentialSubject: { id: 'did:example:subject' },
};

describe('when the data model rules judge a credential before issuance', () => {
  it('accepts a plain credential and refuses one without issuer unless the caller fills it', () => {
    expect(issuanceProblems(base)).toEqual([]);
    const { issuer: _, ...noIssuer } = base;
    expect(issuanceProblems(noIssuer)).toEqual(['issuer is required']);
    expect(issuanceProblems(noIssuer, { issuerRequired: false })).toEqual([]);
  });

  it('refuses issuers that are not URLs and ids that are null', () => {
    for (const issuer of [null, 'fake-issuer', { id: null }, { id: 'no url' }, true, 4, []]) {
      expect(issuanceProblems({ ...base, issuer }).length, JSON.stringify(issuer)).toBeGreaterThan(0);
    }
    expect(issuanceProblems({ ...base, id: null })).toEqual(['credential.id must be a single URL']);
  });

  it('names every untyped object', () => {
    const problems = issuanceProblems({
      ...base,
      credentialSchema: [{ id: 'https://e.org/s', type: 'JsonSchema' }, { id: 'https://e.org/t' }],
      refreshService: { id: 'https://e.org/r' },
      evidence: [],
    });
    expect(problems).toEqual([
      'credentialSchema[1].type is required (a string or strings)',
      'refreshService.type is required (a string or strings)',
      'evidence must be an object or a non-empty set of objects',
    ]);
  });

  it('refuses a validity period that ends before it begins, and dates that are not XML dateTimes', () => {
    const period = 'validUntil/expirationDate must not be earlier than validFrom/issuanceDate';
    expect(
      issuanceProblems({ ...base, validFrom: '2030-01-01T00:00:00Z', validUntil: '2020-01-01T00:00:00Z' }),
    ).toEqual([period]);
    const v1 = { ...base, '@context': ['https://www.w3.org/2018/credentials/v1'] };
    expect(
      issuanceProblems({ ...v1, issuanceDate: '2030-01-01T00:00:00Z', expirationDate: '2029-12-31T23:59:59Z' }),
    ).toEqual([period]);
    // The same instant at both ends is a valid (if short) period; zones are compared as instants.
    expect(
      issuanceProblems({ ...base, validFrom: '2030-01-01T00:00:00Z', validUntil: '2030-01-01T00:00:00Z' }),
    ).toEqual([]);
    expect(
      issuanceProblems({ ...base, validFrom: '2030-01-01T02:00:00+02:00', validUntil: '2030-01-01T00:30:00Z' }),
    ).toEqual([]);
    expect(issuanceProblems({ ...base, validUntil: '2030-01-01' })).toEqual(['validUntil must be an XML dateTime']);
  });
});

describe('when relatedResource digests are parsed', () => {
  it('reads SRI (standard base64) and multibase (bare digest or multihash) SHA-2 digests', () => {
    expect(parseDigestSri('sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=')?.[0].algorithm).toBe('sha256');
    expect(parseDigestSri('sha384-_rCVIV7f')).toBeUndefined();
    const bare = parseDigestMultibase('uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0');
    expect(bare?.algorithm).toBe('sha256');
    const multihash = parseDigestMultibase(`u${Buffer.from([0x12, 0x20, ...bare!.bytes]).toString('base64url')}`);
    expect(Buffer.from(multihash!.bytes)).toEqual(Buffer.from(bare!.bytes));
    expect(parseDigestMultibase('xabc')).toBeUndefined();
  });
});

describe('when a status entry has several bits', () => {
  it('stores and reads each entry in its own statusSize bits, first bit most significant', () => {
    let bits: Uint8Array = new Uint8Array(2);
    bits = withStatusValue(bits, 1, 2, 2);
    expect(Array.from(bits)).toEqual([0b0010_0000, 0]);
    expect(getStatusValue(bits, 1, 2)).toBe(2);
    expect(getStatusValue(bits, 0, 2)).toBe(0);
    expect(() => withStatusValue(bits, 0, 2, 4)).toThrow(/does not fit/);
  });

  it('reports a message value as information and a set revocation as a failure', () => {
    const entry = parseStatusEntry({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'message',
      statusListIndex: '1',
      statusListCredential: 'https://e.org/sl',
      statusSize: 2,
      statusMessage: ['0x0', '0x1', '0x2', '0x3'].map((status) => ({ status, message: `m${status}` })),
    });
    if ('code' in entry) throw new Error(entry.message);
    const bits = withStatusValue(new Uint8Array(2), 1, 2, 3);
    expect(statusOutcome(bits, entry)).toMatchObject({ status: 'ok', message: 'message: 0x3 (m0x3)' });
    const revocation = { ...entry, purpose: 'revocation', size: 1 };
    expect(statusOutcome(new Uint8Array([0x40]), revocation)).toMatchObject({ status: 'failed', code: 'REVOKED' });
  });

  it('refuses an entry with statusSize > 1 and no matching statusMessage', () => {
    const entry = parseStatusEntry({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'message',
      statusListIndex: '1',
      statusListCredential: 'https://e.org/sl',
      statusSize: 2,
    });
    expect(entry).toMatchObject({ code: 'STATUS_ENTRY_INVALID' });
  });
});
