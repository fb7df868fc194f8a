/**
 * `ler-node backup` / `ler-node restore` (decision 0040) with real `ler-node` processes: a backup taken while
 * the node runs (POST /backup), the data directory lost, restored and the process restarted: the same DID,
 * the same admin token, and a credential issued before the backup can still be revoked; no status slot handed
 * out after the backup is handed out again. And what restore refuses before it writes anything.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBadge, tempDir } from '../../helpers/node.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

async function cli(args: string[], env: Record<string, string> = {}) {
  const run = runCli(args, env);
  const { code } = await run.exited;
  return { code, out: run.stdout(), err: run.stderr() };
}

describe('backup and restore of a ler-node process', () => {
  let dir: string;
  let data: string;
  let node: NodeProcess;
  let token: string;
  let did: string;
  let before: Record<string, any>;
  let after: Record<string, any>;
  let backup: string;

  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${node.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }
  const issue = async () => {
    const issued = await call('POST', '/credentials/issue', {
      credential: sampleBadge({ id: `urn:uuid:${randomUUID()}`, issuer: did }),
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    return issued.body.verifiableCredential as Record<string, any>;
  };
  const stop = async () => {
    node.child.kill('SIGTERM');
    await node.exited;
  };

  beforeAll(async () => {
    dir = await tempDir('ler-backup-');
    data = join(dir, 'node');
    backup = join(dir, 'node.backup');
    // No --admin-token: the token is the one created at the first start, kept (hashed) only in the database.
    node = await startNodeProcess(data);
    token = node.token!;
    did = node.did!;
    before = await issue();
  }, 60_000);
  afterAll(async () => {
    if (node?.child.exitCode === null) await stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('backs up a running node through its API, as a versioned, checksummed file', async () => {
    const run = await cli(['--json', 'backup', '--data', data, '--out', backup, '--url', node.url, '--token', token]);
    expect(run.code, run.err).toBe(0);
    const summary = JSON.parse(run.out);
    expect(summary).toMatchObject({ via: 'running node', format: 'ler-node-backup', version: 1, did });
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
    const lines = gunzipSync(await readFile(backup))
      .toString('utf8')
      .trim()
      .split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ format: 'ler-node-backup', version: 1, did });
    expect(JSON.parse(lines.at(-1)!)).toEqual({ entries: lines.length - 2, sha256: summary.sha256 });
    // Without the admin token the node gives nothing away.
    expect((await fetch(`${node.url}/backup`, { method: 'POST' })).status).toBe(401);
    // An existing backup file is never overwritten.
    const again = await cli(['backup', '--out', backup, '--url', node.url, '--token', token]);
    expect(again.code).toBe(5);
  }, 60_000);

  it('refuses a damaged backup before writing anything, and a used data directory without --force', async () => {
    const lines = gunzipSync(await readFile(backup))
      .toString('utf8')
      .split('\n');
    lines[1] = lines[1].replace(/"[A-Za-z0-9+/=]{4}/, '"AAAA');
    const damaged = join(dir, 'damaged.backup');
    await writeFile(damaged, gzipSync(lines.join('\n')));
    const target = join(dir, 'fresh');
    const refused = await cli(['restore', '--data', target, '--from', damaged]);
    expect(refused.code).toBe(11);
    expect(refused.err).toMatch(/checksum mismatch.*nothing was written/);
    expect(existsSync(target) ? await readdir(target) : []).toEqual([]);
    const notEmpty = await cli(['restore', '--data', data, '--from', backup]);
    expect(notEmpty.code).toBe(12);
    expect(notEmpty.err).toMatch(/already holds a node/);
  }, 60_000);

  it('restores a lost data directory: same DID and token, revokes what was issued before, reuses no slot', async () => {
    after = await issue(); // issued after the backup: its slot is in the wild, not in the backup
    await stop();
    await rm(data, { recursive: true, force: true });
    const restored = await cli(['restore', '--data', data, '--from', backup]);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toContain(`restored ${did}`);

    node = await startNodeProcess(data);
    expect(node.did).toBe(did);
    expect(node.token).toBeUndefined(); // no new token was minted: the old one is back
    const revoked = await call('POST', '/credentials/status', {
      credentialId: before.id,
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
      status: true,
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const report = await call('POST', '/credentials/verify', { verifiableCredential: before });
    expect(report.body.checks.find((c: any) => c.name === 'status')).toMatchObject({ status: 'failed' });

    // The credential issued after the backup is unknown here; a new one never takes its slot.
    const fresh = await issue();
    const entry = (vc: Record<string, any>) => [vc.credentialStatus].flat()[0];
    const slot = (vc: Record<string, any>) => `${entry(vc).statusListCredential}#${entry(vc).statusListIndex}`;
    expect(slot(fresh)).not.toBe(slot(after));
    // A new list: nobody knows which slots of the old one were handed out after the backup.
    expect(entry(fresh).statusListCredential).not.toBe(entry(before).statusListCredential);
  }, 120_000);

  it('backs up a stopped node from its data directory and restores over it with --force', async () => {
    await stop();
    const offline = join(dir, 'offline.backup');
    const run = await cli(['backup', '--data', data, '--out', offline]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('from the data directory');
    const forced = await cli(['--json', 'restore', '--data', data, '--from', offline, '--force']);
    expect(forced.code, forced.err).toBe(0);
    const { setAside } = JSON.parse(forced.out);
    expect((await readdir(setAside)).sort()).toEqual(expect.arrayContaining(['db', 'node.json']));
    node = await startNodeProcess(data);
    expect(node.did).toBe(did);
  }, 120_000);
});
