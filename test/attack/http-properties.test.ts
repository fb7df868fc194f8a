/**
 * Property-based attack on a real `ler-node` process over HTTP (issue 16): fast-check generates mutated
 * requests over the route and body schemas (scripts/attack/http-arbitraries.ts, the same generator
 * `npm run attack` uses at scale), and every answer must be JSON, errors in the API's error shape, never
 * a 5xx (but the documented 501 of DID resolution); requests pointing at loopback listeners must never
 * make the node connect to them.
 */
import { rm } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../scripts/attack/api.ts';
import { attackRequest, type HttpFixtures, ssrfRequest } from '../../scripts/attack/http-arbitraries.ts';
import { createClient, judge } from '../../scripts/attack/http-client.ts';
import { createHttpFixtures } from '../../scripts/attack/http-setup.ts';
import { type Listener, startListeners } from '../../scripts/attack/listeners.ts';
import { type AttackNode, startNode } from '../../scripts/attack/node-process.ts';
import { ssrfTargets } from '../../scripts/attack/ssrf-targets.ts';
import { tempDir } from '../helpers/node.ts';

describe('when a real node is sent generated hostile requests', () => {
  let dir: string;
  let node: AttackNode;
  let listener: Listener;
  let fixtures: HttpFixtures;
  let client: ReturnType<typeof createClient>;

  beforeAll(async () => {
    dir = await tempDir('ler-attack-prop-');
    listener = await startListeners();
    node = await startNode({ dataDir: dir, verifyWorkers: 1 });
    fixtures = await createHttpFixtures(api(node.url, node.token), node, ssrfTargets(listener.port4, listener.port6));
    client = createClient(node.url, { maxSockets: 1, timeoutMs: 15_000 });
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await node?.stop();
    await listener?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers every request with JSON, errors in the error shape, and never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(attackRequest(fixtures, { ssrf: false }), async (request) => {
        const response = await client.send(request);
        const verdict = judge(request, response);
        expect(verdict, String(request)).toEqual({ ok: true });
      }),
      { numRuns: 300, seed: 16, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false },
    );
  }, 60_000);

  it('never connects to a loopback listener, whatever spelling of its address a request uses', async () => {
    await fc.assert(
      fc.asyncProperty(ssrfRequest(fixtures), async (request) => {
        const before = listener.connections();
        await client.send(request);
        expect(listener.connections() - before, String(request)).toBe(0);
      }),
      { numRuns: 60, seed: 16, interruptAfterTimeLimit: 6_000, markInterruptAsFailure: false },
    );
  }, 60_000);
});
