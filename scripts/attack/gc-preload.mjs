// Preloaded into `ler-node` by the attack harness only (NODE_OPTIONS="--expose-gc --import …", with
// LER_ATTACK_GC=1): SIGUSR2 runs a full GC and prints a marker with the main thread's heap after it, so RSS can
// be compared after a GC without adding any endpoint to the node. Nothing of this is loaded by a node started any
// other way.
import { isMainThread } from 'node:worker_threads';

if (isMainThread && process.env.LER_ATTACK_GC === '1' && typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', () => {
    globalThis.gc();
    globalThis.gc();
    const { heapUsed, external } = process.memoryUsage();
    process.stderr.write(`ler-attack: gc done heapUsed=${heapUsed} external=${external}\n`);
  });
}
