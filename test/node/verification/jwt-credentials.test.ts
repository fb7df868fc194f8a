/**
 * JOSE-secured credentials through the verifier: VC 2.0 `application/vc+jwt` (VC-JOSE-COSE) and VC 1.1 JWTs
 * (`jwt_vc_json`), with keys from did:key and did:web (JsonWebKey, Multikey); real VC 1.1 JWTs from TBD's web5-spec
 * test vectors (test/fixtures/jose/README.md) give the results the manifest states.
 */
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createForeignStatusListSource } from '../../../node/verification/status-lists.ts';
import { createVerifier } from '../../../node/verification/verifier.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createInProcessProofVerifier } from '../../../protocol/signing/proof-verifier.ts';
import { isValid, type VerificationReport } from '../../../registry/verification/report.ts';
import { fixtureFetch } from '../../helpers/fixtures.ts';
import { didWebDocument, joseDidJwk, joseDidKey, signJwt, unsecuredJwt, vc2Badge } from '../../helpers/jose.ts';

const FIXTURES = new URL('../../fixtures/jose/', import.meta.url);
const vectors = JSON.parse(readFileSync(new URL('web5-spec-vc_jwt-verify.json', FIXTURES), 'utf8')) as {
  vectors: Array<{ description: string; input: string; errors: boolean }>;
};
const manifest = JSON.parse(readFileSync(new URL('manifest.json', FIXTURES), 'utf8')) as {
  now: string;
  vectors: Record<string, { expected: string; check?: string; code?: string }>;
};

const WEB_DID = 'did:web:jose.example';
const webDocuments = new Map<string, unknown>();

function verifierAt(now: Date) {
  return createVerifier({
    didResolution: createDidResolution({ known: (did) => webDocuments.get(did) }),
    proofVerifier: createInProcessProofVerifier(),
    statusLists: createForeignStatusListSource({ fetch: fixtureFetch }),
    now: () => now,
  });
}
const verifier = verifierAt(new Date('2026-11-23T12:00:00Z'));

const check = (report: VerificationReport, name: string) => report.checks.find((c) => c.name === name);
function expectValid(report: VerificationReport) {
  expect(report.checks.filter((c) => c.status !== 'ok' && c.name !== 'trust')).toEqual([]);
  expect(report.verified).toBe(true);
  expect(isValid(report)).toBe(true);
}

describe('when verifying the real VC 1.1 JWTs of the web5-spec test vectors', () => {
  const at = verifierAt(new Date(manifest.now));
  for (const vector of vectors.vectors) {
    const expected = manifest.vectors[vector.description];
    if (!expected) continue;
    it(`gives ${expected.expected} for "${vector.description}"`, async () => {
      const report = await at.verifyCredential(vector.input);
      if (expected.expected === 'verify') {
        expectValid(report);
        expect(check(report, 'proof')?.message).toBe('jwt_vc_json EdDSA');
        return;
      }
      expect(check(report, expected.check!)).toMatchObject({ status: 'failed', code: expected.code });
      // The source expects an error for each of these: none is valid here either.
      expect(vector.errors).toBe(true);
      expect(isValid(report)).toBe(false);
    });
  }
});

describe('when verifying a VC 2.0 credential secured with JOSE (application/vc+jwt)', () => {
  it('verifies one signed by a did:key (Ed25519) and reads the credential from the payload', async () => {
    const key = await joseDidKey('EdDSA');
    const jwt = await signJwt(vc2Badge(key.did), key, { typ: 'vc+jwt', cty: 'vc' });
    const report = await verifier.verifyCredential(jwt);
    expectValid(report);
    expect(check(report, 'proof')?.message).toBe('vc+jwt EdDSA');
    expect(check(report, 'issuer')?.message).toBe(`signed by ${key.kid}`);
    expect(report.credentialId).toBe('urn:uuid:7a0c4a5e-8e1f-4b0e-9a43-3c1f8c5c2b10');
  });

  it('verifies one signed by a did:key (P-256, ES256) sent as an EnvelopedVerifiableCredential', async () => {
    const key = await joseDidKey('ES256');
    const jwt = await signJwt(vc2Badge(key.did), key, { typ: 'vc+jwt' });
    const report = await verifier.verifyCredential({
      '@context': 'https://www.w3.org/ns/credentials/v2',
      id: `data:application/vc+jwt,${jwt}`,
      type: 'EnvelopedVerifiableCredential',
    });
    expectValid(report);
    expect(check(report, 'proof')?.message).toBe('vc+jwt ES256');
  });

  it('verifies one whose key is a JsonWebKey of a did:web document, named relative to the issuer', async () => {
    const key = await joseDidKey('ES256');
    webDocuments.set(WEB_DID, didWebDocument(WEB_DID, key));
    const jwt = await signJwt(vc2Badge(WEB_DID), key, { typ: 'vc+jwt', kid: '#key-1' });
    const report = await verifier.verifyCredential(jwt);
    expectValid(report);
    expect(check(report, 'issuer')?.message).toBe(`signed by ${WEB_DID}#key-1`);
  });

  it.each([
    'EdDSA',
    'ES256',
  ] as const)('verifies one whose issuer is a did:jwk (%s), named by #0 or not at all', async (alg) => {
    const key = await joseDidJwk(alg);
    for (const kid of [key.kid, '#0', undefined]) {
      const report = await verifier.verifyCredential(await signJwt(vc2Badge(key.did), key, { typ: 'vc+jwt', kid }));
      expectValid(report);
      expect(check(report, 'issuer')?.message).toBe(`signed by ${key.did}#0`);
    }
  });

  it('verifies one whose key is a Multikey of a did:web document', async () => {
    const key = await joseDidKey('EdDSA');
    const did = 'did:web:multikey.jose.example';
    const id = `${did}#mk`;
    webDocuments.set(did, {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did,
      verificationMethod: [
        { id, type: 'Multikey', controller: did, publicKeyMultibase: key.did.slice('did:key:'.length) },
      ],
      assertionMethod: [id],
    });
    const report = await verifier.verifyCredential(await signJwt(vc2Badge(did), key, { typ: 'vc+jwt', kid: id }));
    expectValid(report);
  });

  it('refuses alg none as ALG_NONE_REFUSED: not verified', async () => {
    const key = await joseDidKey('EdDSA');
    const report = await verifier.verifyCredential(unsecuredJwt(vc2Badge(key.did), { typ: 'vc+jwt', kid: key.kid }));
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'ALG_NONE_REFUSED' });
    expect(report.errors.map((e) => e.code)).toContain('ALG_NONE_REFUSED');
  });

  it('refuses an HMAC-signed JWT naming an issuer key as ALG_NOT_ALLOWED', async () => {
    const key = await joseDidKey('EdDSA');
    // The classic confusion: the "secret" is the public key, which anybody has.
    const jwt = await new SignJWT(vc2Badge(key.did))
      .setProtectedHeader({ alg: 'HS256', typ: 'vc+jwt', kid: key.kid })
      .sign(Buffer.from(key.publicJwk.x!, 'base64url'));
    const report = await verifier.verifyCredential(jwt);
    expect(report.verified).toBe(false);
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'ALG_NOT_ALLOWED' });
  });

  it('refuses an algorithm that is not the key’s (ES256 header, Ed25519 key) as ALG_NOT_ALLOWED', async () => {
    const key = await joseDidKey('EdDSA');
    const other = await joseDidKey('ES256');
    const jwt = await signJwt(vc2Badge(key.did), { ...other, kid: key.kid }, { typ: 'vc+jwt' });
    const report = await verifier.verifyCredential(jwt);
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'ALG_NOT_ALLOWED' });
    expect(report.verified).toBe(false);
  });

  it('refuses a JWT signed by another party’s key as ISSUER_KEY_MISMATCH', async () => {
    const issuer = await joseDidKey('EdDSA');
    const mallory = await joseDidKey('EdDSA');
    const jwt = await signJwt(vc2Badge(issuer.did), mallory, { typ: 'vc+jwt' });
    const report = await verifier.verifyCredential(jwt);
    expect(check(report, 'proof')?.status).toBe('ok');
    expect(check(report, 'issuer')).toMatchObject({ status: 'failed', code: 'ISSUER_KEY_MISMATCH' });
    expect(report.verified).toBe(false);
  });

  it('refuses a did:web key that is not an assertion method as PROOF_PURPOSE_MISMATCH', async () => {
    const key = await joseDidKey('EdDSA');
    const did = 'did:web:auth-only.jose.example';
    webDocuments.set(did, { ...didWebDocument(did, key), assertionMethod: [], authentication: [`${did}#key-1`] });
    const report = await verifier.verifyCredential(
      await signJwt(vc2Badge(did), key, { typ: 'vc+jwt', kid: `${did}#key-1` }),
    );
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'PROOF_PURPOSE_MISMATCH' });
  });

  it('refuses a payload changed after signing as INVALID_SIGNATURE', async () => {
    const key = await joseDidKey('EdDSA');
    const [h, , s] = (await signJwt(vc2Badge(key.did), key, { typ: 'vc+jwt' })).split('.');
    const forged = Buffer.from(JSON.stringify(vc2Badge(key.did, { name: 'Forged badge' }))).toString('base64url');
    const report = await verifier.verifyCredential(`${h}.${forged}.${s}`);
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'INVALID_SIGNATURE' });
  });

  it('refuses what is no JWT, or an iss that is not the issuer, as MALFORMED_JWT', async () => {
    const key = await joseDidKey('EdDSA');
    for (const input of [
      'not-a-jwt',
      'a.b.c',
      await signJwt({ ...vc2Badge(key.did), iss: 'did:example:other' }, key, { typ: 'vc+jwt' }),
    ]) {
      const report = await verifier.verifyCredential(input);
      expect(check(report, 'schema')).toMatchObject({ status: 'failed', code: 'MALFORMED_JWT' });
      expect(report.verified).toBe(false);
    }
  });

  it('reads the status and validity of the credential in the JWT, as for one in JSON', async () => {
    const key = await joseDidKey('EdDSA');
    const jwt = await signJwt(vc2Badge(key.did, { validUntil: '2026-01-01T00:00:00Z' }), key, { typ: 'vc+jwt' });
    const report = await verifier.verifyCredential(jwt);
    expect(check(report, 'validity')).toMatchObject({ status: 'failed', code: 'EXPIRED' });
    expect(isValid(report)).toBe(false);
  });
});

describe('when a VC 2.0 vc+jwt carries exp or nbf (the lifetime of its signature, VC-JOSE-COSE §3.1.1)', () => {
  // The verifier's clock: 2026-11-23T12:00:00Z.
  const NOW = Date.parse('2026-11-23T12:00:00Z') / 1000;

  async function reportFor(claims: Record<string, unknown>) {
    const key = await joseDidKey('EdDSA');
    return verifier.verifyCredential(await signJwt({ ...vc2Badge(key.did), ...claims }, key, { typ: 'vc+jwt' }));
  }

  it('reads a signature past its exp as not valid (JWT_EXPIRED), still verified as VCALM says', async () => {
    const report = await reportFor({ exp: NOW - 60 });
    expect(check(report, 'validity')).toMatchObject({ status: 'failed', code: 'JWT_EXPIRED' });
    expect(check(report, 'proof')?.status).toBe('ok');
    expect(report.verified).toBe(true);
    expect(isValid(report)).toBe(false);
  });

  it('reads a JWT before its nbf as not valid (JWT_NOT_YET_VALID)', async () => {
    const report = await reportFor({ nbf: NOW + 3600 });
    expect(check(report, 'validity')).toMatchObject({ status: 'failed', code: 'JWT_NOT_YET_VALID' });
    expect(isValid(report)).toBe(false);
  });

  it('accepts a signature within its lifetime, and says until when', async () => {
    const report = await reportFor({ nbf: NOW - 60, exp: NOW + 3600 });
    expectValid(report);
    expect(check(report, 'validity')?.message).toContain("the JWT's signature until 2026-11-23T13:00:00Z");
  });

  it('reports the validity period first when the credential itself has expired', async () => {
    const report = await reportFor({ validUntil: '2026-01-01T00:00:00Z', exp: NOW - 60 });
    expect(check(report, 'validity')).toMatchObject({ status: 'failed', code: 'EXPIRED' });
  });

  it('refuses an exp that is no NumericDate as MALFORMED_JWT', async () => {
    const report = await reportFor({ exp: '2030-01-01' });
    expect(check(report, 'schema')).toMatchObject({ status: 'failed', code: 'MALFORMED_JWT' });
    expect(report.verified).toBe(false);
  });
});

describe('when a presentation carries JOSE-secured credentials', () => {
  it('verifies each, enveloped or as a compact JWT', async () => {
    const key = await joseDidKey('EdDSA');
    const jwt = await signJwt(vc2Badge(key.did), key, { typ: 'vc+jwt' });
    const report = await verifier.verifyPresentation({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      verifiableCredential: [
        {
          '@context': 'https://www.w3.org/ns/credentials/v2',
          id: `data:application/vc+jwt,${jwt}`,
          type: 'EnvelopedVerifiableCredential',
        },
        unsecuredJwt(vc2Badge(key.did), { kid: key.kid }),
      ],
    });
    expect(report.credentials[0].verified).toBe(true);
    expect(check(report.credentials[1], 'proof')?.code).toBe('ALG_NONE_REFUSED');
  });
});

describe('when the credential in a JWT is over the limits', () => {
  it('refuses it as PAYLOAD_TOO_COMPLEX, as it would in JSON', async () => {
    const key = await joseDidKey('EdDSA');
    const entries = Array.from({ length: 200 }, (_, i) => ({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(i),
      statusListCredential: 'https://status.example/list',
    }));
    const jwt = await signJwt(vc2Badge(key.did, { credentialStatus: entries }), key, { typ: 'vc+jwt' });
    await expect(verifier.verifyCredential(jwt)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_COMPLEX' });
  });
});
