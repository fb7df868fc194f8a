import { describe, expect, it } from 'vitest';
import { resolveDidJwkDocument } from '../../../protocol/signing/did-jwk.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
// The did:jwk spec's examples: a P-256 key (no `use`) and an X25519 key marked `use: "enc"`.
const P256 =
  'did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9';
const X25519 =
  'did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJIQzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9';

describe('did:jwk (did:jwk Method Specification, Read)', () => {
  it('gives the spec example its one method #0 with every relationship', () => {
    const { document } = resolveDidJwkDocument(P256);
    const vm = `${P256}#0`;
    expect(document).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
      id: P256,
      verificationMethod: [
        {
          id: vm,
          type: 'JsonWebKey2020',
          controller: P256,
          publicKeyJwk: {
            crv: 'P-256',
            kty: 'EC',
            x: 'acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0',
            y: '_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE',
          },
        },
      ],
      assertionMethod: [vm],
      authentication: [vm],
      capabilityInvocation: [vm],
      capabilityDelegation: [vm],
      keyAgreement: [vm],
    });
  });

  it('lists a use:enc key for key agreement only, as the spec example does', () => {
    const { document } = resolveDidJwkDocument(X25519);
    expect(document?.keyAgreement).toEqual([`${X25519}#0`]);
    expect(document?.assertionMethod).toBeUndefined();
    expect(document?.authentication).toBeUndefined();
  });

  it.each([
    ['a private key', b64({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', d: 'x' })],
    ['a symmetric key', b64({ kty: 'oct', k: 'c2VjcmV0' })],
    ['a point off the curve', b64({ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' })],
    ['no JSON', Buffer.from('not json').toString('base64url')],
    ['no object', b64([1, 2])],
    ['a character outside base64url', 'eyJ+'],
  ])('refuses %s as invalidDid', (_what, id) => {
    expect(resolveDidJwkDocument(`did:jwk:${id}`).error).toBe('invalidDid');
  });
});
