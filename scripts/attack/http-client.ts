/**
 * Raw HTTP requests (node:http, not fetch: fetch would normalise the paths and encodings under test) and
 * the judgement of one answer against the API contract: JSON, errors in the `{error: {code, message}}`
 * shape, no 5xx except the documented 501 of DID resolution (methodNotSupported).
 */
import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Path and query, already encoded (ASCII). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** What the generator meant to test, for the report. */
  label: string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

export function createClient(baseUrl: string, options: { maxSockets?: number; timeoutMs?: number } = {}) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 8 });
  const timeoutMs = options.timeoutMs ?? 60_000;
  function send(request: RawRequest): Promise<RawResponse> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const body = request.body === undefined ? undefined : Buffer.from(request.body);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: request.method,
          path: request.path,
          agent,
          // A chunked request carries no Content-Length the node could refuse on sight.
          headers:
            body && !request.headers?.['transfer-encoding']
              ? { 'content-length': String(body.byteLength), ...request.headers }
              : { ...request.headers },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
              ms: performance.now() - started,
            }),
          );
          res.on('error', reject);
        },
      );
      // A node that answers early (413, 431) and closes while the body is still being written makes the
      // socket fail with EPIPE after the request settled; that must not take the harness down.
      req.on('socket', (socket) => {
        if (!(socket as { harnessGuard?: boolean }).harnessGuard) {
          (socket as { harnessGuard?: boolean }).harnessGuard = true;
          socket.on('error', () => undefined);
        }
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
  return { send, close: () => agent.destroy() };
}

export type Verdict =
  | { ok: true }
  | { ok: false; kind: '5xx' | 'non-json' | 'bad-error-shape' | 'admin-bypass' | 'bad-page'; detail: string };

function isJsonType(type: string | undefined): boolean {
  const t = (type ?? '').split(';')[0].trim().toLowerCase();
  // The W3C DID Resolution draft's JSON representations have media types of their own.
  const didTypes = ['application/did', 'application/did-resolution', 'application/did-url-dereferencing'];
  return t === 'application/json' || /^application\/[\w.+-]*\+json$/.test(t) || didTypes.includes(t);
}

/** The error of a DID resolution or dereferencing result: a string code (older drafts) or an RFC 9457 object. */
function didErrorOf(json: unknown): { code?: string } | undefined {
  const meta =
    (json as { didResolutionMetadata?: { error?: unknown } })?.didResolutionMetadata ??
    (json as { dereferencingMetadata?: { error?: unknown } })?.dereferencingMetadata;
  const error = meta?.error;
  if (typeof error === 'string') return { code: error };
  if (error && typeof error === 'object' && typeof (error as { type?: unknown }).type === 'string') {
    return { code: (error as { code?: string }).code ?? String((error as { type: string }).type) };
  }
  return undefined;
}

/**
 * Judges one answer. `adminWithBadCredentials`: the request went to an admin route with a wrong or
 * missing token, so anything but 401/403 (or an earlier 4xx about the request itself) is a bypass.
 */
/** The web pages (node/http/pages/, issue 13) answer HTML, not JSON. */
export function isPagePath(path: string): boolean {
  const p = path.split('?')[0];
  return p === '/' || /^\/(explore|admin|assets)(\/|$)/.test(p);
}

/**
 * A page answers HTML with the page CSP (or an asset, or a redirect to sign-in, or a JSON error from the
 * shared error handler), never a 5xx, and no admin page but sign-in answers 200 without a session.
 */
function judgePage(request: RawRequest, response: RawResponse, text: string): Verdict {
  if (response.status >= 500) return { ok: false, kind: '5xx', detail: text.slice(0, 300) };
  const type = (response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const path = request.path.split('?')[0];
  if (path.startsWith('/admin') && !path.startsWith('/admin/sign-in') && response.status < 300) {
    return { ok: false, kind: 'admin-bypass', detail: `${response.status}: ${text.slice(0, 200)}` };
  }
  if (response.status >= 300 && response.status < 400) {
    return response.headers.location === '/admin/sign-in' || response.status === 304
      ? { ok: true }
      : { ok: false, kind: 'bad-page', detail: `redirect to ${response.headers.location}` };
  }
  if (type === 'text/html') {
    const csp = String(response.headers['content-security-policy'] ?? '');
    return csp.includes("frame-ancestors 'none'") && csp.includes("script-src 'self'")
      ? { ok: true }
      : { ok: false, kind: 'bad-page', detail: `page CSP: ${csp}` };
  }
  if (path.startsWith('/assets/') && response.status === 200 && /^text\/(css|javascript)$/.test(type))
    return { ok: true };
  if (isJsonType(type)) {
    const error = (JSON.parse(text || 'null') as { error?: { code?: unknown } } | null)?.error;
    if (response.status >= 400 && typeof error?.code === 'string') return { ok: true };
  }
  return { ok: false, kind: 'bad-page', detail: `${response.status} ${type}: ${text.slice(0, 200)}` };
}

export function judge(request: RawRequest & { adminWithBadCredentials?: boolean }, response: RawResponse): Verdict {
  const text = response.body.toString('utf8');
  if (isPagePath(request.path)) return judgePage(request, response, text);
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const didResolution = request.path.startsWith('/1.0/identifiers/');
  const documented501 =
    response.status === 501 &&
    didResolution &&
    /methodNotSupported|METHOD_NOT_SUPPORTED|FEATURE_NOT_SUPPORTED|featureNotSupported/.test(
      didErrorOf(json)?.code ?? '',
    );
  if (response.status >= 500 && !documented501) return { ok: false, kind: '5xx', detail: text.slice(0, 300) };
  if (!isJsonType(response.headers['content-type']) || json === undefined) {
    return { ok: false, kind: 'non-json', detail: `${response.headers['content-type']}: ${text.slice(0, 200)}` };
  }
  if (request.adminWithBadCredentials && response.status < 400) {
    return { ok: false, kind: 'admin-bypass', detail: `${response.status}: ${text.slice(0, 200)}` };
  }
  if (response.status >= 400) {
    const error = (json as { error?: { code?: unknown; message?: unknown } })?.error;
    const apiShape = typeof error?.code === 'string' && typeof error?.message === 'string';
    // W3C DID Resolution keeps its errors in didResolutionMetadata (API.md).
    const resolutionShape = didResolution && didErrorOf(json) !== undefined;
    if (!apiShape && !resolutionShape) return { ok: false, kind: 'bad-error-shape', detail: text.slice(0, 300) };
  }
  return { ok: true };
}
