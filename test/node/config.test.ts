import { describe, expect, it } from 'vitest';
import { configFromEnv, configFromFile, resolveConfig } from '../../node/config.ts';
import { VERIFY_DEADLINE_MS } from '../../protocol/constants.ts';

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const config = resolveConfig({});
    expect(config).toMatchObject({
      dataDir: './.ler-data',
      http: { host: '127.0.0.1', port: 8080 },
      p2p: ['/ip4/127.0.0.1/tcp/4001'],
      bootstrap: [],
      statusListLength: 131_072,
    });
  });

  it('lets flags win over env, and env over the config file', () => {
    const file = configFromFile({ http: '127.0.0.1:7000', anchors: ['net-file'], publicUrl: 'https://file.example' });
    const env = configFromEnv({
      LER_HTTP: '127.0.0.1:7100',
      LER_ANCHORS: 'net-a, net-b',
      LER_BOOTSTRAP: '/ip4/1.2.3.4/tcp/1/p2p/x',
    });
    const flags = { http: '0.0.0.0:7200' };
    const config = resolveConfig(flags, env, file);
    expect(config.http).toEqual({ host: '0.0.0.0', port: 7200 });
    expect(config.anchors).toEqual(['net-a', 'net-b']);
    expect(config.bootstrap).toEqual(['/ip4/1.2.3.4/tcp/1/p2p/x']);
    expect(config.publicUrl).toBe('https://file.example');
  });

  it('takes the verification deadline from a flag or LER_VERIFY_DEADLINE_MS, default VERIFY_DEADLINE_MS', () => {
    expect(resolveConfig({}).verifyDeadlineMs).toBe(VERIFY_DEADLINE_MS);
    expect(resolveConfig(configFromEnv({ LER_VERIFY_DEADLINE_MS: '2500' })).verifyDeadlineMs).toBe(2500);
    expect(
      resolveConfig({ verifyDeadlineMs: '900' }, configFromEnv({ LER_VERIFY_DEADLINE_MS: '2500' })).verifyDeadlineMs,
    ).toBe(900);
    expect(() => resolveConfig({ verifyDeadlineMs: 'soon' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('rejects bad values with CONFIG_INVALID', () => {
    expect(() => resolveConfig({ http: 'nope' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => resolveConfig({ verifyWorkers: '-1' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => resolveConfig({ p2p: ['tcp://x'] })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => configFromFile([1])).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('takes OpenID Federation anchors from flags, LER_OIDF_ANCHORS or the file, and only as https entity ids', () => {
    const env = configFromEnv({ LER_OIDF_ANCHORS: 'https://registry.example/ta/, https://other.example' });
    expect(resolveConfig({}, env).oidfAnchors).toEqual(['https://registry.example/ta', 'https://other.example']);
    expect(resolveConfig({}, configFromFile({ oidfAnchors: ['https://f.example'] })).oidfAnchors).toEqual([
      'https://f.example',
    ]);
    for (const bad of [['http://registry.example'], ['https://r.example/?sub=x'], 'https://r.example']) {
      expect(() => resolveConfig({ oidfAnchors: bad as string[] })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }),
      );
    }
  });
});
