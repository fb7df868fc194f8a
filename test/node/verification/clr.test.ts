/**
 * CLR 2.0: a ClrCredential's nested AchievementCredentials are each verified in their own right and reported with
 * the CLR, so a reader sees which are valid and which are not.
 */
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForeignStatusListSource } from '../../../node/verification/status-lists.ts';
import { createVerifier } from '../../../node/verification/verifier.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createInProcessProofVerifier } from '../../../protocol/signing/proof-verifier.ts';
import { createSignSuite } from '../../../protocol/signing/suites.ts';
import { isValid } from '../../../registry/verification/report.ts';
import { joseDidKey, signJwt, vc2Badge } from '../../helpers/jose.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

type Json = Record<string, any>;

const CLR_CONTEXT = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json';

describe('when verifying a CLR 2.0 with nested achievement credentials', () => {
  let school: TestNode;
  let registrar: TestNode;
  let report: Awaited<ReturnType<ReturnType<typeof createVerifier>['verifyCredential']>>;
  let changedReport: typeof report;
  const verifier = createVerifier({
    didResolution: createDidResolution(),
    proofVerifier: createInProcessProofVerifier(),
    statusLists: createForeignStatusListSource({ fetch: async () => new Response('', { status: 404 }) }),
  });
  const sign = (node: TestNode, credential: Json) =>
    vc.issue({
      credential,
      suite: createSignSuite('eddsa-rdfc-2022', node.components.identity.keyPair),
      documentLoader: node.components.documentLoader,
    }) as Promise<Json>;

  beforeAll(async () => {
    [school, registrar] = [await createTestNode(), await createTestNode()];
    const issuer = { id: school.components.identity.did, type: ['Profile'], name: 'School' };
    const valid = await sign(school, sampleBadge({ id: 'urn:uuid:1b0f0000-0000-4000-8000-000000000001', issuer }));
    const tampered = {
      ...(await sign(school, sampleBadge({ id: 'urn:uuid:1b0f0000-0000-4000-8000-000000000002', issuer }))),
      name: 'Changed',
    };
    const expired = await sign(
      school,
      sampleBadge({
        id: 'urn:uuid:1b0f0000-0000-4000-8000-000000000003',
        issuer,
        validFrom: '2020-01-01T00:00:00Z',
        validUntil: '2021-01-01T00:00:00Z',
      }),
    );
    const joseKey = await joseDidKey('EdDSA');
    const jwt = await signJwt(vc2Badge(joseKey.did), joseKey, { typ: 'vc+jwt' });
    const clr = await sign(registrar, {
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        CLR_CONTEXT,
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      id: 'urn:uuid:c1a00000-0000-4000-8000-000000000001',
      type: ['VerifiableCredential', 'ClrCredential'],
      issuer: { id: registrar.components.identity.did, type: ['Profile'], name: 'Registrar' },
      validFrom: '2025-06-01T00:00:00Z',
      name: 'Transcript',
      credentialSubject: {
        id: 'did:example:learner-1',
        type: ['ClrSubject'],
        // The last one JOSE-secured, enveloped (VC DM 2.0 §4.13).
        verifiableCredential: [
          valid,
          tampered,
          expired,
          {
            '@context': 'https://www.w3.org/ns/credentials/v2',
            id: `data:application/vc+jwt,${jwt}`,
            type: 'EnvelopedVerifiableCredential',
          },
        ],
      },
    });
    report = await verifier.verifyCredential(clr);
    changedReport = await verifier.verifyCredential({ ...clr, name: 'Changed transcript' });
  });
  afterAll(async () => {
    await school?.close();
    await registrar?.close();
  });

  it('reports each nested credential in its own right', () => {
    const nested = report.credentials!;
    expect(nested).toHaveLength(4);
    expect(nested[0].verified && isValid(nested[0])).toBe(true);
    expect(nested[0].issuer.did).toBe(school.components.identity.did);
    expect(nested[1].checks.find((c) => c.name === 'proof')).toMatchObject({
      status: 'failed',
      code: 'INVALID_SIGNATURE',
    });
    expect(nested[2].checks.find((c) => c.name === 'validity')).toMatchObject({ status: 'failed', code: 'EXPIRED' });
    expect(nested[2].verified).toBe(true);
    expect(nested[3].verified && isValid(nested[3])).toBe(true);
  });

  it('names on the CLR which nested credentials do not verify or are not valid', () => {
    const codes = report.warnings.map((w) => w.code);
    expect(codes).toContain('NESTED_CREDENTIAL_NOT_VERIFIED');
    expect(codes).toContain('NESTED_CREDENTIAL_NOT_VALID');
    expect(report.warnings.find((w) => w.code === 'NESTED_CREDENTIAL_NOT_VERIFIED')?.detail).toContain(
      'urn:uuid:1b0f0000-0000-4000-8000-000000000002',
    );
  });

  it('judges the CLR’s own proof by itself: verified when intact, whatever its nested credentials say', () => {
    expect(report.checks.filter((c) => c.status !== 'ok' && c.name !== 'trust')).toEqual([]);
    expect(report.verified).toBe(true);
  });

  it('fails a CLR changed after signing, and still reports its nested credentials', () => {
    expect(changedReport.checks.find((c) => c.name === 'proof')).toMatchObject({
      status: 'failed',
      code: 'INVALID_SIGNATURE',
    });
    expect(changedReport.verified).toBe(false);
    expect(changedReport.credentials?.[0].verified).toBe(true);
  });
});
