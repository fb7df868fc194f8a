/**
 * `npm run attack`: the standing attack suite of issue 16, against real `ler-node` processes on loopback.
 * Phases: http (generated hostile requests, slow clients, huge bodies, outbound-connection traps, RSS),
 * rogue (a libp2p peer of its own against two honest nodes), crash (kill -9 during issue, revoke and
 * governance). Prints the figures, then each target of the issue with PASS/MISS; exits 1 on any miss.
 */
import '../../node/polyfills.ts';
import { writeFile } from 'node:fs/promises';
import { crashAttack } from './crash-attack.ts';
import { httpAttack } from './http-attack.ts';
import { parseOptions } from './options.ts';
import { printFigures, type Target, targetsOf } from './report.ts';
import { rogueAttack } from './rogue-attack.ts';

const log = (line: string) => process.stderr.write(`[attack ${(performance.now() / 1000).toFixed(1)} s] ${line}\n`);

// A peer or a node closing a socket mid-write is part of what is attacked here, never a reason to stop.
process.on('uncaughtException', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE' || error.code === 'ECONNRESET') {
    log(`ignored ${error.code} on a socket the far side closed`);
    return;
  }
  console.error(error);
  process.exit(2);
});

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const figures: Parameters<typeof targetsOf>[0] = {};
  const errors: string[] = [];
  const run = async (name: string, phase: () => Promise<void>) => {
    const started = performance.now();
    try {
      await phase();
    } catch (error) {
      errors.push(`${name}: ${(error as Error).stack ?? error}`);
      log(`${name} failed: ${(error as Error).message}`);
    }
    log(`${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  if (options.phases.has('http'))
    await run('http', async () => {
      figures.http = await httpAttack({ ...options, log });
    });
  if (options.phases.has('rogue'))
    await run('rogue', async () => {
      figures.rogue = await rogueAttack({ mutations: options.mutations, seed: options.seed, log });
    });
  if (options.phases.has('crash'))
    await run('crash', async () => {
      figures.crash = await crashAttack({ kills: options.kills, seed: options.seed, log });
    });
  printFigures(figures, options);
  const targets: Target[] = targetsOf(figures, options);
  for (const e of errors) targets.push({ name: 'phase completed', pass: false, value: e.split('\n')[0] });
  console.log('\nTargets (issue 16, "Done when"):');
  for (const t of targets)
    console.log(`  ${t.pass ? (t.info ? 'ok  ' : 'PASS') : t.info ? 'NOTE' : 'MISS'}  ${t.name}: ${t.value}`);
  if (options.json)
    await writeFile(
      options.json,
      JSON.stringify({ options: { ...options, phases: [...options.phases] }, figures, targets, errors }, null, 2),
    );
  const missed = targets.filter((t) => !t.pass && !t.info).length;
  console.log(missed ? `\n${missed} target(s) missed.` : '\nAll targets met.');
  for (const e of errors) console.error(e);
  process.exit(missed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
