/**
 * A person's mistakes at the command line (a missing file, bad JSON, an existing output file, a taken port, a
 * mistyped data directory) get one clear line and an exit code of their own, never a stack trace (issue 15, 2-3).
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../node/cli/cli-errors.ts';
import { tempDir } from '../../helpers/node.ts';
import { runCli } from '../../helpers/process.ts';

async function cli(args: string[]) {
  const run = runCli(args);
  const { code } = await run.exited;
  return { code, stderr: run.stderr() };
}

/** One line on stderr, no stack frame. */
function expectOneLine(stderr: string, pattern: RegExp) {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).toMatch(pattern);
}

describe('when a CLI command fails on the user’s input', () => {
  let dir: string;
  let taken: Server;
  let takenPort: number;

  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'bad.json'), '{"type": ');
    await writeFile(join(dir, 'exists.json'), '{}\n');
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('names a missing input file (exit 3)', async () => {
    const { code, stderr } = await cli(['verify', join(dir, 'nope.json')]);
    expectOneLine(stderr, /no such file or directory: .*nope\.json/);
    expect(code).toBe(EXIT.fileNotFound);
  });

  it('names a file or option that is not JSON (exit 4)', async () => {
    const file = await cli(['verify', join(dir, 'bad.json')]);
    expectOneLine(file.stderr, /bad\.json is not valid JSON/);
    expect(file.code).toBe(EXIT.badJson);
    const option = await cli(['gov', 'propose', '--network', 'x', '--action', '{"type": ']);
    expectOneLine(option.stderr, /--action is not valid JSON/);
    expect(option.code).toBe(EXIT.badJson);
  });

  it('refuses to overwrite an existing key file (exit 5)', async () => {
    const { code, stderr } = await cli(['gov', 'keygen', '--out', join(dir, 'exists.json')]);
    expectOneLine(stderr, /exists\.json already exists/);
    expect(code).toBe(EXIT.outputExists);
  });

  it('says which listen address is taken (exit 6)', async () => {
    const args = ['start', '--data', join(dir, 'node'), '--verify-workers', '0'];
    const http = await cli([...args, '--http', `127.0.0.1:${takenPort}`, '--p2p', '/ip4/127.0.0.1/tcp/0']);
    expectOneLine(http.stderr, new RegExp(`address already in use: 127\\.0\\.0\\.1:${takenPort}`));
    expect(http.code).toBe(EXIT.addressInUse);
    const p2p = await cli([...args, '--http', '127.0.0.1:0', '--p2p', `/ip4/127.0.0.1/tcp/${takenPort}`]);
    expectOneLine(p2p.stderr, new RegExp(`/ip4/127\\.0\\.0\\.1/tcp/${takenPort} \\(address already in use\\)`));
    expect(p2p.code).toBe(EXIT.addressInUse);
  });

  it('does not rebuild a data directory that does not exist, nor create it (exit 8)', async () => {
    const missing = join(dir, 'does', 'not', 'exist');
    const { code, stderr } = await cli(['registry', 'rebuild', '--data', missing]);
    expectOneLine(stderr, /no node data directory at .*exist/);
    expect(code).toBe(EXIT.dataDirMissing);
    expect(existsSync(missing)).toBe(false);
  });
});
