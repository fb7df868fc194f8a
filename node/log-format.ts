/**
 * One pino JSON line as one readable line for a terminal:
 * `12:04:05.120 INFO  request method=GET route=/health status=200 ms=1.2`.
 * Anything that is not a pino line passes through unchanged.
 */

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** pino's own fields: shown in the line's head or not at all. */
const HEAD = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'v']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (!entry || typeof entry !== 'object' || typeof entry.level !== 'number') return line;
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const level = (LEVEL_NAMES[entry.level] ?? String(entry.level)).padEnd(5);
  const fields: string[] = [];
  let stack: string | undefined;
  for (const [key, v] of Object.entries(entry)) {
    if (HEAD.has(key)) continue;
    // An error's stack is worth its own lines; its message goes on the line.
    if (key === 'err' && v && typeof v === 'object') {
      const err = v as { message?: unknown; stack?: unknown };
      fields.push(`err=${value(err.message)}`);
      if (typeof err.stack === 'string') stack = err.stack;
      continue;
    }
    fields.push(`${key}=${value(v)}`);
  }
  const head = [time, level, typeof entry.msg === 'string' ? entry.msg : ''].filter(Boolean).join(' ');
  return `${[head, ...fields].join(' ')}\n${stack ? `${stack.replace(/^/gm, '    ')}\n` : ''}`;
}
