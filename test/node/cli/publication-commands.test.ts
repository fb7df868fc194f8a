/** `ler-node publications publish|list` against a real `ler-node` process. */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/node.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

describe('ler-node publications', () => {
  let dir: string;
  let node: NodeProcess;
  const cli = async (...args: string[]) => {
    const run = runCli([...args, '--url', node.url], { LER_ADMIN_TOKEN: node.token! });
    const { code } = await run.exited;
    return { code, out: run.stdout(), err: run.stderr() };
  };
  beforeAll(async () => {
    dir = await tempDir('ler-publications-');
    node = await startNodeProcess(join(dir, 'node'));
  }, 60_000);
  afterAll(async () => {
    if (node?.child.exitCode === null) node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes a body from a file as this institution and lists it', async () => {
    const id = 'https://college.example/achievements/welding-1';
    const file = join(dir, 'achievement.json');
    await writeFile(file, JSON.stringify({ id, type: ['Achievement'], name: 'Welding I' }));
    const published = await cli('publications', 'publish', file, '--kind', 'achievement', '--id', id);
    expect(published.code, published.err).toBe(0);
    expect(published.out).toBe(`published achievement ${id} version 1\n`);

    const listed = await cli('--json', 'publications', 'list', '--kind', 'achievement');
    expect(listed.code, listed.err).toBe(0);
    expect(JSON.parse(listed.out).publications).toMatchObject([
      { publisher: node.did, kind: 'achievement', id, version: 1, body: { name: 'Welding I' } },
    ]);
    // The node validates the body: an achievement whose id is not the publication's is refused (422).
    const refused = await cli('publications', 'publish', file, '--kind', 'achievement', '--id', `${id}-other`);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^ler-node: 422 INVALID_PUBLICATION/);
  }, 120_000);
});
