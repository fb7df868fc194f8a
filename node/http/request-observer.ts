/**
 * One log line and one metrics sample per HTTP request: method, the route
 * pattern that answered (`/networks/:id`, never the raw path, which can hold
 * credential ids, DIDs or a query), status and duration. Never bodies,
 * headers or tokens. Mounted first, so requests that a middleware refuses
 * (rate limit, Host check, auth) are counted under the route they were for.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../logger.ts';
import type { NodeMetrics } from '../observability/metrics.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The request's route: the first matching handler (middleware are registered as method ALL), else `unmatched`. */
export function routePattern(c: Context): string {
  for (const route of matchedRoutes(c)) if (route.method !== 'ALL') return route.path;
  return 'unmatched';
}

export function requestObserver(options: { logger?: Logger; metrics?: NodeMetrics }): MiddlewareHandler {
  const { logger, metrics } = options;
  return async function observeRequest(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = performance.now() - started;
      const route = routePattern(c);
      const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      const { status } = c.res;
      metrics?.httpRequest(method, route, status, ms / 1000);
      logger?.info({ method, route, status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  };
}
