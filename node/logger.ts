/** Structured JSON logs (pino) with secrets redacted wherever they might appear. */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(options: { level?: string; destination?: number } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: {
        paths: [
          'adminToken',
          'token',
          'authorization',
          '*.authorization',
          'secretKeyMultibase',
          '*.secretKeyMultibase',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: options.destination ?? 2, sync: true }),
  );
}
