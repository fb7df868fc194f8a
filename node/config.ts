/**
 * The node's settings, merged in order of precedence: command-line flags,
 * then LER_* environment variables, then `config.json` in the data directory,
 * then defaults. Pure: the caller reads argv, env and the file.
 */
import { cpus } from 'node:os';
import { VERIFY_DEADLINE_MS } from '../protocol/constants.ts';
import { STATUS_LIST_LENGTH } from '../registry/status/bitstring.ts';
import { NodeError } from './errors.ts';
import {
  DEFAULT_HTTP_LIMITS,
  DEFAULT_MAX_FRAMEWORK_BYTES,
  DEFAULT_PUBLIC_RATE_LIMIT,
  DEFAULT_READ_RATE_LIMIT,
  type HttpServerLimits,
} from './http/limits.ts';
import { LOG_LEVELS, type LogLevel } from './logger.ts';

export interface NodeConfig {
  dataDir: string;
  http: { host: string; port: number };
  p2p: string[];
  bootstrap: string[];
  adminToken?: string;
  anchors: string[];
  /** OpenID Federation trust anchors (entity identifiers) accepted as sources of trust (decision 0026). */
  oidfAnchors: string[];
  /** Base URL others reach this node at; status list URLs are built from it. Default: the bound HTTP address. */
  publicUrl?: string;
  /** `HOST[:PORT][/PATH]` for a did:web identity (used only when the identity is first created). */
  didWeb?: string;
  /** Worker threads for proof verification; 0 verifies on the main thread. */
  verifyWorkers: number;
  /** Let did:web and status list fetches reach loopback/private addresses (tests, closed networks). */
  allowPrivateHosts: boolean;
  /** One deadline for the outbound work of one verification request, in ms; what is pending then is unchecked. */
  verifyDeadlineMs: number;
  /**
   * Hosts whose https controller documents the verifier may fetch (1EdTech's verification-method convention,
   * decision 0035): `host` or `host:port`, or `*` for any public host. Empty (default): none.
   */
  allowHttpsControllers: string[];
  /** Keep issued credential bodies, not only their status index. */
  storeCredentials: boolean;
  /** Anyone may create OID4VP presentation requests (a public verifier page); otherwise only the admin. */
  publicVerifier: boolean;
  /** How long an OID4VP presentation result is kept for its requester, in seconds. */
  presentationResultSeconds: number;
  /** Requests per minute per client on public endpoints that verify, resolve or fetch; 0 disables. */
  publicRateLimit: number;
  /** Requests per minute per client for every GET (a separate, larger budget); 0 disables. */
  readRateLimit: number;
  /**
   * Host names (`host` or `host:port`) the node answers for. With these or a publicUrl set, a request
   * for any other Host (besides loopback names and the bound address) is refused: 421 HOST_NOT_ALLOWED.
   */
  allowedHosts: string[];
  /** Server timeouts and connection cap. */
  httpLimits: HttpServerLimits;
  /** Largest skill framework request body, in bytes. */
  maxFrameworkBytes: number;
  /**
   * Entries per new status list. Only tests should lower it: lists shorter
   * than the spec's 131,072 entries weaken the herd privacy of every holder.
   */
  statusListLength: number;
  /** When non-empty, only these libp2p peer ids may connect. */
  allowPeers: string[];
  /** Skill frameworks whose equivalents verification reports show. */
  preferFrameworks: string[];
  /** Largest skill framework accepted, in items. */
  maxFrameworkItems: number;
  /** Origins a browser may call the verification endpoints from (`*` for any); public documents allow any (decision 0039). */
  corsOrigins: string[];
  /** PEM files: the node terminates TLS itself (decision 0039). Both or neither. */
  tls?: { certFile: string; keyFile: string };
  /** Least severe log level written (pino's levels; `silent` writes nothing). */
  logLevel: LogLevel;
  /** A bearer token that may read `GET /metrics` and nothing else (decision 0037); the admin token always may. */
  metricsToken?: string;
}

/** Settings as given by one source; every field optional. */
export type ConfigInput = Partial<{
  dataDir: string;
  http: string;
  p2p: string[];
  bootstrap: string[];
  adminToken: string;
  anchors: string[];
  oidfAnchors: string[];
  publicUrl: string;
  didWeb: string;
  verifyWorkers: number | string;
  allowPrivateHosts: boolean | string;
  verifyDeadlineMs: number | string;
  allowHttpsControllers: string[];
  storeCredentials: boolean | string;
  publicVerifier: boolean | string;
  presentationResultSeconds: number | string;
  publicRateLimit: number | string;
  readRateLimit: number | string;
  allowedHosts: string[];
  httpHeadersTimeoutMs: number | string;
  httpRequestTimeoutMs: number | string;
  httpKeepAliveTimeoutMs: number | string;
  httpMaxConnections: number | string;
  maxFrameworkBytes: number | string;
  statusListLength: number | string;
  allowPeers: string[];
  preferFrameworks: string[];
  maxFrameworkItems: number | string;
  corsOrigins: string[];
  tlsCert: string;
  tlsKey: string;
  logLevel: string;
  metricsToken: string;
}>;

export const DEFAULTS = {
  dataDir: './.ler-data',
  http: '127.0.0.1:8080',
  p2p: ['/ip4/127.0.0.1/tcp/4001'],
};

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * `--allow-https-controllers` entries: host names (with an optional port) as they appear in a URL, or `*`. A URL,
 * a path or a wildcard inside a name is refused, so the list says exactly which hosts may be asked.
 */
function httpsControllerHosts(hosts: string[]): string[] {
  for (const host of hosts) {
    if (host === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(`https://${host}`);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.host !== host.toLowerCase() || parsed.pathname !== '/' || host.includes('*')) {
      throw new NodeError('CONFIG_INVALID', `allowHttpsControllers: not a host name (or host:port, or *): ${host}`);
    }
  }
  return hosts.map((h) => h.toLowerCase());
}

/** Reads the LER_* variables. */
export function configFromEnv(env: Record<string, string | undefined>): ConfigInput {
  const input: ConfigInput = {
    dataDir: env.LER_DATA,
    http: env.LER_HTTP,
    p2p: list(env.LER_P2P),
    bootstrap: list(env.LER_BOOTSTRAP),
    adminToken: env.LER_ADMIN_TOKEN,
    anchors: list(env.LER_ANCHORS),
    oidfAnchors: list(env.LER_OIDF_ANCHORS),
    publicUrl: env.LER_PUBLIC_URL,
    didWeb: env.LER_DID_WEB,
    verifyWorkers: env.LER_VERIFY_WORKERS,
    allowPrivateHosts: env.LER_ALLOW_PRIVATE_HOSTS,
    verifyDeadlineMs: env.LER_VERIFY_DEADLINE_MS,
    allowHttpsControllers: list(env.LER_ALLOW_HTTPS_CONTROLLERS),
    storeCredentials: env.LER_STORE_CREDENTIALS,
    publicVerifier: env.LER_PUBLIC_VERIFIER,
    presentationResultSeconds: env.LER_PRESENTATION_RESULT_SECONDS,
    publicRateLimit: env.LER_PUBLIC_RATE_LIMIT,
    readRateLimit: env.LER_READ_RATE_LIMIT,
    allowedHosts: list(env.LER_ALLOWED_HOSTS),
    httpHeadersTimeoutMs: env.LER_HTTP_HEADERS_TIMEOUT_MS,
    httpRequestTimeoutMs: env.LER_HTTP_REQUEST_TIMEOUT_MS,
    httpKeepAliveTimeoutMs: env.LER_HTTP_KEEP_ALIVE_TIMEOUT_MS,
    httpMaxConnections: env.LER_HTTP_MAX_CONNECTIONS,
    maxFrameworkBytes: env.LER_MAX_FRAMEWORK_BYTES,
    statusListLength: env.LER_STATUS_LIST_LENGTH,
    allowPeers: list(env.LER_ALLOW_PEERS),
    preferFrameworks: list(env.LER_PREFER_FRAMEWORKS),
    maxFrameworkItems: env.LER_MAX_FRAMEWORK_ITEMS,
    corsOrigins: list(env.LER_CORS_ORIGINS),
    tlsCert: env.LER_TLS_CERT,
    tlsKey: env.LER_TLS_KEY,
    logLevel: env.LER_LOG_LEVEL,
    metricsToken: env.LER_METRICS_TOKEN,
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== '')) as ConfigInput;
}

export function parseHostPort(value: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65535) throw new NodeError('CONFIG_INVALID', `--http must be HOST:PORT, got ${value}`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

function toBoolean(name: string, value: boolean | string | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (['1', 'true', 'yes'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no', ''].includes(value.toLowerCase())) return false;
  throw new NodeError('CONFIG_INVALID', `${name} must be true or false, got ${value}`);
}

function toCount(name: string, value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 0) throw new NodeError('CONFIG_INVALID', `${name} must be a whole number ≥ 0`);
  return n;
}

type FieldKind = 'string' | 'list' | 'count' | 'boolean';

/**
 * The kind of every setting, the one schema for flags, env and config.json: a file is checked against it
 * so a typo (`htpp`) or a wrong shape is named instead of ignored or failing far from its cause.
 */
const FIELDS: { [K in keyof Required<ConfigInput>]: FieldKind } = {
  dataDir: 'string',
  http: 'string',
  p2p: 'list',
  bootstrap: 'list',
  adminToken: 'string',
  anchors: 'list',
  oidfAnchors: 'list',
  publicUrl: 'string',
  didWeb: 'string',
  verifyWorkers: 'count',
  allowPrivateHosts: 'boolean',
  verifyDeadlineMs: 'count',
  allowHttpsControllers: 'list',
  storeCredentials: 'boolean',
  publicVerifier: 'boolean',
  presentationResultSeconds: 'count',
  publicRateLimit: 'count',
  readRateLimit: 'count',
  allowedHosts: 'list',
  httpHeadersTimeoutMs: 'count',
  httpRequestTimeoutMs: 'count',
  httpKeepAliveTimeoutMs: 'count',
  httpMaxConnections: 'count',
  maxFrameworkBytes: 'count',
  statusListLength: 'count',
  allowPeers: 'list',
  preferFrameworks: 'list',
  maxFrameworkItems: 'count',
  corsOrigins: 'list',
  tlsCert: 'string',
  tlsKey: 'string',
  logLevel: 'string',
  metricsToken: 'string',
};

/** The settings config.json may hold. */
export const CONFIG_KEYS = Object.keys(FIELDS) as Array<keyof ConfigInput>;

/** Validates a config file's content (an object of ConfigInput fields); a list may be given as one string. */
export function configFromFile(value: unknown): ConfigInput {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new NodeError('CONFIG_INVALID', 'config.json must hold a JSON object');
  }
  const input: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const kind = Object.hasOwn(FIELDS, key) ? FIELDS[key as keyof ConfigInput] : undefined;
    if (!kind) {
      throw new NodeError(
        'CONFIG_INVALID',
        `config.json: unknown key "${key}"; valid keys: ${CONFIG_KEYS.join(', ')}`,
        {
          key,
          validKeys: CONFIG_KEYS,
        },
      );
    }
    const bad = (expected: string) =>
      new NodeError('CONFIG_INVALID', `config.json: "${key}" must be ${expected}, got ${JSON.stringify(v)}`, { key });
    if (kind === 'list') {
      if (typeof v === 'string') input[key] = [v];
      else if (Array.isArray(v) && v.every((item) => typeof item === 'string')) input[key] = v;
      else throw bad('a string or a list of strings');
    } else if (kind === 'string') {
      if (typeof v !== 'string') throw bad('a string');
      input[key] = v;
    } else if (kind === 'count') {
      if (typeof v !== 'number' && typeof v !== 'string') throw bad('a whole number');
      input[key] = v;
    } else {
      if (typeof v !== 'boolean' && typeof v !== 'string') throw bad('true or false');
      input[key] = v;
    }
  }
  return input as ConfigInput;
}

function httpLimits(pick: <K extends keyof ConfigInput>(key: K) => ConfigInput[K]): HttpServerLimits {
  // 0 would mean "no limit" to Node; a limit is the point, so 0 falls back to the default.
  const positive = (name: keyof ConfigInput & `http${string}`, fallback: number) =>
    toCount(name, pick(name) as number | string | undefined, fallback) || fallback;
  const limits = {
    headersTimeoutMs: positive('httpHeadersTimeoutMs', DEFAULT_HTTP_LIMITS.headersTimeoutMs),
    requestTimeoutMs: positive('httpRequestTimeoutMs', DEFAULT_HTTP_LIMITS.requestTimeoutMs),
    keepAliveTimeoutMs: positive('httpKeepAliveTimeoutMs', DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs),
    maxConnections: positive('httpMaxConnections', DEFAULT_HTTP_LIMITS.maxConnections),
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new NodeError('CONFIG_INVALID', 'httpHeadersTimeoutMs must not exceed httpRequestTimeoutMs');
  }
  return limits;
}

/** Merges the sources (earlier wins) over the defaults and validates the result. */
export function resolveConfig(...sources: ConfigInput[]): NodeConfig {
  const pick = <K extends keyof ConfigInput>(key: K): ConfigInput[K] =>
    sources.find((s) => s[key] !== undefined)?.[key];
  const http = parseHostPort(pick('http') ?? DEFAULTS.http);
  const publicUrl = pick('publicUrl')?.replace(/\/+$/, '');
  if (publicUrl !== undefined && !URL.canParse(publicUrl)) {
    throw new NodeError('CONFIG_INVALID', `--public-url must be a URL, got ${publicUrl}`);
  }
  const p2p = pick('p2p') ?? DEFAULTS.p2p;
  const bootstrap = pick('bootstrap') ?? [];
  for (const addr of [...p2p, ...bootstrap]) {
    if (!addr.startsWith('/')) throw new NodeError('CONFIG_INVALID', `not a multiaddr: ${addr}`);
  }
  return {
    dataDir: pick('dataDir') ?? DEFAULTS.dataDir,
    http,
    p2p,
    bootstrap,
    adminToken: pick('adminToken'),
    anchors: pick('anchors') ?? [],
    oidfAnchors: oidfAnchors(pick('oidfAnchors') ?? []),
    publicUrl,
    didWeb: pick('didWeb'),
    verifyWorkers: toCount('verifyWorkers', pick('verifyWorkers'), cpus().length),
    allowPrivateHosts: toBoolean('allowPrivateHosts', pick('allowPrivateHosts')),
    verifyDeadlineMs: toCount('verifyDeadlineMs', pick('verifyDeadlineMs'), VERIFY_DEADLINE_MS) || VERIFY_DEADLINE_MS,
    allowHttpsControllers: httpsControllerHosts(pick('allowHttpsControllers') ?? []),
    storeCredentials: toBoolean('storeCredentials', pick('storeCredentials')),
    publicVerifier: toBoolean('publicVerifier', pick('publicVerifier')),
    presentationResultSeconds: toCount('presentationResultSeconds', pick('presentationResultSeconds'), 3600) || 3600,
    publicRateLimit: toCount('publicRateLimit', pick('publicRateLimit'), DEFAULT_PUBLIC_RATE_LIMIT),
    readRateLimit: toCount('readRateLimit', pick('readRateLimit'), DEFAULT_READ_RATE_LIMIT),
    allowedHosts: pick('allowedHosts') ?? [],
    httpLimits: httpLimits(pick),
    maxFrameworkBytes:
      toCount('maxFrameworkBytes', pick('maxFrameworkBytes'), DEFAULT_MAX_FRAMEWORK_BYTES) ||
      DEFAULT_MAX_FRAMEWORK_BYTES,
    statusListLength: toCount('statusListLength', pick('statusListLength'), STATUS_LIST_LENGTH) || STATUS_LIST_LENGTH,
    allowPeers: pick('allowPeers') ?? [],
    preferFrameworks: pick('preferFrameworks') ?? [],
    maxFrameworkItems: toCount('maxFrameworkItems', pick('maxFrameworkItems'), 10_000) || 10_000,
    corsOrigins: corsOrigins(pick('corsOrigins') ?? []),
    ...tlsFiles(pick('tlsCert'), pick('tlsKey')),
    logLevel: logLevel(pick('logLevel')),
    metricsToken: metricsToken(pick('metricsToken')),
  };
}

/** `*` or exact origins (`scheme://host[:port]`, as a browser sends them in Origin). */
function corsOrigins(values: string[]): string[] {
  for (const value of values) {
    if (value === '*') continue;
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url || url.origin !== value) {
      throw new NodeError(
        'CONFIG_INVALID',
        `--cors-origins takes * or origins like https://wallet.example, got ${value}`,
      );
    }
  }
  return values;
}

function tlsFiles(certFile: string | undefined, keyFile: string | undefined): { tls?: NodeConfig['tls'] } {
  if (certFile === undefined && keyFile === undefined) return {};
  if (certFile === undefined || keyFile === undefined) {
    throw new NodeError('CONFIG_INVALID', 'give both --tls-cert and --tls-key (PEM files), or neither');
  }
  return { tls: { certFile, keyFile } };
}

/** An OpenID Federation entity identifier: an https URL without query or fragment (§1.2). */
function oidfAnchors(values: unknown): string[] {
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
    throw new NodeError('CONFIG_INVALID', 'oidfAnchors must be a list of entity identifiers');
  }
  for (const value of values) {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (url?.protocol !== 'https:' || url.search || url.hash) {
      throw new NodeError('CONFIG_INVALID', `--oidf-anchor must be an entity identifier (https URL), got ${value}`);
    }
  }
  return values.map((v) => v.replace(/\/+$/, ''));
}

function logLevel(value: string | undefined): LogLevel {
  if (value === undefined) return 'info';
  const level = value.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new NodeError('CONFIG_INVALID', `--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${value}`);
  }
  return level as LogLevel;
}

/** A scrape credential guessable in a few tries would expose the node's traffic figures. */
function metricsToken(value: string | undefined): string | undefined {
  if (value !== undefined && value.length < 16) {
    throw new NodeError('CONFIG_INVALID', '--metrics-token must be at least 16 characters');
  }
  return value;
}
