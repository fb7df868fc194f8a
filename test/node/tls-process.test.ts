/**
 * A `ler-node` process terminating TLS itself (--tls-cert / --tls-key, decision 0039), with a self-signed
 * certificate made by openssl for this test (node:crypto cannot make certificates); the one-line errors for
 * files that cannot serve; and --cors-origins given on the command line.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSystemError, EXIT } from '../../node/cli/cli-errors.ts';
import { resolveConfig } from '../../node/config.ts';
import { readTlsFiles } from '../../node/http/tls-files.ts';
import { selfSignedCertificate } from '../../scripts/conformance/tls-front.ts';
import { sampleBadge, tempDir } from '../helpers/node.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../helpers/process.ts';

/** A request over https trusting only `ca`. */
function httpsJson(
  url: string,
  ca: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; body: Record<string, any> }>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca }, (res) => {
      let text = '';
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function expectOneLine(stderr: string, pattern: RegExp) {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).toMatch(pattern);
}

describe('a node serving HTTPS itself', () => {
  let dir: string;
  let files: { cert: string; key: string };
  let other: { cert: string; key: string };
  let node: NodeProcess | undefined;

  beforeAll(async () => {
    dir = await tempDir();
    files = selfSignedCertificate(dir, 'node');
    other = selfSignedCertificate(dir, 'other');
  });
  afterAll(async () => {
    node?.child.kill('SIGTERM');
    await node?.exited;
    await rm(dir, { recursive: true, force: true });
  });

  it('answers over https and mints https status list URLs', async () => {
    node = await startNodeProcess(join(dir, 'data'), {}, 20_000, [
      '--tls-cert',
      files.cert,
      '--tls-key',
      files.key,
      '--cors-origins',
      'https://wallet.example,https://verifier.example',
    ]);
    expect(node.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = await readFile(files.cert, 'utf8');
    const health = await httpsJson(`${node.url}/health`, ca);
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    const issued = await httpsJson(`${node.url}/credentials/issue`, ca, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
      body: JSON.stringify({ credential: sampleBadge({ issuer: node.did }) }),
    });
    expect(issued.status).toBe(201);
    const status = [issued.body.verifiableCredential.credentialStatus].flat()[0];
    expect(status.statusListCredential).toMatch(new RegExp(`^${node.url}/status-lists/`));
    expect((await httpsJson(status.statusListCredential, ca)).status).toBe(200);
    // The flag reached the app: a preflight from a listed origin is allowed on verify.
    const preflight = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(
        `${node!.url}/credentials/verify`,
        {
          method: 'OPTIONS',
          ca,
          headers: { origin: 'https://verifier.example', 'access-control-request-method': 'POST' },
        },
        (res) => {
          res.resume();
          resolve(res.headers);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(preflight['access-control-allow-origin']).toBe('https://verifier.example');
    // No warning: the public URL is https.
    expect(node.stderr()).not.toMatch(/is not https/);
  });

  it('refuses a key that is not the certificate’s in one line, exit 7, before anything starts', async () => {
    const run = runCli([
      'start',
      '--data',
      join(dir, 'bad'),
      '--http',
      '127.0.0.1:0',
      '--p2p',
      '/ip4/127.0.0.1/tcp/0',
      '--tls-cert',
      files.cert,
      '--tls-key',
      other.key,
    ]);
    const { code } = await run.exited;
    expect(code).toBe(EXIT.configInvalid);
    expectOneLine(run.stderr(), /--tls-key .* is not the private key of the certificate in --tls-cert/);
    expect(existsSync(join(dir, 'bad', 'db'))).toBe(false);
  });

  it('names a file that is not PEM, and leaves a missing one to the file error (exit 3)', async () => {
    const notPem = join(dir, 'not.pem');
    await writeFile(notPem, 'hello\n');
    await expect(readTlsFiles({ certFile: notPem, keyFile: files.key })).rejects.toThrow(
      /--tls-cert .* is not a PEM certificate/,
    );
    await expect(readTlsFiles({ certFile: files.cert, keyFile: notPem })).rejects.toThrow(
      /--tls-key .* is not a PEM private key/,
    );
    const missing = await readTlsFiles({ certFile: join(dir, 'nope.crt'), keyFile: files.key }).catch((e) => e);
    expect(describeSystemError(missing)).toMatchObject({
      exitCode: EXIT.fileNotFound,
      message: expect.stringMatching(/nope\.crt/),
    });
    expect(() => resolveConfig({ tlsCert: files.cert })).toThrow(/give both --tls-cert and --tls-key/);
    expect(resolveConfig({ tlsCert: 'a', tlsKey: 'b' }).tls).toEqual({ certFile: 'a', keyFile: 'b' });
  });
});
