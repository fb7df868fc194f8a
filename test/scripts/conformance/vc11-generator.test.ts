/**
 * The w3c/vc-test-suite (VC DM 1.1) generator: what it accepts, what it refuses, and what it reports as not
 * applicable (never as a pass), plus the command contract the suite relies on (stdout, or stderr and exit 1).
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sortReport } from '../../../scripts/conformance/mocha-report.ts';
import { answer, NOT_APPLICABLE } from '../../../scripts/conformance/vc11-documents.ts';
import { tempDir } from '../../helpers/node.ts';

const GENERATOR = fileURLToPath(new URL('../../../scripts/conformance/vc11-generator.ts', import.meta.url));

const credential = {
  '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/2018/credentials/examples/v1'],
  id: 'http://example.edu/credentials/3732',
  type: ['VerifiableCredential', 'UniversityDegreeCredential'],
  issuer: 'https://example.edu/issuers/14',
  issuanceDate: '2010-01-01T19:23:24Z',
  credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21' },
  proof: { type: 'RsaSignature2018' },
};
const presentation = {
  '@context': ['https://www.w3.org/2018/credentials/v1'],
  type: ['VerifiablePresentation'],
  verifiableCredential: [credential],
  proof: [{ type: 'RsaSignature2018' }],
};

const ask = (kind: 'credential' | 'presentation', document: unknown, flags: string[] = []) =>
  answer({ kind, flags, text: JSON.stringify(document) });

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('when the VC 1.1 generator reads a credential', () => {
  it('prints a conforming credential unchanged', () => {
    expect(ask('credential', credential)).toEqual({ output: JSON.stringify(credential) });
  });

  it('refuses a proof without type (VC DM 1.1 §4.7), in a set too', () => {
    expect(ask('credential', { ...credential, proof: { created: '2017-06-18T21:19:10Z' } })).toEqual({
      error: 'INVALID_CREDENTIAL: proof[0].type is required',
    });
    expect(ask('credential', { ...credential, proof: [{ type: 'RsaSignature2018' }, {}] })).toEqual({
      error: 'INVALID_CREDENTIAL: proof[1].type is required',
    });
  });

  it('refuses a status entry without id, with the node’s own check', () => {
    const result = ask('credential', { ...credential, credentialStatus: { type: 'CredentialStatusList2017' } });
    expect(result).toEqual({ error: 'INVALID_CREDENTIAL: credentialStatus.id (a URL) is required in VC 1.1' });
  });
});

describe('when the VC 1.1 generator reads a presentation', () => {
  it('prints a conforming presentation, with or without credentials', () => {
    expect(ask('presentation', presentation)).toEqual({ output: JSON.stringify(presentation) });
    const { verifiableCredential: _, ...bare } = presentation;
    expect('output' in ask('presentation', bare)).toBe(true);
  });

  it('refuses a proof without type, a wrong type and a malformed embedded credential', () => {
    expect(ask('presentation', { ...presentation, proof: [{}] })).toEqual({
      error: 'INVALID_PRESENTATION: proof[0].type is required',
    });
    expect(ask('presentation', { ...presentation, type: ['CredentialManagerPresentation'] })).toEqual({
      error: 'INVALID_PRESENTATION: type must include VerifiablePresentation',
    });
    const { issuanceDate: _, ...undated } = credential;
    expect(ask('presentation', { ...presentation, verifiableCredential: [undated] })).toEqual({
      error: 'INVALID_PRESENTATION: verifiableCredential[0]: issuanceDate is required in VC 1.1',
    });
  });
});

describe('when the VC 1.1 generator is asked about JWTs', () => {
  it('decodes a VC 1.1 JWT as the verifier does (VC DM 1.1 §6.3.1)', () => {
    const jwt = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({
      iss: 'did:example:issuer',
      jti: 'http://example.edu/credentials/1',
      sub: 'did:example:subject',
      nbf: 1541493724,
      exp: 1573029723,
      vc: { '@context': credential['@context'], type: ['VerifiableCredential'], credentialSubject: {} },
    })}.c2ln`;
    const result = answer({ kind: 'credential', flags: ['--jwt-decode'], text: `${jwt}\n` });
    expect(JSON.parse((result as { output: string }).output)).toMatchObject({
      issuer: 'did:example:issuer',
      id: 'http://example.edu/credentials/1',
      issuanceDate: '2018-11-06T08:42:04Z',
      expirationDate: '2019-11-06T08:42:03Z',
      credentialSubject: { id: 'did:example:subject' },
    });
    expect(answer({ kind: 'credential', flags: ['--jwt-decode'], text: 'not a jwt' })).toEqual({
      error: 'MALFORMED_JWT: not a compact JWS (three base64url parts)',
    });
  });

  it('answers "not applicable" to encoding with keys it is handed; the report counts that apart and keeps departures and skips with their reasons', () => {
    const result = ask('credential', credential, ['--jwt', b64({}), '--jwt-aud', 'did:example:0xcafe']);
    expect((result as { error: string }).error).toMatch(new RegExp(`^${NOT_APPLICABLE} .*decision 0030`));
    const sorted = sortReport(
      {
        stats: { passes: 1, failures: 2, pending: 2, tests: 5 },
        failures: [
          {
            fullTitle: 'JWT iss',
            err: { message: `Command failed: generator …\n${(result as { error: string }).error}\n` },
          },
          { fullTitle: 'Basic id', err: { message: 'expected promise to be rejected' } },
        ],
        pending: [{ fullTitle: 'Zero-Knowledge Proofs proof' }, { fullTitle: 'Basic skipped' }],
      },
      {
        notApplicable: [{ title: /^Zero-Knowledge Proofs/, reason: 'ZKP not implemented' }],
        departures: [{ title: /^Basic id$/, reason: 'the spec says otherwise' }],
        pendingReasons: [{ title: /skipped/, reason: 'it.skip in the suite' }],
      },
    );
    expect(sorted.passes).toBe(1);
    expect(sorted.failures).toEqual([
      expect.objectContaining({ fullTitle: 'Basic id', departure: 'the spec says otherwise' }),
    ]);
    expect(sorted.pending).toEqual([{ fullTitle: 'Basic skipped', reason: 'it.skip in the suite' }]);
    expect(sorted.notApplicable).toEqual([
      { title: 'JWT iss', reason: expect.stringContaining('decision 0030') },
      { title: 'Zero-Knowledge Proofs proof', reason: 'ZKP not implemented' },
    ]);
  });
});

describe('when the suite runs the generator command', () => {
  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', GENERATOR, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  }

  it('prints the document, or writes why not on stderr and exits 1', async () => {
    const dir = await tempDir();
    const good = join(dir, 'good.jsonld');
    const bad = join(dir, 'bad.jsonld');
    await writeFile(good, JSON.stringify(credential));
    await writeFile(bad, JSON.stringify({ ...credential, proof: {} }));
    const accepted = await run(['credential', good]);
    expect(accepted).toEqual({ code: 0, stdout: JSON.stringify(credential), stderr: '' });
    const refused = await run(['credential', bad]);
    expect(refused).toMatchObject({ code: 1, stdout: '', stderr: 'INVALID_CREDENTIAL: proof[0].type is required\n' });
  });
});
