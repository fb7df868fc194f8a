#!/usr/bin/env node
// Runs the compiled node (dist/, made by `npm run build`, which `npm install` runs) when it is there;
// otherwise, or with LER_FROM_SOURCE=1 (tests, development), the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import v8 from 'node:v8';

// A smaller young generation: an idle node keeps ~20 MiB less resident, at no cost to verification,
// which runs in worker threads with their own heaps.
v8.setFlagsFromString('--max-semi-space-size=2');

const compiled = new URL('../dist/node/main.js', import.meta.url);
if (process.env.LER_FROM_SOURCE !== '1' && existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../node/main.ts');
}
