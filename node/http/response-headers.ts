/**
 * Headers on every answer: `nosniff`, so no browser reads a JSON answer as
 * script or HTML; and `Cache-Control: no-store` unless the route chose a cache
 * policy itself (public, cacheable documents such as status lists do), so that
 * no shared cache keeps a verification report or an admin answer.
 */
import type { MiddlewareHandler } from 'hono';

export function responseHeaders(): MiddlewareHandler {
  return async function setResponseHeaders(c, next) {
    await next();
    c.res.headers.set('x-content-type-options', 'nosniff');
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  };
}
