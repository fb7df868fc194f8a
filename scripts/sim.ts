/**
 * `npm run sim -- --nodes N --networks K --actions A --status-changes S [--fresh-actions X --fresh-lists Y]`
 * (with `--processes`: N separate `ler-node start` processes instead, scripts/sim-processes.ts; there
 * `--idle-seconds S` stops after the setup and reports each process's CPU over S idle seconds, and
 * `--cpu-prof-dir DIR` runs node 1 with `--cpu-prof`)
 *
 * Starts N real nodes (level + libp2p + replication) in this process on
 * loopback, joins them in a random connected mesh, creates K networks with
 * real 2-of-3 approvals, and drives A governance actions and S revocations from
 * random nodes. Prints propagation p50/p99 (from the origin's acknowledgement
 * until every follower holds it, measured by each follower's own change
 * events), the time a fresh node takes to sync everything, RSS, and gossip
 * messages/bytes received per node. Then, separately, the RSS of one idle
 * `ler-node start` process.
 */
import '../node/polyfills.ts';
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { surviveNetworkErrors } from '../node/network-errors.ts';
import { generateGovernorKey, signActionId } from '../protocol/signing/governor-keys.ts';
import { sampleBadge, tempDir } from '../test/helpers/node.ts';
import { connect, type Peer, startPeer, until } from '../test/helpers/peers.ts';
import { runProcessSim } from './sim-processes.ts';
import { percentile } from './sim-stats.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '10' },
    networks: { type: 'string', default: '3' },
    actions: { type: 'string', default: '100' },
    'status-changes': { type: 'string', default: '20' },
    'fresh-actions': { type: 'string', default: '0' },
    'fresh-lists': { type: 'string', default: '0' },
    degree: { type: 'string', default: '3' },
    'interval-ms': { type: 'string', default: '100' },
    processes: { type: 'boolean', default: false },
    'fresh-profile': { type: 'string' },
    'fresh-log': { type: 'string' },
    'idle-seconds': { type: 'string', default: '0' },
    'cpu-prof-dir': { type: 'string' },
  },
});
const N = Number(values.nodes);
const K = Number(values.networks);
const A = Number(values.actions);
const S = Number(values['status-changes']);
const INTERVAL = Number(values['interval-ms']);
const pause = () => new Promise((r) => setTimeout(r, INTERVAL));

const governors = [generateGovernorKey(), generateGovernorKey(), generateGovernorKey()];
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];

async function approveAll(peer: Peer, id: string, signers = governors.slice(0, 2)) {
  for (const g of signers)
    await peer.components.registry.approve(id, { signer: g.did, signature: signActionId(g, id) });
}

async function idleProcessRss(): Promise<number> {
  const dir = await tempDir('ler-sim-rss-');
  const bin = fileURLToPath(new URL('../bin/ler-node.js', import.meta.url));
  const child = spawn(
    process.execPath,
    [bin, 'start', '--data', dir, '--http', '127.0.0.1:0', '--p2p', '/ip4/127.0.0.1/tcp/0'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  while (!/HTTP:/.test(out)) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 5_000));
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await rm(dir, { recursive: true, force: true });
  return rss;
}

const progress = (step: string) => process.stderr.write(`[sim ${(performance.now() / 1000).toFixed(1)} s] ${step}\n`);

async function main() {
  surviveNetworkErrors(() => undefined);
  const started = performance.now();
  const peers: Peer[] = [];
  for (let i = 0; i < N; i++) peers.push(await startPeer({ syncIntervalMs: 30_000 }));
  progress(`${N} nodes started`);
  // A random connected mesh: each node dials up to `degree` earlier nodes.
  for (let i = 1; i < N; i++) {
    const targets = new Set<number>([Math.floor(Math.random() * i)]);
    while (targets.size < Math.min(i, Number(values.degree))) targets.add(Math.floor(Math.random() * i));
    for (const t of targets) await connect(peers[i], peers[t]);
  }

  progress('mesh connected');
  // Networks, created at node 0; every node follows all; node i is a member of network i % K.
  const networks: string[] = [];
  for (let k = 0; k < K; k++) {
    const g = await peers[0].components.registry.createNetwork({
      name: `Sim ${k}`,
      governors: governors.map((x) => x.did),
      threshold: 2,
    });
    await approveAll(peers[0], g.id);
    networks.push(g.id);
  }
  for (const p of peers) for (const n of networks) await p.components.follows.add(n);
  for (let i = 0; i < N; i++) {
    const network = networks[i % K];
    const origin = peers[0];
    await until(() => origin.components.registry.network(network) !== undefined, 'network at origin');
    const add = await origin.components.registry.propose(network, {
      type: 'member.add',
      did: peers[i].components.identity.did,
      name: `Institution ${i}`,
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    await approveAll(origin, add.id);
  }
  await until(
    () =>
      peers.every((p) =>
        networks.every((n) => p.components.registry.digest(n) === peers[0].components.registry.digest(n)),
      ),
    'the initial state everywhere',
    120_000,
  );
  progress('initial state everywhere');
  // Let gossip meshes form before measuring.
  await new Promise((r) => setTimeout(r, 2_000));

  // Propagation of governance actions.
  const seenAt = new Map<string, Map<number, number>>();
  for (const [i, p] of peers.entries()) {
    p.components.registry.onChange((entry) => {
      if (p.components.registry.proposal(entry.id)?.status !== 'applied') return;
      const m = seenAt.get(entry.id) ?? new Map<number, number>();
      if (!m.has(i)) m.set(i, performance.now());
      seenAt.set(entry.id, m);
    });
  }
  const actionLatencies: number[] = [];
  const actionIds: Array<{ id: string; origin: number; ack: number }> = [];
  for (let a = 0; a < A; a++) {
    const origin = Math.floor(Math.random() * N);
    const network = pick(networks);
    const proposal = await peers[origin].components.registry.propose(network, {
      type: 'member.add',
      did: `did:web:sim-${a}.example`,
      name: `Sim member ${a}`,
    });
    await approveAll(peers[origin], proposal.id);
    actionIds.push({ id: proposal.id, origin, ack: performance.now() });
    await pause();
  }
  await until(
    () => actionIds.every(({ id }) => (seenAt.get(id)?.size ?? 0) >= N),
    'every action everywhere',
    120_000,
  ).catch((e) => console.error(String(e)));
  const late: string[] = [];
  for (const [a, { id, origin, ack }] of actionIds.entries()) {
    const mine = [...(seenAt.get(id) ?? [])].filter(([i]) => i !== origin).map(([, t]) => t - ack);
    actionLatencies.push(...mine);
    const slow = mine.filter((ms) => ms > 2_000);
    if (slow.length > 0) late.push(`#${a}: ${slow.length} nodes, up to ${(Math.max(...slow) / 1000).toFixed(1)} s`);
  }
  // Which actions were late, and where: a cause shows in whether they cluster (e.g. the first, before meshes form).
  if (late.length > 0) progress(`actions later than 2 s: ${late.join('; ')}`);

  progress('actions done');
  // Propagation of revocations (a status list publication), issuer → every follower.
  const pubSeen = new Map<string, Map<number, number>>();
  for (const [i, p] of peers.entries()) {
    p.components.publications.onChange((pub) => {
      if (pub.kind !== 'status-list') return;
      const key = `${pub.publisher} ${pub.id} ${pub.version}`;
      const m = pubSeen.get(key) ?? new Map<number, number>();
      if (!m.has(i)) m.set(i, performance.now());
      pubSeen.set(key, m);
    });
  }
  const revocations: Array<{ origin: number; credentialId: string }> = [];
  for (let s = 0; s < S; s++) {
    const origin = Math.floor(Math.random() * N);
    const vc = await peers[origin].components.issuer.issue(sampleBadge(), { cryptosuite: 'eddsa-jcs-2022' });
    revocations.push({ origin, credentialId: String(vc.id) });
  }
  await new Promise((r) => setTimeout(r, 2_000));
  const revocationLatencies: number[] = [];
  const pending: Array<{ key: string; origin: number; ack: number }> = [];
  for (const { origin, credentialId } of revocations) {
    const { slot } = await peers[origin].components.issuer.setStatus(credentialId, 'revocation', true);
    const ack = performance.now();
    const url = peers[origin].components.statusLists.listUrl(slot.listId);
    const version = peers[origin].components.publications
      .list({ publisher: peers[origin].components.identity.did, kind: 'status-list' })
      .find((p) => p.id === url)?.version;
    pending.push({ key: `${peers[origin].components.identity.did} ${url} ${version}`, origin, ack });
    await pause();
  }
  await until(
    () => pending.every(({ key }) => (pubSeen.get(key)?.size ?? 0) >= N - 1),
    'every revocation everywhere',
    60_000,
  ).catch((e) => console.error(String(e)));
  for (const { key, origin, ack } of pending)
    for (const [i, t] of pubSeen.get(key) ?? []) if (i !== origin) revocationLatencies.push(t - ack);

  progress('revocations done');
  // Extra history for the fresh-node measurement.
  const freshActions = Number(values['fresh-actions']);
  const freshLists = Number(values['fresh-lists']);
  if (freshActions > 0) {
    const origin = peers[0];
    for (let a = 0; a < freshActions; a++) {
      const p = await origin.components.registry.propose(networks[a % K], {
        type: 'member.add',
        did: `did:web:bulk-${a}.example`,
        name: `Bulk ${a}`,
      });
      await approveAll(origin, p.id);
    }
  }
  for (let l = 0; l < freshLists; l++) {
    const origin = peers[l % N];
    await origin.components.publications.publishOwn(
      'status-list',
      `http://sim.example/${origin.host.peerId}/lists/${l}`,
      {
        id: `http://sim.example/${origin.host.peerId}/lists/${l}`,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        credentialSubject: {
          type: 'BitstringStatusList',
          statusPurpose: 'revocation',
          encodedList: 'uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA',
        },
      },
    );
  }
  if (freshActions > 0 || freshLists > 0) {
    await until(
      () =>
        networks.every(
          (n) =>
            peers[1].components.registry.inventoryDigest(n)?.inventory ===
            peers[0].components.registry.inventoryDigest(n)?.inventory,
        ),
      'bulk history at node 1',
      300_000,
    );
  }
  const totalActions = networks.reduce(
    (sum, n) => sum + (peers[0].components.registry.inventoryDigest(n)?.count ?? 0),
    0,
  );
  const totalPublications = peers[0].components.publications.list().length;
  progress('bulk history ready');
  const fresh = await startPeer({ syncIntervalMs: 60_000 });
  for (const n of networks) await fresh.components.follows.add(n);
  const freshStart = performance.now();
  await connect(fresh, peers[0]);
  await until(
    () =>
      networks.every(
        (n) =>
          fresh.components.registry.inventoryDigest(n)?.inventory ===
          peers[0].components.registry.inventoryDigest(n)?.inventory,
      ) && fresh.components.publications.list().length >= totalPublications,
    'the fresh node to sync',
    300_000,
  );
  const freshMs = performance.now() - freshStart;

  const rssMiB = process.memoryUsage().rss / 1024 / 1024;
  const gossip = { messages: 0, bytes: 0, syncs: 0 };
  for (const p of peers) {
    const st = p.replicator.stats();
    gossip.messages += st.gossipReceived;
    gossip.bytes += st.gossipBytes;
    gossip.syncs += st.syncRuns;
  }
  for (const p of [...peers, fresh]) await p.destroy();
  const idleRss = await idleProcessRss();

  const fmt = (x: number) => (Number.isNaN(x) ? 'n/a' : `${x.toFixed(0)} ms`);
  console.log(
    `sim: ${N} nodes, ${K} networks, ${A} actions and ${S} revocations, one every ${INTERVAL} ms from random nodes (all nodes in one process, one event loop; ${((performance.now() - started) / 1000).toFixed(0)} s in all)`,
  );
  console.log('| measurement | result |');
  console.log('|---|---|');
  console.log(
    `| action propagation p50 / p99 (${actionLatencies.length} deliveries) | ${fmt(percentile(actionLatencies, 0.5))} / ${fmt(percentile(actionLatencies, 0.99))} |`,
  );
  console.log(
    `| revocation propagation p50 / p99 (${revocationLatencies.length} deliveries) | ${fmt(percentile(revocationLatencies, 0.5))} / ${fmt(percentile(revocationLatencies, 0.99))} |`,
  );
  console.log(
    `| fresh node sync: ${totalActions} actions + ${totalPublications} publications | ${(freshMs / 1000).toFixed(1)} s |`,
  );
  console.log(
    `| RSS of this process ÷ ${N} nodes | ${(rssMiB / N).toFixed(0)} MiB (process ${rssMiB.toFixed(0)} MiB) |`,
  );
  console.log(`| RSS of one idle \`ler-node start\` process | ${idleRss.toFixed(0)} MiB |`);
  console.log(
    `| gossip received per node (messages / bytes) | ${(gossip.messages / N).toFixed(0)} / ${(gossip.bytes / N / 1024).toFixed(0)} KiB |`,
  );
  console.log(`| pull syncs per node | ${(gossip.syncs / N).toFixed(1)} |`);
  process.exit(0);
}

if (values.processes) {
  await runProcessSim({
    nodes: N,
    networks: K,
    actions: A,
    statusChanges: S,
    freshActions: Number(values['fresh-actions']),
    freshLists: Number(values['fresh-lists']),
    degree: Number(values.degree),
    intervalMs: INTERVAL,
    freshProfile: values['fresh-profile'],
    freshLog: values['fresh-log'],
    idleSeconds: Number(values['idle-seconds']),
    cpuProfDir: values['cpu-prof-dir'],
  });
} else await main();
