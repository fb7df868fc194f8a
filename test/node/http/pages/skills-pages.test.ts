import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../../helpers/browser.ts';
import { alignedBadge, tempDir } from '../../../helpers/node.ts';
import { accreditSelf, publishSampleSkills, SOC, startWebNode, TRIAGE, type WebNode } from '../../../helpers/web.ts';

describe('the skills pages, in Chromium, against a real ler-node', () => {
  let dir: string;
  let web: WebNode;
  let browser: Browser;
  let credential: Record<string, unknown>;

  beforeAll(async () => {
    dir = await tempDir();
    [web, browser] = await Promise.all([startWebNode(dir), launchBrowser()]);
    await accreditSelf(web);
    await publishSampleSkills(web);
    credential = (
      await web.api('POST', '/credentials/issue', { credential: { ...alignedBadge(TRIAGE), issuer: web.did } })
    ).body.verifiableCredential;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (web?.node.child.exitCode === null) web.node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('searches a skill, opens it with its equivalents, and browses its framework as a tree', async () => {
    const page = await browser.newPage();
    await page.goto(web.node.url);
    await page.getByRole('link', { name: 'Skills' }).click();
    await page.getByLabel('Search skills in every framework').fill('triage');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Incident triage' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Incident triage');
    expect(await page.locator('.equivalents').textContent()).toMatch(
      /close to SOC analyst duties.*Bluewave Roles.*harbor-to-bluewave/,
    );
    await page.getByRole('link', { name: 'Harbor Cyber Skills' }).click();
    const tree = page.getByRole('navigation', { name: 'Framework tree' });
    // The narrower skill sits under its broader one.
    expect(await tree.locator('li:has-text("Incident response") li').textContent()).toContain('Incident triage');
    await page.close();
  });

  it('matches a job against a credential: evidenced through the crosswalk', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.node.url}/explore/match`);
    await page.getByLabel(/Required skills/).fill(`${SOC}\nhttps://skills.example/bluewave/unknown`);
    await page.getByLabel(/Credentials/).fill(JSON.stringify(credential));
    await page.getByRole('button', { name: 'Match' }).click();
    const rows = page.locator('table.matches tbody tr');
    expect(await rows.nth(0).textContent()).toMatch(/SOC analyst duties.*yes.*through Incident triage/);
    expect(await rows.nth(1).textContent()).toContain('no');
    // The verify page shows the same skill with its equivalent.
    await page.goto(web.node.url);
    await page.getByLabel('Or paste the credential').fill(JSON.stringify(credential));
    await page.getByRole('button', { name: 'Verify' }).click();
    const skills = page.getByRole('region', { name: 'Skills' });
    expect(await skills.textContent()).toMatch(/Incident triage.*SOC analyst duties/);
    await page.close();
  });
});
