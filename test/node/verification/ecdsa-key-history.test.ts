import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { didDocumentOf } from '../../../node/identity.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';
import { governance, governors } from '../../helpers/registry.ts';

const [g] = governors(1);

describe('a did:web member’s replicated DID document with its P-256 key', () => {
  let issuer: TestNode;
  let verifier: TestNode;
  let clock = new Date('2026-11-01T00:00:00.000Z');

  beforeAll(async () => {
    // Unreachable website: the P-256 key is known only from the member's replicated did-document publication.
    issuer = await createTestNode({ didWeb: '127.0.0.1:9/cove', now: () => clock });
    verifier = await createTestNode({ network: { timeoutMs: 500 } });
    const { identity } = issuer.components;
    const gov = governance(verifier.components.registry, [g]);
    const network = await gov.createNetwork('Replicated keys');
    // Governors declare only the Ed25519 key (publications are signed with it).
    await gov.act(network, {
      type: 'member.add',
      did: identity.did,
      name: 'Cove University',
      keys: [{ id: identity.keyId, publicKeyMultibase: identity.keyPair.publicKeyMultibase }],
    });
  });
  afterAll(async () => {
    await issuer.close();
    await verifier.close();
  });

  it('verifies ECDSA credentials once it arrives, and applies its key history to the P-256 key', async () => {
    const before = await issuer.components.issuer.issue(sampleBadge(), { cryptosuite: 'ecdsa-rdfc-2019' });
    clock = new Date('2026-11-10T00:00:00.000Z');
    const after = await issuer.components.issuer.issue(sampleBadge(), { cryptosuite: 'ecdsa-jcs-2019' });
    const { identity } = issuer.components;
    // Before the member publishes its document only the declared Ed25519 key is known; that resolution must not
    // be cached over the document that arrives next.
    const unknown = await verifier.components.verifier.verifyCredential(before);
    expect(unknown.checks.find((c) => c.name === 'proof')).toMatchObject({
      status: 'unchecked',
      code: 'KEY_UNRESOLVED',
    });
    await issuer.components.publications.publishOwn('did-document', identity.did, {
      didDocument: didDocumentOf(identity),
      keyHistory: [
        { verificationMethod: identity.keyId, validFrom: '2026-01-01T00:00:00Z' },
        {
          verificationMethod: identity.ecdsa.keyId,
          validFrom: '2026-01-01T00:00:00Z',
          compromisedAt: '2026-11-05T00:00:00Z',
        },
      ],
    });
    expect(
      (await verifier.components.publications.ingest(issuer.components.publications.list(), 'peer')).rejected,
    ).toEqual([]);

    const ok = await verifier.components.verifier.verifyCredential(before);
    expect(ok.checks.find((c) => c.name === 'proof')).toMatchObject({ status: 'ok' });
    expect(ok.checks.find((c) => c.name === 'issuer')).toMatchObject({ status: 'ok' });
    const bad = await verifier.components.verifier.verifyCredential(after);
    expect(bad.checks.find((c) => c.name === 'proof')).toMatchObject({ status: 'ok' });
    expect(bad.checks.find((c) => c.name === 'issuer')).toMatchObject({ status: 'failed', code: 'KEY_COMPROMISED' });
    expect(bad.verified).toBe(false);
  });
});
