/** Starts `ler-node` as a real child process and reads what it prints. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/ler-node.js', import.meta.url));

export interface NodeProcess {
  child: ChildProcess;
  url: string;
  token?: string;
  /** The node's DID, as it printed it. */
  did?: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `nodeArgs` go to Node itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow). */
export function runCli(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  // Tests exercise the sources, never a possibly stale dist/.
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
    env: { ...process.env, LER_FROM_SOURCE: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Starts a node on free ports and waits until it prints its HTTP URL. */
export async function startNodeProcess(
  dataDir: string,
  env: Record<string, string> = {},
  timeoutMs = 20_000,
  extraArgs: string[] = [],
  nodeArgs: string[] = [],
): Promise<NodeProcess> {
  const run = runCli(
    [
      'start',
      '--data',
      dataDir,
      '--http',
      '127.0.0.1:0',
      '--p2p',
      '/ip4/127.0.0.1/tcp/0',
      '--verify-workers',
      '0',
      ...extraArgs,
    ],
    env,
    nodeArgs,
  );
  const deadline = Date.now() + timeoutMs;
  while (!/HTTP:\s+(\S+)/.test(run.stdout())) {
    if (run.child.exitCode !== null) throw new Error(`node exited early: ${run.stderr()}`);
    if (Date.now() > deadline) throw new Error(`node did not start: ${run.stdout()} ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = /HTTP:\s+(\S+)/.exec(run.stdout())![1];
  const token = /admin token \(shown once[^:]*: (\S+)/.exec(run.stdout())?.[1];
  const did = /DID:\s+(\S+)/.exec(run.stdout())?.[1];
  return { ...run, url, token, did };
}

/** Calls a node process's API with its admin token and returns the JSON answer (test setup, not the subject). */
export function adminApi(node: () => NodeProcess) {
  return async (method: string, path: string, body?: unknown) =>
    (await (
      await fetch(`${node().url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node().token}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).json()) as Record<string, any>;
}
