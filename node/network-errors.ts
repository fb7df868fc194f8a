/**
 * A peer that resets a TCP connection at the wrong moment can surface as an
 * 'error' event no library listens for (seen here: ECONNRESET from a dial
 * while many nodes reconnect). A node must not die of a peer's behaviour:
 * socket-level errors are logged and survived; anything else still ends the
 * process, because continuing after an unknown fault is worse.
 */
const SURVIVABLE = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/**
 * libp2p errors a peer closing a stream at the wrong moment provokes inside the muxer, where no caller can catch
 * them (seen here: yamux sending a window update on a stream its peer had just closed, which ended a node of the
 * multi-process simulation).
 */
const SURVIVABLE_NAMES = new Set(['StreamStateError']);

export function isSurvivableNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && SURVIVABLE.has(code)) return true;
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && SURVIVABLE_NAMES.has(name);
}

export function surviveNetworkErrors(log: (error: unknown) => void): void {
  process.on('uncaughtException', (error) => {
    if (isSurvivableNetworkError(error)) {
      log(error);
      return;
    }
    process.stderr.write(`fatal: ${(error as Error)?.stack ?? error}\n`);
    process.exit(1);
  });
}
