/**
 * Issue 16, findings 1 and 4, in the real `ler-node` process: its default
 * settings refuse loopback in every spelling (0 connections seen by the
 * listener), and `--verify-deadline-ms` bounds how long a verification waits
 * on a host that never answers.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../registry/verification/report.ts';
import { type CountingListener, countingListener } from '../helpers/listener.ts';
import { sampleBadge, tempDir } from '../helpers/node.ts';
import { type NodeProcess, startNodeProcess } from '../helpers/process.ts';

async function post(node: NodeProcess, path: string, body: unknown) {
  const res = await fetch(`${node.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const statusEntry = (url: string) => ({
  id: `${url}#3`,
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: '3',
  statusListCredential: url,
});

describe('the ler-node process and outbound requests', () => {
  const dirs: string[] = [];
  let strict: NodeProcess;
  let patient: NodeProcess;
  let refuse: CountingListener;
  let hang: CountingListener;

  beforeAll(async () => {
    dirs.push(await tempDir(), await tempDir());
    [strict, patient, refuse, hang] = await Promise.all([
      startNodeProcess(dirs[0]),
      startNodeProcess(dirs[1], {}, 20_000, ['--allow-private-hosts', '--verify-deadline-ms', '700']),
      countingListener({ mode: 'close' }),
      countingListener({ mode: 'hang' }),
    ]);
  });
  afterAll(async () => {
    for (const node of [strict, patient]) {
      node?.child.kill('SIGTERM');
      await node?.exited;
    }
    await refuse.close();
    await hang.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('connects to no loopback address named by an issuer, a status list or a holder', async () => {
    const issued = (await post(strict, '/credentials/issue', { credential: sampleBadge({ issuer: strict.did }) })).body
      .verifiableCredential;
    for (const host of [
      `[::ffff:127.0.0.1]:${refuse.port}`,
      `[::ffff:7f00:1]:${refuse.port}`,
      `127.0.0.1:${refuse.port}`,
    ]) {
      const did = `did:web:${encodeURIComponent(host)}`;
      const answers = await Promise.all([
        post(strict, '/credentials/verify', { verifiableCredential: { ...issued, issuer: did } }),
        post(strict, '/credentials/verify', {
          verifiableCredential: { ...issued, credentialStatus: statusEntry(`https://${host}/sl`) },
        }),
        post(strict, '/presentations/verify', {
          verifiablePresentation: {
            '@context': ['https://www.w3.org/ns/credentials/v2'],
            type: ['VerifiablePresentation'],
            holder: did,
            proof: {
              type: 'DataIntegrityProof',
              cryptosuite: 'eddsa-rdfc-2022',
              verificationMethod: `${did}#k`,
              proofValue: 'z1',
            },
          },
        }),
        fetch(`${strict.url}/1.0/identifiers/${encodeURIComponent(encodeURIComponent(did))}`).then(async (r) => ({
          status: r.status,
          body: await r.json(),
        })),
      ]);
      for (const answer of answers) expect(answer.status, host).toBeLessThan(500);
    }
    expect(refuse.connections).toBe(0);
  });

  it('answers by its --verify-deadline-ms when a host never answers', async () => {
    const issued = (await post(patient, '/credentials/issue', { credential: sampleBadge({ issuer: patient.did }) }))
      .body.verifiableCredential;
    const { status, body } = await post(patient, '/credentials/verify', {
      verifiableCredential: { ...issued, credentialStatus: statusEntry(`https://127.0.0.1:${hang.port}/sl`) },
    });
    // The status entry was changed after signing, so the proof fails: VCALM's 400 with the report.
    expect(status).toBe(400);
    // 700 ms is well inside the 4 s a single fetch may take: the deadline, not the fetch timeout, ended it.
    expect((body as VerificationReport).checks.find((c) => c.name === 'status')).toMatchObject({
      status: 'unchecked',
      code: 'DEADLINE_EXCEEDED',
    });
    expect(hang.connections).toBe(1);
  });
});
