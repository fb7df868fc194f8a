import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../../node/http/app.ts';
import { bakePng, blankPng } from '../../../../protocol/baking.ts';
import { presentation } from '../../../helpers/holder.ts';
import { joseDidKey, signJwt, unsecuredJwt, vc2Badge } from '../../../helpers/jose.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../../helpers/node.ts';
import { governance, governors } from '../../../helpers/registry.ts';

describe('the web pages, through the app', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    node = await createTestNode();
    app = createApp({ components: node.components, version: 'test', health: () => ({ multiaddrs: [], networks: [] }) });
  });
  afterAll(() => node.close());

  it('sends a strict CSP, no referrer, no framing, on every page', async () => {
    for (const path of ['/', '/explore', '/admin/sign-in']) {
      const response = await app.request(path);
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(await response.text()).toMatch(/^<!doctype html>/);
    }
  });

  it('verifies a pasted or baked JWT-secured credential, showing the credential inside it', async () => {
    const key = await joseDidKey('EdDSA');
    const jwt = await signJwt(vc2Badge(key.did), key, { typ: 'vc+jwt' });
    const pasted = await app.request('/', { method: 'POST', body: new URLSearchParams({ credential: jwt }) });
    const form = new FormData();
    form.set('file', new File([bakePng(blankPng(), jwt)], 'badge.png', { type: 'image/png' }));
    const baked = await app.request('/', { method: 'POST', body: form });
    for (const response of [pasted, baked]) {
      expect(response.status).toBe(200);
      const text = (await response.text()).replace(/<[^>]+>/g, ' ');
      expect(text).toContain('JOSE Test College');
      expect(text).toContain('Signature: passed');
      expect(text).toContain('vc+jwt EdDSA');
    }
  });

  it('shows an unsecured JWT (alg none) as not valid, its signature failed', async () => {
    const key = await joseDidKey('EdDSA');
    const body = new URLSearchParams({ credential: unsecuredJwt(vc2Badge(key.did), { kid: key.kid }) });
    const text = (await (await app.request('/', { method: 'POST', body })).text()).replace(/<[^>]+>/g, ' ');
    expect(text).toContain('Not valid');
    expect(text).toContain('Signature: failed');
  });

  it('refuses a form posted from another site before reading it', async () => {
    const body = new URLSearchParams({ credential: '{}' });
    const response = await app.request('/', { method: 'POST', body, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).error.code).toBe('FORBIDDEN');
  });

  it('refuses the admin pages without a session: GET goes to sign-in, POST is 401', async () => {
    const get = await app.request('/admin/governance');
    expect(get.status).toBe(303);
    expect(get.headers.get('location')).toBe('/admin/sign-in');
    const post = await app.request('/admin/issue', { method: 'POST', body: new URLSearchParams({ achievement: 'x' }) });
    expect(post.status).toBe(401);
    expect(await post.text()).toContain('sign in again');
  });

  it('opens only https credential links where private hosts are not allowed', async () => {
    const response = await app.request(`/?url=${encodeURIComponent('http://127.0.0.1:9/badge.json')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Only https links');
    const privateHost = await app.request(`/?url=${encodeURIComponent('https://127.0.0.1:9/badge.json')}`);
    expect(privateHost.status).toBe(400);
    expect(await privateHost.text()).toContain('could not be fetched');
  });

  it('verifies a pasted presentation: the holder and each credential, never valid while trust is unchecked', async () => {
    const { components } = node;
    const credential = await components.issuer.issue(sampleBadge({ issuer: components.identity.did }));
    const vp = await presentation([credential], { challenge: 'pasted', documentLoader: components.documentLoader });
    const response = await app.request('/', {
      method: 'POST',
      body: new URLSearchParams({ credential: JSON.stringify(vp) }),
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('A presentation of 1 credential(s) by did:key:');
    expect(html).toContain('Holder&#39;s signature: passed.');
    expect(html).toContain('Credential 1');
    expect(html).toContain('Business Management Fundamentals');
    // This node trusts no network: neither the presentation nor its credential may be called valid.
    expect(html).not.toContain('data-verdict="valid"');
    expect(html.match(/data-verdict="unknown"/g)).toHaveLength(2);
  });

  it('draws the recognition graph of the followed networks as an SVG picture, labels escaped', async () => {
    const gov = governance(node.components.registry, governors(1));
    const state = await gov.createNetwork('State <Registry>');
    const consortium = await gov.createNetwork('Retail Consortium');
    await gov.act(state, { type: 'network.recognize', network: consortium, credentialTypes: ['OpenBadgeCredential'] });
    const signIn = await app.request('/admin/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ token: node.adminToken }),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const html = await (await app.request('/admin/governance', { headers: { cookie } })).text();
    const svg = /<svg[^>]*aria-label="Recognition[^"]*"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(svg).toContain('State &lt;Registry&gt;');
    expect(svg).toContain('Retail Consortium');
    // One edge, from the recognizing network to the recognized one, labelled with its scope.
    expect(svg.match(/class="edge"/g)).toHaveLength(1);
    expect(svg).toContain('>OpenBadgeCredential</text>');
  });
});
