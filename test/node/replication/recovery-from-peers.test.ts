/**
 * What a node that lost its data directory gets back from its peers, and what only its backup holds
 * (decision 0040), with real `ler-node` processes joined over libp2p on loopback:
 *
 * - restored from a backup, a node keeps its DID, keys and issued-credential records, and its peers return
 *   what happened since: registry actions, other members' publications, and its own status lists as it last
 *   published them, so a revocation made after the backup is not undone by its next status change;
 * - started empty instead, a node gets the registry and the publications back once it follows the network,
 *   but it is a new institution: it cannot change the status of what the old one issued.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBadge, tempDir } from '../../helpers/node.ts';
import { until } from '../../helpers/peers.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

async function api(node: NodeProcess, method: string, path: string, body?: unknown, token = node.token) {
  const res = await fetch(`${node.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const statusOf = async (node: NodeProcess, credential: unknown) =>
  (await api(node, 'POST', '/credentials/verify', { verifiableCredential: credential })).body.checks.find(
    (c: any) => c.name === 'status',
  )?.status as string | undefined;

describe('a node that lost its data directory', () => {
  let dir: string;
  let a: NodeProcess;
  let b: NodeProcess;
  let bToken: string;
  let bootstrap: string;
  let network: string;
  const nodes: NodeProcess[] = [];
  const start = async (data: string) => {
    const node = await startNodeProcess(join(dir, data), { LER_BOOTSTRAP: bootstrap });
    nodes.push(node);
    return node;
  };
  const admit = async (did: string, name: string) => {
    const p = await api(a, 'POST', '/proposals', {
      network,
      action: { type: 'member.add', did, name, accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }] },
      options: { sign: true },
    });
    expect(p.body.proposal?.status, JSON.stringify(p.body)).toBe('applied');
  };
  const issueAtB = async () =>
    (
      await api(
        b,
        'POST',
        '/credentials/issue',
        {
          credential: sampleBadge({ id: `urn:uuid:${randomUUID()}`, issuer: b.did }),
        },
        bToken,
      )
    ).body.verifiableCredential;
  const revokeAt = (node: NodeProcess, credential: Record<string, any>, token?: string) =>
    api(
      node,
      'POST',
      '/credentials/status',
      {
        credentialId: credential.id,
        credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
        status: true,
      },
      token,
    );

  beforeAll(async () => {
    dir = await tempDir('ler-recovery-');
    a = await startNodeProcess(join(dir, 'a'));
    nodes.push(a);
    bootstrap = (await api(a, 'GET', '/health')).body.multiaddrs[0];
    b = await start('b');
    bToken = b.token!;
    const governor = (await api(a, 'POST', '/governor-keys')).body.did;
    network = (
      await api(a, 'POST', '/networks', { name: 'Pilot', governors: [governor], threshold: 1, options: { sign: true } })
    ).body.network.id;
    await admit(a.did!, 'Anchor College');
    await admit(b.did!, 'Member College');
    expect((await api(b, 'POST', '/follows', { network }, bToken)).status).toBe(201);
    await until(
      async () => (await api(b, 'GET', `/networks/${network}/members/${encodeURIComponent(b.did!)}`)).status === 200,
      'B to hold the network',
      30_000,
    );
  }, 120_000);
  afterAll(async () => {
    for (const n of nodes) if (n.child.exitCode === null) n.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('restored from a backup, gets back from its peers what happened since, and undoes no revocation', async () => {
    const kept = await issueAtB();
    const revokedLater = await issueAtB();
    await until(async () => (await statusOf(a, revokedLater)) === 'ok', 'A to hold B’s status list', 60_000);
    const file = join(dir, 'b.backup');
    const backup = runCli(['backup', '--out', file, '--url', b.url, '--token', bToken]);
    expect((await backup.exited).code, backup.stderr()).toBe(0);

    // After the backup: B revokes a credential, the network admits a member, A publishes.
    expect((await revokeAt(b, revokedLater, bToken)).status).toBe(200);
    // Gossip is best effort; the periodic sync (30 s) is what makes it certain.
    await until(async () => (await statusOf(a, revokedLater)) === 'failed', 'A to see the revocation', 60_000);
    const later = `did:key:z6Mk${'x'.repeat(44)}`;
    await admit(later, 'Later College');
    const achievementId = `https://a.example/achievements/${randomUUID()}`;
    const published = await api(a, 'POST', '/publications', {
      kind: 'achievement',
      id: achievementId,
      body: { id: achievementId, type: ['Achievement'], name: 'Published after the backup' },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);

    // B's data directory is lost; it is restored from the backup and started again.
    b.child.kill('SIGKILL');
    await b.exited;
    await rm(join(dir, 'b'), { recursive: true, force: true });
    const restore = runCli(['restore', '--data', join(dir, 'b'), '--from', file]);
    expect((await restore.exited).code, restore.stderr()).toBe(0);
    b = await start('b');
    expect(b.did).toBe(nodes[1].did);

    await until(
      async () => (await api(b, 'GET', `/networks/${network}/members/${encodeURIComponent(later)}`)).status === 200,
      'the action approved after the backup, from A',
      60_000,
    );
    await until(
      async () =>
        (
          await api(b, 'GET', `/publications?kind=achievement&publisher=${encodeURIComponent(a.did!)}`)
        ).body.publications.some((p: any) => p.id === achievementId),
      'A’s publication made after the backup',
      60_000,
    );
    // Its own list as it last published it: the revocation made after the backup is back at B.
    await until(
      async () => (await statusOf(b, revokedLater)) === 'failed',
      'B to take its own later list back',
      30_000,
    );

    // A status change on that list now keeps the later revocation (it is signed over the adopted bits).
    expect((await revokeAt(b, kept, bToken)).status).toBe(200);
    await until(async () => (await statusOf(a, kept)) === 'failed', 'A to see the new revocation', 60_000);
    expect(await statusOf(a, revokedLater)).toBe('failed');
  }, 180_000);

  it('started empty, gets the registry and publications back by following, but not its identity', async () => {
    const fresh = await start('b-empty');
    expect(fresh.did).not.toBe(b.did);
    expect((await api(fresh, 'POST', '/follows', { network })).status).toBe(201);
    await until(
      async () =>
        (await api(fresh, 'GET', `/networks/${network}/members/${encodeURIComponent(b.did!)}`)).status === 200,
      'the registry from A',
      30_000,
    );
    await until(
      async () =>
        (await api(fresh, 'GET', `/publications?kind=status-list&publisher=${encodeURIComponent(b.did!)}`)).body
          .publications.length > 0,
      'B’s status lists from A',
      30_000,
    );
    // What B issued is B's: the new node holds neither its keys nor its issued-credential records.
    const credential = await issueAtB();
    const refused = await revokeAt(fresh, credential);
    expect(refused.status).toBe(404);
  }, 120_000);
});
