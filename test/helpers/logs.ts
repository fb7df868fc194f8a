/** A real pino logger (node/logger.ts) whose lines a test reads back, parsed. */
import { createLogger, type Logger } from '../../node/logger.ts';

export function capturedLogger(level = 'debug'): { logger: Logger; lines: () => Array<Record<string, any>> } {
  const raw: string[] = [];
  const logger = createLogger({ level, stream: { write: (line) => raw.push(line) } });
  return { logger, lines: () => raw.map((line) => JSON.parse(line)) };
}
