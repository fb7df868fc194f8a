/**
 * CORS for the public endpoints (decision 0039). Two kinds:
 * - public documents (status lists, DID documents and resolution, /.well-known, OpenID Federation statements,
 *   OID4VCI metadata, the OpenAPI document): any origin may read them (`*`), because anyone may fetch them
 *   anyway and browser wallets and verifiers must;
 * - verification (POST /credentials/verify, /credentials/verify/batch, /presentations/verify): only the origins
 *   the operator lists (`--cors-origins`; none by default), because it costs this node work and makes outbound
 *   fetches.
 * Never with credentials, never `Authorization` among the allowed request headers, never on an admin route:
 * a browser page can therefore never use an operator's token from another origin.
 */
import type { MiddlewareHandler } from 'hono';

export type CorsKind = 'public-documents' | 'configured-origins';

export interface CorsOptions {
  /** Origins allowed on the verification endpoints: exact origins (`https://wallet.example`) or `*`. */
  origins: string[];
  /** The path the node's did:web document is served at, besides /.well-known/did.json. */
  didDocumentPath?: string;
}

const VERIFY_PATHS = new Set(['/credentials/verify', '/credentials/verify/batch', '/presentations/verify']);
// Under /oidf/ only these are the operator's: keys and accepted anchors.
const OIDF_ADMIN = /^\/oidf\/(keys|anchors)(\/|$)/;
const MAX_AGE_SECONDS = '600';

/** Which CORS policy covers a request, if any. */
export function corsKind(method: string, path: string, didDocumentPath?: string): CorsKind | undefined {
  if (method === 'POST' && VERIFY_PATHS.has(path)) return 'configured-origins';
  if (method === 'POST' && /^\/oidf\/[^/]+\/trust-mark-status$/.test(path)) return 'public-documents';
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  if (
    path.startsWith('/status-lists/') ||
    path.startsWith('/1.0/identifiers/') ||
    path.startsWith('/.well-known/') ||
    path === '/openapi.json' ||
    path === didDocumentPath ||
    (path.startsWith('/oidf/') && !OIDF_ADMIN.test(path))
  ) {
    return 'public-documents';
  }
  return undefined;
}

export function cors(options: CorsOptions): MiddlewareHandler {
  const anyOrigin = options.origins.includes('*');
  const listed = new Set(options.origins);
  /** The Access-Control-Allow-Origin value for this origin under this policy, or undefined. */
  const allowOrigin = (kind: CorsKind, origin: string) => {
    if (kind === 'public-documents' || anyOrigin) return '*';
    return listed.has(origin) ? origin : undefined;
  };
  return async function corsHeaders(c, next) {
    const origin = c.req.header('origin');
    const preflightMethod = c.req.method === 'OPTIONS' ? c.req.header('access-control-request-method') : undefined;
    if (origin !== undefined && preflightMethod !== undefined) {
      const kind = corsKind(preflightMethod.toUpperCase(), c.req.path, options.didDocumentPath);
      const allowed = kind ? allowOrigin(kind, origin) : undefined;
      // A refused preflight is a 204 without CORS headers: the browser then refuses the request itself.
      const headers: Record<string, string> = { vary: 'Origin', 'cache-control': 'no-store' };
      if (kind && allowed) {
        Object.assign(headers, {
          'access-control-allow-origin': allowed,
          'access-control-allow-methods': kind === 'public-documents' ? 'GET, HEAD, POST' : 'POST',
          // Content-Type only: never Authorization, so no cross-origin page can send an admin token.
          'access-control-allow-headers': 'content-type',
          'access-control-max-age': MAX_AGE_SECONDS,
        });
      }
      return c.body(null, 204, headers);
    }
    await next();
    if (origin === undefined) return;
    const kind = corsKind(c.req.method, c.req.path, options.didDocumentPath);
    const allowed = kind ? allowOrigin(kind, origin) : undefined;
    if (!allowed) return;
    c.res.headers.set('access-control-allow-origin', allowed);
    if (allowed !== '*') c.res.headers.append('vary', 'Origin');
    // The TRQP answers' signature is not here; the federation and status documents need no extra header.
    c.res.headers.set('access-control-expose-headers', 'etag, cache-control');
  };
}
