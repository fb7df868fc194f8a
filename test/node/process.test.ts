import { once } from 'node:events';
import { rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleBadge, tempDir } from '../helpers/node.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../helpers/process.ts';

async function post(node: NodeProcess, path: string, body: unknown, token = node.token) {
  const res = await fetch(`${node.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('the ler-node process', () => {
  const dirs: string[] = [];
  const children: NodeProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('issues a credential file without issuer through `ler-node issue` as the node, which the VC API alone refuses', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const node = await startNodeProcess(dir);
    children.push(node);
    expect((await post(node, '/credentials/issue', { credential: sampleBadge() })).status).toBe(422);
    const file = join(dir, 'badge.json');
    await writeFile(file, JSON.stringify(sampleBadge()));
    const run = runCli(['issue', file, '--url', node.url, '--token', node.token!]);
    const { code } = await run.exited;
    expect(code, run.stderr()).toBe(0);
    expect(JSON.parse(run.stdout()).issuer).toBe(node.did);
  });

  it('starts, prints its identity once, issues and verifies, and stops fast on SIGTERM with a keep-alive client', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const node = await startNodeProcess(dir);
    children.push(node);
    expect(node.token).toBeTruthy();
    expect(node.stdout()).toMatch(/DID:\s+did:key:z6Mk/);

    const health = (await (await fetch(`${node.url}/health`)).json()) as Record<string, any>;
    expect(health).toMatchObject({ status: 'ok' });
    expect(health.multiaddrs[0]).toMatch(/\/p2p\/12D3/);

    const issued = await post(node, '/credentials/issue', { credential: sampleBadge({ issuer: node.did }) });
    expect(issued.status).toBe(201);
    const verified = await post(node, '/credentials/verify', {
      verifiableCredential: issued.body.verifiableCredential,
    });
    expect(verified.body.verified).toBe(true);

    // An idle keep-alive connection must not hold the stop up.
    const agentReq = request(`${node.url}/health`, { headers: { connection: 'keep-alive' } });
    agentReq.end();
    await once(agentReq, 'response');

    const started = Date.now();
    node.child.kill('SIGTERM');
    const { code } = await node.exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('refuses a second node on the same data directory with a clear message', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const first = await startNodeProcess(dir);
    children.push(first);
    const second = runCli(['start', '--data', dir, '--http', '127.0.0.1:0', '--p2p', '/ip4/127.0.0.1/tcp/0']);
    const { code } = await second.exited;
    expect(code).toBe(1);
    expect(second.stderr()).toMatch(/data directory in use/);
  });

  it('keeps the identity across restarts and shows the token only on the first start', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const first = await startNodeProcess(dir);
    const did = /DID:\s+(\S+)/.exec(first.stdout())![1];
    first.child.kill('SIGINT');
    await first.exited;
    const second = await startNodeProcess(dir);
    children.push(second);
    expect(/DID:\s+(\S+)/.exec(second.stdout())![1]).toBe(did);
    expect(second.token).toBeUndefined();
    // the first token still works
    const issued = await post(second, '/credentials/issue', { credential: sampleBadge({ issuer: did }) }, first.token);
    expect(issued.status).toBe(201);
  });
});
