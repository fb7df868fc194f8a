import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/node.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

async function cli(args: string[], env: Record<string, string>) {
  const run = runCli(args, env);
  const { code } = await run.exited;
  // A failing step shows what the CLI said on stderr, not just an empty stdout.
  return { code, out: run.stdout() || `(exit ${code}) ${run.stderr()}`, err: run.stderr() };
}

describe('governance from the command line', () => {
  let dir: string;
  let node: NodeProcess | undefined;
  afterAll(async () => {
    if (node && node.child.exitCode === null) node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a network with keys kept in local files, admits a member, exports, audits and rebuilds', async () => {
    dir = await tempDir();
    node = await startNodeProcess(join(dir, 'data'));
    const env = { LER_URL: node.url, LER_ADMIN_TOKEN: node.token! };
    const keys = [1, 2, 3].map((i) => join(dir, `gov${i}.key`));
    const dids: string[] = [];
    for (const file of keys) dids.push((await cli(['gov', 'keygen', '--out', file], env)).out.trim());
    expect((await readFile(keys[0], 'utf8')).includes('privateKey')).toBe(true);

    const created = await cli(
      ['network', 'create', '--name', 'Cyber Workforce', '--threshold', '2', ...dids.flatMap((d) => ['--governor', d])],
      env,
    );
    const networkId = /network (\S+) proposed/.exec(created.out)![1];
    await cli(['gov', 'approve', networkId, '--key', keys[0]], env);
    expect((await cli(['gov', 'approve', networkId, '--key', keys[1]], env)).out).toMatch(/applied/);

    const action = JSON.stringify({
      type: 'member.add',
      did: 'did:web:cc.example',
      name: 'Harbor Community College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    const proposed = await cli(['gov', 'propose', '--network', networkId, '--action', action], env);
    const proposalId = proposed.out.split(/\s+/)[0];
    await cli(['gov', 'approve', proposalId, '--key', keys[2]], env);
    expect((await cli(['gov', 'approve', proposalId, '--key', keys[0]], env)).out).toMatch(/applied/);

    const exported = await cli(['registry', 'export', networkId], env);
    const file = join(dir, 'export.json');
    await writeFile(file, exported.out);
    const audit = await cli(['registry', 'verify', file], env);
    expect(audit.code).toBe(0);
    const digest = /digest:\s+(\S+)/.exec(audit.out)![1];
    expect(digest).toBe(JSON.parse(exported.out).digest);

    const tampered = JSON.parse(exported.out);
    tampered.actions.find((a: any) => a.action.type === 'member.add').signatures[0].signature =
      tampered.actions[0].signatures[0].signature;
    await writeFile(file, JSON.stringify(tampered));
    expect((await cli(['registry', 'verify', file], env)).code).toBe(1);

    node.child.kill('SIGTERM');
    await node.exited;
    const rebuilt = await cli(['registry', 'rebuild', '--data', join(dir, 'data')], env);
    expect(rebuilt.out).toContain(`${networkId}  ${digest}`);
  }, 180_000); // 13 CLI processes, each a cold tsx start: seconds apiece on a loaded 2-core machine
});
