/**
 * `npm run bench:wallet`: whole wallet flows against a real `ler-node start`
 * process (one verification worker per core), the wallet being the OpenWallet
 * Foundation's @openid4vc libraries in this process:
 *   1. OID4VCI: POST /offers (admin) → resolve offer and metadata → token → nonce → proof → credential;
 *   2. OID4VP: POST /presentation-requests (admin) → fetch and verify the signed request → sign the
 *      presentation → direct_post → GET the result (verified by the node's whole pipeline).
 * Options: --seconds N (per measurement, default 10), --concurrency N (flows at once, default 4).
 */
import '../node/polyfills.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { startNodeProcess } from '../test/helpers/process.ts';
import { type Figures, measure } from './bench-measure.ts';
import { generateHolderKey } from './wallet/holder-key.ts';
import { presentCredential } from './wallet/present.ts';
import { receiveCredential } from './wallet/receive.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '4' } },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);

const badge = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: 'Business Management Fundamentals',
  credentialSubject: {
    type: ['AchievementSubject'],
    achievement: {
      id: 'https://example.edu/achievements/bm-101',
      type: ['Achievement'],
      name: 'Business Management Fundamentals',
      criteria: { narrative: 'Completed the course project and assessment.' },
    },
  },
};

function row(label: string, f: Figures): string {
  return `| ${label.padEnd(44)} | ${f.perSecond.toFixed(1).padStart(7)} | ${f.p50.toFixed(1).padStart(7)} | ${f.p99.toFixed(1).padStart(7)} | ${String(f.n).padStart(5)} |`;
}

async function main() {
  setGlobalConfig({ allowInsecureUrls: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'ler-bench-wallet-'));
  const node = await startNodeProcess(dataDir, { LER_PUBLIC_RATE_LIMIT: '0' }, 30_000, [
    '--verify-workers',
    String(cpus().length),
  ]);
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, string>;
  };
  try {
    const key = await generateHolderKey();
    const issuance = await measure(
      async () => {
        const offer = await post('/offers', { credential: badge });
        await receiveCredential({ offerUri: offer.offerUri, key });
      },
      CONCURRENCY,
      SECONDS,
    );
    const { credential } = await receiveCredential({
      offerUri: (await post('/offers', { credential: badge })).offerUri,
      key,
    });
    let unverified = 0;
    const presentation = await measure(
      async () => {
        const request = await post('/presentation-requests', {});
        const answer = await presentCredential({ requestUri: request.requestUri, key, credentials: [credential] });
        if (answer.status !== 200) throw new Error(`presentation refused: ${JSON.stringify(answer.body)}`);
        const result = (await (
          await fetch(request.resultUrl, { headers: { authorization: `Bearer ${request.resultToken}` } })
        ).json()) as { result?: { verified?: boolean } };
        if (!result.result?.verified) unverified++;
      },
      CONCURRENCY,
      SECONDS,
    );
    process.stdout.write(
      [
        `ler-node ${cpus().length} verify workers; wallet: @openid4vc/openid4vci + openid4vp in the same run; concurrency ${CONCURRENCY}, ${SECONDS} s each`,
        '',
        '| flow                                         | flows/s |  p50 ms |  p99 ms |     n |',
        '|----------------------------------------------|---------|---------|---------|-------|',
        row('OID4VCI pre-authorized code → credential', issuance),
        row('OID4VP request → vp_token → verified result', presentation),
        '',
        `presentations not verified: ${unverified}`,
        '',
      ].join('\n'),
    );
  } finally {
    node.child.kill('SIGTERM');
    await node.exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
