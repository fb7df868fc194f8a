import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';
import { governance, governors } from '../../helpers/registry.ts';

const [g] = governors(1);

describe('a did:web member’s P-256 key declared by its governors', () => {
  let issuer: TestNode;
  let verifier: TestNode;
  let network: string;

  beforeAll(async () => {
    // A did:web nobody can reach: its keys come only from the registry.
    issuer = await createTestNode({ didWeb: '127.0.0.1:9/bay' });
    verifier = await createTestNode({ network: { timeoutMs: 500 } });
    network = await governance(verifier.components.registry, [g]).createNetwork('ECDSA members');
  });
  afterAll(async () => {
    await issuer?.close();
    await verifier?.close();
  });

  it('verifies its ECDSA credentials without its website, trusted and with status from the replica', async () => {
    const { identity } = issuer.components;
    expect(identity.ecdsa.did).toBe(identity.did);
    const gov = governance(verifier.components.registry, [g]);
    await gov.act(network, {
      type: 'member.add',
      did: identity.did,
      name: 'Bay Technical College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
      keys: [
        { id: identity.keyId, publicKeyMultibase: identity.keyPair.publicKeyMultibase },
        { id: identity.ecdsa.keyId, publicKeyMultibase: identity.ecdsa.keyPair.publicKeyMultibase },
      ],
    });
    for (const cryptosuite of ['ecdsa-rdfc-2019', 'ecdsa-jcs-2019'] as const) {
      const credential = await issuer.components.issuer.issue(sampleBadge(), { cryptosuite });
      expect(
        (await verifier.components.publications.ingest(issuer.components.publications.list(), 'peer')).rejected,
      ).toEqual([]);
      const report = await verifier.components.verifier.verifyCredential(credential);
      expect(report.checks.find((c) => c.name === 'proof')).toMatchObject({ status: 'ok' });
      expect(report.checks.find((c) => c.name === 'issuer')).toMatchObject({ status: 'ok' });
      expect(report.checks.find((c) => c.name === 'status')).toMatchObject({ status: 'ok' });
      expect(report).toMatchObject({ verified: true, trusted: true });
    }
  });

  it('still refuses declared keys that are neither Ed25519 nor P-256 Multikeys', async () => {
    const gov = governance(verifier.components.registry, [g]);
    const { identity } = issuer.components;
    // A P-384 Multikey (z82L…): this node signs nothing with it, and a declared key must be one it can check.
    const p384 = 'z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ';
    await expect(
      gov.act(network, {
        type: 'member.update',
        did: identity.did,
        name: 'Bay',
        keys: [{ id: `${identity.did}#${p384}`, publicKeyMultibase: p384 }],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ACTION' });
  });
});
