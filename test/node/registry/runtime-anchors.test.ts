/**
 * Runtime trust anchors (issue 15, defect 8): GET/POST/DELETE /anchors and `ler-node anchors`, against a real
 * `ler-node` process started with one configured --anchor (so the network it creates is followed but not an
 * anchor, and its own credentials are untrusted until the operator anchors that network).
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBadge, tempDir } from '../../helpers/node.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

// A well-formed network id this node never holds: the configured anchor.
const CONFIGURED = 'A'.repeat(43);

describe('runtime trust anchors on a ler-node process', () => {
  let dir: string;
  let node: NodeProcess;
  let token: string;
  let networkId: string;
  let credential: unknown;

  async function call(method: string, path: string, body?: unknown, auth: string | null = token) {
    const res = await fetch(`${node.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  const start = async () => {
    node = await startNodeProcess(join(dir, 'node'), {}, 20_000, ['--anchor', CONFIGURED, '--admin-token', token]);
  };
  const stop = async () => {
    node.child.kill('SIGTERM');
    await node.exited;
  };
  const trust = async () => {
    const { body } = await call('POST', '/credentials/verify', { verifiableCredential: credential });
    return { trusted: body.trusted as boolean, trustPath: body.trustPath as string[] | undefined };
  };
  // Network ids are base64url and may begin with '-': after `--` the CLI reads them as arguments, never as options.
  const cli = async (command: string, ...ids: string[]) => {
    const run = runCli(['anchors', command, '--url', node.url, '--', ...ids], { LER_ADMIN_TOKEN: token });
    const { code } = await run.exited;
    return { code, out: run.stdout(), err: run.stderr() };
  };

  beforeAll(async () => {
    dir = await tempDir('ler-anchors-');
    token = `t-${randomUUID()}`;
    await start();
    const did = (await call('GET', '/health')).body.did;
    const governor = (await call('POST', '/governor-keys')).body.did;
    const created = await call('POST', '/networks', {
      name: 'Pilot',
      governors: [governor],
      threshold: 1,
      options: { sign: true },
    });
    networkId = created.body.network.id;
    const admitted = await call('POST', '/proposals', {
      network: networkId,
      action: {
        type: 'member.add',
        did,
        name: 'College',
        accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
      },
      options: { sign: true },
    });
    expect(admitted.body.proposal?.status, JSON.stringify(admitted.body)).toBe('applied');
    const issued = await call('POST', '/credentials/issue', {
      credential: sampleBadge({ id: `urn:uuid:${randomUUID()}`, issuer: did }),
    });
    expect(issued.status).toBe(201);
    credential = issued.body.verifiableCredential;
  }, 60_000);

  afterAll(async () => {
    if (node?.child.exitCode === null) await stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses changes without the admin token and with a wrong one', async () => {
    expect((await call('POST', '/anchors', { network: networkId }, null)).status).toBe(401);
    expect((await call('DELETE', `/anchors/${networkId}`, undefined, null)).status).toBe(401);
    expect((await call('POST', '/anchors', { network: networkId }, 'wrong')).status).toBe(401);
    expect((await call('GET', '/anchors')).body.anchors).toEqual([CONFIGURED]);
  });

  it('trusts a member of an anchor added at runtime at once, and no longer once it is removed', async () => {
    expect((await trust()).trusted).toBe(false);
    const added = await call('POST', '/anchors', { network: networkId });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ added: true, known: true, runtime: [networkId], configured: [CONFIGURED] });
    expect(await trust()).toEqual({ trusted: true, trustPath: [networkId] });

    const removed = await call('DELETE', `/anchors/${networkId}`);
    expect(removed.status).toBe(200);
    expect(removed.body.runtime).toEqual([]);
    expect((await trust()).trusted).toBe(false);
    expect((await call('DELETE', `/anchors/${networkId}`)).status).toBe(404);
  });

  it('refuses to remove a configured anchor (409 ANCHOR_CONFIGURED) and a malformed id (400)', async () => {
    const refused = await call('DELETE', `/anchors/${CONFIGURED}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('ANCHOR_CONFIGURED');
    expect((await call('POST', '/anchors', { network: 'not-a-network' })).status).toBe(400);
  });

  it('accepts a well-formed id not held yet and says so', async () => {
    const unknown = 'B'.repeat(43);
    const added = await call('POST', '/anchors', { network: unknown });
    expect(added.status).toBe(201);
    expect(added.body.known).toBe(false);
    expect(added.body.note).toMatch(/not held here yet/);
    expect((await call('GET', '/follows')).body.follows).toContain(unknown);
    expect((await call('DELETE', `/anchors/${unknown}`)).status).toBe(200);
  });

  it('keeps a runtime anchor across a restart', async () => {
    expect((await call('POST', '/anchors', { network: networkId })).status).toBe(201);
    await stop();
    await start();
    expect((await call('GET', '/anchors')).body).toMatchObject({ runtime: [networkId], configured: [CONFIGURED] });
    expect(await trust()).toEqual({ trusted: true, trustPath: [networkId] });
    expect((await call('DELETE', `/anchors/${networkId}`)).status).toBe(200);
  }, 60_000);

  it('is driven by `ler-node anchors list|add|remove`', async () => {
    const added = await cli('add', networkId);
    expect(added.code, added.err).toBe(0);
    expect(added.out).toBe(`${networkId}: added\n`);
    const listed = await cli('list');
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toContain(`${CONFIGURED}\tconfigured\n`);
    expect(listed.out).toContain(`${networkId}\truntime\n`);
    expect((await trust()).trusted).toBe(true);
    const removed = await cli('remove', networkId);
    expect(removed.code, removed.err).toBe(0);
    expect((await trust()).trusted).toBe(false);
    const refused = await cli('remove', CONFIGURED);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/ANCHOR_CONFIGURED/);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
