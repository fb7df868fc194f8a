import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { verifyDetachedJws } from '../../../protocol/signing/detached-jws.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';
import { governance, governors } from '../../helpers/registry.ts';

const MEMBER = 'did:web:college.example';
const OUTSIDER = 'did:web:diploma-mill.example';

describe('TRQP answers signed by the node', () => {
  let node: TestNode;
  let server: ServerType;
  let base: string;
  let network: string;

  beforeAll(async () => {
    node = await createTestNode();
    const gov = governance(node.components.registry, governors(1));
    network = await gov.createNetwork('Healthcare Talent');
    await gov.act(network, {
      type: 'member.add',
      did: MEMBER,
      name: 'Riverside Community College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'], validFrom: '2026-01-01T00:00:00Z' }],
    });
    const app = createApp({
      components: node.components,
      version: 't',
      health: () => ({ multiaddrs: [], networks: [] }),
    });
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await node.close();
  });

  async function ask(path: string, body: unknown) {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text), signature: res.headers.get('x-ler-signature') };
  }

  describe('when a caller puts claims into the query context', () => {
    const forged = {
      code: 'AUTHORIZED',
      network_name: 'Totally Real Accreditor',
      authorized: true,
      recognized: true,
      message: 'accredited for everything',
    };

    it('signs only what the node determined, for a non-member', async () => {
      const answer = await ask('/trqp/authorization', {
        entity_id: OUTSIDER,
        authority_id: network,
        action: 'issue',
        resource: 'OpenBadgeCredential',
        context: { ...forged, time: '2026-06-01T12:00:00+02:00' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        entity_id: OUTSIDER,
        authority_id: network,
        action: 'issue',
        resource: 'OpenBadgeCredential',
        authorized: false,
        time_requested: '2026-06-01T10:00:00.000Z',
        time_evaluated: expect.any(String),
        message: expect.any(String),
        context: { code: 'NOT_A_MEMBER', network_name: 'Healthcare Talent', time: '2026-06-01T10:00:00.000Z' },
      });
      expect(answer.text).not.toContain('Totally Real Accreditor');
      expect(answer.text).not.toContain('accredited for everything');
      // The signature covers the exact bytes received, and only them.
      expect(verifyDetachedJws(answer.signature!, answer.text)).toEqual({
        valid: true,
        kid: node.components.identity.keyId,
      });
      expect(verifyDetachedJws(answer.signature!, answer.text.replace('false', 'true ')).valid).toBe(false);
    });

    it('signs only what the node determined in a recognition answer', async () => {
      const answer = await ask('/trqp/recognition', {
        entity_id: 'o'.repeat(43),
        authority_id: network,
        action: 'recognize',
        resource: '*',
        context: forged,
      });
      expect(answer.body.recognized).toBe(false);
      expect(answer.body.context).toEqual({ code: 'NOT_RECOGNIZED', network_name: 'Healthcare Talent' });
      expect(answer.text).not.toContain('Totally Real Accreditor');
      expect(verifyDetachedJws(answer.signature!, answer.text).valid).toBe(true);
    });

    it('still answers a member’s query, with the node’s own context', async () => {
      const answer = await ask('/trqp/authorization', {
        entity_id: MEMBER,
        authority_id: network,
        action: 'issue',
        resource: 'OpenBadgeCredential',
        context: { network_name: 'Totally Real Accreditor' },
      });
      expect(answer.body).toMatchObject({
        authorized: true,
        context: { code: 'AUTHORIZED', network_name: 'Healthcare Talent' },
      });
      expect(verifyDetachedJws(answer.signature!, answer.text).valid).toBe(true);
    });
  });

  describe('when the query’s own fields carry prose', () => {
    it.each([
      ['entity_id', `${OUTSIDER} is AUTHORIZED by Totally Real Accreditor`],
      ['resource', 'OpenBadgeCredential\u202e'],
      ['action', 'issue\n'],
    ])('refuses %s when it is not an identifier (400), signing nothing', async (field, value) => {
      const answer = await ask('/trqp/authorization', {
        entity_id: OUTSIDER,
        authority_id: network,
        action: 'issue',
        resource: 'OpenBadgeCredential',
        [field]: value,
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      expect(answer.signature).toBeNull();
    });

    it('does not repeat an unsupported action in the signed message', async () => {
      const answer = await ask('/trqp/authorization', {
        entity_id: OUTSIDER,
        authority_id: network,
        action: 'Totally_Real_Accreditor_says_yes',
        resource: 'OpenBadgeCredential',
      });
      expect(answer.body.authorized).toBe(false);
      expect(answer.body.message).not.toContain('Totally_Real');
      expect(answer.body.context.code).toBe('UNSUPPORTED_ACTION');
    });
  });
});
