import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Exposition, parseExposition, scrape } from '../../helpers/metrics.ts';
import { sampleBadge, tempDir } from '../../helpers/node.ts';
import { until } from '../../helpers/peers.ts';
import { type NodeProcess, startNodeProcess } from '../../helpers/process.ts';

const METRICS_TOKEN = 'scrape-only-token-0123456789';
const DASHBOARD = new URL('../../../docs/operations/grafana-dashboard.json', import.meta.url);

async function call(node: NodeProcess, method: string, path: string, body?: unknown, token = node.token) {
  const res = await fetch(`${node.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** `after - before` of one series. */
const moved = (before: Exposition, after: Exposition, name: string, labels: Record<string, string> = {}) =>
  after.value(name, labels) - before.value(name, labels);

describe('GET /metrics of two ler-node processes joined over libp2p', () => {
  let dir: string;
  let a: NodeProcess;
  let b: NodeProcess;
  const scrapeA = () => scrape(a.url, METRICS_TOKEN);
  const scrapeB = () => scrape(b.url, b.token!);

  beforeAll(async () => {
    dir = await tempDir();
    a = await startNodeProcess(join(dir, 'a'), { LER_METRICS_TOKEN: METRICS_TOKEN, LER_LOG_LEVEL: 'warn' });
    const bootstrap = (await call(a, 'GET', '/health')).body.multiaddrs[0] as string;
    b = await startNodeProcess(join(dir, 'b'), { LER_BOOTSTRAP: bootstrap }, 20_000, ['--log-level', 'debug']);
  }, 60_000);
  afterAll(async () => {
    for (const n of [a, b]) if (n?.child.exitCode === null) n.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('answers only the metrics token or the admin token, which can read it but not the other way round', async () => {
    const missing = await fetch(`${a.url}/metrics`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as any).error).toMatchObject({
      code: 'UNAUTHORIZED',
      details: { reason: 'missing' },
    });
    const wrong = await fetch(`${a.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(((await wrong.json()) as any).error.details.reason).toBe('wrong');
    const ok = await fetch(`${a.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await scrape(a.url, a.token!)).types.get('ler_http_requests_total')).toBe('counter');
    // A scrape credential changes nothing.
    expect((await call(a, 'POST', '/governor-keys', {}, METRICS_TOKEN)).status).toBe(401);
  });

  it('counts requests by route pattern and status with a latency histogram, never naming an id', async () => {
    const before = await scrapeA();
    const ids = ['AAAAnetwork-id-one', 'BBBBnetwork-id-two', 'CCCCnetwork-id-three'];
    for (const id of ids) expect((await call(a, 'GET', `/networks/${id}?secret=q${id}`)).status).toBe(404);
    const after = await scrapeA();
    const labels = { method: 'GET', route: '/networks/:id' };
    expect(moved(before, after, 'ler_http_requests_total', { ...labels, status: '404' })).toBe(3);
    expect(moved(before, after, 'ler_http_request_duration_seconds_count', labels)).toBe(3);
    expect(moved(before, after, 'ler_http_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(3);
    const text = await (
      await fetch(`${a.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    for (const id of ids) expect(text).not.toContain(id);
    expect(text).not.toContain('secret=');
  });

  it('counts issuance, status changes and verifications by outcome and cryptosuite', async () => {
    const before = await scrapeA();
    const issue = async (cryptosuite: string) =>
      (
        await call(a, 'POST', '/credentials/issue', {
          credential: sampleBadge({ issuer: a.did }),
          options: { cryptosuite },
        })
      ).body.verifiableCredential;
    const verify = async (vc: unknown) =>
      (await call(a, 'POST', '/credentials/verify', { verifiableCredential: vc })).body;
    const rdfc = await issue('eddsa-rdfc-2022');
    const jcs = await issue('eddsa-jcs-2022');
    expect((await verify(rdfc)).verified).toBe(true);
    expect((await verify(jcs)).verified).toBe(true);
    await call(a, 'POST', '/credentials/status', {
      credentialId: rdfc.id,
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
      status: true,
    });
    // Revoked: still `verified` (a warning), but not valid.
    expect((await verify(rdfc)).verified).toBe(true);
    expect((await verify({ ...jcs, name: 'Tampered' })).verified).toBe(false);
    const after = await scrapeA();
    const v = (outcome: string, cryptosuite: string) =>
      moved(before, after, 'ler_verifications_total', { kind: 'credential', outcome, cryptosuite });
    expect([v('valid', 'eddsa-rdfc-2022'), v('not_valid', 'eddsa-rdfc-2022'), v('failed', 'eddsa-rdfc-2022')]).toEqual([
      1, 1, 0,
    ]);
    expect([v('valid', 'eddsa-jcs-2022'), v('not_valid', 'eddsa-jcs-2022'), v('failed', 'eddsa-jcs-2022')]).toEqual([
      1, 0, 1,
    ]);
    expect(moved(before, after, 'ler_credentials_issued_total', { cryptosuite: 'eddsa-rdfc-2022' })).toBe(1);
    expect(moved(before, after, 'ler_credentials_issued_total', { cryptosuite: 'eddsa-jcs-2022' })).toBe(1);
    expect(moved(before, after, 'ler_status_changes_total', { purpose: 'revocation' })).toBe(1);
    expect(after.value('ler_proof_queue_depth')).toBe(0);
    expect(after.value('ler_store_size_bytes')).toBeGreaterThan(0);
  });

  it('counts peers, sync rounds and their entries, gossip in and out per network, and shows the replica lag', async () => {
    const governor = (await call(a, 'POST', '/governor-keys')).body.did;
    const created = await call(a, 'POST', '/networks', {
      name: 'Observed Network',
      governors: [governor],
      threshold: 1,
      options: { sign: true },
    });
    const network = created.body.network.id as string;
    const beforeFollow = await scrapeB();
    expect((await call(b, 'POST', '/follows', { network })).status).toBeLessThan(300);
    await until(async () => (await call(b, 'GET', `/networks/${network}`)).status === 200, 'b to hold the network');
    // A round is counted when it ends, a moment after the entries it brought are stored.
    await until(
      async () => moved(beforeFollow, await scrapeB(), 'ler_sync_items_total', { outcome: 'accepted' }) > 0,
      'the round to be counted',
    );
    const synced = await scrapeB();
    // The genesis, and nothing else, came by sync.
    expect(moved(beforeFollow, synced, 'ler_sync_items_total', { outcome: 'accepted' })).toBe(1);
    expect(moved(beforeFollow, synced, 'ler_sync_rounds_total', { result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(synced.value('ler_peers_connected')).toBe(1);
    expect(synced.value('ler_replica_synced', { network })).toBe(1);
    expect(synced.value('ler_replica_lag_seconds', { network })).toBeLessThan(60);

    const topicPeers = async (node: 'a' | 'b') =>
      (node === 'a' ? await scrapeA() : await scrapeB()).value('ler_gossip_topic_peers', { network });
    await until(async () => (await topicPeers('a')) === 1 && (await topicPeers('b')) === 1, 'each subscribed');
    const [beforeA, beforeB] = [await scrapeA(), await scrapeB()];
    const member = 'did:web:college.example';
    const added = await call(a, 'POST', '/proposals', {
      network,
      action: { type: 'member.add', did: member, name: 'College', accreditations: [] },
      options: { sign: true },
    });
    expect(added.body.proposal?.status, JSON.stringify(added.body)).toBe('applied');
    await until(
      async () => (await call(b, 'GET', `/networks/${network}/members/${encodeURIComponent(member)}`)).status === 200,
      'b to hold the member',
    );
    await until(
      async () => moved(beforeB, await scrapeB(), 'ler_gossip_received_total', { network, result: 'accepted' }) > 0,
      'the message to be counted',
    );
    const [afterA, afterB] = [await scrapeA(), await scrapeB()];
    expect(moved(beforeA, afterA, 'ler_gossip_published_total', { network })).toBe(1);
    expect(moved(beforeB, afterB, 'ler_gossip_received_total', { network, result: 'accepted' })).toBe(1);
    expect(moved(beforeB, afterB, 'ler_gossip_received_total', { network, result: 'rejected' })).toBe(0);
    expect(afterA.value('ler_peers_connected')).toBe(1);

    // B logs at debug (flag), A at warn (env): B's log shows the peer and the rounds, A's no request lines.
    const lines = (node: NodeProcess) =>
      node
        .stderr()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
    // stderr arrives through a pipe: wait for the line rather than assume it is there.
    await until(() => lines(b).some((l) => l.msg === 'sync round' && l.accepted === 1), 'the round in b’s log');
    expect(lines(b).find((l) => l.msg === 'peer connected')).toBeDefined();
    expect(lines(b).find((l) => l.msg === 'sync round' && l.accepted === 1)).toMatchObject({ fetched: 1 });
    expect(lines(b).some((l) => l.msg === 'request')).toBe(true);
    expect(lines(a).some((l) => l.msg === 'request')).toBe(false);
  });

  it('exports every metric the sample Grafana dashboard queries, and the dashboard shows every ler_ metric', async () => {
    const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const queried = new Set(
      dashboard.panels.flatMap((p) =>
        p.targets.flatMap((t) => [...t.expr.matchAll(/\b(?:ler|process|nodejs)_\w+/g)].map((m) => m[0])),
      ),
    );
    const exposition = parseExposition(
      await (await fetch(`${a.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text(),
    );
    const family = (name: string) => (exposition.types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, ''));
    for (const name of queried) {
      expect(exposition.types.has(family(name)), `${name} is exported`).toBe(true);
      if (family(name) !== name) expect(exposition.types.get(family(name))).toBe('histogram');
    }
    const ours = [...exposition.types.keys()].filter((n) => n.startsWith('ler_'));
    expect(ours.length).toBeGreaterThanOrEqual(15);
    for (const name of ours)
      expect(
        [...queried].some((q) => family(q) === name),
        `${name} is on the dashboard`,
      ).toBe(true);
  });
});
