/**
 * `npm run skills:samples -- DIR`: writes the project's sample frameworks (as
 * the node's framework JSON and as CASE 1.1 packages) and crosswalks to DIR,
 * ready for `POST /skills/frameworks`, `/skills/import/case` and
 * `/skills/crosswalks` (README, "Skills: worked example").
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BLUEWAVE, CROSSWALKS, CYBER, HOSPITAL, NORTHWIND, NURSING, RETAIL } from '../data/sample-skills.ts';
import { toCasePackage } from '../registry/skills/case-export.ts';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: npm run skills:samples -- DIR\n');
  process.exit(2);
}
await mkdir(dir, { recursive: true });
const written: string[] = [];
const write = async (name: string, value: unknown) => {
  await writeFile(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
  written.push(name);
};
for (const framework of [CYBER, BLUEWAVE, NURSING, HOSPITAL, RETAIL, NORTHWIND]) {
  const name = framework.id.split('/').pop();
  await write(`${name}.json`, framework);
  await write(`${name}.case.json`, toCasePackage(framework, new Date().toISOString()));
}
for (const crosswalk of CROSSWALKS) await write(`${crosswalk.id}.crosswalk.json`, crosswalk);
process.stdout.write(`${written.map((name) => join(dir, name)).join('\n')}\n`);
