/**
 * `--json` (a global option, before or after the command): one JSON document on stdout; a failure is a JSON
 * document on stderr with the exit code the text form has.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/node.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

describe('ler-node --json', () => {
  let dir: string;
  let node: NodeProcess;
  const cli = async (...args: string[]) => {
    const run = runCli(args, { LER_ADMIN_TOKEN: node.token!, LER_URL: node.url });
    const { code } = await run.exited;
    return { code, out: run.stdout(), err: run.stderr() };
  };
  beforeAll(async () => {
    dir = await tempDir('ler-json-');
    node = await startNodeProcess(join(dir, 'node'));
  }, 60_000);
  afterAll(async () => {
    if (node?.child.exitCode === null) node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('prints JSON for client and local commands, before or after the command name', async () => {
    const status = await cli('status', '--json');
    expect(status.code, status.err).toBe(0);
    expect(JSON.parse(status.out)).toMatchObject({ status: 'ok', did: node.did });
    const init = await cli('--json', 'init', '--data', join(dir, 'other'));
    expect(init.code, init.err).toBe(0);
    expect(JSON.parse(init.out)).toMatchObject({ created: true, did: expect.stringMatching(/^did:key:/) });
    const proposals = await cli('gov', 'list', '--json');
    expect(JSON.parse(proposals.out)).toEqual({ proposals: [] });
  }, 120_000);

  it('reports failures as JSON on stderr with the same exit codes as text', async () => {
    const missing = join(dir, 'nope.json');
    const text = await cli('verify', missing);
    const json = await cli('--json', 'verify', missing);
    expect([text.code, json.code]).toEqual([3, 3]);
    expect(json.out).toBe('');
    expect(JSON.parse(json.err)).toEqual({
      error: { code: 'FILE_NOT_FOUND', message: `no such file or directory: ${missing}`, exitCode: 3 },
    });

    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{');
    expect((await cli('--json', 'verify', bad)).code).toBe(4);

    const refused = await cli('--json', 'revoke', '--', 'urn:uuid:not-issued-here');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.err).error).toMatchObject({ code: 'CREDENTIAL_NOT_FOUND', exitCode: 1 });

    const unreachable = await cli('--json', 'status', '--url', 'http://127.0.0.1:1');
    expect(unreachable.code).toBe(9);
    expect(JSON.parse(unreachable.err).error).toMatchObject({ code: 'NODE_UNREACHABLE', exitCode: 9 });
  }, 120_000);
});
