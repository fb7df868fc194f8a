import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../node/storage/database.ts';
import { sampleBadge, tempDir } from '../../helpers/node.ts';
import { until } from '../../helpers/peers.ts';
import { type NodeProcess, startNodeProcess } from '../../helpers/process.ts';

/** Personal data a credential carries: it must never reach the log. */
const LEARNER = 'Ada Quinlan-Marsh';
const LEARNER_ID = 'did:example:learner-ada-7731';

describe('the logs of a ler-node process (stderr, not a TTY)', () => {
  let dir: string;
  let node: NodeProcess;
  let credentialId: string;
  let listId: string;
  let index: number;
  let requestBodies: string[];
  const entries = () =>
    node
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);
  const requests = () => entries().filter((e) => e.msg === 'request');

  async function call(method: string, path: string, body?: unknown, token = node.token) {
    const text = body === undefined ? undefined : JSON.stringify(body);
    if (text) requestBodies.push(text);
    const res = await fetch(`${node.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: text,
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  beforeAll(async () => {
    dir = await tempDir();
    requestBodies = [];
    node = await startNodeProcess(dir);
    const badge = sampleBadge({ issuer: node.did });
    (badge.credentialSubject as Record<string, unknown>).id = LEARNER_ID;
    (badge.credentialSubject as Record<string, unknown>).name = LEARNER;
    const issued = await call('POST', '/credentials/issue', { credential: badge });
    expect(issued.status).toBe(201);
    const vc = issued.body.verifiableCredential;
    credentialId = vc.id;
    const entry = vc.credentialStatus;
    listId = String(entry.statusListCredential).split('/').pop()!;
    index = Number(entry.statusListIndex);
    expect((await call('POST', '/credentials/verify', { verifiableCredential: vc })).status).toBe(200);
    const revoked = await call('POST', '/credentials/status', {
      credentialId,
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
      status: true,
    });
    expect(revoked.status).toBe(200);
    expect((await call('GET', `/status-lists/${listId}?for=${encodeURIComponent(LEARNER_ID)}`)).status).toBe(200);
    expect((await call('GET', '/networks/not-a-network-id-1234')).status).toBe(404);
    expect((await call('POST', '/governor-keys', {}, 'wrong-token-0123456789')).status).toBe(401);
    await until(() => requests().length >= 6, 'a log line for each request');
    node.child.kill('SIGTERM');
    await node.exited;
  }, 60_000);
  afterAll(async () => {
    if (node?.child.exitCode === null) node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one JSON line per request with method, route pattern, status and ms, never the raw path or query', () => {
    const lines = requests();
    expect(lines.map((l) => [l.method, l.route, l.status])).toEqual([
      ['POST', '/credentials/issue', 201],
      ['POST', '/credentials/verify', 200],
      ['POST', '/credentials/status', 200],
      ['GET', '/status-lists/:listId', 200],
      ['GET', '/networks/:id', 404],
      ['POST', '/governor-keys', 401],
    ]);
    for (const line of lines) {
      expect(line).toMatchObject({ level: 30, ms: expect.any(Number), time: expect.any(Number) });
      expect(Object.keys(line).sort()).toEqual([
        'hostname',
        'level',
        'method',
        'ms',
        'msg',
        'pid',
        'route',
        'status',
        'time',
      ]);
    }
    expect(node.stderr()).not.toContain(listId + '?');
    expect(node.stderr()).not.toContain('not-a-network-id-1234');
  });

  it('logs issuance and the status change with the credential id, list and index only', () => {
    expect(entries().find((e) => e.msg === 'credential issued')).toMatchObject({
      credentialId,
      cryptosuite: 'eddsa-rdfc-2022',
      status: [{ purpose: 'revocation', listId, index }],
    });
    expect(entries().find((e) => e.msg === 'credential status changed')).toMatchObject({
      credentialId,
      purpose: 'revocation',
      listId,
      index,
      status: true,
    });
  });

  it('never writes a bearer token, a private key, a request body or the subject’s data', async () => {
    const stderr = node.stderr();
    expect(stderr).not.toContain(node.token!);
    expect(stderr).not.toContain('wrong-token-0123456789');
    expect(stderr.toLowerCase()).not.toContain('bearer');
    expect(stderr).not.toContain(LEARNER);
    expect(stderr).not.toContain(LEARNER_ID);
    expect(stderr).not.toContain(encodeURIComponent(LEARNER_ID));
    expect(stderr).not.toContain('Plans, budgets and leads a retail team');
    for (const body of requestBodies) expect(stderr).not.toContain(body);
    // The node's private keys, read from its stopped store.
    const database = await openDatabase(join(dir, 'db'));
    try {
      const secrets: string[] = [];
      for await (const [, value] of database.keys.iterator()) {
        // The libp2p key is stored as a string; the institution's keys as objects with a secret part.
        if (typeof value === 'string') secrets.push(value);
        else for (const match of JSON.stringify(value).matchAll(/"secret[A-Za-z]*":"([^"]+)"/g)) secrets.push(match[1]);
      }
      expect(secrets.length).toBeGreaterThan(0);
      for (const secret of secrets) expect(stderr).not.toContain(secret);
    } finally {
      await database.close();
    }
    expect(entries().map((e) => e.msg)).toEqual(expect.arrayContaining(['stopping', 'stopped']));
  });
});
