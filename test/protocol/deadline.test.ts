/** The verification deadline fires even when garbage collection runs while the work waits (nodejs/node#57736). */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { withDeadline } from '../../protocol/deadline.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const abortedBy = (signal: AbortSignal) =>
  new Promise<string>((resolve) =>
    signal.addEventListener('abort', () => resolve((signal.reason as Error).name), { once: true }),
  );

describe('withDeadline', () => {
  it('aborts with a TimeoutError after its time although nothing else holds the timer, GC running meanwhile', async () => {
    const parent = new AbortController();
    const reason = withDeadline(60, parent.signal, async (signal) => {
      const aborted = abortedBy(signal);
      for (let i = 0; i < 5; i += 1) {
        gc();
        await new Promise((resolve) => setImmediate(resolve));
      }
      return aborted;
    });
    expect(await reason).toBe('TimeoutError');
  });

  it('aborts with the parent reason when the caller goes away first, and stops listening when done', async () => {
    const parent = new AbortController();
    const reason = withDeadline(10_000, parent.signal, (signal) => {
      const aborted = abortedBy(signal);
      parent.abort(new DOMException('client left', 'AbortError'));
      return aborted;
    });
    expect(await reason).toBe('AbortError');
    let seen: AbortSignal | undefined;
    await withDeadline(10_000, undefined, async (signal) => {
      seen = signal;
    });
    // The timer was cleared when the work ended: the signal never aborts afterwards.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen?.aborted).toBe(false);
  });
});
