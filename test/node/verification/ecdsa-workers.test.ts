import { describe, expect, it } from 'vitest';
import { createWorkerPool } from '../../../node/verification/worker-pool.ts';
import { ecdsaFixture, freshP256Key, signAndDeriveSd, signEcdsa } from '../../helpers/ecdsa.ts';

type Json = Record<string, unknown>;

describe('when ECDSA proofs are verified in worker threads', () => {
  it('checks ecdsa-rdfc-2019, ecdsa-jcs-2019 and ecdsa-sd-2023 there as in-process', async () => {
    const key = await freshP256Key();
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
      id: 'urn:uuid:7c9d4f0a-5a4e-4f53-8d8e-0b6f7f0e2a21',
      type: ['VerifiableCredential', 'ExampleDegreeCredential'],
      issuer: key.controller,
      validFrom: '2024-01-01T00:00:00Z',
      credentialSubject: { id: 'did:example:learner', degree: 'BSc', birthYear: '1999' },
    };
    const rdfc = await signEcdsa(credential, key, 'ecdsa-rdfc-2019');
    const jcs = await signEcdsa(credential, key, 'ecdsa-jcs-2019');
    const tampered = { ...jcs, credentialSubject: { id: 'did:example:learner', degree: 'PhD', birthYear: '1999' } };
    const { base, derived } = await signAndDeriveSd(credential, key, {
      mandatoryPointers: ['/issuer'],
      selectivePointers: ['/credentialSubject/degree'],
    });
    // The spec's P-384 vector names a non-DID issuer: the issuance purpose refuses it, but the key resolves.
    const p384 = ecdsaFixture('signedECDSAP384.json') as Json;
    const pool = createWorkerPool({ size: 2 });
    try {
      const results = await Promise.all(
        [rdfc, jcs, tampered, derived, base, p384].map((document) =>
          pool.verify({ document, purpose: { kind: 'assertion' }, didDocuments: {} }),
        ),
      );
      expect(results.map((r) => r.verified)).toEqual([true, true, false, true, false, false]);
      expect(results[0].proofs[0].suite).toBe('DataIntegrityProof/ecdsa-rdfc-2019');
      expect(results[3].proofs[0].suite).toBe('DataIntegrityProof/ecdsa-sd-2023');
      expect(results[4].proofs[0].code).toBe('SD_BASE_PROOF');
      expect(results[5].proofs[0].unresolvedKey).toBeFalsy();
    } finally {
      await pool.close?.();
    }
  });
});
