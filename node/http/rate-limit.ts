/**
 * A fixed-window request limit per client address for public endpoints, so one
 * client cannot monopolize verification (which is CPU-bound).
 */
import type { MiddlewareHandler } from 'hono';
import { NodeError } from '../errors.ts';

export interface RateLimitOptions {
  /** Requests allowed per window and client; 0 disables the limit. */
  max: number;
  windowMs: number;
  now?: () => number;
}

function clientAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const now = options.now ?? Date.now;
  let windowStart = now();
  let counts = new Map<string, number>();
  return async function limitRequests(c, next) {
    if (options.max > 0) {
      if (now() - windowStart >= options.windowMs) {
        windowStart = now();
        counts = new Map();
      }
      const key = clientAddress(c.env);
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      if (count > options.max) {
        c.header('retry-after', String(Math.ceil((windowStart + options.windowMs - now()) / 1000)));
        throw new NodeError('RATE_LIMITED', 'too many requests; try again later');
      }
    }
    await next();
  };
}
