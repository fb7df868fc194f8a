/**
 * The node's main thread runs with a small young generation (2 MiB semi-spaces: ~21 MiB less resident at idle),
 * which only works as a flag given when Node starts: the bin's shebang and `npm start` give it.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/process.ts';

describe('when ler-node is started as an executable or by npm start', () => {
  it('gives Node the small young generation at start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ler-bin-'));
    try {
      const preload = join(dir, 'argv.mjs');
      writeFileSync(preload, "process.stderr.write('EXECARGV ' + JSON.stringify(process.execArgv) + '\\n');\n");
      const child = spawn(BIN, ['--version'], {
        env: { ...process.env, LER_FROM_SOURCE: '1', NODE_OPTIONS: `--import=${preload}` },
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      await new Promise((resolve) => child.on('exit', resolve));
      expect(JSON.parse(/EXECARGV (.*)/.exec(stderr)?.[1] ?? '[]')).toContain('--max-semi-space-size=2');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const scripts = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts;
    expect(scripts.start).toMatch(/^node --max-semi-space-size=2 bin\/ler-node\.js start$/);
  });
});
