import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signActionId } from '../../../protocol/signing/governor-keys.ts';
import { tempDir } from '../../helpers/node.ts';
import { until } from '../../helpers/peers.ts';
import { type NodeProcess, startNodeProcess } from '../../helpers/process.ts';
import { governors } from '../../helpers/registry.ts';

async function api(node: NodeProcess, method: string, path: string, body?: unknown, token = node.token) {
  const res = await fetch(`${node.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Record<string, any>;
}

describe('three ler-node processes joined with --bootstrap', () => {
  const nodes: NodeProcess[] = [];
  let dir: string;
  afterAll(async () => {
    for (const n of nodes) if (n.child.exitCode === null) n.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('converge on a network created at the first', async () => {
    dir = await tempDir();
    const first = await startNodeProcess(join(dir, 'a'));
    nodes.push(first);
    const bootstrap = (await api(first, 'GET', '/health')).multiaddrs[0] as string;
    for (const name of ['b', 'c']) nodes.push(await startNodeProcess(join(dir, name), { LER_BOOTSTRAP: bootstrap }));
    const [g1, g2] = governors(2);
    const created = await api(first, 'POST', '/networks', { name: 'Pilot', governors: [g1.did, g2.did], threshold: 2 });
    const id = created.proposal.id as string;
    for (const g of [g1, g2])
      await api(first, 'POST', `/proposals/${id}/approvals`, { signer: g.did, signature: signActionId(g, id) });
    for (const n of nodes.slice(1)) await api(n, 'POST', '/follows', { network: id });
    const digests = async () =>
      Promise.all(nodes.map(async (n) => (await api(n, 'GET', `/networks/${id}`)).digest as string | undefined));
    await until(
      async () => {
        const d = await digests();
        return d[0] !== undefined && d.every((x) => x === d[0]);
      },
      'all three nodes to hold the network',
      30_000,
    );
    const health = await api(nodes[2], 'GET', '/health');
    expect(health.networks).toContain(id);
  }, 60_000);
});
