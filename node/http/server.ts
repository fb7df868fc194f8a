/**
 * The Node HTTP server the API runs on, with the limits Node leaves off or
 * generous by default: a client must send its headers within
 * `headersTimeoutMs` and its whole request within `requestTimeoutMs`, an idle
 * keep-alive socket is closed after `keepAliveTimeoutMs`, and at most
 * `maxConnections` sockets are open at once. Without them a client sending a
 * header byte now and then (slowloris) held a socket for ~85 s.
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { DEFAULT_HTTP_LIMITS, type HttpServerLimits } from './limits.ts';

export interface HttpServerOptions {
  fetch: (request: Request, env: unknown) => Response | Promise<Response>;
  hostname: string;
  port: number;
  limits?: Partial<HttpServerLimits>;
}

/** Starts listening; resolves once the port is bound. */
export function startHttpServer(options: HttpServerOptions): Promise<Server> {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  return new Promise<Server>((resolve, reject) => {
    const server = serve(
      {
        fetch: options.fetch,
        hostname: options.hostname,
        port: options.port,
        serverOptions: {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          // Node checks the two timeouts above only this often (default 30 s, which is how a 60 s
          // headers timeout became ~85 s); check often enough that a timeout means what it says.
          connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
        },
      },
      () => resolve(server as Server),
    ) as Server;
    server.maxConnections = limits.maxConnections;
    server.once('error', reject);
  });
}
