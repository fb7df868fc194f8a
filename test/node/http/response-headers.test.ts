/** Issue 16, finding 8: headers on every answer, the Host check, and framework bodies refused before parsing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { nodeHosts } from '../../../node/http/host-check.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

describe('HTTP answers', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    node = await createTestNode();
    app = createApp({ components: node.components, version: 't', health: () => ({ multiaddrs: [], networks: [] }) });
    admin = { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` };
  });
  afterAll(async () => {
    await node.close();
  });

  describe('when answering', () => {
    it('sends nosniff and no-store on answers, errors included', async () => {
      const answers = [
        await app.request('/health'),
        await app.request('/networks'),
        await app.request('/no/such/route'),
        await app.request('/credentials/issue', { method: 'POST', body: '{}' }),
        await app.request('/credentials/verify', { method: 'POST', headers: admin, body: '{' }),
      ];
      for (const res of answers) {
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('lets public documents be cached: status lists', async () => {
      const issued = await app.request('/credentials/issue', {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ credential: sampleBadge({ issuer: node.components.identity.did }) }),
      });
      const vc = (
        (await issued.json()) as { verifiableCredential: { credentialStatus: { statusListCredential: string } } }
      ).verifiableCredential;
      const list = await app.request(new URL(vc.credentialStatus.statusListCredential).pathname);
      expect(list.status).toBe(200);
      expect(list.headers.get('cache-control')).toBe('public, max-age=60');
      expect(list.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });

  describe('when the operator named the hosts', () => {
    it('refuses other Host headers with 421 HOST_NOT_ALLOWED and answers its own', async () => {
      const guarded = createApp({
        components: node.components,
        version: 't',
        health: () => ({ multiaddrs: [], networks: [] }),
        allowedHosts: ['node.example.edu', 'alt.example.edu:8443'],
        boundHosts: ['10.1.2.3:8080'],
      });
      const status = async (host: string) => (await guarded.request('/health', { headers: { host } })).status;
      expect(await status('node.example.edu')).toBe(200);
      expect(await status('NODE.example.edu:443')).toBe(200);
      expect(await status('alt.example.edu:8443')).toBe(200);
      expect(await status('127.0.0.1:8080')).toBe(200);
      expect(await status('localhost:8080')).toBe(200);
      expect(await status('10.1.2.3:8080')).toBe(200);
      expect(await status('alt.example.edu:9999')).toBe(421);
      expect(await status('rebind.attacker.example')).toBe(421);
      expect(await status('10.1.2.3:9')).toBe(421);
      const refused = await guarded.request('/health', { headers: { host: 'evil.example' } });
      expect(await refused.json()).toMatchObject({ error: { code: 'HOST_NOT_ALLOWED' } });
      expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('derives the hosts from the settings, the did:web host included once the check is on', () => {
      const bound = '127.0.0.1:8080';
      expect(nodeHosts({ allowedHosts: [], did: 'did:web:college.example', bound }).allowed).toEqual([]);
      expect(
        nodeHosts({
          allowedHosts: ['a.example'],
          publicUrl: 'https://node.college.example',
          did: 'did:web:college.example%3A8443',
          bound,
        }),
      ).toEqual({ allowed: ['a.example', 'node.college.example'], extra: [bound, 'college.example:8443'] });
    });

    it('answers any Host when none were named', async () => {
      expect((await app.request('/health', { headers: { host: 'anything.example' } })).status).toBe(200);
    });
  });

  describe('when a framework body is too large', () => {
    // Not JSON at all: were it parsed, the answer would be 400 MALFORMED_JSON, not 413.
    const junk = (bytes: number) => `{${'x'.repeat(bytes)}`;

    it('refuses a 10 MiB body by its size, before parsing, at the default limit', async () => {
      for (const path of ['/skills/frameworks', '/skills/import/case', '/skills/import/osmt']) {
        const res = await app.request(path, { method: 'POST', headers: admin, body: junk(10 * 1024 * 1024) });
        expect({ path, status: res.status }).toEqual({ path, status: 413 });
        expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
      }
    });

    it('refuses by streamed count when no Content-Length is given', async () => {
      const small = createApp({
        components: node.components,
        version: 't',
        health: () => ({ multiaddrs: [], networks: [] }),
        maxFrameworkBytes: 1024,
      });
      const chunk = new TextEncoder().encode(junk(600));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(chunk);
          controller.enqueue(chunk);
          controller.close();
        },
      });
      const res = await small.request('/skills/frameworks', {
        method: 'POST',
        headers: admin,
        body,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      // Within the limit, the same junk is parsed and found malformed.
      const parsed = await small.request('/skills/frameworks', { method: 'POST', headers: admin, body: junk(600) });
      expect(parsed.status).toBe(400);
    });

    it('reads one framework body at a time: a second one meanwhile is 503 BUSY', async () => {
      let finish!: () => void;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"id":'));
          finish = () => {
            controller.enqueue(new TextEncoder().encode('1}'));
            controller.close();
          };
        },
      });
      const first = app.request('/skills/frameworks', {
        method: 'POST',
        headers: admin,
        body,
        duplex: 'half',
      } as RequestInit);
      const second = await app.request('/skills/import/osmt', { method: 'POST', headers: admin, body: '{}' });
      expect(second.status).toBe(503);
      expect(await second.json()).toMatchObject({ error: { code: 'BUSY' } });
      expect(second.headers.get('retry-after')).toBe('1');
      finish();
      expect((await first).status).toBe(422);
      // Once the first is done, the next is read.
      expect((await app.request('/skills/import/osmt', { method: 'POST', headers: admin, body: '{}' })).status).toBe(
        422,
      );
    });
  });
});
