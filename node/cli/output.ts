/**
 * What a command prints: text for people, or with `--json` one JSON document on stdout for scripts (the same
 * exit codes either way), and a progress line on stderr for long work, only when stderr is a terminal (a
 * pipe or a log file gets no carriage-return noise).
 */
import type { Command } from 'commander';

export type Out = (text: string) => void;

/** Whether `--json` was given (a global option: before or after the subcommand). */
export function wantsJson(cmd: Command): boolean {
  return cmd.optsWithGlobals().json === true;
}

/**
 * Prints `value` as JSON with `--json` (indented; on one line with `compact`), else `text` (a string, or a
 * function computing it).
 */
export function emit(
  out: Out,
  cmd: Command,
  value: unknown,
  text: string | (() => string),
  options: { compact?: boolean } = {},
): void {
  if (wantsJson(cmd)) out(`${JSON.stringify(value, null, options.compact ? undefined : 2)}\n`);
  else out(typeof text === 'function' ? text() : text);
}

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  /** `done` of `total` units finished (the line is redrawn at most every `minIntervalMs`). */
  update(done: number, total?: number): void;
  /** Clears the line. */
  finish(): void;
}

const SILENT: Progress = { update() {}, finish() {} };

/**
 * A one-line progress indicator (`label 1,234/10,000 (12%)`, or `label 1,234…` without a total); silent
 * unless `stream.isTTY`. `now` is passed in so the redraw throttle needs no real clock in tests.
 */
export function createProgress(
  stream: ProgressStream,
  label: string,
  options: { minIntervalMs?: number; now?: () => number } = {},
): Progress {
  if (!stream.isTTY) return SILENT;
  const minInterval = options.minIntervalMs ?? 100;
  const now = options.now ?? Date.now;
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(done, total) {
      const t = now();
      if (t - last < minInterval && done !== total) return;
      last = t;
      drawn = true;
      const count = total
        ? `${done.toLocaleString('en')}/${total.toLocaleString('en')} (${Math.floor((100 * done) / total)}%)`
        : `${done.toLocaleString('en')}…`;
      stream.write(`\r\x1b[2K${label} ${count}`);
    },
    finish() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
