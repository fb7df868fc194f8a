/**
 * Serializes async work per key: work for one key runs one at a time, in
 * arrival order; different keys run concurrently. Used wherever a check and
 * the write it guards must not interleave with another request's (one
 * credential id, one status list, list creation per purpose, one OID4VC offer, code or nonce: level has no
 * compare-and-set).
 */
export type KeyedLock = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return async function withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
