// Preloaded into a `ler-node` process by test/node/idle-modules.test.ts only (NODE_OPTIONS="--import …", with
// LER_TEST_MODULE_TRACE=FILE): registers module-trace-hooks.mjs, which writes the URL of every ES module the
// process loads to FILE, one a line.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread && process.env.LER_TEST_MODULE_TRACE) {
  register(new URL('./module-trace-hooks.mjs', import.meta.url), {
    data: { file: process.env.LER_TEST_MODULE_TRACE },
  });
}
