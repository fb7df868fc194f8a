/**
 * Phase 1, HTTP: a fresh `ler-node` process, fixtures made through its API, then `requests` generated
 * hostile requests (http-arbitraries.ts) at `concurrency`, slowloris sockets and oversized bodies at the
 * same time, loopback listeners counting outbound connections, RSS sampled throughout and compared after
 * a GC, and finally: do the valid credentials issued before the attack still verify?
 */

import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { api } from './api.ts';
import { type AttackRequest, adminSweep, attackRequest } from './http-arbitraries.ts';
import { createClient, judge } from './http-client.ts';
import { createHttpFixtures } from './http-setup.ts';
import { startListeners } from './listeners.ts';
import { startNode } from './node-process.ts';
import { oversized, slowloris } from './slow-clients.ts';
import { ssrfTargets } from './ssrf-targets.ts';

export interface HttpAttackOptions {
  requests: number;
  concurrency: number;
  seed: number;
  slowloris: number;
  slowlorisCapMs: number;
  oversized: number;
  /** Requests per minute on public routes; high by default so the attack reaches the handlers. */
  rateLimit: number;
  log: (line: string) => void;
}

export interface HttpAttackFigures {
  requests: number;
  byStatus: Record<string, number>;
  fiveXx: number;
  nonJson: number;
  badErrorShape: number;
  adminBypass: number;
  /** Every admin route × every kind of bad credentials. */
  adminSweep: { requests: number; refused: number };
  transportErrors: number;
  slowest: { ms: number; label: string };
  samples: Array<{ kind: string; request: string; detail: string }>;
  outboundConnections: number;
  outboundSeen: string[];
  slowloris: { sockets: number; closedByNode: number; longestMs: number; capMs: number; answer?: string };
  oversized: { requests: number; statuses: Record<string, number>; slowestMs: number };
  rss: { beforeMiB: number; peakMiB: number; afterMiB: number; growthPct: number };
  validAfter: { checked: number; failed: number; why: string[] };
  validBefore: { checked: number; failed: number };
  nodeCrashed: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function httpAttack(options: HttpAttackOptions): Promise<HttpAttackFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'ler-attack-http-'));
  const listener = await startListeners();
  const node = await startNode({ dataDir: dir, env: { LER_PUBLIC_RATE_LIMIT: String(options.rateLimit) } });
  const client = api(node.url, node.token);
  try {
    const fixtures = await createHttpFixtures(client, node, ssrfTargets(listener.port4, listener.port6));
    const checkValid = async () => {
      let failed = 0;
      const why: string[] = [];
      for (const vc of fixtures.credentials) {
        const { status, body } = await client.call('POST', '/credentials/verify', { verifiableCredential: vc }, false);
        if (status !== 200 || body.verified !== true) {
          failed++;
          const checks = (body.checks ?? []).filter((c: { status: string }) => c.status === 'failed');
          why.push(
            `${(vc.proof as { cryptosuite?: string; type?: string })?.cryptosuite ?? (vc.proof as { type?: string })?.type}: ${status} ${JSON.stringify(checks.length ? checks : body).slice(0, 300)}`,
          );
        }
      }
      return { checked: fixtures.credentials.length, failed, why };
    };
    const validBefore = await checkValid();
    await sleep(2_000);
    await node.gc();
    const beforeMiB = await node.rssMiB();
    options.log(
      `http: node up (RSS ${beforeMiB.toFixed(0)} MiB after GC); ${options.requests} requests at concurrency ${options.concurrency}`,
    );

    let peakMiB = beforeMiB;
    const sampler = setInterval(() => {
      node.rssMiB().then(
        (r) => {
          peakMiB = Math.max(peakMiB, r);
        },
        () => undefined,
      );
    }, 250);

    const slow = slowloris(node.url, options.slowloris, options.slowlorisCapMs);
    const raw = createClient(node.url, { maxSockets: options.concurrency, timeoutMs: 60_000 });
    const figures = {
      byStatus: {} as Record<string, number>,
      fiveXx: 0,
      nonJson: 0,
      badErrorShape: 0,
      adminBypass: 0,
      transportErrors: 0,
      slowest: { ms: 0, label: '' },
      samples: [] as Array<{ kind: string; request: string; detail: string }>,
    };
    const seenSample = new Set<string>();
    // Every admin route with every kind of bad credentials first, then the generated mix.
    const sweep = adminSweep(fixtures);
    let sweepRefused = 0;
    for (const request of sweep) {
      const response = await raw.send(request);
      if (response.status >= 400) sweepRefused++;
      else if (response.status < 400) {
        figures.adminBypass++;
        figures.samples.push({
          kind: 'admin-bypass',
          request: String(request).slice(0, 400),
          detail: `${response.status}`,
        });
      }
    }
    let sent = 0;
    const BATCH = 200;
    // Generated in batches: some values are megabytes, and 10,000 of them at once would be gigabytes.
    for (let batch = 0; sent < options.requests; batch++) {
      const requests: AttackRequest[] = fc.sample(attackRequest(fixtures), {
        numRuns: Math.min(BATCH, options.requests - sent),
        seed: options.seed + batch,
      });
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const request = requests[next++];
          try {
            const response = await raw.send(request);
            figures.byStatus[response.status] = (figures.byStatus[response.status] ?? 0) + 1;
            if (response.ms > figures.slowest.ms)
              figures.slowest = { ms: response.ms, label: String(request).slice(0, 200) };
            const verdict = judge(request, response);
            if (!verdict.ok) {
              if (verdict.kind === '5xx') figures.fiveXx++;
              else if (verdict.kind === 'non-json') figures.nonJson++;
              // A page answering neither HTML with its CSP nor an error in the error shape.
              else if (verdict.kind === 'bad-error-shape' || verdict.kind === 'bad-page') figures.badErrorShape++;
              else figures.adminBypass++;
              const key = `${verdict.kind} ${request.label} ${verdict.detail.slice(0, 60)}`;
              if (!seenSample.has(key) && figures.samples.length < 40) {
                seenSample.add(key);
                figures.samples.push({
                  kind: verdict.kind,
                  request: String(request).slice(0, 400),
                  detail: verdict.detail.slice(0, 300),
                });
              }
            }
          } catch (error) {
            figures.transportErrors++;
            if (!node.alive()) throw new Error(`the node died during the attack: ${node.stderr().slice(-2000)}`);
            const key = `transport ${request.label}`;
            if (!seenSample.has(key) && figures.samples.length < 40) {
              seenSample.add(key);
              figures.samples.push({
                kind: 'transport',
                request: String(request).slice(0, 400),
                detail: (error as Error).message,
              });
            }
          }
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      sent += requests.length;
      if (batch % 10 === 9)
        options.log(
          `http: ${sent} requests, ${figures.fiveXx} 5xx, ${listener.connections()} outbound connections to loopback`,
        );
    }
    raw.close();
    const big = await oversized(node.url, node.token, options.oversized);
    const slowResult = await slow;
    clearInterval(sampler);

    // Last, the burst that poisoned the proof workers (finding 2): the node's own signed credentials with
    // `__proto__` as status list, a few times each, so every worker sees some. Mixed into the fuzz, such
    // requests can be washed out by a worker restart (e.g. a heap limit hit by a huge body).
    for (let i = 0; i < 4; i++) {
      for (const vc of fixtures.credentials) {
        const poisoned = {
          ...vc,
          credentialStatus: { ...(vc.credentialStatus as object), statusListCredential: '__proto__' },
        };
        await client
          .call('POST', '/credentials/verify', { verifiableCredential: poisoned }, false)
          .catch(() => undefined);
      }
    }
    const validAfter = await checkValid();
    await sleep(2_000);
    await node.gc();
    const afterMiB = await node.rssMiB();
    return {
      requests: sent,
      ...figures,
      adminSweep: { requests: sweep.length, refused: sweepRefused },
      outboundConnections: listener.connections(),
      outboundSeen: listener.seen(),
      slowloris: { ...slowResult, capMs: options.slowlorisCapMs },
      oversized: big,
      rss: { beforeMiB, peakMiB, afterMiB, growthPct: ((afterMiB - beforeMiB) / beforeMiB) * 100 },
      validBefore: { checked: validBefore.checked, failed: validBefore.failed },
      validAfter,
      nodeCrashed: !node.alive(),
    };
  } finally {
    await node.stop();
    await listener.close();
    await rm(dir, { recursive: true, force: true });
  }
}
