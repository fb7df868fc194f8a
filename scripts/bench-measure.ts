/** Timing helpers shared by the benchmark scripts. */
export interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  n: number;
}

export function summarize(latencies: number[], elapsedMs: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { perSecond: (latencies.length / elapsedMs) * 1000, p50: at(0.5), p99: at(0.99), n: latencies.length };
}

// In-process verification never waits on I/O, so a loop of it would starve the
// event loop (sockets closing, timers); yield once per task like a server does.
const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

/** Runs `task` with `concurrency` callers for `seconds`, after a warm-up with the same callers. */
export async function measure(
  task: () => Promise<void>,
  concurrency: number,
  seconds: number,
  hooks: { onStart?: () => void; onEnd?: () => void } = {},
): Promise<Figures> {
  const run = async (forMs: number, latencies?: number[]) => {
    const end = performance.now() + forMs;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          await task();
          latencies?.push(performance.now() - t);
          await yieldToEventLoop();
        }
      }),
    );
  };
  // Warm every worker (they start on first use) and the JIT before measuring; a single caller would warm only one worker.
  await run(3000);
  const latencies: number[] = [];
  hooks.onStart?.();
  const start = performance.now();
  await run(seconds * 1000, latencies);
  const elapsed = performance.now() - start;
  hooks.onEnd?.();
  return summarize(latencies, elapsed);
}
