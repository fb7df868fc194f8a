/**
 * The "generator" command of w3c/vc-test-suite (VC Data Model 1.1), as its config.json names it:
 * `vc11-generator.ts credential|presentation [SUITE FLAGS…] FILE`. It prints the document when the node's
 * data-model checks accept it, and otherwise writes why on stderr and exits 1 (the suite counts any stderr output
 * as a rejection). What is checked: vc11-documents.ts.
 */
import { readFileSync } from 'node:fs';
import { answer } from './vc11-documents.ts';

const [kind, ...rest] = process.argv.slice(2);
const file = rest.at(-1);
if ((kind !== 'credential' && kind !== 'presentation') || !file) {
  process.stderr.write('usage: vc11-generator.ts credential|presentation [--jwt-decode | --jwt KEYS …] FILE\n');
  process.exit(2);
}
const result = answer({ kind, flags: rest.slice(0, -1), text: readFileSync(file, 'utf8') });
if ('error' in result) {
  process.stderr.write(`${result.error}\n`);
  process.exit(1);
}
process.stdout.write(result.output);
