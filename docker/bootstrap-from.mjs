// Prints the libp2p bootstrap address (with /p2p/<peerId>) of the node whose HTTP URL is given, read from its
// /health, waiting up to a minute for it to answer. A node's peer id exists only once its data directory is
// initialized, so a compose file cannot name it in advance. Prefers an address other than loopback (in a
// container network the node's own interface), else the first.
const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: node docker/bootstrap-from.mjs HTTP_URL\n');
  process.exit(2);
}
const deadline = Date.now() + 60_000;
for (;;) {
  try {
    const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(3000) });
    const { multiaddrs = [] } = await response.json();
    const address = multiaddrs.find((a) => !a.startsWith('/ip4/127.') && !a.startsWith('/ip6/::1/')) ?? multiaddrs[0];
    if (address) {
      process.stdout.write(`${address}\n`);
      process.exit(0);
    }
  } catch {
    // not up yet
  }
  if (Date.now() > deadline) {
    process.stderr.write(`no libp2p address from ${url}/health within a minute\n`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
