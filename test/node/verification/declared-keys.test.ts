import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';
import { governance, governors } from '../../helpers/registry.ts';

const [g] = governors(1);

describe('keys the governors declared for a did:web member', () => {
  let issuer: TestNode;
  let verifier: TestNode;
  let network: string;

  beforeAll(async () => {
    // A did:web whose website nobody can reach (port 9 on loopback, and private hosts are refused anyway).
    issuer = await createTestNode({ didWeb: '127.0.0.1:9/harbor' });
    verifier = await createTestNode({ network: { timeoutMs: 500 } });
    network = await governance(verifier.components.registry, [g]).createNetwork('Offline-safe');
  });
  afterAll(async () => {
    await issuer?.close();
    await verifier?.close();
  });

  it('verify its credentials and accept its publications without its website', async () => {
    const { identity } = issuer.components;
    const gov = governance(verifier.components.registry, [g]);
    await gov.act(network, {
      type: 'member.add',
      did: identity.did,
      name: 'Harbor Community College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    const credential = await issuer.components.issuer.issue(sampleBadge());
    // Without declared keys the issuer's key cannot be found: the website is unreachable.
    const unknown = await verifier.components.verifier.verifyCredential(credential);
    expect(unknown.checks.find((c) => c.name === 'issuer')).toMatchObject({ status: 'failed' });
    const refused = await verifier.components.publications.ingest(issuer.components.publications.list(), 'peer');
    expect(refused.accepted).toEqual([]);

    await gov.act(network, {
      type: 'member.update',
      did: identity.did,
      name: 'Harbor Community College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
      keys: [{ id: identity.keyId, publicKeyMultibase: identity.keyPair.publicKeyMultibase }],
    });
    // Its publications (here its status list) now verify and replicate, so status is read from the replica.
    const replicated = await verifier.components.publications.ingest(issuer.components.publications.list(), 'peer');
    expect(replicated).toMatchObject({ rejected: [], accepted: [expect.anything()] });
    const report = await verifier.components.verifier.verifyCredential(credential);
    expect(report.checks.find((c) => c.name === 'issuer')).toMatchObject({ status: 'ok' });
    expect(report).toMatchObject({ verified: true, trusted: true });

    await issuer.components.issuer.setStatus(credential.id as string, 'revocation', true);
    expect(
      (await verifier.components.publications.ingest(issuer.components.publications.list(), 'peer')).rejected,
    ).toEqual([]);
    const revoked = await verifier.components.verifier.verifyCredential(credential);
    expect(revoked.checks.find((c) => c.name === 'status')).toMatchObject({ status: 'failed', code: 'REVOKED' });
  });

  it('refuses keys that are not Ed25519 Multikeys of the member itself', async () => {
    const gov = governance(verifier.components.registry, [g]);
    const { identity } = issuer.components;
    for (const keys of [
      [{ id: 'did:web:other.example#k', publicKeyMultibase: identity.keyPair.publicKeyMultibase }],
      [{ id: `${identity.did}#k`, publicKeyMultibase: 'zQ3sh-not-ed25519' }],
      [],
    ]) {
      await expect(
        gov.act(network, { type: 'member.update', did: identity.did, name: 'Harbor', keys }),
      ).rejects.toMatchObject({ code: 'INVALID_ACTION' });
    }
  });
});
