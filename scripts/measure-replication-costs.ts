/**
 * `npm run measure:replication`: the per-message inputs of the federation scale model (README, "Scale on
 * paper"): bytes of each gossip message kind as the replicator publishes it, CPU to validate and apply one
 * (the topic validator's path: registry.ingest / publications.ingest into level on a real node), and the bytes
 * each item adds to a node's level store and heap. Options: --actions N (default 2000), --lists N (default 200),
 * --credentials N (default 300).
 */
import '../node/polyfills.ts';
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { surviveNetworkErrors } from '../node/network-errors.ts';
import { encodeJson } from '../protocol/messages.ts';
import { generateGovernorKey, signActionId } from '../protocol/signing/governor-keys.ts';
import { contentId } from '../registry/canonical.ts';
import { createBitstring, encodeBitstring, STATUS_LIST_LENGTH, withBit } from '../registry/status/bitstring.ts';
import type { Action, SignedAction } from '../registry/types.ts';
import { sampleBadge } from '../test/helpers/node.ts';
import { startPeer } from '../test/helpers/peers.ts';

const { values } = parseArgs({
  options: {
    actions: { type: 'string', default: '2000' },
    lists: { type: 'string', default: '200' },
    credentials: { type: 'string', default: '300' },
  },
});
const ACTIONS = Number(values.actions);
const LISTS = Number(values.lists);
const CREDENTIALS = Number(values.credentials);

/** Bytes level holds on disk for a node (its db directory), after a compaction-free write. */
const du = (dir: string) =>
  Number(
    execFileSync('du', ['-sb', join(dir, 'db')])
      .toString()
      .split('\t')[0],
  );
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};
const heapAfterGc = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};

async function main() {
  surviveNetworkErrors(() => undefined);
  const governors = [generateGovernorKey(), generateGovernorKey(), generateGovernorKey()];
  const origin = await startPeer({ syncIntervalMs: 600_000 });
  const follower = await startPeer({ syncIntervalMs: 600_000 });
  const sign = (action: Action, n = 2): SignedAction => {
    const id = contentId(action);
    return {
      id,
      action,
      signatures: governors.slice(0, n).map((g) => ({ signer: g.did, signature: signActionId(g, id) })),
    };
  };
  const t0 = Date.now() - 3_600_000;
  const genesis = sign({
    type: 'network.genesis',
    name: 'Cost model',
    governors: governors.map((g) => g.did),
    threshold: 2,
    effectiveAt: new Date(t0).toISOString(),
    nonce: 'genesis-nonce',
  } as Action);
  const network = genesis.id;
  const memberAdd = (i: number, did: string) =>
    sign({
      type: 'member.add',
      network,
      did,
      name: `Institution ${i}`,
      roles: ['issuer'],
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
      effectiveAt: new Date(t0 + 1000 + i).toISOString(),
      nonce: `nonce-${i}-xx`,
    } as Action);
  const ownAdd = memberAdd(0, origin.components.identity.did);
  for (const peer of [origin, follower]) {
    await peer.components.follows.add(network);
    const { rejected } = await peer.components.registry.ingest([genesis, ownAdd]);
    if (rejected.length > 0) throw new Error(`setup refused: ${JSON.stringify(rejected)}`);
  }
  const bulk = Array.from({ length: ACTIONS }, (_, i) => memberAdd(i + 1, `did:web:m${i}.example.edu`));

  // Gossip message sizes, as the replicator encodes them.
  const proposalBytes = encodeJson({
    type: 'action',
    entry: { ...bulk[0], signatures: bulk[0].signatures.slice(0, 1) },
  }).byteLength;
  const approvedBytes = encodeJson({ type: 'action', entry: bulk[0] }).byteLength;

  // Applying actions one message at a time, as gossip delivers them (each its own level batch).
  const diskBefore = du(follower.dir);
  const heapBefore = heapAfterGc();
  let cpu = process.cpuUsage();
  let wall = performance.now();
  let refused = 0;
  for (const entry of bulk)
    refused += (await follower.components.registry.ingest([entry], { network })).rejected.length;
  if (refused > 0) throw new Error(`${refused} actions refused`);
  const actionCpuMs = cpuMs(cpu) / ACTIONS;
  const actionWallMs = (performance.now() - wall) / ACTIONS;
  const actionHeap = (heapAfterGc() - heapBefore) / ACTIONS;
  const actionDisk = (du(follower.dir) - diskBefore) / ACTIONS;

  // Status lists: the origin's real list after one revocation, then the list body at other revocation densities.
  const issued: string[] = [];
  const issuerDiskBefore = du(origin.dir);
  cpu = process.cpuUsage();
  for (let i = 0; i < CREDENTIALS; i++) {
    const vc = await origin.components.issuer.issue(sampleBadge({ issuer: origin.components.identity.did }), {
      cryptosuite: 'eddsa-jcs-2022',
    });
    issued.push(String(vc.id));
  }
  const issueCpuMs = cpuMs(cpu) / CREDENTIALS;
  const credentialDisk = (du(origin.dir) - issuerDiskBefore) / CREDENTIALS;
  cpu = process.cpuUsage();
  await origin.components.issuer.setStatus(issued[0], 'revocation', true);
  const revokeCpuMs = cpuMs(cpu);
  const own = origin.components.publications
    .list({ publisher: origin.components.identity.did, kind: 'status-list' })
    .sort((a, b) => b.version - a.version)[0];
  const ownMessage = encodeJson({ type: 'publication', publication: own }).byteLength;
  const ownEncoded = String(
    (own.body as { credentialSubject?: { encodedList?: string } }).credentialSubject?.encodedList,
  ).length;
  const densities = [1, 0.001, 0.01, 0.1].map((share) => {
    let bits = createBitstring();
    const count = share === 1 ? 1 : Math.round(share * STATUS_LIST_LENGTH);
    for (let i = 0; i < count; i++) bits = withBit(bits, randomInt(STATUS_LIST_LENGTH), true);
    return { count, bytes: ownMessage - ownEncoded + encodeBitstring(bits).length };
  });

  // Applying status-list publications at a follower, one message at a time.
  const lists = [];
  for (let l = 0; l < LISTS; l++) {
    const id = `http://cost.example/lists/${l}`;
    const publication = await origin.components.publications.publishOwn('status-list', id, {
      id,
      issuer: origin.components.identity.did,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      credentialSubject: {
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: encodeBitstring(createBitstring()),
      },
    });
    lists.push(publication);
  }
  const listDiskBefore = du(follower.dir);
  const listHeapBefore = heapAfterGc();
  cpu = process.cpuUsage();
  wall = performance.now();
  for (const publication of lists) await follower.components.publications.ingest([publication], 'peer');
  const listCpuMs = cpuMs(cpu) / LISTS;
  const listWallMs = (performance.now() - wall) / LISTS;
  const listHeap = (heapAfterGc() - listHeapBefore) / LISTS;
  const listDisk = (du(follower.dir) - listDiskBefore) / LISTS;
  const emptyListBytes = encodeJson({ type: 'publication', publication: lists[0] }).byteLength;

  await origin.destroy();
  await follower.destroy();
  const kib = (b: number) => `${(b / 1024).toFixed(2)} KiB`;
  console.log(
    `measure:replication: ${ACTIONS} actions, ${LISTS} status lists, ${CREDENTIALS} credentials (heap figures ${(globalThis as { gc?: unknown }).gc ? 'after GC' : 'without --expose-gc: rough'})`,
  );
  console.log('| input | value |');
  console.log('|---|---|');
  console.log(
    `| gossip message: action with 1 signature (proposal) / 2 signatures (applies) | ${proposalBytes} / ${approvedBytes} B |`,
  );
  console.log(
    `| gossip message: status list publication (131,072 entries) with ${densities.map((d) => d.count).join(' / ')} bits set | ${densities.map((d) => kib(d.bytes)).join(' / ')} |`,
  );
  console.log(`| gossip message: status list publication, all clear | ${kib(emptyListBytes)} |`);
  console.log(
    `| CPU to validate + apply one action message (wall) | ${actionCpuMs.toFixed(3)} ms (${actionWallMs.toFixed(3)} ms) |`,
  );
  console.log(
    `| CPU to validate + apply one status-list message (wall) | ${listCpuMs.toFixed(3)} ms (${listWallMs.toFixed(3)} ms) |`,
  );
  console.log(
    `| CPU at the issuer: issue one credential / one revocation (re-sign + publish the list) | ${issueCpuMs.toFixed(2)} / ${revokeCpuMs.toFixed(2)} ms |`,
  );
  console.log(
    `| level bytes per action / per status list (follower) / per issued credential (issuer) | ${actionDisk.toFixed(0)} / ${listDisk.toFixed(0)} / ${credentialDisk.toFixed(0)} B |`,
  );
  console.log(
    `| heap bytes per action / per status list (follower) | ${actionHeap.toFixed(0)} / ${listHeap.toFixed(0)} B |`,
  );
  process.exit(0);
}

await main();
