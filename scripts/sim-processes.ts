/**
 * `npm run sim -- --processes --nodes N …`: the federation as N separate `ler-node start` processes on
 * loopback, each with its own data dir and ports, bootstrapped to up to `degree` earlier nodes. Everything is
 * driven through the HTTP API as an operator would: networks created and every action approved with detached
 * signatures of external governor keys (2 of 3, as `ler-node gov sign` makes them), actions proposed and
 * credentials issued and revoked at random nodes.
 *
 * Propagation is read from each node's own `GET /events` stream: every event carries the node's clock when it
 * committed the change, so a figure is (follower's commit time − origin's commit time) on one machine clock,
 * however late this script reads the stream. One long-lived stream per node; no polling.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateGovernorKey, signActionId } from '../protocol/signing/governor-keys.ts';
import { sampleBadge, tempDir } from '../test/helpers/node.ts';
import { percentile } from './sim-stats.ts';

export interface ProcessSimOptions {
  nodes: number;
  networks: number;
  actions: number;
  statusChanges: number;
  freshActions: number;
  freshLists: number;
  degree: number;
  intervalMs: number;
  /** A directory for a V8 CPU profile of the fresh node (`node --cpu-prof`), written when it stops. */
  freshProfile?: string;
  /** A file for the fresh node's log (its stdout). */
  freshLog?: string;
  /** When > 0: after the setup, measure each process's CPU over this many idle seconds, print it, and stop. */
  idleSeconds?: number;
  /** When set: node 1 runs with `--cpu-prof`, its profile written here when it stops. */
  cpuProfDir?: string;
}

interface NodeProcess {
  index: number;
  child: ChildProcess;
  dir: string;
  url: string;
  did: string;
  multiaddr: string;
  /** id → commit time (node clock, ms) of the applied action. */
  applied: Map<string, number>;
  /** `publisher id version` → commit time. */
  published: Map<string, { at: number; source: string }>;
  events: AbortController;
}

const TOKEN = `sim-${randomBytes(16).toString('hex')}`;
const BIN = fileURLToPath(new URL('../bin/ler-node.js', import.meta.url));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const progress = (step: string) => process.stderr.write(`[sim ${(performance.now() / 1000).toFixed(1)} s] ${step}\n`);

// biome-ignore lint/suspicious/noExplicitAny: the script reads our own API's JSON answers, field by field.
async function http(node: NodeProcess, method: string, path: string, body?: unknown): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${node.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    // A follower that has not yet received the network answers 404 for a moment; a busy machine 429s.
    if ((response.status === 429 || response.status === 503) && attempt < 20) {
      await sleep(500);
      continue;
    }
    if (!response.ok) throw new Error(`${method} ${path} at node ${node.index}: ${response.status} ${text}`);
    return JSON.parse(text);
  }
}

async function startProcess(
  index: number,
  bootstrap: string[],
  extra: { nodeArgs?: string[]; logFile?: string } = {},
): Promise<NodeProcess> {
  const dir = await tempDir('ler-simp-');
  const args = [
    ...(extra.nodeArgs ?? []),
    BIN,
    'start',
    '--data',
    dir,
    '--http',
    '127.0.0.1:0',
    '--p2p',
    '/ip4/127.0.0.1/tcp/0',
  ];
  args.push('--admin-token', TOKEN);
  for (const b of bootstrap) args.push('--bootstrap', b);
  // Every request of the simulation comes from 127.0.0.1: the per-address limits would throttle the driver.
  const env = { ...process.env, LER_PUBLIC_RATE_LIMIT: '10000000', LER_READ_RATE_LIMIT: '10000000' };
  // The node logs to stderr.
  const log = extra.logFile ? createWriteStream(extra.logFile) : undefined;
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', log ? 'pipe' : process.env.LER_SIM_STDERR ? 'inherit' : 'ignore'],
    env,
  });
  if (log) child.stderr!.pipe(log);
  let out = '';
  const banner = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      // Logs follow the banner: keep draining the pipe so the child never blocks on a full one.
      if (out.length < 100_000) out += d;
      if (/libp2p:.*\n/.test(out)) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`node ${index} exited (${code}) before its banner: ${out}`)));
  });
  const text = await banner;
  const url = /HTTP:\s+(\S+)/.exec(text)![1];
  const multiaddr = /libp2p:\s+(\S+)/.exec(text)![1];
  const node: NodeProcess = {
    index,
    child,
    dir,
    url,
    did: '',
    multiaddr,
    applied: new Map(),
    published: new Map(),
    events: new AbortController(),
  };
  node.did = (await http(node, 'GET', '/health')).did;
  return node;
}

/** Reads the node's event stream until aborted, recording commit times. */
async function watch(node: NodeProcess): Promise<void> {
  const response = await fetch(`${node.url}/events`, {
    headers: { authorization: `Bearer ${TOKEN}` },
    signal: node.events.signal,
  });
  if (!response.ok || !response.body) throw new Error(`events of node ${node.index}: ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  const ready = new Promise<void>((resolve) => {
    void (async () => {
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!event || !data) continue;
            const body = JSON.parse(data);
            if (event === 'ready') resolve();
            else if (event === 'action' && body.status === 'applied' && !node.applied.has(body.id))
              node.applied.set(body.id, body.at);
            else if (event === 'publication') {
              const key = `${body.publisher} ${body.id} ${body.version}`;
              if (!node.published.has(key)) node.published.set(key, { at: body.at, source: body.source });
            } else if (event === 'overflow') progress(`events of node ${node.index} overflowed`);
          }
        }
      } catch (error) {
        if (!node.events.signal.aborted) progress(`events of node ${node.index} ended: ${String(error)}`);
      }
    })();
  });
  await ready;
}

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) {
      if (timeoutMs > 5_000) progress(`timed out waiting for ${what}`);
      return false;
    }
    await sleep(100);
  }
  return true;
}

/** utime + stime (seconds) and VmRSS (MiB) of a process, from /proc. */
async function usage(pid: number): Promise<{ cpu: number; rss: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / 100;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  return { cpu, rss };
}

/** One counter of a node's `GET /metrics` (summed over its label sets). */
async function metric(node: NodeProcess, name: string): Promise<number> {
  const response = await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const text = await response.text();
  let total = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(name) && /^[\w]+(\{.*\})? /.test(line) && line.split(/[{ ]/)[0] === name)
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}

/**
 * `--idle-seconds N`: the CPU each process spends over N seconds in which nothing is asked of it (ms per minute,
 * from /proc), with its connections and sync rounds, so the idle cost of one node among many can be compared.
 */
async function reportIdle(
  nodes: NodeProcess[],
  seconds: number,
  setup: { runningAfter: number; setupAfter: number; startupUsage: Array<{ cpu: number; rss: number }> },
): Promise<void> {
  const rounds = async () => Promise.all(nodes.map((n) => metric(n, 'ler_sync_rounds_total')));
  const roundsBefore = await rounds();
  const before = await Promise.all(nodes.map((n) => usage(n.child.pid!)));
  const t0 = performance.now();
  progress(`idle for ${seconds} s`);
  await sleep(seconds * 1000);
  const after = await Promise.all(nodes.map((n) => usage(n.child.pid!)));
  const minutes = (performance.now() - t0) / 60_000;
  const roundsAfter = await rounds();
  const peers = await Promise.all(nodes.map((n) => metric(n, 'ler_peers_connected')));
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  const mean = (xs: number[]) => sum(xs) / xs.length;
  const perMinute = after.map((u, i) => ((u.cpu - before[i].cpu) * 1000) / minutes);
  const roundsPerMinute = roundsAfter.map((r, i) => (r - roundsBefore[i]) / minutes);
  const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
  console.log(
    `sim --processes --idle-seconds ${seconds}: ${nodes.length} \`ler-node start\` processes (load average ${load})`,
  );
  console.log('| measurement | result |');
  console.log('|---|---|');
  console.log(
    `| all running / networks set up after | ${(setup.runningAfter / 1000).toFixed(1)} / ${(setup.setupAfter / 1000).toFixed(1)} s |`,
  );
  console.log(`| CPU per node: start-up (mean) | ${mean(setup.startupUsage.map((u) => u.cpu)).toFixed(2)} s |`);
  console.log(
    `| idle CPU per node, ms per minute: mean / min / max | ${mean(perMinute).toFixed(0)} / ${Math.min(...perMinute).toFixed(0)} / ${Math.max(...perMinute).toFixed(0)} |`,
  );
  console.log(`| connections per node: mean / max | ${mean(peers).toFixed(1)} / ${Math.max(...peers)} |`);
  console.log(`| sync rounds per node per minute (mean) | ${mean(roundsPerMinute).toFixed(1)} |`);
  console.log(`| RSS per node after: mean | ${mean(after.map((u) => u.rss)).toFixed(0)} MiB |`);
}

export async function runProcessSim(o: ProcessSimOptions): Promise<void> {
  const started = performance.now();
  const governors = [generateGovernorKey(), generateGovernorKey(), generateGovernorKey()];
  const signers = governors.slice(0, 2);
  const pickIndex = (n: number) => Math.floor(Math.random() * n);
  const nodes: NodeProcess[] = [];
  const stopAll = async (list: NodeProcess[]) => {
    for (const n of list) n.events.abort();
    await Promise.all(
      list.map(
        (n) =>
          new Promise<void>((resolve) => {
            if (n.child.exitCode !== null) return resolve();
            n.child.once('exit', () => resolve());
            n.child.kill('SIGTERM');
          }),
      ),
    );
    await Promise.all(list.map((n) => rm(n.dir, { recursive: true, force: true })));
  };
  process.once('SIGINT', () => void stopAll(nodes).then(() => process.exit(130)));
  process.once('SIGTERM', () => void stopAll(nodes).then(() => process.exit(143)));
  // A driver that dies on an error must not leave its nodes running: 50 orphans would load the next run.
  process.once('exit', () => {
    for (const n of nodes) if (n.child.exitCode === null) n.child.kill('SIGKILL');
  });

  // Start in waves: each node bootstraps to up to `degree` random nodes already running.
  const wave = 6;
  while (nodes.length < o.nodes) {
    const batch = [];
    // The first node alone: every later one needs a running node to bootstrap to.
    const size = nodes.length === 0 ? 1 : wave;
    for (let i = nodes.length; i < Math.min(o.nodes, nodes.length + size); i++) {
      const targets = new Set<string>();
      while (nodes.length > 0 && targets.size < Math.min(nodes.length, o.degree))
        targets.add(nodes[pickIndex(nodes.length)].multiaddr);
      batch.push(
        startProcess(i, [...targets], {
          nodeArgs: i === 1 && o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [],
        }),
      );
    }
    nodes.push(...(await Promise.all(batch)));
    progress(`${nodes.length} processes running`);
  }
  const runningAfter = performance.now() - started;
  await Promise.all(nodes.map(watch));
  const startupUsage = await Promise.all(nodes.map((n) => usage(n.child.pid!)));

  /** Runs job(0 … count−1), `width` at a time. */
  const inParallel = async (count: number, width: number, job: (i: number) => Promise<void>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < count) await job(next++);
      }),
    );
  };

  /** Proposes at `node` and approves there with 2 detached governor signatures; returns the action id. */
  const govern = async (node: NodeProcess, network: string, action: Record<string, unknown>) => {
    const { proposal } = await http(node, 'POST', '/proposals', { network, action });
    for (const g of signers)
      await http(node, 'POST', `/proposals/${proposal.id}/approvals`, {
        signer: g.did,
        signature: signActionId(g, proposal.id),
      });
    return proposal.id as string;
  };

  // Networks at node 0; every node follows all; node i is a member of network i % K.
  const networks: string[] = [];
  for (let k = 0; k < o.networks; k++) {
    const created = await http(nodes[0], 'POST', '/networks', {
      name: `Sim ${k}`,
      governors: governors.map((g) => g.did),
      threshold: 2,
    });
    const id = created.proposal.id as string;
    for (const g of signers)
      await http(nodes[0], 'POST', `/proposals/${id}/approvals`, { signer: g.did, signature: signActionId(g, id) });
    networks.push(id);
  }
  await inParallel(nodes.length, 8, async (i) => {
    for (const network of networks) await http(nodes[i], 'POST', '/follows', { network });
  });
  const setup: string[] = [...networks];
  for (const n of nodes) {
    setup.push(
      await govern(nodes[0], networks[n.index % o.networks], {
        type: 'member.add',
        did: n.did,
        name: `Institution ${n.index}`,
        accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
      }),
    );
  }
  progress('networks created, followed, members proposed');
  await until(() => nodes.every((n) => setup.every((id) => n.applied.has(id))), 'the initial state', 300_000);
  progress('initial state everywhere');
  await sleep(3_000);
  if (o.idleSeconds) {
    await reportIdle(nodes, o.idleSeconds, { runningAfter, setupAfter: performance.now() - started, startupUsage });
    await stopAll(nodes);
    process.exit(0);
  }
  const before = await Promise.all(nodes.map((n) => usage(n.child.pid!)));

  // Governance actions at random nodes.
  const actions: Array<{ id: string; origin: NodeProcess }> = [];
  for (let a = 0; a < o.actions; a++) {
    const origin = nodes[pickIndex(nodes.length)];
    const id = await govern(origin, networks[pickIndex(networks.length)], {
      type: 'member.add',
      did: `did:web:sim-${a}.example`,
      name: `Sim member ${a}`,
    });
    actions.push({ id, origin });
    await sleep(o.intervalMs);
  }
  await until(() => actions.every(({ id }) => nodes.every((n) => n.applied.has(id))), 'every action', 120_000);
  const actionLatencies: number[] = [];
  for (const { id, origin } of actions) {
    const t0 = origin.applied.get(id)!;
    for (const n of nodes) if (n !== origin && n.applied.has(id)) actionLatencies.push(n.applied.get(id)! - t0);
  }
  const actionsMissing = actions.reduce((sum, { id }) => sum + nodes.filter((n) => !n.applied.has(id)).length, 0);
  progress('actions done');

  // Revocations: issue first, then revoke, each at a random node.
  const issued: Array<{ origin: NodeProcess; id: string }> = [];
  for (let s = 0; s < o.statusChanges; s++) {
    const origin = nodes[pickIndex(nodes.length)];
    const { verifiableCredential } = await http(origin, 'POST', '/credentials/issue', {
      credential: sampleBadge({ issuer: origin.did }),
      options: { cryptosuite: 'eddsa-jcs-2022' },
    });
    issued.push({ origin, id: verifiableCredential.id });
  }
  await sleep(3_000);
  const revocations: Array<{ origin: NodeProcess; key: string }> = [];
  for (const { origin, id } of issued) {
    const known = new Set(origin.published.keys());
    await http(origin, 'POST', '/credentials/status', {
      credentialId: id,
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
      status: true,
    });
    // The origin's own event for the new list version (the response follows its commit).
    await until(
      () => [...origin.published.keys()].some((k) => !known.has(k) && k.startsWith(`${origin.did} `)),
      'the revocation at its origin',
      10_000,
    );
    const key = [...origin.published.keys()].find((k) => !known.has(k) && k.startsWith(`${origin.did} `))!;
    revocations.push({ origin, key });
    await sleep(o.intervalMs);
  }
  await until(
    () => revocations.every(({ key }) => nodes.every((n) => n.published.has(key))),
    'every revocation',
    60_000,
  );
  const revocationLatencies: number[] = [];
  for (const { origin, key } of revocations) {
    const t0 = origin.published.get(key)!.at;
    for (const n of nodes)
      if (n !== origin && n.published.has(key)) revocationLatencies.push(n.published.get(key)!.at - t0);
  }
  const revocationsMissing = revocations.reduce(
    (sum, { key }) => sum + nodes.filter((n) => !n.published.has(key)).length,
    0,
  );
  // Printed now too: a run cut short while building the bulk history still reports propagation.
  progress(
    `revocations done; action p50/p99 ${percentile(actionLatencies, 0.5).toFixed(0)}/${percentile(actionLatencies, 0.99).toFixed(0)} ms (${actionsMissing} missing), revocation p50/p99 ${percentile(revocationLatencies, 0.5).toFixed(0)}/${percentile(revocationLatencies, 0.99).toFixed(0)} ms (${revocationsMissing} missing)`,
  );
  const after = await Promise.all(nodes.map((n) => usage(n.child.pid!)));

  // History for the fresh node, built at node 0 only. The bulk actions go to networks only node 0 follows, so
  // building them does not make every process validate 10,000 actions; they are signed 2 of 3 by two governor
  // keys node 0 holds (one request per action instead of three). The lists are node 0's, in network 0.
  const bulkNetworks: string[] = [];
  let bulkActions = 0;
  let seedMs = 0;
  if (o.freshActions > 0) {
    const held = [
      (await http(nodes[0], 'POST', '/governor-keys')).did,
      (await http(nodes[0], 'POST', '/governor-keys')).did,
    ];
    const perNetwork = 2_000;
    for (let k = 0; k * perNetwork < o.freshActions; k++) {
      const created = await http(nodes[0], 'POST', '/networks', {
        name: `Bulk ${k}`,
        governors: [...held, governors[2].did],
        threshold: 2,
        options: { sign: true },
      });
      bulkNetworks.push(created.proposal.id as string);
    }
    // One request at a time per network: proposals of one network then reach its log in effectiveAt order and
    // each is folded in by appending; concurrent ones would arrive out of order, and each would re-fold it.
    const seedStart = performance.now();
    await inParallel(bulkNetworks.length, bulkNetworks.length, async (k) => {
      for (let a = k * perNetwork; a < Math.min(o.freshActions, (k + 1) * perNetwork); a++) {
        await http(nodes[0], 'POST', '/proposals', {
          network: bulkNetworks[k],
          action: { type: 'member.add', did: `did:web:bulk-${a}.example`, name: `Bulk ${a}` },
          options: { sign: true },
        });
        bulkActions++;
        if (bulkActions % 2_000 === 0) progress(`${bulkActions} bulk actions`);
      }
    });
    seedMs = performance.now() - seedStart;
  }
  const listsStart = performance.now();
  await inParallel(o.freshLists, 4, async (l) => {
    const id = `http://sim.example/${nodes[0].index}/lists/${l}`;
    await http(nodes[0], 'POST', '/publications', {
      kind: 'status-list',
      id,
      body: {
        id,
        issuer: nodes[0].did,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        credentialSubject: {
          type: 'BitstringStatusList',
          statusPurpose: 'revocation',
          encodedList: 'uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA',
        },
      },
    });
  });
  const listsMs = performance.now() - listsStart;
  const expected = (await http(nodes[0], 'GET', '/publications')).publications.length as number;
  progress('bulk history ready');
  const allNetworks = [...networks, ...bulkNetworks];
  const inventory = async (node: NodeProcess) => {
    let actionsHeld = 0;
    for (const id of allNetworks) {
      const state = await http(node, 'GET', `/networks/${id}`).catch(() => undefined);
      actionsHeld += state?.state?.applied?.length ?? 0;
    }
    return actionsHeld;
  };
  const targetActions = await inventory(nodes[0]);
  // The fresh node: bootstrapped to node 0 only; each network it follows starts a pull from its peers.
  const fresh = await startProcess(o.nodes, [nodes[0].multiaddr], {
    nodeArgs: o.freshProfile ? ['--cpu-prof', '--cpu-prof-dir', o.freshProfile] : [],
    logFile: o.freshLog,
  });
  await watch(fresh);
  await until(() => false, 'a moment for the connection', 2_000);
  const freshStart = now();
  for (const network of allNetworks) await http(fresh, 'POST', '/follows', { network });
  const freshDone = await until(
    () => fresh.applied.size >= targetActions && fresh.published.size >= expected,
    'the fresh node to sync',
    300_000,
  );
  const freshLast = Math.max(...fresh.applied.values(), ...[...fresh.published.values()].map((p) => p.at));
  const freshMs = freshLast - freshStart;
  const freshUsage = await usage(fresh.child.pid!);
  const end = await Promise.all(nodes.map((n) => usage(n.child.pid!)));
  await stopAll([...nodes, fresh]);

  const fmt = (x: number) => (Number.isNaN(x) ? 'n/a' : `${x.toFixed(0)} ms`);
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `sim --processes: ${o.nodes} \`ler-node start\` processes, ${o.networks} networks, ${o.actions} actions and ${o.statusChanges} revocations, one every ${o.intervalMs} ms at random nodes (${seconds.toFixed(0)} s in all)`,
  );
  console.log('| measurement | result |');
  console.log('|---|---|');
  console.log(
    `| action propagation p50 / p99 / max (${actionLatencies.length} deliveries, ${actionsMissing} missing) | ${fmt(percentile(actionLatencies, 0.5))} / ${fmt(percentile(actionLatencies, 0.99))} / ${fmt(Math.max(...actionLatencies))} |`,
  );
  console.log(
    `| revocation propagation p50 / p99 / max (${revocationLatencies.length} deliveries, ${revocationsMissing} missing) | ${fmt(percentile(revocationLatencies, 0.5))} / ${fmt(percentile(revocationLatencies, 0.99))} / ${fmt(Math.max(...revocationLatencies))} |`,
  );
  console.log(
    `| fresh node sync: ${targetActions} actions (${bulkActions} bulk) + ${expected} publications${freshDone ? '' : ' (INCOMPLETE)'} | ${(freshMs / 1000).toFixed(1)} s (RSS after ${freshUsage.rss.toFixed(0)} MiB, CPU ${freshUsage.cpu.toFixed(1)} s) |`,
  );
  console.log(
    `| building the fresh node's history at node 0: ${bulkActions} actions / ${o.freshLists} status lists over HTTP | ${(seedMs / 1000).toFixed(1)} / ${(listsMs / 1000).toFixed(1)} s |`,
  );
  const rss = end.map((u) => u.rss);
  console.log(
    `| RSS per node after the run: mean / max (total ${o.nodes} nodes) | ${(sum(rss) / rss.length).toFixed(0)} / ${Math.max(...rss).toFixed(0)} MiB (${(sum(rss) / 1024).toFixed(2)} GiB) |`,
  );
  const cpu = (a: typeof before, b: typeof before) => b.map((u, i) => u.cpu - a[i].cpu);
  const startCpu = startupUsage.map((u) => u.cpu);
  const runCpu = cpu(before, after);
  console.log(`| CPU per node: start-up (mean) | ${(sum(startCpu) / startCpu.length).toFixed(2)} s |`);
  console.log(
    `| CPU per node during the measured ${o.actions} actions + ${o.statusChanges} revocations: mean / max | ${(sum(runCpu) / runCpu.length).toFixed(2)} / ${Math.max(...runCpu).toFixed(2)} s |`,
  );
  const bulkCpu = cpu(after, end);
  console.log(
    `| CPU per node while node 0 built the bulk history: node 0 / others mean | ${bulkCpu[0].toFixed(1)} / ${(sum(bulkCpu.slice(1)) / Math.max(1, bulkCpu.length - 1)).toFixed(2)} s |`,
  );
  process.exit(0);
}
