/**
 * `npm run screenshots`: the main web pages, in Chromium, into docs/screenshots/. Uses the same helpers and
 * flows as the browser tests (test/node/http/pages/): a real ler-node process accredited in its own network,
 * sample skill frameworks with a crosswalk, an aligned credential and a revoked one.
 */
import '../node/polyfills.ts';
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../test/helpers/browser.ts';
import { alignedBadge, tempDir } from '../test/helpers/node.ts';
import { accreditSelf, publishSampleSkills, SOC, startWebNode, TRIAGE } from '../test/helpers/web.ts';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
await mkdir(OUT, { recursive: true });
const dir = await tempDir('ler-shots-');
const web = await startWebNode(dir);
const browser = await launchBrowser();
try {
  await accreditSelf(web);
  await publishSampleSkills(web);
  const issue = async (credential: Record<string, unknown>) =>
    (await web.api('POST', '/credentials/issue', { credential: { ...credential, issuer: web.did } })).body
      .verifiableCredential as Record<string, unknown>;
  const good = await issue(alignedBadge(TRIAGE));
  const revoked = await issue(alignedBadge(TRIAGE));
  await web.api('POST', '/credentials/status', {
    credentialId: revoked.id,
    credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
    status: true,
  });

  const shoot = async (page: import('playwright-core').Page, name: string) => {
    await page.screenshot({ path: `${OUT}${name}.png`, fullPage: true });
    process.stdout.write(`docs/screenshots/${name}.png\n`);
  };
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  const verify = async (credential: unknown) => {
    await page.goto(web.node.url);
    await page.getByLabel('Or paste the credential').fill(JSON.stringify(credential));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Verification report' }).waitFor();
  };
  await page.goto(web.node.url);
  await shoot(page, 'verify-form');
  await verify(good);
  await shoot(page, 'verify-valid');
  await verify(revoked);
  await shoot(page, 'verify-revoked');

  await page.goto(`${web.node.url}/admin/sign-in`);
  await page.getByLabel('Admin token').fill(web.node.token!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Achievement name').fill('Forklift Safety');
  await page.getByLabel('Description').fill('Operates a forklift safely in a warehouse.');
  await page.getByLabel('Recipient (a DID or URL)').fill('did:example:learner-7');
  await shoot(page, 'issue-form');
  await page.getByRole('button', { name: 'Issue' }).click();
  await page.goto(`${web.node.url}/admin/credentials`);
  await shoot(page, 'issued-credentials');
  await page.goto(`${web.node.url}/admin/governance/networks/${web.networkId}`);
  await shoot(page, 'governance-network');
  await page.goto(`${web.node.url}/explore/skill?id=${encodeURIComponent(TRIAGE)}`);
  await shoot(page, 'skill');
  await page.goto(`${web.node.url}/explore/match`);
  await page.getByLabel(/Required skills/).fill(SOC);
  await page.getByLabel(/Credentials/).fill(JSON.stringify(good));
  await page.getByRole('button', { name: 'Match' }).click();
  await shoot(page, 'job-match');
  await page.goto(`${web.node.url}/admin/node`);
  await shoot(page, 'node');

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const small = await phone.newPage();
  await small.goto(web.node.url);
  await small.getByLabel('Or paste the credential').fill(JSON.stringify(good));
  await small.getByRole('button', { name: 'Verify' }).click();
  await small.getByRole('heading', { name: 'Verification report' }).waitFor();
  await small.screenshot({ path: `${OUT}verify-valid-phone.png`, fullPage: true });
  process.stdout.write('docs/screenshots/verify-valid-phone.png\n');
} finally {
  await browser.close();
  web.node.child.kill('SIGTERM');
  await web.node.exited;
  await rm(dir, { recursive: true, force: true });
}
