/**
 * Installs a suite checkout's dependencies from the npm registry only. A suite's
 * `github:` dependencies (vc-test-suite-implementations, the interop reporter)
 * are taken from local packages instead: a folder holding their `npm pack`
 * tarballs or their checkouts (packed here). The suite's own files are left as
 * they are: the install runs in a scratch folder whose node_modules is then
 * moved into the suite.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stderr}`);
  return result.stdout;
}

/** Tarballs for the suite's git dependencies: each entry of `packs` is a .tgz or a package checkout. */
async function localPackages(packs: string, scratch: string): Promise<string[]> {
  const tarballs: string[] = [];
  for (const entry of await readdir(packs)) {
    const path = join(packs, entry);
    if (entry.endsWith('.tgz')) tarballs.push(path);
    else if ((await stat(path)).isDirectory() && existsSync(join(path, 'package.json'))) {
      const name = run('npm', ['pack', '--ignore-scripts', '--pack-destination', scratch], path)
        .trim()
        .split('\n')
        .pop();
      if (name) tarballs.push(join(scratch, name));
    }
  }
  return tarballs;
}

export async function installSuite(dir: string, packs: string): Promise<void> {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const scratch = join(dir, '.ler-conformance-install');
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const tarballs = await localPackages(packs, scratch);
  const dependencies: Record<string, string> = {};
  for (const [name, spec] of Object.entries(pkg.dependencies ?? {})) {
    if (!spec.startsWith('github:') && !/^[\w-]+\/[\w.-]+(#.*)?$/.test(spec)) {
      dependencies[name] = spec;
      continue;
    }
    // github:owner/repo#ref → the tarball packed from that repository (its file name carries the repo name).
    const repo = spec
      .replace(/^github:/, '')
      .replace(/#.*$/, '')
      .split('/')[1];
    const tarball = tarballs.find((t) => basename(t).includes(repo));
    if (!tarball) throw new Error(`${name} (${spec}): no tarball or checkout of ${repo} in ${packs}`);
    dependencies[name] = `file:${tarball}`;
  }
  await writeFile(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'ler-conformance-install', private: true, type: 'module', dependencies }, null, 2),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], scratch);
  await rm(join(dir, 'node_modules'), { recursive: true, force: true });
  await rename(join(scratch, 'node_modules'), join(dir, 'node_modules'));
  await rm(scratch, { recursive: true, force: true });
}
