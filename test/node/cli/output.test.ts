/** The CLI's progress line: drawn only on a terminal, throttled, cleared when done. */
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../node/cli/output.ts';

const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
};

describe('createProgress', () => {
  it('writes nothing when stderr is not a terminal (a pipe, a log file)', () => {
    const s = stream(false);
    const progress = createProgress(s, 'folding networks');
    for (let i = 0; i <= 10; i++) progress.update(i, 10);
    progress.finish();
    expect(s.written).toEqual([]);
  });

  it('redraws one line on a terminal at most every interval, always the last step, and clears it', () => {
    const s = stream(true);
    let t = 0;
    const progress = createProgress(s, 'checking actions', { minIntervalMs: 100, now: () => t });
    progress.update(0, 10_000);
    t = 50;
    progress.update(5_000, 10_000); // within the interval: skipped
    t = 150;
    progress.update(6_000, 10_000);
    t = 160;
    progress.update(10_000, 10_000); // the last step is always drawn
    progress.finish();
    expect(s.written).toEqual([
      '\r\x1b[2Kchecking actions 0/10,000 (0%)',
      '\r\x1b[2Kchecking actions 6,000/10,000 (60%)',
      '\r\x1b[2Kchecking actions 10,000/10,000 (100%)',
      '\r\x1b[2K',
    ]);
  });
});
