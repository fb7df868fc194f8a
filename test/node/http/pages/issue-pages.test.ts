import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFromPng } from '../../../../protocol/baking.ts';
import { launchBrowser } from '../../../helpers/browser.ts';
import { tempDir } from '../../../helpers/node.ts';
import { accreditSelf, startWebNode, type WebNode } from '../../../helpers/web.ts';

describe('the issue pages, in Chromium, against a real ler-node', () => {
  let dir: string;
  let web: WebNode;
  let browser: Browser;

  beforeAll(async () => {
    dir = await tempDir();
    [web, browser] = await Promise.all([startWebNode(dir), launchBrowser()]);
    await accreditSelf(web);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (web?.node.child.exitCode === null) web.node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses the admin pages without a session, and a form without its CSRF token', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.node.url}/admin/credentials`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    expect(await page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain("not this node's admin token");
    // Signed in, a post without the session's CSRF token changes nothing.
    await page.getByLabel('Admin token').fill(web.node.token!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const cookie = (await page.context().cookies()).find((c) => c.name === 'ler_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const forged = await page.evaluate(async () => {
      const body = new URLSearchParams({ achievement: 'Forged', recipient: 'did:example:x', csrf: 'guess' });
      return (await fetch('/admin/issue', { method: 'POST', body })).status;
    });
    expect(forged).toBe(403);
    expect(page.url()).not.toContain(web.node.token!);
    await page.context().close();
  });

  it('signs in, issues from the form, downloads a baked badge, revokes after confirming, and signs out', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${web.node.url}/admin/issue`);
    await page.getByLabel('Admin token').fill(web.node.token!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Issue a credential' }).waitFor();

    await page.getByLabel('Achievement name').fill('Forklift Safety');
    await page.getByLabel('Description').fill('Operates a forklift safely in a warehouse.');
    await page.getByLabel('Recipient (a DID or URL)').fill('did:example:learner-7');
    await page.getByLabel('Can be suspended').check();
    await page.getByRole('button', { name: 'Issue' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Issued Forklift Safety');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download baked badge (PNG)' }).click(),
    ]);
    const { readFile } = await import('node:fs/promises');
    const baked = JSON.parse(extractFromPng(await readFile((await download.path())!)).text);
    expect(baked.name).toBe('Forklift Safety');
    const verified = await web.api('POST', '/credentials/verify', { verifiableCredential: baked });
    expect(verified.body.checks.find((c: { name: string }) => c.name === 'status').status).toBe('ok');

    await page.getByRole('link', { name: 'Issued credentials' }).first().click();
    const row = page.locator(`tr[data-id="${baked.id}"]`);
    expect(await row.locator('.status').textContent()).toBe('active');
    await row.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('button', { name: 'Yes, suspend it' }).click();
    expect(await row.locator('.status').textContent()).toBe('suspended');
    await row.getByRole('button', { name: 'Lift suspension' }).click();
    expect(await row.locator('.status').textContent()).toBe('active');
    await row.getByRole('button', { name: 'Revoke' }).click();
    expect(await page.getByRole('heading', { name: 'Revoke this credential?' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Yes, revoke it' }).click();
    expect(await page.getByRole('status').textContent()).toContain('is now revoked');
    expect(await page.locator(`tr[data-id="${baked.id}"] .status`).textContent()).toBe('revoked');
    const after = await web.api('POST', '/credentials/verify', { verifiableCredential: baked });
    expect(after.body.checks.find((c: { name: string }) => c.name === 'status')).toMatchObject({ code: 'REVOKED' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${web.node.url}/admin/credentials`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    await context.close();
  });

  it('issues from a published achievement definition', async () => {
    const definition = {
      id: 'https://northfield.example/achievements/welding-1',
      type: ['Achievement'],
      name: 'Welding Level 1',
      description: 'Joins steel plates with MIG welding to code.',
      criteria: { narrative: 'Passed the practical assessment.' },
    };
    const published = await web.api('POST', '/publications', {
      kind: 'achievement',
      id: definition.id,
      body: definition,
    });
    expect(published.status).toBe(201);
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${web.node.url}/admin/sign-in`);
    await page.getByLabel('Admin token').fill(web.node.token!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('From a published achievement definition').selectOption({ label: 'Welding Level 1' });
    await page.getByLabel('Recipient (a DID or URL)').fill('did:example:learner-9');
    await page.getByRole('button', { name: 'Issue' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Issued Welding Level 1');
    const issued = JSON.parse((await page.getByLabel('The issued credential').inputValue()) as string);
    expect(issued.credentialSubject.achievement).toMatchObject({
      id: definition.id,
      description: definition.description,
      criteria: definition.criteria,
    });
    await page.context().close();
  });

  it('hands a credential to a wallet: the result page shows the offer QR code and its link', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.node.url}/admin/issue`);
    await page.getByLabel('Admin token').fill(web.node.token!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Achievement name').fill('Crane Operation');
    // No recipient: the wallet's key becomes the subject.
    await page.getByRole('button', { name: 'Hand it to a wallet' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Offered Crane Operation');
    const qr = page.getByRole('img', { name: 'QR code of the credential offer' });
    await qr.waitFor();
    expect(
      await qr.evaluate(
        (img) =>
          (img as { complete: boolean; naturalWidth: number }).complete &&
          (img as { naturalWidth: number }).naturalWidth > 0,
      ),
    ).toBe(true);
    const link = await page.getByLabel('Offer link').inputValue();
    expect(link).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    // The link names an offer the node really holds, with its pre-authorized code.
    const offerUrl = new URL(decodeURIComponent(link.split('credential_offer_uri=')[1]));
    const offer = (await (await fetch(`${web.node.url}${offerUrl.pathname}`)).json()) as {
      credential_configuration_ids: string[];
      grants: Record<string, Record<string, string>>;
    };
    expect(offer.credential_configuration_ids).toHaveLength(1);
    expect(offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code']).toBeTruthy();
    await page.context().close();
  });

  it('asks a wallet only for a signed-in admin (no --public-verifier here), and works without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(web.node.url);
    const refused = await page.evaluate(async () => (await fetch('/wallet-request', { method: 'POST' })).status);
    expect(refused).toBe(401);
    await page.goto(`${web.node.url}/admin/sign-in`);
    await page.getByLabel('Admin token').fill(web.node.token!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(web.node.url);
    await page.getByRole('button', { name: 'Ask a wallet for a credential' }).click();
    await page.getByRole('img', { name: 'QR code of the presentation request' }).waitFor();
    await page.getByRole('button', { name: 'Show the answer' }).click();
    expect(await page.getByRole('status').textContent()).toBe('No answer from the wallet yet.');
    await context.close();
  });
});
