/**
 * `npm run bench:request-overhead`: what the per-request log line and metrics
 * sample (node/http/request-observer.ts) add to one request, in-process:
 * the same hono route with and without the observer, the log going to
 * /dev/null as JSON (the production format off a TTY). Options: --requests N
 * per measurement (default 50,000), --rounds N (default 3).
 */
import { openSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Hono } from 'hono';
import { requestObserver } from '../node/http/request-observer.ts';
import { createLogger } from '../node/logger.ts';
import { createNodeMetrics } from '../node/observability/metrics.ts';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '50000' }, rounds: { type: 'string', default: '3' } },
});
const N = Number(values.requests);

function app(observed: boolean): Hono {
  const a = new Hono();
  if (observed) {
    const logger = createLogger({ destination: openSync('/dev/null', 'w') });
    a.use(requestObserver({ logger, metrics: createNodeMetrics({ version: 'bench' }) }));
  }
  a.get('/networks/:id', (c) => c.json({ ok: true }));
  return a;
}

async function perRequest(target: Hono): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < N; i++) await target.request(`/networks/id${i}`);
  return ((performance.now() - started) * 1000) / N;
}

const [plain, observed] = [app(false), app(true)];
for (let round = 1; round <= Number(values.rounds); round++) {
  const a = await perRequest(plain);
  const b = await perRequest(observed);
  console.log(
    `round ${round}: without ${a.toFixed(1)} µs/request, with log line + metrics ${b.toFixed(1)} µs/request: +${(b - a).toFixed(1)} µs`,
  );
}
