/** Why outbound work of a verification stopped, as an `unchecked` code: the deadline, or the caller went away. */
export function abandoned(signal: AbortSignal): { code: string; message: string } {
  return (signal.reason as Error | undefined)?.name === 'TimeoutError'
    ? { code: 'DEADLINE_EXCEEDED', message: 'the verification deadline passed before this could be fetched' }
    : { code: 'ABORTED', message: 'the request was abandoned before this could be fetched' };
}
