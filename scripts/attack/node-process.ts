/**
 * Real `ler-node` processes for the attack harness: started from source on loopback, with their RSS read
 * from /proc and a full GC on demand (gc-preload.mjs, SIGUSR2, only under LER_ATTACK_GC=1).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/ler-node.js', import.meta.url));
const GC_PRELOAD = fileURLToPath(new URL('./gc-preload.mjs', import.meta.url));

export interface StartOptions {
  dataDir: string;
  /** host:port; default 127.0.0.1:0. */
  http?: string;
  /** default /ip4/127.0.0.1/tcp/0. */
  p2p?: string;
  bootstrap?: string[];
  adminToken?: string;
  /** Proof worker threads; default: the node's own default. */
  verifyWorkers?: number;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface AttackNode {
  child: ChildProcess;
  pid: number;
  url: string;
  port: number;
  multiaddr: string;
  peerId: string;
  did: string;
  /** The admin token as printed on first start, or as given. */
  token: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** Resident set size in MiB. */
  rssMiB(): Promise<number>;
  /** Runs a full GC in the node (SIGUSR2) and waits for its marker. */
  gc(): Promise<void>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function readRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

export async function startNode(options: StartOptions): Promise<AttackNode> {
  const args = [
    BIN,
    'start',
    '--data',
    options.dataDir,
    '--http',
    options.http ?? '127.0.0.1:0',
    '--p2p',
    options.p2p ?? '/ip4/127.0.0.1/tcp/0',
  ];
  for (const b of options.bootstrap ?? []) args.push('--bootstrap', b);
  if (options.adminToken) args.push('--admin-token', options.adminToken);
  if (options.verifyWorkers !== undefined) args.push('--verify-workers', String(options.verifyWorkers));
  const nodeOptions = [process.env.NODE_OPTIONS ?? '', '--expose-gc', `--import=${GC_PRELOAD}`].join(' ').trim();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, LER_FROM_SOURCE: '1', LER_ATTACK_GC: '1', NODE_OPTIONS: nodeOptions, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  let gcDone = 0;
  child.stderr!.on('data', (d) => {
    gcDone += String(d).match(/ler-attack: gc done/g)?.length ?? 0;
    // Keep the tail only: a long run logs a lot.
    stderr = (stderr + d).slice(-200_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!/libp2p:\s+(\S+)/.test(stdout)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`node exited early: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`node did not start: ${stdout} ${stderr}`);
    }
    await sleep(25);
  }
  const url = /HTTP:\s+(\S+)/.exec(stdout)![1];
  const multiaddr = /libp2p:\s+(\S+)/.exec(stdout)![1];
  const token = options.adminToken ?? /admin token \(shown once[^:]*: (\S+)/.exec(stdout)?.[1] ?? '';
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid: child.pid!,
    url,
    port: Number(new URL(url).port),
    multiaddr,
    peerId: /peer id:\s+(\S+)/.exec(stdout)?.[1] ?? '',
    did: /DID:\s+(\S+)/.exec(stdout)?.[1] ?? '',
    token,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    alive,
    rssMiB: () => readRssMiB(child.pid!),
    async gc() {
      const want = gcDone + 1;
      child.kill('SIGUSR2');
      const until = Date.now() + 10_000;
      while (gcDone < want && Date.now() < until) await sleep(20);
      if (gcDone < want) throw new Error('the node did not run a GC on SIGUSR2 (gc-preload.mjs not loaded?)');
      // Let the allocator hand freed pages back before RSS is read.
      await sleep(500);
    },
    async kill9() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
