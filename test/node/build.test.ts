import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleBadge, tempDir } from '../helpers/node.ts';
import { type NodeProcess, startNodeProcess } from '../helpers/process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the compiled node (npm run build, what npm start runs)', () => {
  let dir: string;
  let node: NodeProcess | undefined;
  afterAll(async () => {
    if (node && node.child.exitCode === null) node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('builds, starts from dist/, issues and verifies with its worker threads', async () => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'pipe' });
    dir = await tempDir();
    node = await startNodeProcess(dir, { LER_FROM_SOURCE: '0' }, 20_000, ['--verify-workers', '1']);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${node.token}` };
    const issued = await fetch(`${node.url}/credentials/issue`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ credential: sampleBadge({ issuer: node.did }) }),
    });
    const { verifiableCredential } = (await issued.json()) as Record<string, unknown>;
    const verified = await fetch(`${node.url}/credentials/verify`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ verifiableCredential }),
    });
    expect(((await verified.json()) as Record<string, unknown>).verified).toBe(true);
  }, 60_000);
});
