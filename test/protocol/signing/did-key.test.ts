import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { base58btc } from 'multiformats/bases/base58';
import { describe, expect, it } from 'vitest';
import { createDidKeyDocument } from '../../../protocol/signing/did-key.ts';

// The did:key spec's own example (its "Create" section) and the CCG did:key suite's vectors.
const SPEC_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const SPEC_X25519 = 'z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p';
const SUITE_DID = 'did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b';
const SUITE_X25519 = 'z6LSfHfAMAopsuBxaBzvp51GXrPf38Az13j2fmwqadbwwrzJ';

function didKeyOf(codec: number[], raw: Uint8Array): string {
  return `did:key:${base58btc.encode(Uint8Array.from([...codec, ...raw]))}`;
}

/** A fresh P-256 key as a did:key (compressed point, multicodec 0x1200) and its JWK as node:crypto exports it. */
function p256DidKey() {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  const x = Buffer.from(jwk.x, 'base64url');
  const yOdd = Buffer.from(jwk.y, 'base64url')[31] & 1;
  return { did: didKeyOf([0x80, 0x24], Uint8Array.from([yOdd ? 3 : 2, ...x])), jwk };
}

describe('did:key documents (did:key spec, Document Creation Algorithm)', () => {
  describe('when the key is Ed25519', () => {
    it('builds the spec example: Multikey signing key plus the derived X25519 key agreement key', () => {
      const { document } = createDidKeyDocument(SPEC_DID);
      expect(document).toMatchObject({
        id: SPEC_DID,
        verificationMethod: [
          {
            id: `${SPEC_DID}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`,
            type: 'Multikey',
            controller: SPEC_DID,
          },
          { id: `${SPEC_DID}#${SPEC_X25519}`, type: 'Multikey', publicKeyMultibase: SPEC_X25519 },
        ],
        assertionMethod: [`${SPEC_DID}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`],
        keyAgreement: [`${SPEC_DID}#${SPEC_X25519}`],
      });
      expect(document?.['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1']);
      expect(createDidKeyDocument(SUITE_DID).document?.keyAgreement).toEqual([`${SUITE_DID}#${SUITE_X25519}`]);
    });

    it('leaves the key agreement key out when enableEncryptionKeyDerivation is false', () => {
      const { document } = createDidKeyDocument(SPEC_DID, { enableEncryptionKeyDerivation: false });
      expect(document?.keyAgreement).toBeUndefined();
      expect(document?.verificationMethod).toHaveLength(1);
    });

    it('expresses keys as Ed25519VerificationKey2020 / X25519KeyAgreementKey2020 with their contexts', () => {
      const { document } = createDidKeyDocument(SPEC_DID, { publicKeyFormat: 'Ed25519VerificationKey2020' });
      const methods = document?.verificationMethod as Array<Record<string, unknown>>;
      expect(methods.map((m) => m.type)).toEqual(['Ed25519VerificationKey2020', 'X25519KeyAgreementKey2020']);
      expect(document?.['@context']).toEqual([
        'https://www.w3.org/ns/did/v1',
        'https://w3id.org/security/suites/ed25519-2020/v1',
        'https://w3id.org/security/suites/x25519-2020/v1',
      ]);
    });

    it('expresses keys as JsonWebKey (OKP Ed25519 and X25519)', () => {
      const { document } = createDidKeyDocument(SPEC_DID, { publicKeyFormat: 'JsonWebKey' });
      const [signing, agreement] = document?.verificationMethod as Array<Record<string, any>>;
      expect(signing.publicKeyJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
      expect(agreement.publicKeyJwk).toMatchObject({ kty: 'OKP', crv: 'X25519' });
      // The JWK holds the same 32 bytes as the multibase value after its 2-byte multicodec header.
      const raw = base58btc.decode(SPEC_DID.slice('did:key:'.length)).subarray(2);
      expect(Buffer.from(signing.publicKeyJwk.x, 'base64url')).toEqual(Buffer.from(raw));
    });

    it('refuses an experimental format (invalidPublicKeyType) unless enableExperimentalPublicKeyTypes', () => {
      expect(createDidKeyDocument(SUITE_DID, { publicKeyFormat: 'Ed25519VerificationKey2018' })).toMatchObject({
        error: 'invalidPublicKeyType',
      });
      const { document } = createDidKeyDocument(SUITE_DID, {
        publicKeyFormat: 'Ed25519VerificationKey2018',
        enableExperimentalPublicKeyTypes: true,
      });
      const methods = document?.verificationMethod as Array<Record<string, unknown>>;
      expect(methods.map((m) => m.type)).toEqual(['Ed25519VerificationKey2018', 'X25519KeyAgreementKey2019']);
      expect(methods[0].publicKeyBase58).toBe(base58btc.baseEncode(base58btc.decode(SUITE_DID.slice(8)).subarray(2)));
    });

    it('reports an unknown publicKeyFormat as unsupportedPublicKeyType', () => {
      expect(createDidKeyDocument(SPEC_DID, { publicKeyFormat: 'unknown' })).toMatchObject({
        error: 'unsupportedPublicKeyType',
      });
    });

    it('reports a 32-byte value that is not a point on Ed25519 as invalidPublicKey', () => {
      // y = 2: x² = (y² − 1) / (d·y² + 1) has no square root mod 2^255 − 19.
      const raw = new Uint8Array(32);
      raw[0] = 2;
      expect(createDidKeyDocument(didKeyOf([0xed, 0x01], raw))).toMatchObject({ error: 'invalidPublicKey' });
      raw[0] = 3;
      expect(createDidKeyDocument(didKeyOf([0xed, 0x01], raw)).document).toBeDefined();
    });
  });

  describe('when the key is P-256', () => {
    it('resolves it as a Multikey (not invalidDid), with assertion and authentication and no key agreement', () => {
      const { did } = p256DidKey();
      expect(did.startsWith('did:key:zDn')).toBe(true);
      const { document, error } = createDidKeyDocument(did);
      expect(error).toBeUndefined();
      expect(document).toMatchObject({
        id: did,
        verificationMethod: [{ id: `${did}#${did.slice(8)}`, type: 'Multikey', publicKeyMultibase: did.slice(8) }],
        assertionMethod: [`${did}#${did.slice(8)}`],
      });
      expect(document?.keyAgreement).toBeUndefined();
    });

    it('decompresses the point into the JWK node:crypto exports for the same key', () => {
      const { did, jwk } = p256DidKey();
      const { document } = createDidKeyDocument(did, { publicKeyFormat: 'JsonWebKey' });
      const [method] = document?.verificationMethod as Array<Record<string, any>>;
      expect(method.publicKeyJwk).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
      expect(() => createPublicKey({ key: method.publicKeyJwk, format: 'jwk' })).not.toThrow();
    });

    it('refuses an Ed25519-only format for it (invalidPublicKeyType)', () => {
      const { did } = p256DidKey();
      expect(createDidKeyDocument(did, { publicKeyFormat: 'Ed25519VerificationKey2020' })).toMatchObject({
        error: 'invalidPublicKeyType',
      });
    });

    it('reports an x coordinate off the curve as invalidPublicKey', () => {
      const raw = new Uint8Array(33).fill(0xff);
      raw[0] = 2;
      expect(createDidKeyDocument(didKeyOf([0x80, 0x24], raw))).toMatchObject({ error: 'invalidPublicKey' });
    });
  });

  it('resolves an X25519 did:key to a key agreement key only', () => {
    const did = `did:key:${SPEC_X25519}`;
    const { document } = createDidKeyDocument(did);
    expect(document?.keyAgreement).toEqual([`${did}#${SPEC_X25519}`]);
    expect(document?.assertionMethod).toBeUndefined();
  });

  describe('when the identifier is malformed', () => {
    it.each([
      ['a scheme other than did', 'notDid:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
      ['a version that is not a positive integer', 'did:key:-4:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
      ['version 0', 'did:key:0:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
      ['a multibase value not starting with z', 'did:key:6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
      ['characters outside the DID syntax', 'did:key:@'],
      ['characters outside base58', 'did:key:z0OIl'],
      ['an unknown multicodec', didKeyOf([0x01], new Uint8Array(32))],
    ])('reports %s as invalidDid', (_, did) => {
      expect(createDidKeyDocument(did)).toMatchObject({ error: 'invalidDid' });
    });

    it('accepts an explicit version 1', () => {
      const did = 'did:key:1:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
      expect(createDidKeyDocument(did).document?.id).toBe(did);
    });

    it('reports a key of the wrong length as invalidPublicKeyLength (the CCG suite vector)', () => {
      expect(createDidKeyDocument('did:key:zTjsVPtY')).toMatchObject({ error: 'invalidPublicKeyLength' });
      expect(createDidKeyDocument(didKeyOf([0x80, 0x24], new Uint8Array(32)))).toMatchObject({
        error: 'invalidPublicKeyLength',
      });
    });
  });
});
