/**
 * ECDSA Data Integrity at the proof layer: the W3C DI ECDSA spec's published
 * test vectors (test/fixtures/vc-di-ecdsa, from w3c/vc-di-ecdsa TestVectors/)
 * and ecdsa-sd-2023 base and derived proofs.
 */
import jsigs from 'jsonld-signatures';
import { describe, expect, it } from 'vitest';
import { resolveDidKeyDocument } from '../../../protocol/signing/did-key.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../../../protocol/signing/document-loader.ts';
import { verifyProofs } from '../../../protocol/signing/verify-proofs.ts';
import { ecdsaFixture, signAndDeriveSd, specP256Key } from '../../helpers/ecdsa.ts';

type Json = Record<string, unknown>;

// The vectors name a non-DID issuer (https://vc.example/issuers/5678), so only the proof itself is checked
// here (assertionMethod of its verification method); the issuer relationship is the verifier's check.
async function check(document: Json) {
  const documentLoader = createDocumentLoader({ didResolution: createDidResolution({ cacheTtlMs: 0 }) });
  return verifyProofs(document, { documentLoader, purpose: new jsigs.purposes.AssertionProofPurpose() });
}

function tampered(document: Json): Json {
  const copy = structuredClone(document);
  (copy.credentialSubject as Json).alumniOf = 'The School of Forgery';
  return copy;
}

const VECTORS = [
  ['signedECDSAP256.json', 'ecdsa-rdfc-2019', 'P-256'],
  ['signedECDSAP384.json', 'ecdsa-rdfc-2019', 'P-384'],
  ['signedJCSECDSAP256.json', 'ecdsa-jcs-2019', 'P-256'],
  ['signedJCSECDSAP384.json', 'ecdsa-jcs-2019', 'P-384'],
] as const;

describe('the W3C DI ECDSA test vectors', () => {
  for (const [file, suite, curve] of VECTORS) {
    it(`verifies ${suite} with ${curve} (${file})`, async () => {
      const result = await check(ecdsaFixture(file));
      expect(result).toMatchObject({
        verified: true,
        proofs: [{ suite: `DataIntegrityProof/${suite}`, verified: true }],
      });
    });

    it(`rejects the ${suite} ${curve} vector once its subject is changed`, async () => {
      const result = await check(tampered(ecdsaFixture(file)));
      expect(result.verified).toBe(false);
      expect(result.proofs[0]).toMatchObject({ suite: `DataIntegrityProof/${suite}`, verified: false });
      // A bad signature, not a suite this node cannot check.
      expect(result.proofs[0].code).toBeUndefined();
      expect(result.proofs[0].error).not.toBe('unsupported proof type');
    });
  }

  it('resolves P-256 (zDna…) and P-384 (z82L…) did:keys to Multikey documents', async () => {
    for (const file of ['signedECDSAP256.json', 'signedECDSAP384.json']) {
      const vm = String((ecdsaFixture(file).proof as Json).verificationMethod);
      const document = resolveDidKeyDocument(vm.split('#')[0]).document!;
      expect(document.verificationMethod).toEqual([
        expect.objectContaining({ id: vm, type: 'Multikey', publicKeyMultibase: vm.split('#')[1] }),
      ]);
      expect(document.assertionMethod).toEqual([vm]);
    }
  });
});

describe('ecdsa-sd-2023', () => {
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
    id: 'urn:uuid:0d3b4f4e-1f63-4b8a-9f8e-6f2c7c1c2e01',
    type: ['VerifiableCredential', 'ExampleDegreeCredential'],
    issuer: 'did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP',
    validFrom: '2024-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:learner', degree: 'Bachelor of Science', grade: 'A', birthYear: '1999' },
  };
  const pointers = { mandatoryPointers: ['/issuer', '/validFrom'], selectivePointers: ['/credentialSubject/degree'] };

  it('verifies a derived proof that discloses only the selected claims', async () => {
    const { derived } = await signAndDeriveSd(credential, await specP256Key(), pointers);
    // JSON pointer selection keeps the subject's id; grade and birthYear stay undisclosed.
    expect(derived.credentialSubject).toEqual({ id: 'did:example:learner', degree: 'Bachelor of Science' });
    expect((derived.proof as Json).proofValue).toMatch(/^u2V0B/);
    expect(await check(derived)).toMatchObject({
      verified: true,
      proofs: [{ suite: 'DataIntegrityProof/ecdsa-sd-2023', verified: true }],
    });
  });

  it('rejects a derived proof whose disclosed claim was changed', async () => {
    const { derived } = await signAndDeriveSd(credential, await specP256Key(), pointers);
    (derived.credentialSubject as Json).degree = 'Doctor of Medicine';
    const result = await check(derived);
    expect(result.verified).toBe(false);
    expect(result.proofs[0].code).toBeUndefined();
    expect(result.proofs[0].error).not.toBe('unsupported proof type');
  });

  it('rejects a derived proof with an undisclosed claim added back', async () => {
    const { derived } = await signAndDeriveSd(credential, await specP256Key(), pointers);
    (derived.credentialSubject as Json).grade = 'A';
    const result = await check(derived);
    expect(result.verified).toBe(false);
    expect(result.proofs[0].error).not.toBe('unsupported proof type');
  });

  it('reports a base proof as SD_BASE_PROOF: only its holder can use it', async () => {
    const { base } = await signAndDeriveSd(credential, await specP256Key(), pointers);
    expect((base.proof as Json).proofValue).toMatch(/^u2V0A/);
    expect(await check(base)).toMatchObject({
      verified: false,
      proofs: [{ suite: 'DataIntegrityProof/ecdsa-sd-2023', verified: false, code: 'SD_BASE_PROOF' }],
    });
  });
});
