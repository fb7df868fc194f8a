#!/usr/bin/env -S node --max-semi-space-size=2
// Runs the compiled node (dist/, made by `npm run build`, which `npm install` runs) when it is there;
// otherwise, or with LER_FROM_SOURCE=1 (tests, development), the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

// A smaller young generation keeps an idle node ~21 MiB less resident (new space 2 instead of 32 MiB; verification
// runs in worker threads, which get their own full-size heaps: node/verification/worker-pool.ts). The flag must
// be given when Node starts (the line above, and `npm start`): set from here with v8.setFlagsFromString it came
// too late for this thread's heap and only shrank the proof workers' (decision 0044).

const compiled = new URL('../dist/node/main.js', import.meta.url);
if (process.env.LER_FROM_SOURCE !== '1' && existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../node/main.ts');
}
