/**
 * Structured logs (pino) with secrets redacted wherever they might appear:
 * JSON lines for log collectors, or one readable line per event when a person
 * watches the terminal (node/log-format.ts; no pino-pretty dependency).
 */
import pino from 'pino';
import { formatLogLine } from './log-format.ts';

export type Logger = pino.Logger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level?: string;
  /** File descriptor the lines go to (default 2, stderr). */
  destination?: number;
  /** Readable one-liners instead of JSON (the CLI sets it when stderr is a TTY). */
  pretty?: boolean;
  /** Where the lines go instead of a file descriptor (tests read what was logged). */
  stream?: { write(line: string): void };
}

/**
 * How much the logger holds when its reader (a pipe, a journal) falls behind: beyond it, lines are dropped, not
 * buffered without bound and not waited for.
 */
export const MAX_LOG_BACKLOG_BYTES = 16 * 1024 * 1024;

/** Lines are written in chunks of at least this many bytes, or when LOG_FLUSH_MS have passed. */
export const LOG_CHUNK_BYTES = 4096;
export const LOG_FLUSH_MS = 100;

/**
 * A file descriptor written asynchronously, in chunks: one synchronous write per line (a `request` line per
 * request) was ~9% of the main thread's time under verification load, and a reader that stops reading would
 * stall every request; one asynchronous write per line cost ~70% more CPU per line than the synchronous write
 * (a hand-off to libuv's thread pool each). Chunks of 4 KiB, and whatever is waiting every 100 ms, cost less than
 * either. pino flushes what waits when the process exits; only a SIGKILL loses the last lines (decision 0046).
 */
function chunkedDestination(fd: number): { write(line: string): void } {
  const sink = pino.destination({
    dest: fd,
    sync: false,
    minLength: LOG_CHUNK_BYTES,
    maxLength: MAX_LOG_BACKLOG_BYTES,
  });
  // Flushing stops one period after the last line (an idle node does not wake for its logs); a chunk still being
  // written then is followed by the rest with the next line, or at exit.
  let written = 0;
  let seen = 0;
  let quiet = 0;
  const timer = setInterval(() => {
    if (written === seen && ++quiet > 1) return;
    if (written !== seen) quiet = 0;
    seen = written;
    sink.flush();
  }, LOG_FLUSH_MS);
  timer.unref();
  return {
    write(line) {
      written++;
      sink.write(line);
    },
  };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const sink = options.stream ?? chunkedDestination(options.destination ?? 2);
  const stream = options.pretty ? { write: (line: string) => sink.write(formatLogLine(line)) } : sink;
  return pino(
    {
      level: options.level ?? 'info',
      redact: {
        paths: [
          'adminToken',
          'metricsToken',
          'token',
          'authorization',
          '*.authorization',
          'headers',
          '*.headers',
          'secretKeyMultibase',
          '*.secretKeyMultibase',
          'privateKey',
          '*.privateKey',
        ],
        censor: '[redacted]',
      },
    },
    stream,
  );
}
