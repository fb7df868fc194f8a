/**
 * `npm run bench:registry`: trust-registry costs for one network of 10,000
 * signed actions (2-of-3 governors): the pure fold, the fold with every
 * signature re-checked (an audit), ingesting through the node's checks into
 * level, re-opening (re-fold at start), and TRQP authorization queries over
 * HTTP against a real `ler-node start` process.
 * Options: --actions N (default 10000), --seconds N (HTTP, default 5), --concurrency N (default 16).
 */
import '../node/polyfills.ts';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGovernorKeyring } from '../node/registry/governor-keys.ts';
import { openRegistryService } from '../node/registry/registry-service.ts';
import { openDatabase } from '../node/storage/database.ts';
import { generateGovernorKey, signActionId, verifyActionSignature } from '../protocol/signing/governor-keys.ts';
import { contentId } from '../registry/canonical.ts';
import { foldNetwork, stateDigest } from '../registry/fold.ts';
import type { Action, SignedAction } from '../registry/types.ts';
import { startNodeProcess } from '../test/helpers/process.ts';
import { measure } from './bench-measure.ts';

const { values } = parseArgs({
  options: {
    actions: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
  },
});
const N = Number(values.actions);

function timed<T>(work: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

async function timedAsync<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** A network history: genesis, then members admitted, updated, suspended and reinstated. */
function history(count: number): SignedAction[] {
  const govs = [generateGovernorKey(), generateGovernorKey(), generateGovernorKey()];
  const start = Date.parse('2026-01-01T00:00:00Z');
  const sign = (action: Action): SignedAction => {
    const id = contentId(action);
    return { id, action, signatures: govs.slice(0, 2).map((g) => ({ signer: g.did, signature: signActionId(g, id) })) };
  };
  const genesis = sign({
    type: 'network.genesis',
    effectiveAt: new Date(start).toISOString(),
    nonce: randomBytes(9).toString('base64url'),
    name: 'Benchmark Network',
    governors: govs.map((g) => g.did),
    threshold: 2,
  });
  const entries = [genesis];
  const members = Math.max(1, Math.floor(count / 4));
  for (let i = 1; i < count; i++) {
    const m = i <= members ? i : 1 + (i % members);
    const phase = i <= members ? 0 : 1 + (Math.floor(i / members) % 3);
    const type = (['member.add', 'member.update', 'member.suspend', 'member.reinstate'] as const)[phase];
    const base = {
      network: genesis.id,
      effectiveAt: new Date(start + i * 60_000).toISOString(),
      nonce: randomBytes(9).toString('base64url'),
    };
    const did = `did:web:member${m}.example`;
    const action: Action =
      type === 'member.add' || type === 'member.update'
        ? { type, ...base, did, name: `Member ${m}`, accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }] }
        : { type, ...base, did };
    entries.push(sign(action));
  }
  return entries;
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'ler-bench-registry-'));
  try {
    const made = timed(() => history(N));
    const entries = made.value;
    const networkId = entries[0].id;
    const pureRuns = Array.from({ length: 5 }, () => timed(() => foldNetwork(networkId, entries)));
    const state = pureRuns[0].value!;
    const audited = timed(() => foldNetwork(networkId, entries, { verifySignature: verifyActionSignature }));

    const database = await openDatabase(join(dir, 'db'));
    const service = await openRegistryService({ database, keyring: createGovernorKeyring(database) });
    const ingested = await timedAsync(() => service.ingest(entries));
    if (ingested.value.rejected.length) throw new Error(`rejected: ${JSON.stringify(ingested.value.rejected[0])}`);
    const digest = service.digest(networkId);
    await database.close();
    const reopenedDb = await openDatabase(join(dir, 'db'));
    const reopened = await timedAsync(() =>
      openRegistryService({ database: reopenedDb, keyring: createGovernorKeyring(reopenedDb) }),
    );
    const reopenedDigest = reopened.value.digest(networkId);
    await reopenedDb.close();
    if (digest !== stateDigest(state) || reopenedDigest !== digest) throw new Error('digests differ');

    // TRQP over HTTP against the node holding this registry.
    const node = await startNodeProcess(
      dir,
      { LER_PUBLIC_RATE_LIMIT: '0', LER_READ_RATE_LIMIT: '0', LER_FROM_SOURCE: '0' },
      30_000,
    );
    const url = node.url;
    let i = 0;
    const trqp = await measure(
      async () => {
        const member = 1 + (i++ % Math.max(1, Math.floor(N / 4)));
        const res = await fetch(`${url}/trqp/authorization`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            entity_id: `did:web:member${member}.example`,
            authority_id: networkId,
            action: 'issue',
            resource: 'OpenBadgeCredential',
            context: { time: '2026-03-01T00:00:00Z' },
          }),
        });
        if (res.status !== 200 || !res.headers.get('x-ler-signature')) throw new Error(`TRQP answered ${res.status}`);
        await res.json();
      },
      Number(values.concurrency),
      Number(values.seconds),
    );
    node.child.kill('SIGTERM');
    await node.exited;

    console.log(
      `network of ${entries.length} signed actions (2-of-3 governors), ${Object.keys(state.members).length} members`,
    );
    console.log(`| measurement | result |`);
    console.log(`|---|---|`);
    console.log(`| make and sign the history (2 signatures each) | ${made.ms.toFixed(0)} ms |`);
    console.log(`| fold, pure (median of 5) | ${median(pureRuns.map((r) => r.ms)).toFixed(1)} ms |`);
    console.log(`| fold re-checking every signature (audit) | ${audited.ms.toFixed(0)} ms |`);
    console.log(
      `| ingest through the node's checks into level (one batch; peer data is not fsynced) | ${ingested.ms.toFixed(0)} ms (${((entries.length / ingested.ms) * 1000).toFixed(0)} actions/s) |`,
    );
    console.log(`| re-open: read the log and re-fold | ${reopened.ms.toFixed(0)} ms |`);
    console.log(
      `| TRQP authorization over HTTP, ${values.concurrency} clients | ${trqp.perSecond.toFixed(0)} queries/s, p50 ${trqp.p50.toFixed(2)} ms, p99 ${trqp.p99.toFixed(2)} ms |`,
    );
    console.log(`state digest ${digest}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
