import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const FLOOD = fileURLToPath(new URL('../../helpers/log-flood.mjs', import.meta.url));

describe('when the reader of the logs stops reading', () => {
  it('does not stall the process that logs, and every line still arrives once the reader reads again', async () => {
    // ~4 MiB of lines: far more than a pipe holds (64 KiB), well under the logger's backlog bound.
    const lines = 4000;
    const child = spawn(process.execPath, [FLOOD, String(lines)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    const stdout = child.stdout!;
    stdout.pause();
    onTestFinished(() => {
      child.kill();
    });
    // A logger that waited for its reader would never get here: nobody reads its stdout until it says so.
    const returned = await new Promise<unknown>((resolve) => child.once('message', resolve));
    expect(returned).toEqual({ returned: lines });
    let text = '';
    stdout.setEncoding('utf8');
    stdout.on('data', (chunk: string) => {
      text += chunk;
    });
    stdout.resume();
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const logged = text.split('\n').filter((line) => line.startsWith('{'));
    expect(logged).toHaveLength(lines);
    expect(logged.map((line) => JSON.parse(line).i)).toEqual(Array.from({ length: lines }, (_, i) => i));
  });
});
