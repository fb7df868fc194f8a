import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setGlobalConfig } from '@openid4vc/oauth2';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bakePng, blankPng } from '../../../../protocol/baking.ts';
import { generateHolderKey } from '../../../../scripts/wallet/holder-key.ts';
import { presentCredential } from '../../../../scripts/wallet/present.ts';
import { receiveCredential } from '../../../../scripts/wallet/receive.ts';
import { launchBrowser } from '../../../helpers/browser.ts';
import { sampleBadge, tempDir } from '../../../helpers/node.ts';
import { accreditSelf, startWebNode, type WebNode } from '../../../helpers/web.ts';

const SCRIPT_NAME = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

describe('the verify page, in Chromium, against a real ler-node', () => {
  let dir: string;
  let web: WebNode;
  let browser: Browser;
  let linkServer: Server | undefined;
  const issued: Record<string, Record<string, unknown>> = {};

  beforeAll(async () => {
    dir = await tempDir();
    // Private hosts allowed: the credential link below is served on loopback.
    [web, browser] = await Promise.all([
      startWebNode(dir, { LER_ALLOW_PRIVATE_HOSTS: '1', LER_PUBLIC_VERIFIER: '1' }),
      launchBrowser(),
    ]);
    await accreditSelf(web);
    const issue = async (overrides: Record<string, unknown> = {}) =>
      (await web.api('POST', '/credentials/issue', { credential: sampleBadge({ issuer: web.did, ...overrides }) })).body
        .verifiableCredential;
    issued.good = await issue();
    issued.revoked = await issue({ name: 'Revoked Badge' });
    const badge = sampleBadge() as { credentialSubject: { achievement: Record<string, unknown> } };
    badge.credentialSubject.achievement.name = SCRIPT_NAME;
    issued.script = await issue({ name: SCRIPT_NAME, credentialSubject: badge.credentialSubject });
    const revoked = await web.api('POST', '/credentials/status', {
      credentialId: issued.revoked.id,
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
      status: true,
    });
    expect(revoked.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    setGlobalConfig({ allowInsecureUrls: false });
    linkServer?.close();
    await browser?.close();
    if (web?.node.child.exitCode === null) web.node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies a dropped JSON file: the achievement, a large "Valid", each check in words, the trust path', async () => {
    const page = await browser.newPage();
    const response = await page.goto(web.node.url);
    expect(response?.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(response?.headers()['referrer-policy']).toBe('no-referrer');
    await expect(page.getByRole('heading', { name: 'Verify a credential' }).isVisible()).resolves.toBe(true);
    const dataTransfer = await page.evaluateHandle((text) => {
      const transfer = new (globalThis as any).DataTransfer();
      transfer.items.add(new File([text], 'badge.json', { type: 'application/json' }));
      return transfer;
    }, JSON.stringify(issued.good));
    await Promise.all([
      page.waitForURL(web.node.url + '/'),
      page.dispatchEvent('#drop-zone', 'drop', { dataTransfer }),
    ]);
    await page.getByRole('heading', { name: 'Verification report' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Valid');
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    expect(await page.locator('.credential-name').textContent()).toBe('Business Management Fundamentals');
    expect(await page.getByText('Northfield Community College').first().isVisible()).toBe(true);
    expect(await page.locator('[data-check="status"]').textContent()).toContain('has not revoked or suspended it');
    const picture = page.getByRole('img', { name: /Trust path/ });
    expect(await picture.isVisible()).toBe(true);
    expect(await picture.textContent()).toContain('Retail Skills Consortium');
    expect(await page.getByRole('link', { name: 'Add to LinkedIn profile' }).isVisible()).toBe(true);
    await page.close();
  });

  it('verifies a baked PNG badge chosen with the file picker', async () => {
    const page = await browser.newPage();
    await page.goto(web.node.url);
    const png = bakePng(blankPng(), JSON.stringify(issued.good));
    await Promise.all([
      page.waitForURL(web.node.url + '/'),
      page.setInputFiles('#file', { name: 'badge.png', mimeType: 'image/png', buffer: png }),
    ]);
    await page.getByRole('heading', { name: 'Verification report' }).waitFor();
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    expect(await page.locator('.credential-name').textContent()).toBe('Business Management Fundamentals');
    await page.close();
  });

  it('shows a revoked credential as not valid, with the reason, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(web.node.url);
    await page.getByLabel('Or paste the credential').fill(JSON.stringify(issued.revoked));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Verification report' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Not valid');
    expect(await page.locator('[data-check="status"]').textContent()).toContain(
      'The issuer has revoked this credential.',
    );
    expect(await page.getByRole('link', { name: 'Add to LinkedIn profile' }).count()).toBe(0);
    await context.close();
  });

  it("renders a script in a credential's name as text", async () => {
    const page = await browser.newPage();
    await page.goto(web.node.url);
    await page.getByLabel('Or paste the credential').fill(JSON.stringify(issued.script));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Verification report' }).waitFor();
    expect(await page.locator('.credential-name').textContent()).toBe(SCRIPT_NAME);
    expect(await page.evaluate(() => (globalThis as any).__pwned)).toBeUndefined();
    expect(await page.locator('main script, main img[src="x"]').count()).toBe(0);
    await page.close();
  });

  it('says in words what is wrong with a file that is not a credential', async () => {
    const page = await browser.newPage();
    await page.goto(web.node.url);
    await page.getByLabel('Or paste the credential').fill('{"not json');
    await page.getByRole('button', { name: 'Verify' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('is not valid JSON');
    await page.close();
  });

  it('opens a link that carries a credential URL, and offers the verification link to copy', async () => {
    linkServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(issued.good));
    });
    await new Promise<void>((resolve) => linkServer!.listen(0, '127.0.0.1', resolve));
    const credentialUrl = `http://127.0.0.1:${(linkServer.address() as AddressInfo).port}/badge.json`;
    const page = await browser.newPage();
    await page.goto(web.node.url);
    await page.getByLabel('Or open a link to a credential').fill(credentialUrl);
    await page.getByRole('button', { name: 'Open the link' }).click();
    await page.getByRole('heading', { name: 'Verification report' }).waitFor();
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    const link = `${web.node.url}/?url=${encodeURIComponent(credentialUrl)}`;
    expect(page.url()).toBe(link);
    expect(await page.getByRole('button', { name: 'Copy the verification link' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: link }).isVisible()).toBe(true);
    await page.close();
  });

  it('asks a wallet for a credential: a request QR code, then the verified answer when the wallet sends it', async () => {
    // The wallet (built from @openid4vc/*) first receives a credential of this node over OID4VCI, on loopback http.
    setGlobalConfig({ allowInsecureUrls: true });
    const holder = await generateHolderKey();
    const { id: _id, ...subject } = sampleBadge().credentialSubject as Record<string, unknown>;
    const offer = await web.api('POST', '/offers', {
      credential: { ...sampleBadge({ issuer: web.did }), credentialSubject: subject },
    });
    const { credential } = await receiveCredential({ offerUri: offer.body.offerUri as string, key: holder });

    const page = await browser.newPage();
    await page.goto(web.node.url);
    await page.getByRole('button', { name: 'Ask a wallet for a credential' }).click();
    const qr = page.getByRole('img', { name: 'QR code of the presentation request' });
    await qr.waitFor();
    expect(await qr.evaluate((img) => (img as { complete: boolean; naturalWidth: number }).naturalWidth > 0)).toBe(
      true,
    );
    const requestUri = await page.getByLabel('Request link').inputValue();
    expect(requestUri).toContain('request_uri=');
    expect(page.url()).not.toContain('token');

    const answer = await presentCredential({ requestUri, key: holder, credentials: [credential] });
    expect(answer.status).toBe(200);
    // The page's script sees the answer and shows it without a click.
    await page.getByRole('heading', { name: "The wallet's answer" }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Valid, from a trusted issuer');
    expect(await page.getByText('Presented by').textContent()).toContain(holder.did);
    await page.context().close();
  });
});
