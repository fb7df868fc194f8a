/**
 * VCALM workflows and exchanges (W3C VCALM draft): two workflows, `issuance`
 * and `verification`. Creating an exchange and reading its state need the
 * admin token; taking part needs only the exchange URL (a capability URL).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { Exchanges } from '../../vcalm/exchanges.ts';
import { readJsonBody, readJsonObject } from '../json-body.ts';
import { parseRequest } from '../request-input.ts';

export function vcalmRoutes(deps: {
  exchanges: Exchanges;
  adminOnly: MiddlewareHandler;
  publicLimit: MiddlewareHandler;
}) {
  const app = new Hono();
  const { exchanges } = deps;
  const noStore = { 'cache-control': 'no-store' };

  app.post('/workflows/:workflow/exchanges', deps.adminOnly, async (c) => {
    const created = await exchanges.create(
      c.req.param('workflow'),
      await parseRequest('ExchangeRequest', await readJsonObject(c)),
    );
    return c.json(created, 201, { location: created.exchangeUrl as string, ...noStore });
  });
  app.get('/workflows/:workflow/exchanges/:id', deps.adminOnly, async (c) =>
    c.json(await exchanges.state(c.req.param('workflow'), c.req.param('id')), 200, noStore),
  );
  app.post('/workflows/:workflow/exchanges/:id', deps.publicLimit, async (c) => {
    const message = await readJsonBody(c);
    return c.json(
      await exchanges.participate(c.req.param('workflow'), c.req.param('id'), message, c.req.raw.signal),
      200,
      noStore,
    );
  });
  app.get('/workflows/:workflow/exchanges/:id/protocols', deps.publicLimit, async (c) =>
    c.json(await exchanges.protocols(c.req.param('id'), c.req.param('workflow')), 200, noStore),
  );
  app.get('/workflows/:workflow/exchanges/:id/request', deps.publicLimit, async (c) =>
    c.json(await exchanges.currentRequest(c.req.param('workflow'), c.req.param('id')), 200, noStore),
  );
  // "Interaction URLs": fetched with Accept: application/json, the protocols this exchange can run over.
  app.get('/interactions/:id', deps.publicLimit, async (c) =>
    c.json(await exchanges.protocols(c.req.param('id')), 200, noStore),
  );
  return app;
}
