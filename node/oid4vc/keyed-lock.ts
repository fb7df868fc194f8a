/**
 * One-at-a-time sections per key: level has no compare-and-set, so "read the
 * state, check it, write the change" for one offer, code or nonce runs under
 * its key's lock (single-use codes and nonces stay single-use under races).
 */
export function keyedLock() {
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
