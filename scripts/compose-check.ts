/**
 * `npm run compose:check`: checks compose.yaml and the Dockerfile without a Docker engine (there is none on
 * the development machines or in CI). It reads both files and runs every service the way compose would, as
 * local processes from this checkout:
 *
 * - each service's command is its compose `entrypoint` (or the Dockerfile's ENTRYPOINT) and `command` (or,
 *   without a compose entrypoint, the Dockerfile's CMD), run in the repository root (the image's /app);
 * - its environment is the Dockerfile's ENV, then the service's `environment` with `${VAR:?…}` and
 *   `${VAR:-…}` filled in (admin tokens are generated); what a container network gives each container is
 *   mapped: /data to a temporary directory per service, the listen addresses (LER_HTTP, LER_P2P) to free
 *   loopback ports, and `http://SERVICE:PORT` to that service's loopback address;
 * - services start in `depends_on` order; one waited on with `service_healthy` must pass the Dockerfile's
 *   HEALTHCHECK command first; a `restart: "no"` service (setup) must exit 0.
 *
 * Then it checks that the federation works: a credential issued at one node (beta) is verified as VALID and
 * TRUSTED at another (gamma, anchored to alpha's network, which recognizes beta's), and that running the
 * setup again changes nothing. Differences from a real `docker compose up`: the sources run through tsx
 * (LER_FROM_SOURCE=1) instead of the image's compiled dist/, and the image is not built.
 */
import '../node/polyfills.ts';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readComposeText } from './compose/read-compose.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

type Service = {
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition?: string }>;
  restart?: string;
};

export interface Dockerfile {
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  healthcheck: string[];
}

/** The runtime stage's ENV, ENTRYPOINT, CMD and HEALTHCHECK CMD (exec form) of the Dockerfile. */
export function readDockerfile(text: string): Dockerfile {
  // Continuation lines joined; only the last stage (the runtime image) counts.
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n');
  const last = lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
  const result: Dockerfile = { env: {}, entrypoint: [], cmd: [], healthcheck: [] };
  for (const line of lines.slice(last)) {
    const [, instruction, rest] = /^(\w+)\s+(.*)$/.exec(line.trim()) ?? [];
    if (instruction === 'ENV') {
      for (const [, key, value] of rest.matchAll(/(\w+)=(\S+)/g)) result.env[key] = value;
    } else if (instruction === 'ENTRYPOINT') result.entrypoint = JSON.parse(rest);
    else if (instruction === 'CMD') result.cmd = JSON.parse(rest);
    else if (instruction === 'HEALTHCHECK') result.healthcheck = JSON.parse(rest.slice(rest.indexOf('CMD') + 3));
  }
  if (result.entrypoint.length === 0 || result.healthcheck.length === 0) {
    throw new Error('the Dockerfile needs ENTRYPOINT and HEALTHCHECK CMD in exec (JSON) form');
  }
  return result;
}

/** compose's interpolation: `${VAR}`, `${VAR:-default}`, `${VAR:?error}`; `$$` is a literal `$`. */
export function interpolate(value: string, vars: Record<string, string | undefined>): string {
  return value
    .replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
      const set = vars[name];
      if (set !== undefined && set !== '') return set;
      if (op === '-') return arg ?? '';
      if (op === '?') throw new Error(`${name}: ${arg || 'required'}`);
      return '';
    })
    .replaceAll('$$', '$');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function order(services: Record<string, Service>): string[] {
  const done: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (done.includes(name)) return;
    if (path.includes(name)) throw new Error(`depends_on cycle: ${[...path, name].join(' → ')}`);
    for (const dep of Object.keys(services[name].depends_on ?? {})) visit(dep, [...path, name]);
    done.push(name);
  };
  for (const name of Object.keys(services)) visit(name, []);
  return done;
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(command: string[], env: Record<string, string>): Running {
  // `node` in the image is the Node.js that runs this check.
  const [file, ...args] = command[0] === 'node' ? [process.execPath, ...command.slice(1)] : command;
  const child = spawn(file, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface ComposeCheckResult {
  services: string[];
  setupOutput: string;
  /** The report of the credential issued at the issuing node, verified at the verifying node. */
  report: {
    verified: boolean;
    trusted: boolean;
    trustPath?: string[];
    checks: Array<{ name: string; status: string }>;
  };
  verifyExitCode: number | null;
  rerunOutput: string;
  log: string[];
}

export async function runComposeCheck(
  options: { issueAt?: string; verifyAt?: string; log?: (line: string) => void } = {},
): Promise<ComposeCheckResult> {
  const issueAt = options.issueAt ?? 'beta';
  const verifyAt = options.verifyAt ?? 'gamma';
  const log: string[] = [];
  const say = (line: string) => {
    log.push(line);
    options.log?.(line);
  };
  const compose = readComposeText(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'));
  const dockerfile = readDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const services = compose.services as unknown as Record<string, Service>;
  const dir = await mkdtemp(join(tmpdir(), 'ler-compose-'));
  // The operator's variables (compose reads them from the shell or .env): tokens generated here.
  const vars: Record<string, string | undefined> = { ...process.env };
  for (const text of Object.values(services).flatMap((s) => Object.values(s.environment ?? {}))) {
    for (const [, name] of String(text).matchAll(/\$\{(\w+):\?/g)) vars[name] ??= randomBytes(24).toString('base64url');
  }
  const [, containerPort] = /:(\d+)$/.exec(dockerfile.env.LER_HTTP) ?? [];
  const ports: Record<string, { http: number; p2p: number }> = {};
  for (const name of Object.keys(services)) ports[name] = { http: await freePort(), p2p: await freePort() };
  const mapHosts = (value: string) =>
    value.replace(/http:\/\/([\w-]+):(\d+)/g, (whole, host: string, port: string) =>
      ports[host] && port === containerPort ? `http://127.0.0.1:${ports[host].http}` : whole,
    );
  const envOf = (name: string): Record<string, string> => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      ...dockerfile.env,
      LER_DATA: join(dir, name),
      LER_HTTP: `127.0.0.1:${ports[name].http}`,
      LER_P2P: `/ip4/127.0.0.1/tcp/${ports[name].p2p}`,
      LER_VERIFY_WORKERS: '0',
      LER_FROM_SOURCE: '1',
    };
    for (const [key, value] of Object.entries(services[name].environment ?? {})) {
      env[key] = mapHosts(interpolate(String(value), vars));
    }
    return env;
  };
  const commandOf = (service: Service): string[] => {
    const entrypoint = service.entrypoint ?? dockerfile.entrypoint;
    // compose: an entrypoint set in the service drops the image's CMD.
    const command = service.command ?? (service.entrypoint ? [] : dockerfile.cmd);
    return [...entrypoint, ...command].map((part) => interpolate(String(part), vars));
  };
  const healthy = async (name: string) =>
    until(`${name} to be healthy`, 90_000, async () => {
      const check = run(dockerfile.healthcheck, envOf(name));
      return (await check.exited) === 0 ? true : undefined;
    });

  const running: Record<string, Running> = {};
  let stopping = false;
  let setupOutput = '';
  try {
    for (const name of order(services)) {
      const service = services[name];
      for (const [dep, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (condition === 'service_healthy') await healthy(dep);
      }
      const command = commandOf(service);
      say(`${name}: ${command.join(' ')}`);
      const started = run(command, envOf(name));
      if (service.restart === 'no') {
        const code = await started.exited;
        setupOutput += started.output();
        if (code !== 0) throw new Error(`${name} exited ${code}:\n${started.output()}`);
        say(`${name}: exited 0\n${started.output().trim()}`);
      } else {
        running[name] = started;
        started.exited.then((code) => {
          if (!stopping) say(`${name}: exited early (${code}):\n${started.output()}`);
        });
      }
    }

    // The federation works: a credential issued at one node is VALID and TRUSTED at another.
    const envIssue = envOf(issueAt);
    const credentialFile = join(dir, 'credential.json');
    const issuerUrl = `http://127.0.0.1:${ports[issueAt].http}`;
    const verifierUrl = `http://127.0.0.1:${ports[verifyAt].http}`;
    await writeFile(
      join(dir, 'badge.json'),
      JSON.stringify({
        '@context': [
          'https://www.w3.org/ns/credentials/v2',
          'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        ],
        id: `urn:uuid:${randomUUID()}`,
        type: ['VerifiableCredential', 'OpenBadgeCredential'],
        name: 'Compose check',
        credentialSubject: {
          type: ['AchievementSubject'],
          achievement: {
            id: 'https://beta.example/achievements/compose-check',
            type: ['Achievement'],
            name: 'Compose check',
            criteria: { narrative: 'Issued by npm run compose:check.' },
          },
        },
      }),
    );
    // The issuing node's own admin token (its service environment) authorizes the issue.
    const issued = run(['node', 'bin/ler-node.js', 'issue', join(dir, 'badge.json'), '--url', issuerUrl], envIssue);
    if ((await issued.exited) !== 0) throw new Error(`issue at ${issueAt} failed:\n${issued.output()}`);
    await writeFile(credentialFile, issued.output());
    say(`issued at ${issueAt}: ${JSON.parse(issued.output()).id}`);
    // Replication is gossip plus a periodic pull (30 s): poll the verifier's API until it has caught up.
    const credential = JSON.parse(issued.output());
    await until(`${verifyAt} to trust the credential`, 120_000, async () => {
      const response = await fetch(`${verifierUrl}/credentials/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ verifiableCredential: credential }),
      });
      const body = (await response.json()) as ComposeCheckResult['report'];
      return body.trusted && body.checks.every((c) => c.status === 'ok' || c.name === 'skills') ? body : undefined;
    });
    const verify = run(
      ['node', 'bin/ler-node.js', '--json', 'verify', credentialFile, '--url', verifierUrl],
      envOf(verifyAt),
    );
    const verifyExitCode = await verify.exited;
    const report = JSON.parse(verify.output()) as ComposeCheckResult['report'];
    say(
      `verified at ${verifyAt}: exit ${verifyExitCode}, trusted ${report.trusted}, path ${report.trustPath?.join(' → ')}`,
    );

    // The setup is one-shot: a second run changes nothing.
    const setupName = Object.keys(services).find((n) => services[n].restart === 'no');
    let rerunOutput = '';
    if (setupName) {
      const rerun = run(commandOf(services[setupName]), envOf(setupName));
      if ((await rerun.exited) !== 0) throw new Error(`${setupName} rerun failed:\n${rerun.output()}`);
      rerunOutput = rerun.output();
      say(`${setupName} again: ${rerunOutput.trim()}`);
    }
    return { services: Object.keys(services), setupOutput, report, verifyExitCode, rerunOutput, log };
  } finally {
    stopping = true;
    await Promise.all(
      Object.values(running).map(async (r) => {
        if (r.child.exitCode === null) r.child.kill('SIGTERM');
        await r.exited;
      }),
    );
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const result = await runComposeCheck({ log: (line) => console.log(line) });
    const ok = result.verifyExitCode === 0 && result.report.trusted;
    console.log(ok ? 'compose:check OK' : 'compose:check FAILED');
    process.exit(ok ? 0 : 1);
  } catch (error) {
    console.error(`compose:check FAILED: ${(error as Error).message}`);
    process.exit(1);
  }
}
