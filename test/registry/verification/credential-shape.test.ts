import { describe, expect, it } from 'vitest';
import { checkShape, parseCredentialShape } from '../../../registry/verification/credential-shape.ts';

const v11 = {
  '@context': ['https://www.w3.org/2018/credentials/v1'],
  type: ['VerifiableCredential'],
  issuer: 'https://example.edu/issuers/14',
  issuanceDate: '2010-01-01T19:23:24Z',
  credentialSubject: { id: 'did:example:subject' },
};
const v2 = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  credentialSubject: { id: 'did:example:subject' },
};
const entry = { id: 'https://example.edu/status/24', type: 'CredentialStatusList2017' };

function problemsOf(credential: unknown): string[] {
  const parsed = parseCredentialShape(credential);
  return 'problems' in parsed ? parsed.problems : [];
}

describe('when the shape of a VC 1.1 credential with credentialStatus is read', () => {
  it('accepts an entry with id and type', () => {
    expect(problemsOf({ ...v11, credentialStatus: entry })).toEqual([]);
    expect(problemsOf({ ...v11, credentialStatus: [entry, { ...entry, id: 'urn:uuid:1' }] })).toEqual([]);
  });

  it('refuses an entry without id or with an id that is not a URL (VC DM 1.1 §4.9)', () => {
    const { id: _, ...noId } = entry;
    expect(problemsOf({ ...v11, credentialStatus: noId })).toEqual([
      'credentialStatus.id (a URL) is required in VC 1.1',
    ]);
    expect(problemsOf({ ...v11, credentialStatus: { ...entry, id: 'status 24' } })).toEqual([
      'credentialStatus.id (a URL) is required in VC 1.1',
    ]);
    expect(problemsOf({ ...v11, credentialStatus: [entry, noId] })).toEqual([
      'credentialStatus[1].id (a URL) is required in VC 1.1',
    ]);
    expect(checkShape({ ...v11, credentialStatus: noId }).check).toMatchObject({
      status: 'failed',
      code: 'INVALID_SHAPE',
    });
  });

  it('refuses an entry without type', () => {
    const { type: _, ...noType } = entry;
    expect(problemsOf({ ...v11, credentialStatus: noType })).toEqual(['credentialStatus.type is required in VC 1.1']);
    expect(problemsOf({ ...v11, credentialStatus: { ...entry, type: [] } })).toEqual([
      'credentialStatus.type is required in VC 1.1',
    ]);
  });

  it('leaves the id optional in VC 2.0 (§4.10)', () => {
    const { id: _, ...noId } = entry;
    expect(problemsOf({ ...v2, credentialStatus: { ...noId, type: 'BitstringStatusListEntry' } })).toEqual([]);
  });
});
