/**
 * `GET /metrics`: the node's Prometheus text exposition. Behind a bearer token
 * (decision 0037): the metrics token when one is configured, or the admin
 * token; traffic figures are the operator's business, not the public's.
 */
import { Hono } from 'hono';
import { hashToken } from '../../identity.ts';
import type { NodeMetrics } from '../../observability/metrics.ts';
import { assertOneOfTokens } from '../auth.ts';

export function metricsRoutes(deps: { metrics: NodeMetrics; adminTokenHash: Buffer; metricsToken?: string }) {
  const hashes = [deps.adminTokenHash, ...(deps.metricsToken ? [hashToken(deps.metricsToken)] : [])];
  const what = deps.metricsToken ? 'the metrics token (or the admin token)' : 'the admin token (or a --metrics-token)';
  const app = new Hono();
  app.get('/', async (c) => {
    assertOneOfTokens(c, hashes, what);
    const body = await deps.metrics.exposition();
    return c.body(body, 200, { 'content-type': deps.metrics.contentType, 'cache-control': 'no-store' });
  });
  return app;
}
