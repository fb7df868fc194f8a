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
