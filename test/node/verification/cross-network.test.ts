import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signActionId } from '../../../protocol/signing/governor-keys.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';
import { governors } from '../../helpers/registry.ts';

const [g1, g2] = governors(2);

describe('verifying a credential issued in another network', () => {
  let university: TestNode;
  let employer: TestNode;
  let universityNetwork: string;
  let retailNetwork: string;

  async function govern(node: TestNode, network: string, action: Record<string, unknown>, effectiveAt?: string) {
    const p = await node.components.registry.propose(network, action, { effectiveAt });
    for (const g of [g1, g2])
      await node.components.registry.approve(p.id, { signer: g.did, signature: signActionId(g, p.id) });
    return p.id;
  }
  async function createNetwork(node: TestNode, name: string) {
    const p = await node.components.registry.createNetwork({ name, governors: [g1.did, g2.did], threshold: 2 });
    for (const g of [g1, g2])
      await node.components.registry.approve(p.id, { signer: g.did, signature: signActionId(g, p.id) });
    return p.id;
  }
  /** What replication would carry from the university's node to the employer's: actions and publications. */
  async function replicate() {
    for (const network of [universityNetwork]) {
      await employer.components.registry.ingest(university.components.registry.allActions(network));
    }
    await employer.components.publications.ingest(university.components.publications.list(), 'peer');
  }

  beforeAll(async () => {
    university = await createTestNode();
    employer = await createTestNode();
    universityNetwork = await createNetwork(university, 'University Consortium');
    await govern(university, universityNetwork, {
      type: 'member.add',
      did: university.components.identity.did,
      name: 'Lakeside State University',
      url: 'https://lakeside.example',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    retailNetwork = await createNetwork(employer, 'Retail Workforce Network');
    await employer.components.follows.add(universityNetwork);
    await replicate();
    await govern(employer, retailNetwork, {
      type: 'network.recognize',
      network: universityNetwork,
      credentialTypes: ['OpenBadgeCredential'],
    });
  });
  afterAll(async () => {
    await university.close();
    await employer.close();
  });

  it('is trusted through the recognition, with the issuer as the registry lists it', async () => {
    const credential = await university.components.issuer.issue(
      sampleBadge({ issuer: { type: ['Profile'], name: 'Totally Harvard' } }),
    );
    await replicate();
    const report = await employer.components.verifier.verifyCredential(credential);
    expect(report.checks.find((c) => c.name === 'status')?.status).toBe('ok');
    expect(report).toMatchObject({ verified: true, trusted: true, trustPath: [retailNetwork, universityNetwork] });
    // The credential calls its issuer "Totally Harvard"; the report names it as the network does.
    expect(report.issuer).toMatchObject({ name: 'Lakeside State University', url: 'https://lakeside.example' });
    expect(JSON.stringify(report.issuer)).not.toContain('Harvard');
    expect(report.issuer.networks).toMatchObject([
      { id: universityNetwork, name: 'University Consortium', status: 'active' },
    ]);
  });

  it('keeps trusting what was issued before a suspension, not what is issued during it', async () => {
    const before = await university.components.issuer.issue(sampleBadge());
    await govern(university, universityNetwork, { type: 'member.suspend', did: university.components.identity.did });
    const during = await university.components.issuer.issue(sampleBadge());
    await replicate();
    expect((await employer.components.verifier.verifyCredential(before)).trusted).toBe(true);
    const report = await employer.components.verifier.verifyCredential(during);
    expect(report.verified).toBe(true);
    expect(report.trusted).toBe(false);
    expect(report.checks.find((c) => c.name === 'trust')).toMatchObject({ status: 'failed', code: 'MEMBER_SUSPENDED' });
  });

  it('does not trust an issuer no anchor reaches', async () => {
    const stranger = await createTestNode();
    try {
      const credential = await stranger.components.issuer.issue(sampleBadge());
      const report = await employer.components.verifier.verifyCredential(credential);
      expect(report.checks.find((c) => c.name === 'trust')).toMatchObject({ status: 'failed', code: 'NOT_A_MEMBER' });
    } finally {
      await stranger.close();
    }
  });
});
