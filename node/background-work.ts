/**
 * Housekeeping that a request starts but does not wait for (sweeping expired records). Each task is kept until it
 * settles so that closing the node waits for it: a sweep still iterating when the database closes would otherwise
 * fail as an unhandled rejection. A failed sweep is harmless (the next one retries), so failures are only counted.
 */
export interface BackgroundWork {
  run(task: () => Promise<void>): void;
  /** Resolves once every task started so far has settled. */
  drain(): Promise<void>;
  readonly failures: number;
}

export function createBackgroundWork(): BackgroundWork {
  const running = new Set<Promise<void>>();
  let failures = 0;
  return {
    run(task) {
      const settled: Promise<void> = task()
        .catch(() => {
          failures += 1;
        })
        .finally(() => running.delete(settled));
      running.add(settled);
    },
    async drain() {
      while (running.size > 0) await Promise.all([...running]);
    },
    get failures() {
      return failures;
    },
  };
}
