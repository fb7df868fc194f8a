/**
 * `npm run wallet`: the reference holder as a real process, receiving from and
 * presenting to a node on real HTTP.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpTestNode, startHttpTestNode } from '../helpers/http-node.ts';
import { sampleBadge, tempDir } from '../helpers/node.ts';

const MAIN = fileURLToPath(new URL('../../scripts/wallet/main.ts', import.meta.url));

function wallet(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args]);
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

describe('npm run wallet', () => {
  let node: HttpTestNode;
  let dir: string;

  beforeAll(async () => {
    node = await startHttpTestNode();
    dir = await tempDir('ler-wallet-');
  });
  afterAll(async () => {
    await node?.close();
  });

  it('creates a key, receives an offered credential, lists it and presents it', async () => {
    const init = await wallet(['init', '--dir', dir]);
    expect(init.code).toBe(0);
    const did = init.stdout.trim();
    expect(did).toMatch(/^did:key:z6Mk/);

    const { id: _id, ...subject } = sampleBadge().credentialSubject as Record<string, unknown>;
    const offer = (await (
      await fetch(`${node.url}/offers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
        body: JSON.stringify({ credential: { ...sampleBadge(), credentialSubject: subject }, txCode: true }),
      })
    ).json()) as Record<string, string>;
    const received = await wallet([
      'receive',
      offer.offerUriByReference,
      '--tx-code',
      offer.txCode,
      '--dir',
      dir,
      '--insecure',
    ]);
    expect(received.stderr).toBe('');
    expect(received.stdout).toContain('received Business Management Fundamentals');
    expect(await readdir(join(dir, 'credentials'))).toHaveLength(1);
    expect((await wallet(['list', '--dir', dir])).stdout).toContain(offer.credentialId);

    const request = (await (
      await fetch(`${node.url}/presentation-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
        body: '{}',
      })
    ).json()) as Record<string, string>;
    const presented = await wallet(['present', request.requestUri, '--dir', dir, '--insecure']);
    expect(presented.stderr).toBe('');
    expect(presented.stdout).toContain(`presented ${offer.credentialId}`);
    const result = (await (
      await fetch(request.resultUrl, { headers: { authorization: `Bearer ${request.resultToken}` } })
    ).json()) as { result: Record<string, unknown> };
    expect(result.result).toMatchObject({ verified: true, holder: did });
  });

  it('runs a VCALM issuance exchange from its interaction URL', async () => {
    const { id: _id, ...subject } = sampleBadge().credentialSubject as Record<string, unknown>;
    const created = (await (
      await fetch(`${node.url}/workflows/issuance/exchanges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
        body: JSON.stringify({ variables: { credential: { ...sampleBadge(), credentialSubject: subject } } }),
      })
    ).json()) as Record<string, string>;
    const answer = await wallet(['exchange', created.interactionUrl, '--dir', dir, '--insecure']);
    expect(answer.stderr).toBe('');
    expect(answer.stdout).toContain('received Business Management Fundamentals');
  });

  it('refuses http:// issuers unless told --insecure', async () => {
    const { id: _id, ...subject } = sampleBadge().credentialSubject as Record<string, unknown>;
    const { offerUri: offer } = (await (
      await fetch(`${node.url}/offers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
        body: JSON.stringify({ credential: { ...sampleBadge(), credentialSubject: subject } }),
      })
    ).json()) as Record<string, string>;
    const answer = await wallet(['receive', offer, '--dir', dir]);
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain('https');
  });
});
