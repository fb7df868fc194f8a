/**
 * `npm run bench:pages`: server render time of the web pages (issue 13) and the verify page's weight.
 * - the verify report page, rendered from a finished report (p50/p99), and POST / end to end (verification
 *   included, for comparison);
 * - the governance page of a network with 5,000 members and 200 pending proposals (GET through the app, with
 *   an admin session);
 * - bytes of HTML, CSS and JS of the verify page (and gzipped).
 * Options: --members N (default 5000), --pending N (default 200), --runs N (default 200).
 */
import '../node/polyfills.ts';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createApp } from '../node/http/app.ts';
import { ASSETS } from '../node/http/pages/layout.tsx';
import { VerifyPage } from '../node/http/pages/verify-page.tsx';
import { signActionId } from '../protocol/signing/governor-keys.ts';
import { contentId } from '../registry/canonical.ts';
import type { Action, SignedAction } from '../registry/types.ts';
import { alignedBadge, createTestNode } from '../test/helpers/node.ts';
import { governance, governors, makeAction } from '../test/helpers/registry.ts';
import { summarize } from './bench-measure.ts';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '5000' },
    pending: { type: 'string', default: '200' },
    runs: { type: 'string', default: '200' },
  },
});
const MEMBERS = Number(values.members);
const PENDING = Number(values.pending);
const RUNS = Number(values.runs);

async function time(runs: number, work: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(20, runs); i++) await work();
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    latencies.push(performance.now() - t);
  }
  return summarize(latencies, performance.now() - start);
}
const ms = (x: number) => `${x.toFixed(2)} ms`;

const node = await createTestNode();
try {
  const { components } = node;
  const app = createApp({
    components,
    version: 'bench',
    health: () => ({ multiaddrs: [], networks: [] }),
    publicRateLimit: 0,
  });
  const [g] = governors(1);
  const gov = governance(components.registry, [g]);
  const issuerNet = await gov.createNetwork('Retail Skills Consortium');
  await gov.act(issuerNet, {
    type: 'member.add',
    did: components.identity.did,
    name: 'Northfield Community College',
    accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
  });

  // The verify report.
  const credential = await components.issuer.issue({
    ...alignedBadge('https://skills.example/x'),
    issuer: components.identity.did,
  });
  const report = await components.verifier.verifyCredential(credential);
  const render = await time(RUNS * 5, async () =>
    String(await (<VerifyPage registry={components.registry} result={{ credential, report }} />)),
  );
  const form = () => {
    const body = new FormData();
    body.set('credential', JSON.stringify(credential));
    return body;
  };
  const endToEnd = await time(RUNS, async () => (await app.request('/', { method: 'POST', body: form() })).text());

  // A network of MEMBERS members and PENDING pending proposals.
  const big = await gov.createNetwork('State Credential Registry');
  // After the genesis, within the clock skew the registry allows (5 min).
  const start = Date.now() + 1000;
  const entries: SignedAction[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const action = makeAction({
      type: 'member.add',
      network: big,
      effectiveAt: new Date(start + i * 10).toISOString(),
      did: `did:web:member-${String(i).padStart(5, '0')}.example`,
      name: `Member Institution ${i}`,
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    } as unknown as Omit<Action, 'nonce'>);
    const id = contentId(action);
    entries.push({ id, action, signatures: [{ signer: g.did, signature: signActionId(g, id) }] });
  }
  const t0 = performance.now();
  for (let i = 0; i < entries.length; i += 500) {
    const result = await components.registry.ingest(entries.slice(i, i + 500), { network: big });
    if (result.rejected.length) throw new Error(`rejected: ${JSON.stringify(result.rejected[0])}`);
  }
  const loadMs = performance.now() - t0;
  for (let i = 0; i < PENDING; i++) {
    await components.registry.propose(big, {
      type: 'member.add',
      did: `did:web:applicant-${i}.example`,
      name: `Applicant ${i}`,
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
  }
  const state = components.registry.network(big)!;
  const signIn = await app.request('/admin/sign-in', {
    method: 'POST',
    body: new URLSearchParams({ token: node.adminToken }),
  });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
  const path = `/admin/governance/networks/${encodeURIComponent(big)}`;
  let governanceBytes = 0;
  const governancePage = await time(Math.max(20, RUNS / 4), async () => {
    const response = await app.request(path, { headers: { cookie } });
    if (response.status !== 200) throw new Error(`governance page: ${response.status}`);
    governanceBytes = (await response.text()).length;
  });

  // Page weight of the verify page (form) and of a report.
  const formHtml = await (await app.request('/')).text();
  const reportHtml = await (await app.request('/', { method: 'POST', body: form() })).text();
  const css = ASSETS['app.css'].body;
  const js = ASSETS['verify.js'].body;
  const size = (s: string) => `${Buffer.byteLength(s)} B (${gzipSync(s).length} B gzipped)`;

  const lines = [
    `verify report page, render only: p50 ${ms(render.p50)}, p99 ${ms(render.p99)} (n=${render.n})`,
    `verify report page, POST / with verification: p50 ${ms(endToEnd.p50)}, p99 ${ms(endToEnd.p99)} (n=${endToEnd.n})`,
    `governance page, ${Object.keys(state.members).length} members, ${components.registry.proposals({ network: big, pending: true }).length} pending: p50 ${ms(governancePage.p50)}, p99 ${ms(governancePage.p99)} (n=${governancePage.n}), ${governanceBytes} B of HTML (loaded ${MEMBERS} members in ${(loadMs / 1000).toFixed(1)} s)`,
    `verify page weight: HTML ${size(formHtml)}, CSS ${size(css)}, JS ${size(js)}; a report page's HTML ${size(reportHtml)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await node.close();
}
