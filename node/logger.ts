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

export function createLogger(options: LoggerOptions = {}): Logger {
  // Written asynchronously: a synchronous write per request line (one `request` line each) was ~9% of the main
  // thread's time under verification load, and a reader that stops reading would stall every request. Lines
  // waiting are flushed when the process exits (pino does so for an asynchronous destination); only a SIGKILL
  // loses them (decision 0046).
  const sink =
    options.stream ??
    pino.destination({ dest: options.destination ?? 2, sync: false, maxLength: MAX_LOG_BACKLOG_BYTES });
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
