import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';
import { runCli } from '../../helpers/process.ts';

describe('issuing and status changes over a real HTTP server', () => {
  let node: TestNode;
  let server: ReturnType<typeof serve>;
  let url: string;
  let admin: Record<string, string>;

  beforeAll(async () => {
    node = await createTestNode();
    const app = createApp({
      components: node.components,
      version: 'test',
      health: () => ({ multiaddrs: [], networks: [] }),
    });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    admin = { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` };
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await node.close();
  });

  // The VC API takes the issuer from the credential (W3C VCALM): this node's DID.
  const badge = (overrides: Record<string, unknown> = {}) =>
    sampleBadge({ issuer: node.components.identity.did, ...overrides });

  async function post(path: string, body: unknown) {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  async function slotsTakenBy(id: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const [key, value] of node.database.slots.iterator()) if (value === id) keys.push(key as string);
    return keys;
  }

  describe('when 8 requests issue one client-supplied id at once', () => {
    it('acknowledges exactly one; the others get 409 CREDENTIAL_EXISTS; one index entry, one slot', async () => {
      const id = 'urn:uuid:5d8f0b7e-7a43-4a0e-9c55-2f4b1d3c9e01';
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => post('/credentials/issue', { credential: badge({ id }) })),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      for (const a of answers.filter((a) => a.status === 409)) expect(a.body.error.code).toBe('CREDENTIAL_EXISTS');
      expect(await node.database.issued.get(id)).toBeDefined();
      expect(await slotsTakenBy(id)).toHaveLength(1);
    });
  });

  describe('when a revoked credential is to be un-revoked', () => {
    it('refuses POST /credentials/status with status false: 409 REVOCATION_FINAL, still revoked', async () => {
      const vc = (await post('/credentials/issue', { credential: badge() })).body.verifiableCredential;
      const entry = { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' };
      expect(
        (await post('/credentials/status', { credentialId: vc.id, credentialStatus: entry, status: true })).status,
      ).toBe(200);
      const undo = await post('/credentials/status', { credentialId: vc.id, credentialStatus: entry, status: false });
      expect(undo.status).toBe(409);
      expect(undo.body.error.code).toBe('REVOCATION_FINAL');
      const report = (await post('/credentials/verify', { verifiableCredential: vc })).body;
      expect(report.checks.find((c: { name: string }) => c.name === 'status')).toMatchObject({ code: 'REVOKED' });
    });

    it('refuses `ler-node revoke ID --undo` with REVOCATION_FINAL and a non-zero exit', async () => {
      const vc = (await post('/credentials/issue', { credential: badge() })).body.verifiableCredential;
      const args = ['--url', url, '--token', node.adminToken];
      const revoke = runCli(['revoke', vc.id, ...args]);
      expect((await revoke.exited).code).toBe(0);
      const undo = runCli(['revoke', vc.id, '--undo', ...args]);
      expect((await undo.exited).code).not.toBe(0);
      expect(undo.stderr()).toContain('REVOCATION_FINAL');
    }, 30_000);

    it('still lets a suspension be lifted', async () => {
      const vc = (
        await post('/credentials/issue', {
          credential: badge(),
          options: { credentialStatus: [{ statusPurpose: 'suspension' }] },
        })
      ).body.verifiableCredential;
      const entry = { type: 'BitstringStatusListEntry', statusPurpose: 'suspension' };
      expect(
        (await post('/credentials/status', { credentialId: vc.id, credentialStatus: entry, status: true })).body
          .changed,
      ).toBe(true);
      const lift = await post('/credentials/status', { credentialId: vc.id, credentialStatus: entry, status: false });
      expect(lift).toMatchObject({ status: 200, body: { changed: true } });
      expect((await post('/credentials/verify', { verifiableCredential: vc })).body.verified).toBe(true);
    });
  });
});
