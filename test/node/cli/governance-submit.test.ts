/**
 * `ler-node gov submit`: a governor signs a proposal offline (`gov sign`, on a machine the node never sees)
 * and someone else posts only the signature, without the node's admin token: a detached governor signature
 * is its own authorization.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/node.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

describe('ler-node gov submit', () => {
  let dir: string;
  let node: NodeProcess;
  const cli = async (args: string[], env: Record<string, string> = {}) => {
    const run = runCli(args, env);
    const { code } = await run.exited;
    return { code, out: run.stdout(), err: run.stderr() };
  };
  beforeAll(async () => {
    dir = await tempDir('ler-gov-submit-');
    node = await startNodeProcess(join(dir, 'node'));
  }, 60_000);
  afterAll(async () => {
    if (node?.child.exitCode === null) node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('posts a signature made elsewhere, and refuses one made for another proposal', async () => {
    const key = join(dir, 'governor.key');
    const governor = (await cli(['gov', 'keygen', '--out', key])).out.trim();
    const created = await fetch(`${node.url}/networks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
      body: JSON.stringify({ name: 'Offline Governed', governors: [governor], threshold: 1 }),
    });
    const proposalId = ((await created.json()) as any).proposal.id as string;

    const signed = await cli(['gov', 'sign', '--key', key, '--', proposalId]);
    expect(signed.code, signed.err).toBe(0);
    const signature = join(dir, 'signature.json');
    await writeFile(signature, signed.out);

    // Another proposal's signature is refused before anything is sent.
    const other = 'E'.repeat(43);
    const wrong = await cli(['gov', 'submit', '--url', node.url, '--signature-file', signature, '--', other]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/is for proposal/);

    // No admin token: only the governor's signature authorizes this.
    const submitted = await cli([
      '--json',
      'gov',
      'submit',
      '--url',
      node.url,
      '--signature-file',
      signature,
      '--',
      proposalId,
    ]);
    expect(submitted.code, submitted.err).toBe(0);
    expect(JSON.parse(submitted.out).proposal).toMatchObject({ id: proposalId, approved: true, status: 'applied' });
  }, 120_000);
});
