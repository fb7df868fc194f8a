/**
 * `npm run bench:federation`: the OpenID Federation projection of one network of 5,000 members (1 governor,
 * one approved federation key) served by a real `ler-node start` process: signed fetch-endpoint answers per
 * second and p50/p99 over HTTP, and trust-chain resolution time against it, by the independent library
 * (@openid-federation/core, bottom-up from the member's entity configuration) and by this node's own
 * resolver (the anchor's fetch endpoint by DID, as DCC registries are asked).
 * Options: --members N (default 5000), --seconds N (default 5), --concurrency N (default 16), --chains N (default 50).
 */
import '../node/polyfills.ts';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveTrustChains } from '@openid-federation/core';
import { compactVerify, importJWK } from 'jose';
import { openFederationKeyring } from '../node/federation/federation-keys.ts';
import { createGovernorKeyring } from '../node/registry/governor-keys.ts';
import { openRegistryService } from '../node/registry/registry-service.ts';
import { openDatabase } from '../node/storage/database.ts';
import { createFederationResolver } from '../protocol/federation/chain-resolver.ts';
import { generateGovernorKey, signActionId } from '../protocol/signing/governor-keys.ts';
import { createOutboundFetcher } from '../protocol/signing/outbound-fetch.ts';
import { contentId } from '../registry/canonical.ts';
import { memberEntityId } from '../registry/federation.ts';
import type { Action, SignedAction } from '../registry/types.ts';
import { startNodeProcess } from '../test/helpers/process.ts';
import { measure } from './bench-measure.ts';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    chains: { type: 'string', default: '50' },
  },
});
const N = Number(values.members);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))];

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'ler-bench-federation-'));
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const governor = generateGovernorKey();
    const start = Date.now() - 3_600_000;
    const sign = (action: Action): SignedAction => {
      const id = contentId(action);
      return { id, action, signatures: [{ signer: governor.did, signature: signActionId(governor, id) }] };
    };
    const nonce = () => randomBytes(9).toString('base64url');
    const genesis = sign({
      type: 'network.genesis',
      effectiveAt: new Date(start).toISOString(),
      nonce: nonce(),
      name: 'Benchmark Network',
      governors: [governor.did],
      threshold: 1,
    });
    const database = await openDatabase(join(dir, 'db'));
    const key = await (await openFederationKeyring(database)).create();
    const entries = [genesis];
    entries.push(
      sign({
        type: 'federation.keys',
        network: genesis.id,
        effectiveAt: new Date(start + 1000).toISOString(),
        nonce: nonce(),
        keys: [{ kty: 'OKP', crv: 'Ed25519', x: key.publicJwk.x, kid: key.kid, holder: url }],
      }),
    );
    for (let i = 1; i <= N; i++) {
      entries.push(
        sign({
          type: 'member.add',
          network: genesis.id,
          effectiveAt: new Date(start + 1000 + i).toISOString(),
          nonce: nonce(),
          did: `did:web:member${i}.example`,
          name: `Member ${i}`,
          url: `https://member${i}.example`,
          accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
        }),
      );
    }
    const service = await openRegistryService({ database, keyring: createGovernorKeyring(database) });
    const ingested = await service.ingest(entries);
    if (ingested.rejected.length) throw new Error(`rejected: ${JSON.stringify(ingested.rejected[0])}`);
    await database.close();

    const node = await startNodeProcess(dir, { LER_PUBLIC_RATE_LIMIT: '0', LER_FROM_SOURCE: '0' }, 30_000, [
      '--http',
      `127.0.0.1:${port}`,
      '--public-url',
      url,
      '--anchor',
      genesis.id,
    ]);
    const anchor = `${url}/oidf/${genesis.id}`;
    try {
      let i = 0;
      const fetched = await measure(
        async () => {
          const member = 1 + (i++ % N);
          const res = await fetch(`${anchor}/fetch?sub=did:web:member${member}.example`);
          if (res.status !== 200) throw new Error(`fetch answered ${res.status}`);
          await res.text();
        },
        Number(values.concurrency),
        Number(values.seconds),
      );

      const verifyJwtCallback = async ({ jwt, jwk }: { jwt: string; jwk: Record<string, unknown> }) => {
        await compactVerify(jwt, await importJWK(jwk as never, 'EdDSA'), { algorithms: ['EdDSA'] });
        return true;
      };
      const library: number[] = [];
      const own: number[] = [];
      const fetcher = createOutboundFetcher({ allowPrivateHosts: true });
      for (let c = 0; c < Number(values.chains); c++) {
        const did = `did:web:member${1 + ((c * 97) % N)}.example`;
        let t = performance.now();
        const chains = await resolveTrustChains({
          entityId: memberEntityId(anchor, did),
          trustAnchorEntityIds: [anchor],
          verifyJwtCallback,
        } as never);
        library.push(performance.now() - t);
        if (chains.length !== 1) throw new Error('no chain resolved');
        // A fresh resolver each time: no cached answer.
        const resolver = createFederationResolver({ fetcher, allowHttp: true });
        t = performance.now();
        const answer = await resolver.resolve(did, [anchor]);
        own.push(performance.now() - t);
        if (answer.status !== 'trusted') throw new Error(`own resolver: ${JSON.stringify(answer)}`);
      }

      console.log(`network of ${N} members, one approved federation key (Ed25519), ler-node process on loopback`);
      console.log('| measurement | result |');
      console.log('|---|---|');
      console.log(
        `| fetch endpoint (signed subordinate statement), ${values.concurrency} clients | ${fetched.perSecond.toFixed(0)} answers/s, p50 ${fetched.p50.toFixed(2)} ms, p99 ${fetched.p99.toFixed(2)} ms |`,
      );
      console.log(
        `| trust chain member → anchor, @openid-federation/core (3 fetches, 3 signatures), ${library.length} runs | median ${median(library).toFixed(1)} ms, p99 ${p99(library).toFixed(1)} ms |`,
      );
      console.log(
        `| trust chain by DID, this node's resolver (2 fetches, 2 signatures), ${own.length} runs | median ${median(own).toFixed(1)} ms, p99 ${p99(own).toFixed(1)} ms |`,
      );
    } finally {
      node.child.kill('SIGTERM');
      await node.exited;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
