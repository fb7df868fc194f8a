/** Member publications (API.md): publish as this institution; read the replica, with equivocation evidence. */
import { Hono, type MiddlewareHandler } from 'hono';
import { PUBLICATION_KINDS, type PublicationKind } from '../../../registry/publications.ts';
import { NodeError } from '../../errors.ts';
import type { PublicationStore } from '../../publications/publication-store.ts';
import { readJsonObject } from '../json-body.ts';

export function publicationRoutes(deps: { publications: PublicationStore; adminOnly: MiddlewareHandler }) {
  const app = new Hono();
  app.post('/', deps.adminOnly, async (c) => {
    const body = await readJsonObject(c);
    if (!PUBLICATION_KINDS.includes(body.kind as PublicationKind)) {
      throw new NodeError('VALIDATION_FAILED', `kind must be one of ${PUBLICATION_KINDS.join(', ')}`);
    }
    if (typeof body.id !== 'string' || body.id === '') throw new NodeError('VALIDATION_FAILED', 'id must be a string');
    if (!body.body || typeof body.body !== 'object' || Array.isArray(body.body)) {
      throw new NodeError('VALIDATION_FAILED', 'body must be an object');
    }
    if (body.version !== undefined && (!Number.isSafeInteger(body.version) || (body.version as number) < 1)) {
      throw new NodeError('VALIDATION_FAILED', 'version must be a whole number ≥ 1');
    }
    const publication = await deps.publications.publishOwn(
      body.kind as PublicationKind,
      body.id,
      body.body as Record<string, unknown>,
      body.version as number | undefined,
    );
    return c.json({ publication }, 201);
  });
  app.get('/', async (c) => {
    const filter = { publisher: c.req.query('publisher'), kind: c.req.query('kind') };
    return c.json({
      publications: deps.publications.list(filter),
      equivocations: await deps.publications.equivocations(filter),
    });
  });
  return app;
}
