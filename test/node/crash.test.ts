import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleBadge, tempDir } from '../helpers/node.ts';
import { type NodeProcess, startNodeProcess } from '../helpers/process.ts';

// Small lists make a reused index likely to show up if slot bookkeeping broke.
const LIST_LENGTH = '256';

async function issueLoop(node: NodeProcess, acknowledged: Record<string, any>[], stop: { now: boolean }) {
  while (!stop.now) {
    try {
      const res = await fetch(`${node.url}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
        body: JSON.stringify({
          credential: sampleBadge({ issuer: node.did }),
          options: { cryptosuite: 'eddsa-jcs-2022' },
        }),
      });
      if (res.status !== 201) return;
      acknowledged.push(((await res.json()) as Record<string, any>).verifiableCredential);
    } catch {
      return; // the process was killed mid-request: that request was never acknowledged
    }
  }
}

describe('when the node is killed with SIGKILL while issuing', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('never hands out a status index twice and every acknowledged credential still verifies', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const env = { LER_STATUS_LIST_LENGTH: LIST_LENGTH };
    const first = await startNodeProcess(dir, env);
    const before: Record<string, any>[] = [];
    const stop = { now: false };
    const loops = Array.from({ length: 4 }, () => issueLoop(first, before, stop));
    while (before.length < 150) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    stop.now = true;
    await Promise.all(loops);
    await first.exited;

    const second = await startNodeProcess(dir, env);
    try {
      const after: Record<string, any>[] = [];
      const again = { now: false };
      const moreLoops = Array.from({ length: 4 }, () => issueLoop({ ...second, token: first.token }, after, again));
      while (after.length < 150) await new Promise((r) => setTimeout(r, 20));
      again.now = true;
      await Promise.all(moreLoops);

      const slots = [...before, ...after].map(
        (vc) => `${vc.credentialStatus.statusListCredential}#${vc.credentialStatus.statusListIndex}`,
      );
      expect(new Set(slots).size).toBe(slots.length);

      for (const vc of before) {
        const res = await fetch(`${second.url}/credentials/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ verifiableCredential: vc }),
        });
        const report = (await res.json()) as Record<string, any>;
        expect(report.verified, JSON.stringify(report.checks)).toBe(true);
      }
      // and the node still knows each of them: it can revoke the first one
      const revoke = await fetch(`${second.url}/credentials/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${first.token}` },
        body: JSON.stringify({ credentialId: before[0].id, status: true }),
      });
      expect(revoke.status).toBe(200);
    } finally {
      second.child.kill('SIGKILL');
      await second.exited;
    }
  }, 60_000);
});
