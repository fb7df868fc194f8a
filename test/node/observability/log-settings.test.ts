import { describe, expect, it } from 'vitest';
import { configFromEnv, configFromFile, resolveConfig } from '../../../node/config.ts';
import { formatLogLine } from '../../../node/log-format.ts';
import { capturedLogger } from '../../helpers/logs.ts';

describe('the log and metrics settings', () => {
  it('take --log-level from flags, env or config.json, in that order, and default to info', () => {
    expect(resolveConfig({}).logLevel).toBe('info');
    const file = configFromFile({ logLevel: 'error', metricsToken: 'from-the-file-0123456789' });
    expect(resolveConfig(file)).toMatchObject({ logLevel: 'error', metricsToken: 'from-the-file-0123456789' });
    const env = configFromEnv({ LER_LOG_LEVEL: 'WARN', LER_METRICS_TOKEN: 'from-the-env-0123456789' });
    expect(resolveConfig(env, file)).toMatchObject({ logLevel: 'warn', metricsToken: 'from-the-env-0123456789' });
    expect(resolveConfig({ logLevel: 'debug' }, env, file).logLevel).toBe('debug');
  });

  it('refuse an unknown level and a metrics token short enough to guess, naming the setting', () => {
    expect(() => resolveConfig({ logLevel: 'verbose' })).toThrow(/--log-level must be one of .*info.*got verbose/);
    expect(() => resolveConfig({ metricsToken: 'short' })).toThrow(/--metrics-token must be at least 16/);
    expect(() => configFromFile({ logLevel: 3 })).toThrow(/"logLevel" must be a string/);
  });
});

describe('when logs go to a terminal', () => {
  it('writes one readable line per event: time, level, message, then the fields', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.parse('2026-12-01T12:04:05.120Z'),
      pid: 1,
      hostname: 'h',
      method: 'GET',
      route: '/networks/:id',
      status: 404,
      ms: 1.5,
      msg: 'request',
    });
    expect(formatLogLine(`${line}\n`)).toBe(
      '12:04:05.120 INFO  request method=GET route=/networks/:id status=404 ms=1.5\n',
    );
  });

  it('puts an error message on the line and its stack below, and quotes values with spaces', () => {
    const out = formatLogLine(
      JSON.stringify({
        level: 50,
        time: 0,
        msg: 'request failed',
        peer: 'a b',
        err: { message: 'boom', stack: 'Error: boom\n    at x' },
      }),
    );
    expect(out.split('\n')[0]).toBe('00:00:00.000 ERROR request failed peer="a b" err=boom');
    expect(out).toContain('\n    Error: boom\n        at x\n');
  });

  it('redacts tokens and keys a caller passed by mistake, in JSON as on a terminal', () => {
    const { logger, lines } = capturedLogger('info');
    logger.info({ token: 't0ken', authorization: 'Bearer abc', key: { secretKeyMultibase: 'z1sec' } }, 'oops');
    expect(lines()).toEqual([
      expect.objectContaining({ msg: 'oops', token: '[redacted]', authorization: '[redacted]' }),
    ]);
    expect(JSON.stringify(lines())).not.toMatch(/t0ken|Bearer abc|z1sec/);
  });
});
