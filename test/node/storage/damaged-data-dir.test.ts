import { cp, readdir, readFile, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBadge, tempDir } from '../../helpers/node.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

type Json = Record<string, any>;

// Small lists: a reused slot has few places to hide.
const env = { LER_STATUS_LIST_LENGTH: '256' };
const startArgs = (dir: string) => [
  'start',
  '--data',
  dir,
  '--http',
  '127.0.0.1:0',
  '--p2p',
  '/ip4/127.0.0.1/tcp/0',
  '--verify-workers',
  '0',
];

async function stop(node: NodeProcess, signal: NodeJS.Signals = 'SIGTERM') {
  node.child.kill(signal);
  await node.exited;
}

function slotOf(vc: Json): string {
  return `${vc.credentialStatus.statusListCredential}#${vc.credentialStatus.statusListIndex}`;
}

async function dbFiles(dir: string, suffix: string): Promise<string[]> {
  return (await readdir(join(dir, 'db'))).filter((f) => f.endsWith(suffix)).sort();
}

describe('when the data directory is damaged', () => {
  const dirs: string[] = [];
  let golden: string;
  let did: string;
  let token: string;
  /** Acknowledged in session 1 (in an older table) and session 2 (in the newest table). */
  const first: Json[] = [];
  const second: Json[] = [];
  let revokedInSecond: Json;

  const api = (node: NodeProcess) => ({
    async post(path: string, body: unknown) {
      const res = await fetch(`${node.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Json };
    },
    async issue(count: number, into: Json[]) {
      for (let i = 0; i < count; i++) {
        const { did } = (await (await fetch(`${node.url}/health`)).json()) as { did: string };
        const r = await this.post('/credentials/issue', {
          credential: sampleBadge({ issuer: did }),
          options: { cryptosuite: 'eddsa-jcs-2022' },
        });
        expect(r.status).toBe(201);
        into.push(r.body.verifiableCredential);
      }
    },
  });

  async function copyOfGolden(): Promise<string> {
    const dir = await tempDir('ler-damage-');
    dirs.push(dir);
    await cp(golden, dir, { recursive: true });
    return dir;
  }

  /** The start must fail with the cause, and must not have become another institution. */
  async function expectRefusedStart(dir: string, cause: RegExp) {
    const run = runCli(startArgs(dir), env);
    const { code } = await run.exited;
    expect(code, run.stdout()).not.toBe(0);
    expect(run.stderr()).toMatch(cause);
    expect(run.stderr()).toContain('ler-node repair --data');
    expect(run.stdout()).not.toMatch(/DID:/);
    expect(JSON.parse(await readFile(join(dir, 'node.json'), 'utf8')).did).toBe(did);
  }

  async function repair(dir: string) {
    const run = runCli(['repair', '--data', dir], env);
    const { code } = await run.exited;
    expect(code, run.stdout() + run.stderr()).toBe(0);
    expect(run.stdout()).toContain(`identity:        ${did}`);
    return run.stdout();
  }

  /** After the repair: the same institution, which still knows (and can revoke) what it acknowledged. */
  async function expectSameNode(dir: string, acknowledged: Json[]) {
    const node = await startNodeProcess(dir, env);
    try {
      const health = (await (await fetch(`${node.url}/health`)).json()) as Json;
      expect(health.did).toBe(did);
      const client = api(node);
      for (const vc of acknowledged) {
        const r = await client.post('/credentials/status', { credentialId: vc.id, status: true });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
      }
      return node;
    } catch (error) {
      await stop(node, 'SIGKILL');
      throw error;
    }
  }

  beforeAll(async () => {
    golden = await tempDir('ler-golden-');
    dirs.push(golden);
    const init = runCli(['init', '--data', golden], env);
    expect((await init.exited).code).toBe(0);
    did = /DID:\s+(\S+)/.exec(init.stdout())![1];
    token = /admin token \(shown once[^:]*: (\S+)/.exec(init.stdout())![1];
    // Each start turns the previous session's log into a table: the identity, session 1 and session 2 end up
    // in different tables, and session 2's in the newest.
    let node = await startNodeProcess(golden, env);
    await api(node).issue(5, first);
    await stop(node);
    node = await startNodeProcess(golden, env);
    await api(node).issue(5, second);
    revokedInSecond = second[0];
    expect(
      (await api(node).post('/credentials/status', { credentialId: revokedInSecond.id, status: true })).status,
    ).toBe(200);
    await stop(node);
    node = await startNodeProcess(golden, env);
    await stop(node);
  }, 60_000);
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('with CURRENT deleted: refuses to start (no new DID); repair brings the node back', async () => {
    const dir = await copyOfGolden();
    await unlink(join(dir, 'db', 'CURRENT'));
    await expectRefusedStart(dir, /does not exist[\s\S]*DATABASE_DAMAGED/);
    await repair(dir);
    await stop(await expectSameNode(dir, [...first, ...second]));
  }, 30_000);

  it('with the MANIFEST emptied: refuses to start with the corruption; repair brings the node back', async () => {
    const dir = await copyOfGolden();
    for (const manifest of await dbFiles(dir, '')) {
      if (manifest.startsWith('MANIFEST-')) await writeFile(join(dir, 'db', manifest), '');
    }
    await expectRefusedStart(dir, /Corruption: no meta-nextfile[\s\S]*DATABASE_DAMAGED/);
    await repair(dir);
    await stop(await expectSameNode(dir, [...first, ...second]));
  }, 30_000);

  it('with a table deleted: refuses to start; repair restores the lost credentials and revocation', async () => {
    const dir = await copyOfGolden();
    const tables = await dbFiles(dir, '.ldb');
    expect(tables.length).toBeGreaterThanOrEqual(3);
    await unlink(join(dir, 'db', tables[tables.length - 1]));
    await expectRefusedStart(dir, /missing files[\s\S]*DATABASE_DAMAGED/);
    const summary = await repair(dir);
    expect(summary).toMatch(/restored:\s+[1-9]/);
    const node = await expectSameNode(dir, first);
    try {
      // Session 2's index entries came back from the ledger, and so did its revocation.
      const report = (await api(node).post('/credentials/verify', { verifiableCredential: revokedInSecond })).body;
      expect(report.checks.find((c: Json) => c.name === 'status')).toMatchObject({ code: 'REVOKED' });
      for (const vc of second.slice(1)) {
        expect((await api(node).post('/credentials/status', { credentialId: vc.id, status: true })).status).toBe(200);
      }
    } finally {
      await stop(node);
    }
  }, 30_000);

  it('with node.json damaged: refuses to start; repair sets it aside and no slot is handed out again', async () => {
    const dir = await copyOfGolden();
    await writeFile(join(dir, 'node.json'), '{"format": 1, "did": "did:key:z6Mk');
    const run = runCli(startArgs(dir), env);
    expect((await run.exited).code).not.toBe(0);
    expect(run.stderr()).toMatch(/node\.json is damaged[\s\S]*DATA_DIR_DAMAGED/);
    expect(await repair(dir)).toMatch(/node\.json was damaged and is kept as/);
    const node = await expectSameNode(dir, first);
    try {
      const later: Json[] = [];
      await api(node).issue(5, later);
      const slots = [...first, ...second, ...later].map(slotOf);
      expect(new Set(slots).size).toBe(slots.length);
    } finally {
      await stop(node);
    }
  }, 30_000);

  it('with the write-ahead log truncated: refuses to start (lost writes); after repair no old slot is handed out', async () => {
    const dir = await copyOfGolden();
    // A third session whose writes are only in the log, then the log loses its tail: more credentials than
    // the ledger keeps (64), so some are gone for good and only the slot reservations keep their slots taken.
    const third: Json[] = [];
    let node = await startNodeProcess(dir, env);
    await Promise.all(Array.from({ length: 4 }, () => api(node).issue(25, third)));
    await stop(node, 'SIGKILL');
    const [log] = await dbFiles(dir, '.log');
    await truncate(join(dir, 'db', log), Math.floor((await stat(join(dir, 'db', log))).size / 4));
    await expectRefusedStart(dir, /DATA_LOST/);
    expect(await repair(dir)).toMatch(/restored:\s+[1-9]/);
    node = await expectSameNode(dir, first);
    try {
      // Fill the rest of the 256-entry list and more: a node that forgot the lost slots would reuse them.
      const later: Json[] = [];
      await Promise.all(Array.from({ length: 4 }, () => api(node).issue(50, later)));
      const slots = [...first, ...second, ...third, ...later].map(slotOf);
      expect(new Set(slots).size).toBe(slots.length);
    } finally {
      await stop(node);
    }
  }, 60_000);
});
