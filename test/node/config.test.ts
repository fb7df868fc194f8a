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

  describe('when config.json is checked', () => {
    it('takes a single multiaddr given as a string as a list of one', () => {
      const config = resolveConfig(configFromFile({ p2p: '/ip4/127.0.0.1/tcp/4100', bootstrap: '/ip4/1.2.3.4/tcp/1' }));
      expect(config.p2p).toEqual(['/ip4/127.0.0.1/tcp/4100']);
      expect(config.bootstrap).toEqual(['/ip4/1.2.3.4/tcp/1']);
    });

    it('names an unknown key and lists the valid ones', () => {
      for (const key of ['htpp', 'anchor']) {
        expect(() => configFromFile({ [key]: 'x' })).toThrow(
          expect.objectContaining({
            code: 'CONFIG_INVALID',
            message: expect.stringMatching(new RegExp(`unknown key "${key}"; valid keys: .*anchors`)),
          }),
        );
      }
    });

    it('names a key of the wrong shape', () => {
      expect(() => configFromFile({ anchors: [1] })).toThrow(
        expect.objectContaining({ message: expect.stringContaining('"anchors" must be') }),
      );
      expect(() => configFromFile({ http: 8080 })).toThrow(
        expect.objectContaining({ message: expect.stringContaining('"http" must be a string') }),
      );
      expect(() => configFromFile({ publicVerifier: {} })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
      expect(() => configFromFile({ constructor: 'x' })).toThrow(
        expect.objectContaining({ message: expect.stringContaining('unknown key') }),
      );
    });
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

  it('allows https controller documents from no host by default, else from the hosts listed (decision 0035)', () => {
    expect(resolveConfig({}).allowHttpsControllers).toEqual([]);
    expect(
      resolveConfig(configFromEnv({ LER_ALLOW_HTTPS_CONTROLLERS: 'Example.edu, keys.example:8443' }))
        .allowHttpsControllers,
    ).toEqual(['example.edu', 'keys.example:8443']);
    expect(resolveConfig({ allowHttpsControllers: ['*'] }).allowHttpsControllers).toEqual(['*']);
    for (const bad of ['https://example.edu', 'example.edu/keys', '*.example.edu', 'a b']) {
      expect(() => resolveConfig({ allowHttpsControllers: [bad] }), bad).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }),
      );
    }
  });

  it('rejects bad values with CONFIG_INVALID', () => {
    expect(() => resolveConfig({ http: 'nope' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => resolveConfig({ verifyWorkers: '-1' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => resolveConfig({ p2p: ['tcp://x'] })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => configFromFile([1])).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('reads the HTTP limits, read budget and allowed hosts from env and refuses inconsistent timeouts', () => {
    const config = resolveConfig(
      configFromEnv({
        LER_READ_RATE_LIMIT: '100',
        LER_ALLOWED_HOSTS: 'node.example.edu, alt.example.edu:8443',
        LER_HTTP_HEADERS_TIMEOUT_MS: '2000',
        LER_HTTP_REQUEST_TIMEOUT_MS: '3000',
        LER_HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
        LER_HTTP_MAX_CONNECTIONS: '50',
        LER_MAX_FRAMEWORK_BYTES: '1048576',
      }),
    );
    expect(config).toMatchObject({
      readRateLimit: 100,
      allowedHosts: ['node.example.edu', 'alt.example.edu:8443'],
      httpLimits: { headersTimeoutMs: 2000, requestTimeoutMs: 3000, keepAliveTimeoutMs: 1000, maxConnections: 50 },
      maxFrameworkBytes: 1_048_576,
    });
    expect(resolveConfig({}).httpLimits).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1_000,
    });
    expect(() => resolveConfig({ httpHeadersTimeoutMs: 5000, httpRequestTimeoutMs: 1000 })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
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
