/**
 * A request limit per client for public endpoints, so one client cannot
 * monopolize verification (CPU-bound) or outbound fetching.
 *
 * A sliding-window counter (the weighted sum of this window's count and the
 * previous window's): unlike a fixed window it lets no burst of twice the limit
 * through at a window boundary, and it keeps two numbers per client, not a log.
 * The per-client table is bounded: past `maxClients`, the client seen least
 * recently is forgotten (forgetting a client only ever lets it send more, so a
 * table full of idle entries costs nothing but memory, which stays bounded).
 */

import type { Context, MiddlewareHandler } from 'hono';
import ipaddr from 'ipaddr.js';
import { NodeError } from '../errors.ts';
import { DEFAULT_RATE_LIMIT_CLIENTS } from './limits.ts';

export interface RateLimitOptions {
  /** Requests allowed per window and client; 0 disables the limit. */
  max: number;
  windowMs: number;
  /** Clients remembered at once (default 10,000). */
  maxClients?: number;
  /** Which requests count; default all. */
  applies?: (method: string) => boolean;
  now?: () => number;
}

interface Entry {
  /** Index of the window `count` belongs to. */
  window: number;
  count: number;
  previous: number;
}

/**
 * The client a request is counted for: its address, an IPv6 client by its /64
 * (one host usually holds a whole /64, so per-address keys would be free to rotate).
 */
export function clientKey(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return address ?? 'local';
  const parsed = ipaddr.process(address); // IPv4-mapped IPv6 becomes the IPv4 address
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts.slice(0, 4).join(':')}::/64`;
}

function remoteAddress(env: unknown): string | undefined {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

export interface RateLimiter extends MiddlewareHandler {
  /** Clients currently remembered (for tests and metrics). */
  readonly size: number;
  /**
   * Counts `units` more for this request's client, past the one the middleware counted, or refuses with
   * RATE_LIMITED (429): a request that asks for several verifications (a batch) counts as that many.
   */
  charge(c: Context, units: number): void;
}

export function rateLimit(options: RateLimitOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const maxClients = options.maxClients ?? DEFAULT_RATE_LIMIT_CLIENTS;
  const { max, windowMs } = options;
  // Map iteration order is insertion order: re-inserting on every hit keeps the least recent first.
  const clients = new Map<string, Entry>();

  /** Counts a request (of `weight` units); returns the seconds to wait when it is over the limit. */
  function hit(key: string, weight = 1): number | undefined {
    const t = now();
    const window = Math.floor(t / windowMs);
    const entry = clients.get(key) ?? { window, count: 0, previous: 0 };
    clients.delete(key);
    if (entry.window !== window) {
      entry.previous = entry.window === window - 1 ? entry.count : 0;
      entry.count = 0;
      entry.window = window;
    }
    clients.set(key, entry);
    if (clients.size > maxClients) clients.delete(clients.keys().next().value as string);
    const elapsed = (t - window * windowMs) / windowMs;
    const estimate = entry.previous * (1 - elapsed) + entry.count;
    if (estimate + weight > max) {
      // This window is full: wait for the next one at least. Otherwise wait until the previous window's
      // weight has fallen enough for this request.
      const waitMs =
        entry.count + weight > max
          ? (1 - elapsed) * windowMs
          : (1 - (max - entry.count - weight) / entry.previous - elapsed) * windowMs;
      return Math.max(1, Math.ceil(waitMs / 1000));
    }
    entry.count += weight;
    return undefined;
  }

  function refuse(c: Context, wait: number): never {
    c.header('retry-after', String(wait));
    throw new NodeError('RATE_LIMITED', 'too many requests; try again later');
  }

  const limiter = async function limitRequests(c, next) {
    if (max > 0 && (options.applies?.(c.req.method) ?? true)) {
      const wait = hit(clientKey(remoteAddress(c.env)));
      if (wait !== undefined) refuse(c, wait);
    }
    await next();
  } as RateLimiter;
  Object.defineProperty(limiter, 'size', { get: () => clients.size });
  limiter.charge = (c, units) => {
    if (max <= 0 || units <= 0 || !(options.applies?.(c.req.method) ?? true)) return;
    const wait = hit(clientKey(remoteAddress(c.env)), units);
    if (wait !== undefined) refuse(c, wait);
  };
  return limiter;
}
