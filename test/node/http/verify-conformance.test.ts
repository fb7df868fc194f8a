/**
 * POST /credentials/verify and /presentations/verify on a real `ler-node` process, as W3C VCALM and the public
 * VC API, Data Integrity and Bitstring Status List suites define the answers (docs/decisions/0022).
 */
import { rm } from 'node:fs/promises';
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../../../protocol/signing/document-loader.ts';
import { createSignSuite } from '../../../protocol/signing/suites.ts';
import { generateDidKey, presentation } from '../../helpers/holder.ts';
import { sampleBadge, tempDir } from '../../helpers/node.ts';
import { type NodeProcess, startNodeProcess } from '../../helpers/process.ts';

type Json = Record<string, any>;
const documentLoader = createDocumentLoader({ didResolution: createDidResolution({ cacheTtlMs: 0 }) });

describe('when a caller verifies over HTTP', () => {
  let node: NodeProcess;
  let dir: string;
  let valid: Json;
  let revoked: Json;
  let expired: Json;

  async function post(path: string, body: unknown, token?: string): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }
  // The VC API takes the issuer from the credential (W3C VCALM): this node's DID.
  const issue = async (credential: Json) =>
    (await post('/credentials/issue', { credential: { issuer: node.did, ...credential } }, node.token)).body
      .verifiableCredential as Json;
  const verify = (verifiableCredential: unknown, options?: Json) =>
    post('/credentials/verify', { verifiableCredential, ...(options ? { options } : {}) });
  const clone = (value: Json): Json => structuredClone(value);

  beforeAll(async () => {
    dir = await tempDir();
    node = await startNodeProcess(dir);
    valid = await issue(sampleBadge());
    revoked = await issue(sampleBadge());
    await post(
      '/credentials/status',
      { credentialId: revoked.id, credentialStatus: { statusPurpose: 'revocation' }, status: true },
      node.token,
    );
    expired = await issue(sampleBadge({ validFrom: '2020-01-01T00:00:00Z', validUntil: '2021-01-01T00:00:00Z' }));
  });
  afterAll(async () => {
    node?.child.kill('SIGTERM');
    await node?.exited;
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 200 with verified true and no errors for a valid credential of an issuer not trusted here', async () => {
    const answer = await verify(valid, { checks: ['proof'] });
    expect(answer.status).toBe(200);
    // No anchors: trust is unchecked, which is a warning and no reason to call the credential unverified.
    expect(answer.body).toMatchObject({ verified: true, trusted: false, errors: [] });
    expect(answer.body.warnings).toContainEqual(
      expect.objectContaining({ code: 'NO_ANCHORS', check: 'trust', type: 'urn:ler-node:problem:NO_ANCHORS' }),
    );
    expect(answer.body.issuer.did).toBe(valid.issuer);
  });

  it('answers 400 with ProblemDetails errors for a credential that fails integrity or the data model', async () => {
    const tampered = clone(valid);
    tampered.credentialSubject.achievement.name = 'Something else';
    const noProofPurpose = clone(valid);
    delete noProofPurpose.proof.proofPurpose;
    const wrongPurpose = clone(valid);
    wrongPurpose.proof.proofPurpose = 'authentication';
    const noProof = clone(valid);
    delete noProof.proof;
    const noIssuer = clone(valid);
    delete noIssuer.issuer;
    const cases: Array<[string, unknown, string, string]> = [
      ['tampered', tampered, 'INVALID_SIGNATURE', 'https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR'],
      ['no proofPurpose', noProofPurpose, 'MALFORMED_PROOF', 'https://w3id.org/security#PROOF_VERIFICATION_ERROR'],
      ['wrong purpose', wrongPurpose, 'PROOF_PURPOSE_MISMATCH', 'https://w3id.org/security#PROOF_VERIFICATION_ERROR'],
      ['no proof', noProof, 'NO_PROOF', 'https://w3id.org/security#PROOF_VERIFICATION_ERROR'],
      [
        'proof not a map',
        { ...clone(valid), proof: 'x' },
        'MALFORMED_PROOF',
        'https://w3id.org/security#PROOF_VERIFICATION_ERROR',
      ],
      ['no issuer', noIssuer, 'INVALID_SHAPE', 'https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR'],
    ];
    for (const [name, credential, code, type] of cases) {
      const answer = await verify(credential, { checks: ['proof'] });
      expect(answer.status, name).toBe(400);
      expect(answer.body.verified, name).toBe(false);
      expect(answer.body.errors[0], name).toMatchObject({ code, type, title: code, detail: expect.any(String) });
      expect(answer.body.error.code, name).toBe(
        code === 'INVALID_SHAPE' ? 'INVALID_CREDENTIAL' : 'VERIFICATION_FAILED',
      );
    }
  });

  it('reports a revoked or expired credential as a warning, and as an error when the caller requires the check', async () => {
    for (const [credential, code, check] of [
      [revoked, 'REVOKED', 'credentialStatus'],
      [expired, 'EXPIRED', 'expiration'],
    ] as const) {
      const lenient = await verify(credential);
      expect(lenient, code).toMatchObject({ status: 200, body: { verified: true, trusted: false, errors: [] } });
      expect(
        lenient.body.warnings.map((w: Json) => w.code),
        code,
      ).toContain(code);
      const strict = await verify(credential, { checks: ['proof', check] });
      expect(strict, code).toMatchObject({ status: 400, body: { verified: false, errors: [{ code }] } });
    }
  });

  it('fails a proof by a key that is not the issuer’s, unless the caller asked for the proof check alone', async () => {
    const { did } = (await (await fetch(`${node.url}/health`)).json()) as Json;
    const outsider = await generateDidKey();
    const forged = await vc.issue({
      credential: sampleBadge({ issuer: did, validFrom: '2026-01-01T00:00:00Z' }),
      suite: createSignSuite('eddsa-rdfc-2022', outsider.key),
      documentLoader,
    });
    const byDefault = await verify(forged);
    expect(byDefault).toMatchObject({
      status: 400,
      body: { verified: false, errors: [{ code: 'ISSUER_KEY_MISMATCH' }] },
    });
    expect((await verify(forged, { checks: ['proof', 'issuer'] })).status).toBe(400);
    // The VC API and Data Integrity suites ask for `["proof"]` on credentials signed this way and expect 200; the
    // mismatch stays in the answer as a warning, and such a credential is never trusted.
    const proofOnly = await verify(forged, { checks: ['proof'] });
    expect(proofOnly).toMatchObject({ status: 200, body: { verified: true, trusted: false, errors: [] } });
    expect(proofOnly.body.warnings.map((w: Json) => w.code)).toContain('ISSUER_KEY_MISMATCH');
  });

  it('refuses unknown options and unknown checks with 400 UNKNOWN_OPTION_PROVIDED', async () => {
    for (const options of [{ noSuchOption: true }, { checks: ['proof', 'telepathy'] }]) {
      const answer = await verify(valid, options);
      expect(answer, JSON.stringify(options)).toMatchObject({
        status: 400,
        body: { error: { code: 'UNKNOWN_OPTION_PROVIDED' } },
      });
    }
    expect((await verify(valid, { checks: 'proof' })).status).toBe(400);
    expect((await verify(valid, { returnCredential: true })).body.credential).toEqual(valid);
  });

  it('answers presentations with 200 whatever they contain, verified only when nothing fails integrity', async () => {
    const vp = await presentation([valid, revoked], { challenge: 'c-1', documentLoader });
    const ok = await post('/presentations/verify', { verifiablePresentation: vp, options: { challenge: 'c-1' } });
    expect(ok).toMatchObject({ status: 200, body: { verified: true, errors: [] } });
    // The revoked credential makes the presentation not valid: a warning, with the credential's own report.
    expect(ok.body.warnings.map((w: Json) => w.code)).toContain('CREDENTIAL_NOT_VALID');
    expect(ok.body.credentials[1].warnings.map((w: Json) => w.code)).toContain('REVOKED');

    const wrongChallenge = await post('/presentations/verify', {
      verifiablePresentation: vp,
      options: { challenge: 'c-2' },
    });
    expect(wrongChallenge).toMatchObject({ status: 200, body: { verified: false } });
    expect(wrongChallenge.body.errors[0]).toMatchObject({
      check: 'proof',
      code: 'INVALID_CHALLENGE',
      type: 'https://w3id.org/security#INVALID_CHALLENGE_ERROR',
    });
    const wrongDomain = await post('/presentations/verify', {
      verifiablePresentation: vp,
      options: { challenge: 'c-1', domain: 'other.example' },
    });
    expect(wrongDomain.body.errors[0]).toMatchObject({ code: 'INVALID_DOMAIN' });

    const tampered = clone(valid);
    tampered.name = 'Tampered';
    const bad = await presentation([tampered], { challenge: 'c-3', documentLoader });
    const inner = await post('/presentations/verify', { verifiablePresentation: bad, options: { challenge: 'c-3' } });
    expect(inner).toMatchObject({ status: 200, body: { verified: false } });
    expect(inner.body.errors.map((e: Json) => e.code)).toEqual(['CREDENTIAL_NOT_VERIFIED']);

    const strict = await post('/presentations/verify', {
      verifiablePresentation: vp,
      options: { challenge: 'c-1', checks: ['proof', 'credentialStatus'] },
    });
    expect(strict).toMatchObject({ status: 200, body: { verified: false } });
    expect((await post('/presentations/verify', { verifiablePresentation: 'vp' })).status).toBe(400);
  });
});
