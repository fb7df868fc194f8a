/**
 * The data directory's size on disk, for `ler_store_size_bytes`: a walk of a
 * few dozen files (level keeps its tables in a handful of large files), run at
 * most once per `maxAgeMs` however often the node is scraped.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await sizeOf(path);
    // A file level deletes between the listing and the stat counts as gone.
    else if (entry.isFile()) total += (await stat(path).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

export function createStoreSize(options: { dir: string; maxAgeMs?: number; now?: () => number }) {
  const maxAgeMs = options.maxAgeMs ?? 10_000;
  const now = options.now ?? Date.now;
  let last: { at: number; bytes: Promise<number> } | undefined;
  return function storeBytes(): Promise<number> {
    if (!last || now() - last.at >= maxAgeMs) last = { at: now(), bytes: sizeOf(options.dir) };
    return last.bytes;
  };
}
