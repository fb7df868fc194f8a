import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { signActionId } from '../../../protocol/signing/governor-keys.ts';
import { presentation } from '../../helpers/holder.ts';
import { alignedBadge, createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';
import { governors } from '../../helpers/registry.ts';

const [g] = governors(1);
const CYBER = 'https://skills.example/harbor-cyber';
const TRIAGE = `${CYBER}/ir-1`;
const SOC = 'https://skills.example/bluewave/soc';

describe('skills in verification reports and skill matching', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;
  const aligned = (targetUrl: string) => alignedBadge(targetUrl);

  beforeAll(async () => {
    node = await createTestNode();
    app = createApp({ components: node.components, version: 't', health: () => ({ multiaddrs: [], networks: [] }) });
    const { registry, publications, identity } = node.components;
    const genesis = await registry.createNetwork({ name: 'Cyber Workforce', governors: [g.did], threshold: 1 });
    await registry.approve(genesis.id, { signer: g.did, signature: signActionId(g, genesis.id) });
    const add = await registry.propose(genesis.id, {
      type: 'member.add',
      did: identity.did,
      name: 'Harbor Community College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'], skillFrameworks: [CYBER] }],
    });
    await registry.approve(add.id, { signer: g.did, signature: signActionId(g, add.id) });
    await publications.publishOwn('skill-framework', `${CYBER}|1`, {
      id: CYBER,
      name: 'Harbor Cyber Skills',
      version: '1',
      items: [{ id: TRIAGE, code: 'CY-IR-1', name: 'Incident triage' }],
    });
    await publications.publishOwn('skill-framework', 'https://skills.example/bluewave|1', {
      id: 'https://skills.example/bluewave',
      name: 'Bluewave Roles',
      version: '1',
      items: [{ id: SOC, name: 'SOC analyst duties' }],
    });
    await publications.publishOwn('skill-crosswalk', 'harbor-bluewave', {
      id: 'harbor-bluewave',
      mappings: [{ source: TRIAGE, target: SOC, relation: 'closeMatch' }],
    });
  });
  afterAll(async () => {
    await node.close();
  });

  it('resolves alignments to published skills with their equivalents', async () => {
    const report = await node.components.verifier.verifyCredential(await node.components.issuer.issue(aligned(TRIAGE)));
    expect(report.trusted).toBe(true);
    expect(report.checks.find((c) => c.name === 'skills')).toMatchObject({ status: 'ok' });
    expect(report.skills).toEqual([
      expect.objectContaining({
        status: 'resolved',
        skill: { id: TRIAGE, name: 'Incident triage', code: 'CY-IR-1', framework: CYBER },
        equivalents: [
          {
            id: SOC,
            name: 'SOC analyst duties',
            framework: 'https://skills.example/bluewave',
            relation: 'closeMatch',
            crosswalks: [{ id: 'harbor-bluewave', publisher: node.components.identity.did }],
          },
        ],
      }),
    ]);
  });

  it("warns when a credential is aligned to a framework the issuer's accreditation does not cover", async () => {
    const inScope = await node.components.verifier.verifyCredential(
      await node.components.issuer.issue(aligned(TRIAGE)),
    );
    expect(inScope.warnings.filter((w) => w.detail.includes('does not cover'))).toEqual([]);
    const outOfScope = await node.components.verifier.verifyCredential(
      await node.components.issuer.issue(aligned(SOC)),
    );
    expect(outOfScope.warnings).toContainEqual(
      expect.objectContaining({
        code: 'SKILL_FRAMEWORK_NOT_ACCREDITED',
        detail: expect.stringContaining(
          "https://skills.example/bluewave, which the issuer's accreditation does not cover",
        ),
      }),
    );
    // A warning, not a failure: the credential is still verified and trusted, the skill still resolved.
    expect(outOfScope).toMatchObject({ verified: true, trusted: true, skills: [{ status: 'resolved' }] });
  });

  it("uses the alignments of the issuer's published achievement definition", async () => {
    const definition = {
      id: 'https://cc.example/achievements/triage-cert',
      type: ['Achievement'],
      name: 'Triage Certificate',
      alignment: [{ type: ['Alignment'], targetName: 'Incident triage', targetUrl: TRIAGE }],
    };
    await node.components.publications.publishOwn('achievement', definition.id, definition);
    const credential = await node.components.issuer.issue(
      sampleBadge({
        credentialSubject: {
          id: 'did:example:kai',
          type: ['AchievementSubject'],
          achievement: {
            id: definition.id,
            type: ['Achievement'],
            name: 'Triage Certificate',
            criteria: { narrative: 'Assessed.' },
          },
        },
      }),
    );
    const report = await node.components.verifier.verifyCredential(credential);
    expect(report.skills).toMatchObject([{ status: 'resolved', skill: { id: TRIAGE } }]);
  });

  it('marks an alignment to no published skill unresolved (unchecked, verified unaffected)', async () => {
    const report = await node.components.verifier.verifyCredential(
      await node.components.issuer.issue(aligned('https://nowhere.example/x')),
    );
    expect(report.verified).toBe(true);
    expect(report.checks.find((c) => c.name === 'skills')).toMatchObject({
      status: 'unchecked',
      code: 'SKILLS_UNRESOLVED',
    });
  });

  it('still resolves a skill that a newer framework version dropped, and searches only the newest', async () => {
    const credential = await node.components.issuer.issue(aligned(TRIAGE));
    await node.components.publications.publishOwn('skill-framework', `${CYBER}|2`, {
      id: CYBER,
      name: 'Harbor Cyber Skills',
      version: '2',
      items: [{ id: `${CYBER}/ir-2`, code: 'CY-IR-2', name: 'Incident response' }],
    });
    const report = await node.components.verifier.verifyCredential(credential);
    expect(report.skills).toMatchObject([{ status: 'resolved', skill: { id: TRIAGE, framework: CYBER } }]);
    const { skills } = node.components;
    expect((await skills.search('incident', { framework: CYBER })).map((r) => r.id)).toEqual([`${CYBER}/ir-2`]);
    expect(skills.framework(CYBER)?.version).toBe('2');
    expect(skills.framework(CYBER, '1')?.items.map((i) => i.id)).toEqual([TRIAGE]);
  });

  it('matches required skills directly or through a crosswalk, never from a revoked credential', async () => {
    const good = await node.components.issuer.issue(aligned(TRIAGE));
    const revoked = await node.components.issuer.issue(aligned(TRIAGE));
    await node.components.issuer.setStatus(revoked.id, 'revocation', true);
    const ask = async (credentials: unknown[]) => {
      const res = await app.request('/skills/match', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ credentials, required: [SOC, TRIAGE, 'https://skills.example/other'] }),
      });
      return (await res.json()) as Record<string, any>;
    };
    // SOC is evidenced by the good credential through the node's own crosswalk from TRIAGE.
    const socViaCrosswalk = {
      skill: SOC,
      evidenced: true,
      credential: good.id,
      via: 'crosswalk',
      from: TRIAGE,
      relation: 'closeMatch',
      crosswalks: [{ id: 'harbor-bluewave', publisher: node.components.identity.did }],
    };
    const result = await ask([good]);
    expect(result.matches).toEqual([
      socViaCrosswalk,
      { skill: TRIAGE, evidenced: true, credential: good.id, via: 'direct' },
      { skill: 'https://skills.example/other', evidenced: false },
    ]);
    // The same question asked of a holder's presentation.
    const vp = await presentation([good, revoked], {
      challenge: 'job-42',
      documentLoader: node.components.documentLoader,
    });
    const viaPresentation = (await (
      await app.request('/skills/match', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ verifiablePresentation: vp, required: [SOC] }),
      })
    ).json()) as Record<string, any>;
    expect(viaPresentation.matches).toEqual([socViaCrosswalk]);
    expect(viaPresentation.ignored).toMatchObject([{ credential: revoked.id }]);

    const onlyRevoked = await ask([revoked]);
    expect(onlyRevoked.matches.every((m: any) => !m.evidenced)).toBe(true);
    expect(onlyRevoked.ignored).toMatchObject([{ credential: revoked.id, reason: 'REVOKED' }]);
  });
});
