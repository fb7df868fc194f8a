import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGovernorKeyring } from '../../../node/registry/governor-keys.ts';
import { openRegistryService } from '../../../node/registry/registry-service.ts';
import { openDatabase } from '../../../node/storage/database.ts';
import { foldNetwork, stateDigest } from '../../../registry/fold.ts';
import type { SignedAction } from '../../../registry/types.ts';
import { tempDir } from '../../helpers/node.ts';
import { genesis, governors, makeAction, signed } from '../../helpers/registry.ts';

function history(): SignedAction[] {
  const [a, b, c] = governors(3);
  const origin = genesis([a, b, c], 2, '2026-01-01T00:00:00Z');
  const entries = [origin];
  for (let i = 0; i < 40; i++) {
    const did = `did:web:m${i % 7}.example`;
    const type = i < 7 ? 'member.add' : (['member.suspend', 'member.reinstate', 'member.update'] as const)[i % 3];
    entries.push(
      signed(
        makeAction({
          type,
          network: origin.id,
          effectiveAt: new Date(Date.parse('2026-02-01T00:00:00Z') + i * 3_600_000).toISOString(),
          did,
          ...(type === 'member.add' || type === 'member.update' ? { name: `M${i}` } : {}),
        }),
        i % 5 === 0 ? [a] : [b, c],
      ),
    );
  }
  return entries;
}

async function withService<T>(dir: string, work: (s: Awaited<ReturnType<typeof openRegistryService>>) => Promise<T>) {
  const database = await openDatabase(join(dir, 'db'));
  try {
    return await work(await openRegistryService({ database, keyring: createGovernorKeyring(database) }));
  } finally {
    await database.close();
  }
}

describe('the registry service', () => {
  const entries = history();
  const networkId = entries[0].id;
  const expected = stateDigest(foldNetwork(networkId, entries)!);

  it('reaches the fold digest whether actions arrive in order (appended) or shuffled (re-folded), and after a restart', async () => {
    const dirs = [await tempDir(), await tempDir()];
    try {
      const inOrder = await withService(dirs[0], async (s) => {
        for (const e of entries) await s.ingest([e]);
        return s.digest(networkId);
      });
      const shuffled = [entries[0], ...entries.slice(1).sort(() => Math.random() - 0.5)];
      const outOfOrder = await withService(dirs[1], async (s) => {
        for (const e of shuffled) await s.ingest([e]);
        return s.digest(networkId);
      });
      expect(inOrder).toBe(expected);
      expect(outOfOrder).toBe(expected);
      expect(await withService(dirs[0], async (s) => s.digest(networkId))).toBe(expected);
    } finally {
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    }
  });

  it('takes a batch that lands before what it holds, with a change of governors inside, as one entry at a time would', async () => {
    // Governors rotate from [a, b, c] to [d, e] at entry 20 and to [d, e, f] at entry 40; each entry carries the
    // signatures of governors in effect then (f's only count after the second rotation, which arrives inside the
    // batch). Applied, pending (1 of 2) and rejected (a suspension of a non-member) entries all occur.
    const [a, b, c, d, e, f] = governors(6);
    const origin = genesis([a, b, c], 2, '2026-01-01T00:00:00Z');
    const at = (i: number) => new Date(Date.parse('2026-02-01T00:00:00Z') + i * 3_600_000).toISOString();
    const log: SignedAction[] = [origin];
    for (let i = 0; i < 60; i++) {
      const signers = i === 45 ? [f] : i >= 57 ? [d, e] : i > 40 ? [e, f] : i > 20 ? [d, e] : [a, c];
      const base = { network: origin.id, effectiveAt: at(i) };
      const action =
        i === 20 || i === 40
          ? makeAction({ ...base, type: 'governance.update', governors: [d.did, e.did, ...(i === 40 ? [f.did] : [])] })
          : i === 50
            ? makeAction({ ...base, type: 'member.suspend', did: 'did:web:nobody.example' })
            : makeAction({ ...base, type: 'member.add', did: `did:web:b${i}.example`, name: `B${i}` });
      log.push(signed(action, signers));
    }
    const derivedRecords = async (dir: string) => {
      const database = await openDatabase(join(dir, 'db'));
      try {
        return { networks: await database.networks.iterator().all(), members: await database.members.iterator().all() };
      } finally {
        await database.close();
      }
    };
    const dirs = [await tempDir(), await tempDir()];
    try {
      const reference = await withService(dirs[0], async (s) => {
        for (const entry of log) expect((await s.ingest([entry])).rejected).toEqual([]);
        return { state: s.network(origin.id), digest: s.digest(origin.id) };
      });
      const batched = await withService(dirs[1], async (s) => {
        // The first rotation and the last entries first (as gossip brings news before a pull brings the
        // history), then the rest in one shuffled batch: all of it sorts before what is held.
        const first = [origin, log[21], ...log.slice(-3)];
        expect((await s.ingest(first)).rejected).toEqual([]);
        const rest = log.filter((entry) => !first.includes(entry)).sort(() => Math.random() - 0.5);
        const result = await s.ingest(rest);
        expect(result.rejected).toEqual([]);
        expect(result.accepted).toHaveLength(rest.length);
        return { state: s.network(origin.id), digest: s.digest(origin.id) };
      });
      expect(reference.state?.pending).toEqual([log[46].id]);
      expect(reference.state?.rejected.map((r) => r.id)).toEqual([log[51].id]);
      expect(batched).toEqual(reference);
      expect(reference.digest).toBe(stateDigest(foldNetwork(origin.id, log)!));
      expect(await derivedRecords(dirs[1])).toEqual(await derivedRecords(dirs[0]));
      expect(await withService(dirs[1], async (s) => s.digest(origin.id))).toBe(reference.digest);
    } finally {
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a batch entry for a network it does not know and stores the rest', async () => {
    const dir = await tempDir();
    try {
      await withService(dir, async (s) => {
        const stranger = signed(
          makeAction({
            type: 'member.add',
            network: 'z'.repeat(43),
            effectiveAt: '2026-03-01T00:00:00Z',
            did: 'did:web:x.example',
            name: 'X',
          }),
          governors(1),
        );
        const result = await s.ingest([...entries.slice(0, 3), stranger]);
        expect(result.accepted).toHaveLength(3);
        expect(result.rejected).toMatchObject([{ code: 'UNKNOWN_NETWORK' }]);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
