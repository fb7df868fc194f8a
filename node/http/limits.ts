/** Defaults of the HTTP surface's limits, in one place (config.ts and the HTTP modules share them). */

/** Requests per client and minute on public endpoints that verify, resolve, fetch or check signatures. */
export const DEFAULT_PUBLIC_RATE_LIMIT = 6_000;
/** Requests per client and minute for every GET: cheap reads get a separate, larger budget. */
export const DEFAULT_READ_RATE_LIMIT = 30_000;
/** Clients each rate limiter remembers at once. */
export const DEFAULT_RATE_LIMIT_CLIENTS = 10_000;
/** Largest skill framework, CASE or OSMT request body. */
export const DEFAULT_MAX_FRAMEWORK_BYTES = 8 * 1024 * 1024;

export interface HttpServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_000,
};
