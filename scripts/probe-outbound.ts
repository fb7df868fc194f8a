/**
 * `npx tsx scripts/probe-outbound.ts`: the outbound-request attacks of issue 16
 * (findings 1 and 4) against real `ler-node` processes, with real TCP
 * listeners on loopback counting the connections they receive. Prints figures.
 *   1. A node with default settings: every entry point × every spelling of loopback → connections seen.
 *   2. A node with --allow-private-hosts (loopback listeners stand in for internet hosts): 2,000 status
 *      entries, 50 proofs, 3 entries at a host that never answers, 10 lists on one host, a client that leaves.
 */
import '../node/polyfills.ts';
import { rm } from 'node:fs/promises';
import { OUTBOUND_PER_HOST } from '../protocol/signing/outbound-fetch.ts';
import { countingListener } from '../test/helpers/listener.ts';
import { sampleBadge, tempDir } from '../test/helpers/node.ts';
import { type NodeProcess, startNodeProcess } from '../test/helpers/process.ts';

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely in a probe script
type Json = Record<string, any>;

async function post(node: NodeProcess, path: string, body: unknown, signal?: AbortSignal) {
  const started = performance.now();
  const res = await fetch(`${node.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
    body: JSON.stringify(body),
    signal,
  });
  const json = (await res.json()) as Json;
  return { status: res.status, body: json, ms: performance.now() - started };
}

const statusEntry = (url: string, index = 3): Json => ({
  id: `${url}#${index}`,
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: String(index),
  statusListCredential: url,
});
const proof = (verificationMethod: string): Json => ({
  type: 'DataIntegrityProof',
  cryptosuite: 'eddsa-rdfc-2022',
  verificationMethod,
  proofPurpose: 'assertionMethod',
  proofValue: 'z1',
});
const presentation = (credentials: Json[], holder?: string): Json => ({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiablePresentation'],
  ...(holder ? { holder, proof: { ...proof(`${holder}#k`), proofPurpose: 'authentication' } } : {}),
  verifiableCredential: credentials,
});
const check = (report: Json, name: string) => (report.checks as Json[] | undefined)?.find((c) => c.name === name);

async function ssrf(node: NodeProcess) {
  const listener = await countingListener({ mode: 'close' });
  const issued = (await post(node, '/credentials/issue', { credential: sampleBadge({ issuer: node.did }) })).body
    .verifiableCredential;
  const p = listener.port;
  const hosts = [
    `[::ffff:127.0.0.1]:${p}`,
    `[::ffff:7f00:1]:${p}`,
    `[::ffff:0:7f00:1]:${p}`,
    `[::127.0.0.1]:${p}`,
    `[64:ff9b::127.0.0.1]:${p}`,
    `127.0.0.1:${p}`,
    `127.1:${p}`,
    `0x7f000001:${p}`,
    `localhost:${p}`,
  ];
  const answers = new Set<string>();
  let probes = 0;
  let fivexx = 0;
  for (const host of hosts) {
    const did = `did:web:${encodeURIComponent(host)}`;
    const list = `https://${host}/sl`;
    const withList = { ...issued, credentialStatus: statusEntry(list) };
    const results = await Promise.all([
      post(node, '/credentials/verify', { verifiableCredential: { ...issued, issuer: did } }),
      post(node, '/credentials/verify', { verifiableCredential: withList }),
      post(node, '/presentations/verify', { verifiablePresentation: presentation([issued], did) }),
      post(node, '/presentations/verify', { verifiablePresentation: presentation([withList]) }),
      post(node, '/skills/match', {
        required: ['https://s.example/1'],
        credentials: [{ ...issued, issuer: did }, withList],
      }),
      post(node, '/skills/match', {
        required: ['https://s.example/1'],
        verifiablePresentation: presentation([issued], did),
      }),
      ...[encodeURIComponent(did), encodeURIComponent(encodeURIComponent(did))].map(async (path) => {
        const res = await fetch(`${node.url}/1.0/identifiers/${path}`);
        return { status: res.status, body: (await res.json()) as Json, ms: 0 };
      }),
    ]);
    probes += results.length;
    fivexx += results.filter((r) => r.status >= 500).length;
    const status = check(results[1].body, 'status');
    answers.add(`${status?.code}: ${String(status?.message).replace(list, 'URL')}`);
  }
  await listener.close();
  console.log('1. default settings (private hosts refused)');
  console.log(`   probes: ${probes} (9 spellings of loopback × 8 entry points), 5xx: ${fivexx}`);
  console.log(`   connections seen by the loopback listener: ${listener.connections}`);
  console.log(`   distinct status-check answers across spellings: ${answers.size} (${[...answers][0]})`);
}

async function amplification(node: NodeProcess) {
  const closing = await countingListener({ mode: 'close' });
  const issued = (await post(node, '/credentials/issue', { credential: sampleBadge({ issuer: node.did }) })).body
    .verifiableCredential;
  console.log('2. --allow-private-hosts (loopback listeners stand in for internet hosts)');

  const many = Array.from({ length: 2_000 }, (_, i) => statusEntry(`https://127.0.0.1:${closing.port}/l${i}`));
  const a = await post(node, '/credentials/verify', { verifiableCredential: { ...issued, credentialStatus: many } });
  console.log(
    `   2,000 status entries: ${a.status} ${a.body.error?.code} in ${a.ms.toFixed(0)} ms, connections: ${closing.connections}`,
  );
  const proofs = Array.from({ length: 50 }, (_, i) => proof(`did:web:127.0.0.1%3A${closing.port}:k${i}#k`));
  const b = await post(node, '/credentials/verify', { verifiableCredential: { ...issued, proof: proofs } });
  console.log(
    `   50 proofs by 50 did:web keys: ${b.status} ${b.body.error?.code} in ${b.ms.toFixed(0)} ms, connections: ${closing.connections}`,
  );
  await closing.close();

  const hang = await countingListener({ mode: 'hang' });
  const three = ['a', 'b', 'c'].map((x) => statusEntry(`https://127.0.0.1:${hang.port}/${x}`));
  const c = await post(node, '/credentials/verify', { verifiableCredential: { ...issued, credentialStatus: three } });
  const status = check(c.body, 'status');
  console.log(
    `   3 entries at a host that never answers: ${c.status} in ${c.ms.toFixed(0)} ms, status ${status?.status} ${status?.code}`,
  );
  await hang.idle();
  await hang.close();

  const hang2 = await countingListener({ mode: 'hang' });
  const ten = Array.from({ length: 10 }, (_, i) => ({
    ...issued,
    credentialStatus: statusEntry(`https://127.0.0.1:${hang2.port}/l${i}`),
  }));
  const d = await post(node, '/presentations/verify', { verifiablePresentation: presentation(ten) });
  console.log(
    `   10 lists on one host that never answers: ${d.status} in ${d.ms.toFixed(0)} ms, most connections at once: ${hang2.maxOpen} (limit ${OUTBOUND_PER_HOST}), in all: ${hang2.connections}`,
  );
  await hang2.close();

  const hang3 = await countingListener({ mode: 'hang' });
  const client = new AbortController();
  const request = post(
    node,
    '/presentations/verify',
    {
      verifiablePresentation: presentation(
        ten.map((credential, i) => ({
          ...credential,
          credentialStatus: statusEntry(`https://127.0.0.1:${hang3.port}/l${i}`),
        })),
      ),
    },
    client.signal,
  ).catch(() => undefined);
  // Both slots for the host taken: nothing else is connecting at the moment the client leaves.
  await hang3.accepted(OUTBOUND_PER_HOST);
  const atAbort = hang3.connections;
  client.abort();
  await request;
  await hang3.idle();
  // The node's deadline has passed by now: whatever was queued would have started by then.
  await new Promise((resolve) => setTimeout(resolve, 7_000));
  console.log(
    `   client leaves: connections at the abort ${atAbort}, open afterwards ${hang3.open}, opened after the abort ${hang3.connections - atAbort}`,
  );
  await hang3.close();
}

async function main() {
  const dirs = [await tempDir(), await tempDir()];
  const nodes = await Promise.all([
    startNodeProcess(dirs[0], { LER_PUBLIC_RATE_LIMIT: '0' }),
    startNodeProcess(dirs[1], { LER_PUBLIC_RATE_LIMIT: '0' }, 20_000, ['--allow-private-hosts']),
  ]);
  try {
    await ssrf(nodes[0]);
    await amplification(nodes[1]);
  } finally {
    for (const node of nodes) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}

await main();
