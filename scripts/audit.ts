/** `npm run audit -- EXPORT.json`: the offline audit of `ler-node registry verify`, as a script. */
import { readFile } from 'node:fs/promises';
import { auditExport } from '../node/registry/audit.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: npm run audit -- EXPORT.json   (from ler-node registry export NETWORK_ID)\n');
  process.exit(2);
}
const result = auditExport(JSON.parse(await readFile(file, 'utf8')));
process.stdout.write(
  `${JSON.stringify({ ok: result.ok, network: result.network, digest: result.digest, applied: result.applied, pending: result.pending, rejected: result.rejected, problems: result.problems }, null, 2)}\n`,
);
process.exit(result.ok ? 0 : 1);
