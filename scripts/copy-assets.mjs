// Part of `npm run build`: files the compiled node reads at run time that tsc does not emit.
import { cpSync, mkdirSync } from 'node:fs';

mkdirSync('dist/protocol/signing/contexts', { recursive: true });
cpSync('protocol/signing/contexts', 'dist/protocol/signing/contexts', { recursive: true });
mkdirSync('dist/node/http/pages/assets', { recursive: true });
cpSync('node/http/pages/assets', 'dist/node/http/pages/assets', { recursive: true });
