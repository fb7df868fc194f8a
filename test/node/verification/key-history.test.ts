import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { didDocumentOf } from '../../../node/identity.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';
import { governance, governors } from '../../helpers/registry.ts';

const [g] = governors(1);

describe("an issuer's published key history", () => {
  let issuer: TestNode;
  let verifier: TestNode;
  let clock = new Date('2026-11-01T00:00:00.000Z');

  beforeAll(async () => {
    issuer = await createTestNode({ now: () => clock });
    verifier = await createTestNode();
    const gov = governance(verifier.components.registry, [g]);
    const network = await gov.createNetwork('Keys');
    await gov.act(network, { type: 'member.add', did: issuer.components.identity.did, name: 'Keyholder College' });
  });
  afterAll(async () => {
    await issuer.close();
    await verifier.close();
  });

  it('voids what a key signed after it was declared compromised, and keeps what it signed before', async () => {
    const before = await issuer.components.issuer.issue(sampleBadge(), { cryptosuite: 'eddsa-jcs-2022' });
    clock = new Date('2026-11-10T00:00:00.000Z');
    const after = await issuer.components.issuer.issue(sampleBadge(), { cryptosuite: 'eddsa-jcs-2022' });
    const { identity } = issuer.components;
    await issuer.components.publications.publishOwn('did-document', identity.did, {
      didDocument: didDocumentOf(identity),
      keyHistory: [
        {
          verificationMethod: identity.keyId,
          validFrom: '2026-01-01T00:00:00Z',
          compromisedAt: '2026-11-05T00:00:00Z',
        },
      ],
    });
    const replicated = await verifier.components.publications.ingest(issuer.components.publications.list(), 'peer');
    expect(replicated.rejected).toEqual([]);

    const ok = await verifier.components.verifier.verifyCredential(before);
    expect(ok.checks.find((c) => c.name === 'issuer')).toMatchObject({ status: 'ok' });
    const bad = await verifier.components.verifier.verifyCredential(after);
    expect(bad.verified).toBe(false);
    expect(bad.checks.find((c) => c.name === 'issuer')).toMatchObject({ status: 'failed', code: 'KEY_COMPROMISED' });
  });

  it('refuses a did-document publication about someone else', async () => {
    const { identity } = issuer.components;
    await expect(
      issuer.components.publications.publishOwn('did-document', 'did:web:other.example', {
        didDocument: didDocumentOf(identity),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_PUBLICATION' });
  });
});
