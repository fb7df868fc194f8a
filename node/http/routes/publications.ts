/** Member publications (API.md): publish as this institution; read the replica, with equivocation evidence. */
import { Hono, type MiddlewareHandler } from 'hono';
import type { PublicationStore } from '../../publications/publication-store.ts';
import { readJsonObject } from '../json-body.ts';
import { parseRequest } from '../request-input.ts';

export function publicationRoutes(deps: { publications: PublicationStore; adminOnly: MiddlewareHandler }) {
  const app = new Hono();
  app.post('/', deps.adminOnly, async (c) => {
    const body = await parseRequest('PublicationRequest', await readJsonObject(c));
    const publication = await deps.publications.publishOwn(body.kind, body.id, body.body, body.version);
    return c.json({ publication }, 201);
  });
  app.get('/', async (c) => {
    const filter = await parseRequest('PublicationsQuery', c.req.query());
    return c.json({
      publications: deps.publications.list(filter),
      equivocations: await deps.publications.equivocations(filter),
    });
  });
  return app;
}
