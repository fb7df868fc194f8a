/**
 * `npm run conformance -- SUITE_DIR [--install PACKS_DIR] [--issuer-options JSON] [--keep]`: runs one
 * public W3C / CCG test suite (a checkout) against a real node. With
 * `--install`, first installs the suite's dependencies (install.ts: npm
 * registry, plus its `github:` dependencies from PACKS_DIR).
 * Starts `ler-node` on free loopback ports with a fresh data directory, writes
 * the suite's `localConfig.cjs` (so only this node is tested), runs the suite's
 * mocha tests with the JSON reporter, and prints `passed / failed / pending`
 * with the title of every failure. `--issuer-options` adds issuance options to
 * the generic issuer (see RunSettings in suites.ts). A suite that drives a
 * local command instead of HTTP (w3c/vc-test-suite, recognised by its package
 * name) gets its config.json pointing at our generator, and no node
 * (generator-suites.ts); tests that do not apply are counted apart, with the
 * reason. The suites are not part of this repository.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GeneratorSuite, generatorSuiteByName, generatorSuites } from './generator-suites.ts';
import { installSuite } from './install.ts';
import { type MochaReport, type ReportNotes, sortReport } from './mocha-report.ts';
import { type RunningNode, suiteByName, suites } from './suites.ts';
import { startTlsFront, type TlsFront } from './tls-front.ts';

const BIN = fileURLToPath(new URL('../../bin/ler-node.js', import.meta.url));

async function startNode(data: string, publicUrl?: string): Promise<{ node: RunningNode; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'start',
      '--data',
      data,
      '--http',
      '127.0.0.1:0',
      '--p2p',
      '/ip4/127.0.0.1/tcp/0',
      ...(publicUrl ? ['--public-url', publicUrl] : []),
    ],
    { env: { ...process.env, LER_FROM_SOURCE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const started = await new Promise<boolean>((done) => {
    const check = setInterval(() => {
      if (/HTTP:\s+(\S+)/.test(out)) {
        clearInterval(check);
        done(true);
      }
    }, 50);
    child.once('exit', () => {
      clearInterval(check);
      done(false);
    });
  });
  if (!started) throw new Error(`ler-node did not start: ${err || out}`);
  const url = /HTTP:\s+(\S+)/.exec(out)![1];
  const token = /admin token \(shown once[^:]*: (\S+)/.exec(out)?.[1] ?? '';
  const health = (await (await fetch(`${url}/health`)).json()) as { did: string; ecdsaDid?: string };
  return {
    node: { url, token, did: health.did, ecdsaDid: health.ecdsaDid },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function runMocha(dir: string, args: string[], env: Record<string, string>): Promise<MochaReport> {
  // mocha 10 names its command bin/mocha.js; mocha 6 (vc-test-suite) bin/mocha.
  const mocha = ['mocha.js', 'mocha'].map((f) => join(dir, 'node_modules', 'mocha', 'bin', f)).find(existsSync);
  if (!mocha) throw new Error(`${dir} has no node_modules/mocha: install the suite's dependencies first`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [mocha, ...args, '--reporter', 'json'], {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('exit', () => {
      const start = out.indexOf('{');
      try {
        done(JSON.parse(out.slice(start)) as MochaReport);
      } catch {
        fail(new Error(`mocha did not print a JSON report:\n${out.slice(0, 2000)}`));
      }
    });
  });
}

/** Prints every test that did not pass, each that does not apply (with its reason), and the totals. */
function printReport(report: MochaReport, heading: string, notes: ReportNotes = {}) {
  const sorted = sortReport(report, notes);
  for (const t of sorted.failures) {
    console.log(`FAIL  ${t.fullTitle}\n      ${(t.err?.message ?? '').split('\n')[0]}`);
    if (t.departure) console.log(`      the suite departs from the specification here: ${t.departure}`);
  }
  for (const t of sorted.pending) console.log(`PEND  ${t.fullTitle}${t.reason ? `\n      ${t.reason}` : ''}`);
  const reasons = [...new Set(sorted.notApplicable.map((t) => t.reason))];
  for (const t of sorted.notApplicable) console.log(`N/A   ${t.title}  [${reasons.indexOf(t.reason) + 1}]`);
  for (const [i, reason] of reasons.entries()) console.log(`      [${i + 1}] ${reason}`);
  console.log(`\n${heading}`);
  const totals = `${sorted.passes} passed / ${sorted.failures.length} failed / ${sorted.pending.length} pending`;
  console.log(sorted.notApplicable.length > 0 ? `${totals} / ${sorted.notApplicable.length} not applicable` : totals);
}

/** A generator suite (vc-test-suite): no node, only its config.json pointing at our generator command. */
async function runGeneratorSuite(dir: string, suite: GeneratorSuite, commit: string, keep: boolean) {
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, `${JSON.stringify(await suite.config(dir), null, 2)}\n`);
  try {
    printReport(await runMocha(dir, suite.mochaArgs, {}), `${suite.name} @ ${commit}`, suite.notes);
  } finally {
    if (!keep) await rm(configPath, { force: true });
  }
}

function gitCommit(dir: string): Promise<string> {
  return new Promise<string>((done) => {
    const git = spawn('git', ['-C', dir, 'rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let s = '';
    git.stdout.on('data', (d) => {
      s += d;
    });
    git.on('exit', () => done(s.trim() || 'unknown'));
  });
}

async function main() {
  const [dirArg, ...flags] = process.argv.slice(2);
  if (!dirArg) {
    const names = [...suites, ...generatorSuites].map((s) => s.name).join(', ');
    console.error(`usage: npm run conformance -- SUITE_DIR\nknown suites: ${names}`);
    process.exit(2);
  }
  const dir = resolve(dirArg);
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name: string };
  const known = [...suites, ...generatorSuites].map((s) => s.name).join(', ');
  const generatorSuite = generatorSuiteByName(pkg.name);
  const suite = suiteByName(pkg.name);
  if (!suite && !generatorSuite) throw new Error(`no adapter for suite ${pkg.name} (known: ${known})`);
  const install = flags.indexOf('--install');
  if (install >= 0) {
    const packs = flags[install + 1];
    if (!packs)
      throw new Error('--install needs the folder with the suite’s github: dependencies (tarballs or checkouts)');
    await installSuite(dir, resolve(packs));
  }
  const optionsAt = flags.indexOf('--issuer-options');
  const issuerOptions =
    optionsAt >= 0 ? (JSON.parse(flags[optionsAt + 1] ?? '') as Record<string, unknown>) : undefined;
  const commit = await gitCommit(dir);
  if (generatorSuite) return runGeneratorSuite(dir, generatorSuite, commit, flags.includes('--keep'));
  if (!suite) return;
  const work = await mkdtemp(join(tmpdir(), 'ler-conformance-'));
  let nodeUrl = '';
  // The front comes first so the node can name it as its public URL (status list URLs must be https there).
  const front: TlsFront | undefined = suite.tls ? await startTlsFront(() => nodeUrl, work) : undefined;
  const { node, stop } = await startNode(join(work, 'data'), front?.url);
  nodeUrl = node.url;
  const configPath = join(dir, 'localConfig.cjs');
  try {
    const served = front ? { ...node, url: front.url } : node;
    const config = { settings: { enableInteropTests: false, testAllImplementations: false } };
    await writeFile(
      configPath,
      `// Written by ler-node's conformance runner; points the suite at a local node.\nmodule.exports = ${JSON.stringify(
        { ...config, implementations: suite.implementations(served, { issuerOptions }) },
        null,
        2,
      )};\n`,
    );
    const report = await runMocha(dir, suite.mochaArgs, front ? { NODE_EXTRA_CA_CERTS: front.caFile } : {});
    printReport(report, `${suite.name} @ ${commit}`, suite.notes);
  } finally {
    if (!flags.includes('--keep')) await rm(configPath, { force: true });
    await front?.close();
    await stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
