import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { auditExport } from '../../../node/registry/audit.ts';
import { verifyDetachedJws } from '../../../protocol/signing/detached-jws.ts';
import { type GovernorKey, signActionId } from '../../../protocol/signing/governor-keys.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';
import { governors } from '../../helpers/registry.ts';

describe('governing a network over HTTP', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;
  let admin: Record<string, string>;
  const json = { 'content-type': 'application/json' };
  const [g1, g2, g3, outsider] = governors(4);
  let networkId: string;
  const college = 'did:web:college.example';

  beforeAll(async () => {
    node = await createTestNode();
    app = createApp({ components: node.components, version: 't', health: () => ({ multiaddrs: [], networks: [] }) });
    admin = { ...json, authorization: `Bearer ${node.adminToken}` };
  });
  afterAll(async () => {
    await node.close();
  });

  async function call(method: string, path: string, body?: unknown, headers = admin) {
    const res = await app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, text: '', body: (await res.json()) as Record<string, any> };
  }
  const approve = (id: string, key: GovernorKey) =>
    call('POST', `/proposals/${id}/approvals`, { signer: key.did, signature: signActionId(key, id) }, json);
  async function count() {
    return (await call('GET', '/proposals')).body.proposals.length;
  }

  it('creates a network that exists once 2 of 3 governors approve its genesis', async () => {
    const created = await call('POST', '/networks', {
      name: 'Healthcare Talent Network',
      governors: [g1.did, g2.did, g3.did],
      threshold: 2,
    });
    expect(created.status).toBe(201);
    networkId = created.body.proposal.id;
    expect(created.body.network).toMatchObject({ id: networkId, approved: false });
    expect((await call('GET', '/networks')).body.networks).toEqual([]);

    expect((await approve(networkId, g1)).body.proposal.approved).toBe(false);
    // the same governor again counts once
    expect((await approve(networkId, g1)).body.proposal.approved).toBe(false);
    expect((await approve(networkId, g2)).body.proposal).toMatchObject({ approved: true, status: 'applied' });
    const list = (await call('GET', '/networks')).body.networks;
    expect(list).toMatchObject([{ id: networkId, name: 'Healthcare Talent Network', threshold: 2, members: 0 }]);
  });

  it('admits and accredits a member by m-of-n approvals, with history', async () => {
    const proposed = await call('POST', '/proposals', {
      network: networkId,
      action: {
        type: 'member.add',
        did: college,
        name: 'Riverside Community College',
        url: 'https://college.example',
        accreditations: [{ credentialTypes: ['OpenBadgeCredential', 'AchievementCredential'] }],
      },
    });
    expect(proposed.status).toBe(201);
    const id = proposed.body.proposal.id;
    expect(
      (await call('GET', `/proposals?network=${networkId}&pending=true`)).body.proposals.map((p: any) => p.id),
    ).toContain(id);
    await approve(id, g2);
    expect((await approve(id, g3)).body.proposal.status).toBe('applied');
    const member = await call('GET', `/networks/${networkId}/members/${encodeURIComponent(college)}`);
    expect(member.body.current).toMatchObject({ status: 'active', name: 'Riverside Community College' });
    const issuer = await call('GET', `/issuers/${encodeURIComponent(college)}`);
    expect(issuer.body.memberships).toMatchObject([{ network: networkId, status: 'active' }]);
  });

  it('answers TRQP authorization queries, signed, and as of context.time', async () => {
    const query = { entity_id: college, authority_id: networkId, action: 'issue', resource: 'OpenBadgeCredential' };
    const res = await app.request('/trqp/authorization', {
      method: 'POST',
      headers: json,
      body: JSON.stringify(query),
    });
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ authorized: true, entity_id: college });
    const proof = verifyDetachedJws(res.headers.get('x-ler-signature')!, text);
    expect(proof).toEqual({ valid: true, kid: node.components.identity.keyId });
    expect(verifyDetachedJws(res.headers.get('x-ler-signature')!, text.replace('true', 'false')).valid).toBe(false);

    const before = await call(
      'POST',
      '/trqp/authorization',
      { ...query, context: { time: '2026-01-05T00:00:00Z' } },
      json,
    );
    expect(before.body).toMatchObject({ authorized: false, time_requested: '2026-01-05T00:00:00.000Z' });
    const unknown = await call('POST', '/trqp/authorization', { ...query, authority_id: 'x'.repeat(43) }, json);
    expect(unknown).toMatchObject({ status: 404, body: { status: 404, error: { code: 'UNKNOWN_NETWORK' } } });
  });

  it('recognizes another network for a scope and answers TRQP recognition queries', async () => {
    const other = 'o'.repeat(43);
    const p = await call('POST', '/proposals', {
      network: networkId,
      action: { type: 'network.recognize', network: other, credentialTypes: ['OpenBadgeCredential'] },
    });
    expect(p.body.proposal.action).toMatchObject({ network: networkId, recognizedNetwork: other });
    await approve(p.body.proposal.id, g1);
    expect((await approve(p.body.proposal.id, g3)).body.proposal.status).toBe('applied');
    const query = { entity_id: other, authority_id: networkId, action: 'recognize', resource: 'OpenBadgeCredential' };
    const res = await call('POST', '/trqp/recognition', query, json);
    expect(res.body).toMatchObject({ recognized: true });
    expect(res.headers.get('x-ler-signature')).toBeTruthy();
    expect(
      (await call('POST', '/trqp/recognition', { ...query, resource: 'ClrCredential' }, json)).body.recognized,
    ).toBe(false);
    expect((await call('GET', '/networks')).body.networks.find((n: any) => n.id === networkId).recognizes).toEqual([
      other,
    ]);
  });

  it('rotates governors: a rotated-away governor can no longer approve', async () => {
    const rotate = await call('POST', '/proposals', {
      network: networkId,
      action: { type: 'governance.update', governors: [g2.did, g3.did, outsider.did], threshold: 2 },
    });
    const id = rotate.body.proposal.id;
    await approve(id, g1);
    expect((await approve(id, g2)).body.proposal.status).toBe('applied');
    const suspend = await call('POST', '/proposals', {
      network: networkId,
      action: { type: 'member.suspend', did: college },
    });
    const rejected = await approve(suspend.body.proposal.id, g1);
    expect(rejected).toMatchObject({ status: 403, body: { error: { code: 'NOT_A_GOVERNOR' } } });
    expect((await approve(suspend.body.proposal.id, outsider)).body.proposal.approved).toBe(false);
  });

  describe('when input is bad or unauthorized, it is refused and nothing is stored', () => {
    it('refuses a forged signature (422)', async () => {
      const p = await call('POST', '/proposals', {
        network: networkId,
        action: { type: 'member.add', did: 'did:web:a.example', name: 'A' },
      });
      const before = (await call('GET', `/proposals/${p.body.proposal.id}`)).body.proposal.signatures.length;
      const forged = await call(
        'POST',
        `/proposals/${p.body.proposal.id}/approvals`,
        { signer: g2.did, signature: signActionId(g3, p.body.proposal.id) },
        json,
      );
      expect(forged).toMatchObject({ status: 422, body: { error: { code: 'INVALID_SIGNATURE' } } });
      const garbage = await call(
        'POST',
        `/proposals/${p.body.proposal.id}/approvals`,
        { signer: g2.did, signature: 'AAAA' },
        json,
      );
      expect(garbage.status).toBe(422);
      expect((await call('GET', `/proposals/${p.body.proposal.id}`)).body.proposal.signatures.length).toBe(before);
    });

    it('refuses a signer who is not a governor (403)', async () => {
      const p = await call('POST', '/proposals', {
        network: networkId,
        action: { type: 'member.add', did: 'did:web:b.example', name: 'B' },
      });
      const res = await approve(p.body.proposal.id, g1);
      expect(res).toMatchObject({ status: 403, body: { error: { code: 'NOT_A_GOVERNOR' } } });
    });

    it('refuses unknown networks (404), unknown action types and bad parameters (422)', async () => {
      const n = await count();
      expect(
        (
          await call('POST', '/proposals', {
            network: 'y'.repeat(43),
            action: { type: 'member.add', did: 'did:web:c.example', name: 'C' },
          })
        ).body.error.code,
      ).toBe('UNKNOWN_NETWORK');
      expect(
        (await call('POST', '/proposals', { network: networkId, action: { type: 'member.promote', did: college } }))
          .body.error.code,
      ).toBe('UNKNOWN_ACTION_TYPE');
      expect(
        (
          await call('POST', '/proposals', {
            network: networkId,
            action: { type: 'member.add', did: 'not-a-did', name: 'C' },
          })
        ).status,
      ).toBe(422);
      expect(
        (
          await call('POST', '/proposals', {
            network: networkId,
            action: { type: 'member.add', did: 'did:web:c.example', name: 'C', extra: 1 },
          })
        ).body.error.code,
      ).toBe('INVALID_ACTION');
      expect(
        (
          await call('POST', '/proposals', {
            network: networkId,
            action: { type: 'member.suspend', did: 'did:web:never.example' },
          })
        ).body.error.code,
      ).toBe('ACTION_NOT_APPLICABLE');
      expect(await count()).toBe(n);
    });

    it('refuses an effectiveAt too far in the future (422)', async () => {
      const res = await call('POST', '/proposals', {
        network: networkId,
        action: { type: 'member.add', did: 'did:web:d.example', name: 'D' },
        effectiveAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(res).toMatchObject({ status: 422, body: { error: { code: 'EFFECTIVE_TIME_IN_FUTURE' } } });
    });

    it('refuses oversized actions (413) and needs the admin token to propose (401)', async () => {
      const big = await call('POST', '/proposals', {
        network: networkId,
        action: {
          type: 'member.add',
          did: 'did:web:e.example',
          name: 'E',
          accreditations: Array.from({ length: 100 }, () => ({
            credentialTypes: Array.from({ length: 50 }, (_, i) => `Type${i}${'x'.repeat(20)}`),
          })),
        },
      });
      expect(big).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
      expect(
        (
          await call(
            'POST',
            '/proposals',
            { network: networkId, action: { type: 'member.add', did: 'did:web:f.example', name: 'F' } },
            json,
          )
        ).status,
      ).toBe(401);
    });
  });

  it('exports a history that an offline audit re-checks to the same digest', async () => {
    const exported = (await call('GET', `/networks/${networkId}/export`)).body;
    const audit = auditExport(exported);
    expect(audit).toMatchObject({ ok: true, network: networkId, digest: exported.digest });
    const tampered = structuredClone(exported);
    tampered.actions[1].action.name = 'Someone Else';
    expect(auditExport(tampered).problems.join()).toMatch(/is not the hash of its action/);
  });

  it('signs with governor keys the node holds', async () => {
    const held = await Promise.all([1, 2].map(async () => (await call('POST', '/governor-keys')).body.did as string));
    const created = await call('POST', '/networks', {
      name: 'Node-held',
      governors: held,
      threshold: 2,
      options: { sign: true },
    });
    expect(created.body.proposal.approved).toBe(true);
    expect((await call('GET', '/governor-keys')).body.governorKeys).toHaveLength(2);
    expect(JSON.stringify((await call('GET', '/governor-keys')).body)).not.toMatch(/privateKey/);
  });
});
