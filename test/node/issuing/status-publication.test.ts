import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestNode, sampleBadge, tempDir } from '../../helpers/node.ts';
import { startNodeProcess } from '../../helpers/process.ts';

type Json = Record<string, any>;

describe('when a status change is stored but not yet published', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('a ler-node killed (kill -9) between the bit and the publication publishes the list at restart', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const first = await startNodeProcess(dir, { LER_TEST_CRASH_POINT: 'after-status-bits' });
    const admin = { 'content-type': 'application/json', authorization: `Bearer ${first.token}` };
    const issued = await fetch(`${first.url}/credentials/issue`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ credential: sampleBadge({ issuer: first.did }) }),
    });
    expect(issued.status).toBe(201);
    const vc = ((await issued.json()) as Json).verifiableCredential;
    const revoke = () =>
      fetch(`${node.url}/credentials/status`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ credentialId: vc.id, status: true }),
      });
    let node = first;
    await expect(revoke()).rejects.toThrow();
    expect((await first.exited).signal).toBe('SIGKILL');

    node = await startNodeProcess(dir);
    try {
      const did = ((await (await fetch(`${node.url}/health`)).json()) as Json).did;
      const listUrl = vc.credentialStatus.statusListCredential as string;
      const published = async () => {
        const res = await fetch(`${node.url}/publications?publisher=${encodeURIComponent(did)}&kind=status-list`);
        const { publications } = (await res.json()) as Json;
        return publications.find((p: Json) => p.id === listUrl)?.body.credentialSubject.encodedList;
      };
      const served = async () =>
        ((await (await fetch(`${node.url}${new URL(listUrl).pathname}`)).json()) as Json).credentialSubject.encodedList;
      // The bit survived the kill (it was stored); followers must get the list that carries it.
      expect(await published()).toBe(await served());

      const retry = await revoke();
      expect(retry.status).toBe(200);
      expect(((await retry.json()) as Json).changed).toBe(false);
      expect(await published()).toBe(await served());
    } finally {
      node.child.kill('SIGKILL');
      await node.exited;
    }
  }, 60_000);

  it("the client's retry publishes the stored list when the first attempt died before publishing", async () => {
    let failNext = true;
    const node = await createTestNode({
      testHooks: {
        afterStatusStored: () => {
          if (failNext) {
            failNext = false;
            throw new Error('died between the bit and the publication');
          }
        },
      },
    });
    try {
      const { issuer, publications, statusLists, identity } = node.components;
      const vc = await issuer.issue(sampleBadge());
      const listUrl = (vc.credentialStatus as Json).statusListCredential as string;
      const listId = listUrl.split('/').pop()!;
      const publishedList = () =>
        publications.list({ publisher: identity.did, kind: 'status-list' }).find((p) => p.id === listUrl)?.body;

      await expect(issuer.setStatus(vc.id, 'revocation', true)).rejects.toThrow(/died between/);
      const stored = await statusLists.getListCredential(listId);
      expect(publishedList()).not.toEqual(stored);

      expect(await issuer.setStatus(vc.id, 'revocation', true)).toMatchObject({ changed: false });
      expect(publishedList()).toEqual(stored);
    } finally {
      await node.close();
    }
  });
});
