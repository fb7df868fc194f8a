/**
 * The Node HTTP server the API runs on, with the limits Node leaves off or
 * generous by default: a client must send its headers within
 * `headersTimeoutMs` and its whole request within `requestTimeoutMs`, an idle
 * keep-alive socket is closed after `keepAliveTimeoutMs`, and at most
 * `maxConnections` sockets are open at once. Without them a client sending a
 * header byte now and then (slowloris) held a socket for ~85 s.
 */
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';
import { DEFAULT_HTTP_LIMITS, type HttpServerLimits } from './limits.ts';

export interface HttpServerOptions {
  fetch: (request: Request, env: unknown) => Response | Promise<Response>;
  hostname: string;
  port: number;
  limits?: Partial<HttpServerLimits>;
  /** PEM certificate (chain) and key: serve HTTPS (decision 0039). */
  tls?: { cert: string; key: string };
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
        ...(options.tls ? { createServer: createHttpsServer } : {}),
        serverOptions: {
          ...(options.tls ? { cert: options.tls.cert, key: options.tls.key } : {}),
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
    // Requests Node refuses before any handler runs (oversized headers, malformed HTTP) get the API's JSON error
    // shape too, instead of Node's bare status line.
    server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => answerClientError(error, socket));
    server.once('error', reject);
  });
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'REQUEST_TIMEOUT'],
};

function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A reset or timed-out socket can take no answer; a half-written one must not get a second.
  if (error.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const [status, reason, code] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'MALFORMED_REQUEST'];
  const body = JSON.stringify({ error: { code, message: `${reason.toLowerCase()}` } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}
