import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CachedLevelDatastore } from '../../../node/storage/cached-datastore.ts';
import { type Database, openDatabase } from '../../../node/storage/database.ts';
import { tempDir } from '../../helpers/node.ts';

/** A datastore key as libp2p passes them (only its string form is used). */
const key = (path: string) => ({ toString: () => path }) as unknown as Parameters<CachedLevelDatastore['put']>[0];
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => (value ? new TextDecoder().decode(value) : undefined);

describe("libp2p's datastore in memory, written to level together", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  });

  async function open(): Promise<{ database: Database; store: CachedLevelDatastore; dir: string }> {
    const dir = await tempDir('ler-ds-');
    const database = await openDatabase(join(dir, 'db'));
    const store = new CachedLevelDatastore(database.libp2p as never, { flushMs: 3_600_000 });
    await store.open();
    cleanups.push(async () => {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    });
    return { database, store, dir };
  }
  /** What level itself holds under `path`, past the cache. */
  const inLevel = async (database: Database, path: string) =>
    text(
      (await (database.libp2p as unknown as { get(k: string): Promise<Uint8Array | undefined> }).get(path)) ??
        undefined,
    );

  it('answers from memory and writes a key changed many times once, at the flush', async () => {
    const { database, store } = await open();
    for (let i = 0; i < 10; i++) await store.put(key('/peers/a'), bytes(`v${i}`));
    expect(text(await store.get(key('/peers/a')))).toBe('v9');
    expect(await inLevel(database, '/peers/a')).toBeUndefined();
    expect(store.pendingWrites()).toBe(1);
    await store.flush();
    expect(await inLevel(database, '/peers/a')).toBe('v9');
    expect(store.pendingWrites()).toBe(0);
  });

  it('deletes in memory at once and in level at the flush; a missing key is NotFoundError', async () => {
    const { database, store } = await open();
    await store.put(key('/peers/b'), bytes('x'));
    await store.flush();
    await store.delete(key('/peers/b'));
    await expect(store.get(key('/peers/b'))).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(await store.has(key('/peers/b'))).toBe(false);
    expect(await inLevel(database, '/peers/b')).toBe('x');
    await store.flush();
    expect(await inLevel(database, '/peers/b')).toBeUndefined();
    await expect(store.get(key('/peers/none'))).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('lets a query see writes not yet flushed', async () => {
    const { store } = await open();
    await store.put(key('/peers/c1'), bytes('1'));
    await store.put(key('/peers/c2'), bytes('2'));
    await store.put(key('/dht/other'), bytes('3'));
    const found: string[] = [];
    for await (const entry of store.query({ prefix: '/peers' }))
      found.push(`${entry.key.toString()}=${text(entry.value)}`);
    expect(found.sort()).toEqual(['/peers/c1=1', '/peers/c2=2']);
  });

  it('writes what is pending when closed, so a reopened store has it', async () => {
    const { database, store } = await open();
    await store.put(key('/peers/d'), bytes('kept'));
    await store.close();
    // The sublevel closed with the store; the database under it did not.
    const again = database.db.sublevel<string, Uint8Array>('libp2p', { valueEncoding: 'view' });
    expect(text(await again.get('/peers/d'))).toBe('kept');
  });
});
