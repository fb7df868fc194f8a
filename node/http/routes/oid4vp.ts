/**
 * OID4VP 1.0 over HTTP: presentation requests for the requester (admin, or
 * anyone when the operator runs a public verifier), the signed request object
 * by reference and the direct_post response endpoint for the wallet, and the
 * result (poll, or a server-sent event when the wallet answered).
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { OpenIdError } from '../../../protocol/oid4vc/errors.ts';
import { REQUEST_OBJECT_TYPE } from '../../../protocol/oid4vc/presentation-request.ts';
import { NodeError } from '../../errors.ts';
import type { PresentationRequests } from '../../oid4vc/presentations.ts';
import { errorBody, handleError } from '../errors.ts';
import { readJsonObject } from '../json-body.ts';
import { loadQrCode } from '../qr-code.ts';
import { parseRequest } from '../request-input.ts';

export interface Oid4vpRouteDeps {
  presentationRequests: PresentationRequests;
  publicVerifier: boolean;
  assertAdmin: (c: Context) => void;
  publicLimit: MiddlewareHandler;
}

const noStore = { 'cache-control': 'no-store' };

export function oid4vpRoutes(deps: Oid4vpRouteDeps) {
  const app = new Hono();
  const requests = deps.presentationRequests;

  /** The admin sees every result; anyone else needs the request's result token. */
  function resultToken(c: Context): string | undefined {
    try {
      deps.assertAdmin(c);
      return undefined;
    } catch {
      const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
      if (!match) throw new NodeError('UNAUTHORIZED', 'the result token (or admin token) is required');
      return match[1];
    }
  }

  app.post('/presentation-requests', deps.publicLimit, async (c) => {
    if (!deps.publicVerifier) deps.assertAdmin(c);
    return c.json(
      await requests.create(await parseRequest('PresentationRequestBody', await readJsonObject(c))),
      201,
      noStore,
    );
  });
  app.get('/presentation-requests/:id/:qr{qr\\.(svg|png)}', deps.publicLimit, async (c) => {
    const id = c.req.param('id');
    if (!(await requests.requestObject(id))) return c.json(errorBody('NOT_FOUND', 'no pending request'), 404);
    const { requestUri } = await requests.uriOf(id);
    if (c.req.param('qr') === 'qr.svg') {
      return c.body(await (await loadQrCode()).toString(requestUri, { type: 'svg', margin: 2 }), 200, {
        'content-type': 'image/svg+xml',
        ...noStore,
      });
    }
    const png = await (await loadQrCode()).toBuffer(requestUri, { type: 'png', margin: 2, scale: 6 });
    return c.body(new Uint8Array(png), 200, { 'content-type': 'image/png', ...noStore });
  });
  app.get('/presentation-requests/:id', deps.publicLimit, async (c) => {
    return c.json(await requests.result(c.req.param('id'), resultToken(c)), 200, noStore);
  });
  app.get('/presentation-requests/:id/events', deps.publicLimit, async (c) => {
    const id = c.req.param('id');
    const token = resultToken(c);
    await requests.result(id, token);
    return streamSSE(c, async (stream) => {
      await requests.answered(id, c.req.raw.signal);
      if (c.req.raw.signal.aborted) return;
      const view = await requests.result(id, token).catch(() => undefined);
      await stream.writeSSE({ event: 'result', data: JSON.stringify(view ?? { id, state: 'expired' }) });
    });
  });

  // §5.10: GET by default; POST when the wallet sends its metadata (request_uri_method=post).
  const requestObject = async (c: Context) => {
    const jwt = await requests.requestObject(c.req.param('id') ?? '');
    if (!jwt) return c.json(errorBody('NOT_FOUND', 'no pending request'), 404);
    return c.body(jwt, 200, { 'content-type': `application/${REQUEST_OBJECT_TYPE}`, ...noStore });
  };
  app.get('/oid4vp/requests/:id', deps.publicLimit, requestObject);
  app.post('/oid4vp/requests/:id', deps.publicLimit, bodyLimit({ maxSize: 64 * 1024 }), requestObject);

  app.post(
    '/oid4vp/responses/:id',
    deps.publicLimit,
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: (c) => c.json(new OpenIdError('invalid_request', 'response too large').body(), 413),
    }),
    async (c) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') {
        throw new OpenIdError('invalid_request', 'direct_post responses are application/x-www-form-urlencoded');
      }
      const form = new URLSearchParams(await c.req.text());
      return c.json(await requests.respond(c.req.param('id'), form, c.req.raw.signal), 200, noStore);
    },
  );

  app.onError((error, c) => {
    if (!(error instanceof OpenIdError)) return handleError(error, c);
    c.header('cache-control', 'no-store');
    return c.json(error.body(), error.status as 400);
  });
  return app;
}
