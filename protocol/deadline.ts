/**
 * Runs `work` with a signal that aborts with a `TimeoutError` after `ms`, or as soon as `parent` aborts.
 *
 * Not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: Node holds the sources of a composite signal weakly, so
 * a timeout signal that nothing else references can be garbage-collected and never fire (nodejs/node#57736); under
 * load the deadline then silently became the 4 s fetch timeout. Here the timer holds the controller until it fires
 * or the work ends, and is cleared at once when it ends, so a finished request leaves no timer behind.
 */
export async function withDeadline<T>(
  ms: number,
  parent: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`deadline of ${ms} ms passed`, 'TimeoutError')), ms);
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}
