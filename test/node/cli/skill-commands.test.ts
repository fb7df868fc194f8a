/**
 * `ler-node skills import|search|match` against a real `ler-node` process that is an accredited member of a
 * network it created, so its own credentials are trusted and count as skill evidence.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignedBadge, tempDir } from '../../helpers/node.ts';
import { adminApi, type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

const FRAMEWORK = {
  id: 'https://skills.example/harbor-cyber',
  name: 'Harbor Cyber Skills',
  version: '1.0',
  items: [
    { id: 'https://skills.example/harbor-cyber/ir-1', code: 'CY-IR-1', name: 'Incident triage' },
    { id: 'https://skills.example/harbor-cyber/net-1', code: 'CY-NET-1', name: 'Network defense' },
  ],
};

describe('ler-node skills', () => {
  let dir: string;
  let node: NodeProcess;
  const cli = async (...args: string[]) => {
    const run = runCli([...args, '--url', node.url], { LER_ADMIN_TOKEN: node.token! });
    const { code } = await run.exited;
    return { code, out: run.stdout(), err: run.stderr() };
  };
  const api = adminApi(() => node);

  beforeAll(async () => {
    dir = await tempDir('ler-skills-cli-');
    node = await startNodeProcess(join(dir, 'node'));
    const governor = (await api('POST', '/governor-keys')).did;
    const network = (
      await api('POST', '/networks', { name: 'Pilot', governors: [governor], threshold: 1, options: { sign: true } })
    ).network.id;
    await api('POST', '/proposals', {
      network,
      action: {
        type: 'member.add',
        did: node.did,
        name: 'College',
        accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
      },
      options: { sign: true },
    });
  }, 60_000);
  afterAll(async () => {
    if (node?.child.exitCode === null) node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a framework, searches it, and matches a credential against required skills', async () => {
    const file = join(dir, 'framework.json');
    await writeFile(file, JSON.stringify(FRAMEWORK));
    const imported = await cli('skills', 'import', file);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toBe(`imported ${FRAMEWORK.id} version 1.0: 2 item(s) in 1 publication(s)\n`);
    // stderr is a pipe here, not a terminal: no progress line.
    expect(imported.err).toBe('');

    const found = await cli('--json', 'skills', 'search', 'triage');
    expect(found.code, found.err).toBe(0);
    expect(JSON.parse(found.out).results[0]).toMatchObject({ id: FRAMEWORK.items[0].id, framework: FRAMEWORK.id });

    const issued = await api('POST', '/credentials/issue', {
      credential: { ...alignedBadge(FRAMEWORK.items[0].id), issuer: node.did },
    });
    const credential = join(dir, 'credential.json');
    await writeFile(credential, JSON.stringify(issued.verifiableCredential));
    const met = await cli('skills', 'match', credential, '--required', FRAMEWORK.items[0].id);
    expect(met.code, met.err).toBe(0);
    expect(met.out).toMatch(new RegExp(`^✔ ${FRAMEWORK.items[0].id}`));
    const unmet = await cli(
      '--json',
      'skills',
      'match',
      credential,
      '--required',
      FRAMEWORK.items[0].id,
      '--required',
      FRAMEWORK.items[1].id,
    );
    expect(unmet.code).toBe(1);
    expect(JSON.parse(unmet.out).matches.map((m: any) => m.evidenced)).toEqual([true, false]);
  }, 120_000);
});
