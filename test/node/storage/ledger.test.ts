import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lostOperations } from '../../../node/data-dir.ts';
import { openLedger } from '../../../node/storage/ledger.ts';
import { createTestNode, sampleBadge, tempDir } from '../../helpers/node.ts';

describe('the ledger beside the database', () => {
  it('keeps acknowledged operations and reservations across a reopen, ignoring a torn last line', async () => {
    const dir = await tempDir();
    try {
      const path = join(dir, 'node.json');
      const ledger = await openLedger(path);
      await ledger.setDid('did:key:z6MkExample');
      await ledger.reserve('list-a', 16);
      await Promise.all(
        Array.from({ length: 5 }, (_, i) => ledger.acknowledge({ op: 'issue', id: `urn:x:${i}`, record: {} })),
      );
      await ledger.close();
      const journal = join(dir, 'node.journal');
      const { appendFile } = await import('node:fs/promises');
      await appendFile(journal, '{"op":"issue","id":"urn:x:tor');
      const again = await openLedger(path);
      expect(again.did()).toBe('did:key:z6MkExample');
      expect(again.reserved('list-a')).toBe(16);
      expect(
        again
          .recent()
          .map((op) => (op as { id: string }).id)
          .sort(),
      ).toEqual([0, 1, 2, 3, 4].map((i) => `urn:x:${i}`));
      expect(JSON.parse(await readFile(path, 'utf8')).did).toBe('did:key:z6MkExample');
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('when a suspension was lifted after the ledger recorded it', () => {
    it('does not take the recorded suspension for a lost write (a later change is not a loss)', async () => {
      const node = await createTestNode();
      try {
        const { issuer } = node.components;
        const vc = await issuer.issue(sampleBadge(), { credentialStatus: [{ statusPurpose: 'suspension' }] });
        await issuer.setStatus(vc.id, 'suspension', true);
        const ledger = await openLedger(join(node.dir, 'node.json'));
        const suspended = ledger.recent().at(-1)!;
        expect(suspended).toMatchObject({ op: 'status', value: true });
        await ledger.close();
        // The lift reached the database; a crash before its own ledger line leaves only the suspension there.
        await issuer.setStatus(vc.id, 'suspension', false);
        expect(await lostOperations(node.database, [suspended])).toEqual([]);
        // A recorded change the database never got is a loss.
        const ahead = { ...suspended, version: (suspended as { version: number }).version + 5 };
        expect(await lostOperations(node.database, [ahead])).toEqual([ahead]);
      } finally {
        await node.close();
      }
    });
  });
});
