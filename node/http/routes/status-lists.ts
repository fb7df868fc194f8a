/** Serves this node's signed status list credentials (public and cacheable). */
import { Hono } from 'hono';
import { NodeError } from '../../errors.ts';
import type { OwnStatusLists } from '../../issuing/status-lists.ts';

export function statusListRoutes(deps: { statusLists: OwnStatusLists }) {
  const app = new Hono();
  app.get('/:listId', async (c) => {
    const credential = await deps.statusLists.getListCredential(c.req.param('listId'));
    if (!credential) throw new NodeError('STATUS_LIST_NOT_FOUND', `no status list ${c.req.param('listId')}`);
    // Short: verifiers should see a revocation soon, yet not fetch on every check.
    c.header('cache-control', 'public, max-age=60');
    return c.json(credential);
  });
  return app;
}
