/**
 * `ler-node verify FILE` is for people: whatever VCALM's `verified` says (integrity only), a revoked, suspended or
 * expired credential reads NOT VALID and exits 1 (docs/decisions/0022).
 */
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBadge, tempDir } from '../../helpers/node.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

type Json = Record<string, any>;

describe('when a person verifies a credential file with the CLI', () => {
  let node: NodeProcess;
  let dir: string;
  const files: Record<string, string> = {};

  async function post(path: string, body: unknown): Promise<Json> {
    const res = await fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Json;
  }

  beforeAll(async () => {
    dir = await tempDir();
    node = await startNodeProcess(join(dir, 'data'));
    const credentials: Record<string, Json> = {};
    for (const [name, overrides] of [
      ['valid', {}],
      ['revoked', {}],
      ['suspended', {}],
      ['expired', { validFrom: '2020-01-01T00:00:00Z', validUntil: '2021-01-01T00:00:00Z' }],
    ] as const) {
      const options = name === 'suspended' ? { credentialStatus: [{ statusPurpose: 'suspension' }] } : {};
      credentials[name] = (
        await post('/credentials/issue', { credential: sampleBadge({ issuer: node.did, ...overrides }), options })
      ).verifiableCredential;
    }
    await post('/credentials/status', {
      credentialId: credentials.revoked.id,
      credentialStatus: { statusPurpose: 'revocation' },
      status: true,
    });
    await post('/credentials/status', {
      credentialId: credentials.suspended.id,
      credentialStatus: { statusPurpose: 'suspension' },
      status: true,
    });
    const tampered = structuredClone(credentials.valid);
    tampered.name = 'Tampered';
    credentials.tampered = tampered;
    for (const [name, credential] of Object.entries(credentials)) {
      files[name] = join(dir, `${name}.json`);
      await writeFile(files[name], JSON.stringify(credential));
    }
    // A real VC 1.1 JWT (web5-spec's valid vector, test/fixtures/jose), and the same claims unsecured (alg none).
    const vectors = JSON.parse(
      readFileSync(new URL('../../fixtures/jose/web5-spec-vc_jwt-verify.json', import.meta.url), 'utf8'),
    ).vectors as Array<{ description: string; input: string }>;
    const jwt = vectors.find((v) => v.description === 'valid jwt')!.input;
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${jwt.split('.')[1]}.`;
    for (const [name, text] of [
      ['jwt', jwt],
      ['jwt-none', none],
    ]) {
      files[name] = join(dir, `${name}.jwt`);
      await writeFile(files[name], `${text}\n`);
    }
  });
  afterAll(async () => {
    node?.child.kill('SIGTERM');
    await node?.exited;
    await rm(dir, { recursive: true, force: true });
  });

  async function verify(name: string): Promise<{ code: number | null; out: string }> {
    const run = runCli(['verify', files[name], '--url', node.url]);
    const { code } = await run.exited;
    return { code, out: run.stdout() };
  }

  it('verifies a JWT-secured credential in a file, VALID and exit 0', async () => {
    const { code, out } = await verify('jwt');
    expect(out.split('\n')[0]).toMatch(/^VALID\b/);
    expect(code).toBe(0);
  });

  it('shows an unsecured JWT (alg none) as NOT VALID with ALG_NONE_REFUSED, and exits 1', async () => {
    const { code, out } = await verify('jwt-none');
    expect(out.split('\n')[0]).toMatch(/^NOT VALID \(integrity check failed\)/);
    expect(out).toContain('ALG_NONE_REFUSED');
    expect(code).toBe(1);
  });

  // vc+jwt issuance is covered over HTTP (test/node/issuing): every CLI process costs seconds.
  it('issues with `ler-node issue --format jwt_vc_json --alg ES256` a JWT file that `ler-node verify` reads as VALID', async () => {
    const input = join(dir, 'to-issue.json');
    // No issuer: the CLI fills in the node's P-256 DID, as ES256 needs (decision 0021).
    const { issuer: _issuer, ...badge } = sampleBadge({
      '@context': [
        'https://www.w3.org/2018/credentials/v1',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
    });
    await writeFile(input, JSON.stringify(badge));
    const args = [
      'issue',
      input,
      '--format',
      'jwt_vc_json',
      '--alg',
      'ES256',
      '--url',
      node.url,
      '--token',
      node.token!,
    ];
    const run = runCli(args);
    expect((await run.exited).code, run.stderr()).toBe(0);
    expect(run.stdout()).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    files.issuedJwt = join(dir, 'issued.jwt');
    await writeFile(files.issuedJwt, run.stdout());
    const { code, out } = await verify('issuedJwt');
    expect(out.split('\n')[0]).toMatch(/^VALID\b/);
    expect(code).toBe(0);
  });

  it('shows a valid credential as VALID and exits 0', async () => {
    const { code, out } = await verify('valid');
    expect(out.split('\n')[0]).toMatch(/^VALID\b/);
    expect(code).toBe(0);
  });

  it.each([
    ['revoked', 'REVOKED'],
    ['suspended', 'SUSPENDED'],
    ['expired', 'EXPIRED'],
  ])('shows a %s credential as NOT VALID (%s) and exits 1, though VCALM calls it verified', async (name, why) => {
    const { code, out } = await verify(name);
    expect(out.split('\n')[0]).toMatch(/^NOT VALID\b/);
    expect(out).toContain(why);
    expect(code).toBe(1);
  });

  it('shows a tampered credential as NOT VALID with the failed integrity check, and exits 1', async () => {
    const { code, out } = await verify('tampered');
    expect(out.split('\n')[0]).toMatch(/^NOT VALID \(integrity check failed\)/);
    expect(out).toContain('INVALID_SIGNATURE');
    expect(code).toBe(1);
  });
});
