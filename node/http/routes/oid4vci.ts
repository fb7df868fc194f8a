/**
 * OID4VCI 1.0 over HTTP: the issuer's and authorization server's metadata,
 * offers (admin), the offer by reference and its QR code, and the token, nonce
 * and credential endpoints. Errors of the wallet-facing endpoints are in the
 * OAuth / OID4VCI format (`{error, error_description}`), which wallets parse.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { OpenIdError } from '../../../protocol/oid4vc/errors.ts';
import {
  authorizationServerMetadata,
  credentialIssuerMetadata,
  endpointUrls,
} from '../../../protocol/oid4vc/issuance-metadata.ts';
import { NodeError } from '../../errors.ts';
import type { OfferIssuance } from '../../oid4vc/issuance.ts';
import { errorBody, handleError } from '../errors.ts';
import { readJsonBody, readJsonObject } from '../json-body.ts';
import { loadQrCode } from '../qr-code.ts';
import { parseRequest } from '../request-input.ts';

export interface Oid4vciRouteDeps {
  offers: OfferIssuance;
  /** The node's public base URL: the Credential Issuer Identifier. */
  publicUrl: string;
  issuerName: () => string;
  adminOnly: MiddlewareHandler;
  publicLimit: MiddlewareHandler;
}

const noStore = { 'cache-control': 'no-store' };

function openIdError(c: Context, error: OpenIdError): Response {
  if (error.code === 'invalid_token') {
    // RFC 6750 §3: the challenge tells the wallet why its token was refused.
    c.header(
      'www-authenticate',
      `Bearer error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`,
    );
  }
  c.header('cache-control', 'no-store');
  return c.json(error.body(), error.status as 400);
}

export function oid4vciRoutes(deps: Oid4vciRouteDeps) {
  const app = new Hono();
  const urls = () => endpointUrls(deps.publicUrl);
  const smallBody = bodyLimit({
    maxSize: 64 * 1024,
    onError: (c) => c.json(new OpenIdError('invalid_request', 'request body too large').body(), 413),
  });

  const issuerMetadata = (c: Context) => c.json(credentialIssuerMetadata(urls(), deps.issuerName()));
  app.get('/.well-known/openid-credential-issuer', issuerMetadata);
  app.get('/.well-known/oauth-authorization-server', (c) => c.json(authorizationServerMetadata(urls())));

  app.post('/offers', deps.adminOnly, async (c) => {
    const created = await deps.offers.create(await parseRequest('OfferRequest', await readJsonObject(c)));
    return c.json(created, 201, noStore);
  });
  app.get('/offers/:id/status', deps.adminOnly, async (c) => {
    const status = await deps.offers.status(c.req.param('id'));
    if (!status) return c.json(errorBody('NOT_FOUND', 'no such offer'), 404);
    return c.json(status, 200, noStore);
  });
  // §4.1.3: by reference. The id is as unguessable as the code it reveals; once redeemed or expired it is gone.
  app.get('/offers/:id', deps.publicLimit, async (c) => {
    const offer = await deps.offers.offerObject(c.req.param('id'));
    if (!offer) return c.json(errorBody('NOT_FOUND', 'no pending offer with that id'), 404);
    return c.json(offer, 200, noStore);
  });
  app.get('/offers/:id/:qr{qr\\.(svg|png)}', deps.publicLimit, async (c) => {
    const id = c.req.param('id');
    if (!(await deps.offers.offerObject(id)))
      return c.json(errorBody('NOT_FOUND', 'no pending offer with that id'), 404);
    const uri = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(`${urls().issuer}/offers/${id}`)}`;
    if (c.req.param('qr') === 'qr.svg') {
      return c.body(await (await loadQrCode()).toString(uri, { type: 'svg', margin: 2 }), 200, {
        'content-type': 'image/svg+xml',
        ...noStore,
      });
    }
    const png = await (await loadQrCode()).toBuffer(uri, { type: 'png', margin: 2, scale: 6 });
    return c.body(new Uint8Array(png), 200, { 'content-type': 'image/png', ...noStore });
  });

  // RFC 6749 §4.1.3 / OID4VCI §6: form-encoded token request.
  app.post('/oid4vci/token', deps.publicLimit, smallBody, async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      throw new OpenIdError('invalid_request', 'the token request must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(await c.req.text());
    return c.json(await deps.offers.token(form), 200, noStore);
  });
  app.post('/oid4vci/nonce', deps.publicLimit, async (c) => c.json(await deps.offers.nonce(), 200, noStore));
  app.post('/oid4vci/credential', deps.publicLimit, smallBody, async (c) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    let body: unknown;
    try {
      body = await readJsonBody(c);
    } catch (error) {
      if (error instanceof NodeError) throw new OpenIdError('invalid_credential_request', error.message);
      throw error;
    }
    return c.json(await deps.offers.credential(match?.[1], body), 200, noStore);
  });

  app.onError((error, c) => (error instanceof OpenIdError ? openIdError(c, error) : handleError(error, c)));
  return app;
}
