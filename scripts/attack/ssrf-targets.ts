/**
 * Outbound-request targets that all point at loopback listeners the harness runs: every spelling of a
 * loopback or private address the URL parser or a did:web decoder may turn into one (finding 1). A node
 * that connects to any of them has been turned against its own host.
 */
export interface SsrfTargets {
  urls: string[];
  dids: string[];
}

const didWebOf = (hostAndPort: string, path: string[] = []) =>
  ['did:web', encodeURIComponent(hostAndPort), ...path].join(':');

export function ssrfTargets(port4: number, port6: number): SsrfTargets {
  const hosts4 = [
    `[::ffff:127.0.0.1]:${port4}`,
    `[::ffff:7f00:1]:${port4}`,
    `[0:0:0:0:0:ffff:127.0.0.1]:${port4}`,
    `[::7f00:1]:${port4}`,
    `[64:ff9b::7f00:1]:${port4}`,
    `[64:ff9b::127.0.0.1]:${port4}`,
    `127.0.0.1:${port4}`,
    `127.1:${port4}`,
    `2130706433:${port4}`,
    `0x7f000001:${port4}`,
    `0177.0.0.1:${port4}`,
    `0x7f.0.0.1:${port4}`,
    `localhost:${port4}`,
    `localhost.:${port4}`,
    `[::1]:${port6}`,
    `[0:0:0:0:0:0:0:1]:${port6}`,
    `[::ffff:169.254.169.254]:${port4}`,
    `169.254.169.254:${port4}`,
    `[fe80::1]:${port6}`,
    `0.0.0.0:${port4}`,
    `[::]:${port6}`,
  ];
  const urls = hosts4.flatMap((h) => [`https://${h}/status/1`, `http://${h}/sl`]);
  const dids = hosts4.flatMap((h) => [didWebOf(h), didWebOf(h, ['users', 'alice'])]);
  return { urls, dids };
}
