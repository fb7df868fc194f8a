/** Housekeeping started by a request finishes before the node closes its database. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackgroundWork } from '../../node/background-work.ts';
import { openDatabase } from '../../node/storage/database.ts';
import { createTestNode, tempDir } from '../helpers/node.ts';

describe('background work', () => {
  it('drains only after every started task has settled, and counts a failure instead of throwing', async () => {
    const work = createBackgroundWork();
    let finished = false;
    work.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      finished = true;
    });
    work.run(async () => {
      throw new Error('database closed');
    });
    await work.drain();
    expect(finished).toBe(true);
    expect(work.failures).toBe(1);
  });

  it('finishes the sweep a request started before the node closes its database', async () => {
    const dir = await tempDir();
    let clock = new Date('2026-01-01T00:00:00Z');
    try {
      const node = await createTestNode({ dir, now: () => clock });
      // Enough records that the sweep is still iterating when close() is called right after the request.
      for (let i = 0; i < 200; i += 1) await node.components.presentationRequests.create({});
      // A day later every earlier request has expired; the next request starts a sweep and the node closes at once.
      clock = new Date('2026-01-02T00:00:00Z');
      await node.components.presentationRequests.create({});
      await node.close();

      const database = await openDatabase(join(dir, 'db'));
      try {
        const requests = database.db.sublevel<string, unknown>('oid4vp', { valueEncoding: 'json' });
        const left = await requests.keys({ gte: 'request!', lt: 'request!\uffff' }).all();
        expect(left).toHaveLength(1);
      } finally {
        await database.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
