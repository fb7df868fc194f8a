import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../../helpers/browser.ts';
import { tempDir } from '../../../helpers/node.ts';
import { until } from '../../../helpers/peers.ts';
import { startWebNode, type WebNode } from '../../../helpers/web.ts';

async function signIn(browser: Browser, web: WebNode): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${web.node.url}/admin/sign-in`);
  await page.getByLabel('Admin token').fill(web.node.token!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Issue a credential' }).waitFor();
  return page;
}

/** Reloads until `locator` shows up: replication takes a moment. */
async function reloadUntil(page: Page, selector: string, what: string) {
  await until(
    async () => {
      if ((await page.locator(selector).count()) > 0) return true;
      await page.reload();
      return false;
    },
    what,
    20_000,
  );
}

describe('governance pages on three ler-node processes, in Chromium', () => {
  let dir: string;
  const nodes: WebNode[] = [];
  let browser: Browser;
  let networkId: string;
  const governor: string[] = [];

  beforeAll(async () => {
    dir = await tempDir();
    const [a, chromium] = await Promise.all([startWebNode(join(dir, 'a')), launchBrowser()]);
    browser = chromium;
    const bootstrap = (await a.api('GET', '/health')).body.multiaddrs[0] as string;
    const [b, c] = await Promise.all(
      ['b', 'c'].map((name) => startWebNode(join(dir, name), { LER_BOOTSTRAP: bootstrap })),
    );
    nodes.push(a, b, c);
    // Two governors, each key held by its own node; the genesis needs both.
    for (const n of [a, b]) governor.push((await n.api('POST', '/governor-keys')).body.did);
    const created = await a.api('POST', '/networks', {
      name: 'Healthcare Talent Network',
      governors: governor,
      threshold: 2,
      options: { sign: true },
    });
    networkId = created.body.network.id;
    for (const n of [b, c]) expect((await n.api('POST', '/follows', { network: networkId })).status).toBeLessThan(300);
    await until(
      async () => (await b.api('GET', `/proposals/${created.body.proposal.id}`)).status === 200,
      'genesis at b',
    );
    await b.api('POST', `/proposals/${created.body.proposal.id}/approvals`, { signer: governor[1], sign: true });
    await until(async () => (await c.api('GET', `/networks/${networkId}`)).status === 200, 'the network at c');
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    for (const n of nodes) if (n.node.child.exitCode === null) n.node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('lets two governors admit a member from their browsers, and the member appears at a third node', async () => {
    const [a, b, c] = nodes;
    const atA = await signIn(browser, a);
    await atA.getByRole('link', { name: 'Governance' }).click();
    await atA.getByRole('link', { name: 'Healthcare Talent Network' }).click();
    expect(await atA.locator('.facts').textContent()).toContain('2 of 2 must sign');

    // A draft the registry refuses says why, and nothing is proposed.
    await atA.getByLabel('The proposal').selectOption('member.add');
    await atA.getByLabel('Member DID').fill('did:web:clinic.example');
    await atA.getByLabel('Member name').fill('Riverside Clinic');
    await atA.getByRole('button', { name: 'Propose and sign' }).click();
    expect(await atA.getByRole('alert').textContent()).toContain('credential type');
    expect(await atA.locator('[data-proposal]').count()).toBe(0);

    await atA.getByLabel(/Credential types/).fill('OpenBadgeCredential');
    await atA.getByRole('button', { name: 'Propose and sign' }).click();
    expect(await atA.getByRole('status').textContent()).toContain('waiting for more signatures');
    expect(await atA.locator('[data-proposal] .signatures').textContent()).toContain('1 more signature(s) needed');

    const atB = await signIn(browser, b);
    await atB.goto(`${b.node.url}/admin/governance/networks/${networkId}`);
    await reloadUntil(atB, '[data-proposal]', 'the proposal at b');
    expect(await atB.locator('[data-proposal]').textContent()).toContain('Riverside Clinic');
    await atB.getByRole('button', { name: /Approve as/ }).click();
    expect(await atB.getByRole('status').textContent()).toContain('Approved');
    expect(await atB.locator('[data-member="did:web:clinic.example"] .member-name').textContent()).toBe(
      'Riverside Clinic',
    );

    const atC = await signIn(browser, c);
    await atC.goto(`${c.node.url}/admin/governance/networks/${networkId}`);
    await reloadUntil(atC, '[data-member="did:web:clinic.example"]', 'the member at c');
    expect(await atC.locator('[data-member="did:web:clinic.example"]').textContent()).toContain('OpenBadgeCredential');
    await atC.getByRole('link', { name: 'Audit the history' }).click();
    expect(await atC.locator('.audit').textContent()).toContain('The history checks out');
    await atC.goto(`${c.node.url}/admin/governance`);
    expect(await atC.getByRole('img', { name: /Recognition/ }).textContent()).toContain('Healthcare Talent Network');
  }, 60_000);

  it('shows on the node page the peers connected and each followed network with its replication state', async () => {
    const c = nodes[2];
    const page = await signIn(browser, c);
    await page.getByRole('link', { name: 'Node', exact: true }).click();
    expect(await page.getByRole('heading', { name: /Peers connected \([1-9]/ }).isVisible()).toBe(true);
    const health = (await c.api('GET', '/health')).body;
    expect(await page.locator('.facts').textContent()).toContain(health.peerId);
    const row = page.locator(`tr[data-network="${networkId}"]`);
    expect(await row.textContent()).toContain('Healthcare Talent Network');
    // c learned the network by pulling it (the genesis was approved before it followed): a sync round happened.
    expect(await row.locator('td').nth(2).textContent()).toMatch(/ago$/);
    await page.context().close();
  });
});
