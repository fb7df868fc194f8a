import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLUEWAVE, CROSSWALKS, CYBER } from '../../../data/sample-skills.ts';
import { createApp } from '../../../node/http/app.ts';
import { presentation } from '../../helpers/holder.ts';
import { alignedBadge } from '../../helpers/node.ts';
import { connect, type Peer, startPeer, until } from '../../helpers/peers.ts';
import { governance, governors } from '../../helpers/registry.ts';

const [g] = governors(1);

describe('skills across two nodes', () => {
  let college: Peer;
  let employer: Peer;
  let latecomer: Peer | undefined;
  let cyberNetwork: string;

  beforeAll(async () => {
    college = await startPeer();
    employer = await startPeer();
    // The employer's own network recognizes the college's network, and admits the employer itself.
    const collegeGov = governance(college.components.registry, [g]);
    const cyber = await collegeGov.createNetwork('Cyber Workforce');
    cyberNetwork = cyber;
    await collegeGov.act(cyber, {
      type: 'member.add',
      did: college.components.identity.did,
      name: 'Harbor CC',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    const employerGov = governance(employer.components.registry, [g]);
    const own = await employerGov.createNetwork('Employers');
    await employerGov.act(own, { type: 'network.recognize', network: cyber });
    await employerGov.act(own, { type: 'member.add', did: employer.components.identity.did, name: 'Bluewave' });
    await connect(employer, college);
    await college.components.publications.publishOwn('skill-framework', `${CYBER.id}|${CYBER.version}`, CYBER as never);
    await employer.components.publications.publishOwn(
      'skill-framework',
      `${BLUEWAVE.id}|${BLUEWAVE.version}`,
      BLUEWAVE as never,
    );
    await employer.components.publications.publishOwn('skill-crosswalk', CROSSWALKS[0].id, CROSSWALKS[0] as never);
    await until(
      () => employer.components.skills.frameworks().length === 2,
      'the college framework at the employer',
      20_000,
    );
  });
  afterAll(async () => {
    await college?.destroy();
    await employer?.destroy();
    await latecomer?.destroy();
  });

  it("finds the college's skills by search at the employer's node", async () => {
    expect((await employer.components.skills.search('triage'))[0]).toMatchObject({
      id: `${CYBER.id}/CY-IR-1`,
      framework: CYBER.id,
    });
  });

  it("shows a college credential's skill under the employer's own framework, and matches a job against it", async () => {
    const credential = await college.components.issuer.issue(alignedBadge(`${CYBER.id}/CY-IR-1`));
    await until(
      () => employer.components.publications.list({ kind: 'status-list' }).length > 0,
      'the status list at the employer',
      20_000,
    );
    const report = await employer.components.verifier.verifyCredential(credential);
    expect(report.trusted).toBe(true);
    expect(report.skills?.[0].equivalents).toContainEqual(
      expect.objectContaining({ id: `${BLUEWAVE.id}/SOC-1`, framework: BLUEWAVE.id, relation: 'closeMatch' }),
    );

    // A job at the employer requires its own SOC-1 and IAM-1; the holder presents the college credential.
    const verifiablePresentation = await presentation([credential], {
      challenge: 'job-7',
      documentLoader: employer.components.documentLoader,
    });
    const app = createApp({
      components: employer.components,
      version: 't',
      health: () => ({ multiaddrs: [], networks: [] }),
    });
    const res = await app.request('/skills/match', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiablePresentation, required: [`${BLUEWAVE.id}/SOC-1`, `${BLUEWAVE.id}/IAM-1`] }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { matches: unknown[] }).matches).toEqual([
      {
        skill: `${BLUEWAVE.id}/SOC-1`,
        evidenced: true,
        credential: credential.id,
        via: 'crosswalk',
        from: `${CYBER.id}/CY-IR-1`,
        relation: 'closeMatch',
        // The employer's own crosswalk.
        crosswalks: [{ id: CROSSWALKS[0].id, publisher: employer.components.identity.did }],
      },
      { skill: `${BLUEWAVE.id}/IAM-1`, evidenced: false },
    ]);
  });

  it('carries a framework too large for one publication in parts, by gossip and to a late joiner by sync', async () => {
    const id = 'https://skills.example/national-cyber';
    const big = {
      id,
      name: 'National Cyber Tasks',
      version: '2026.1',
      items: Array.from({ length: 9_000 }, (_, i) => ({
        id: `${id}/T${i}`,
        code: `T${String(i).padStart(4, '0')}`,
        name: `Task ${i}: analyze network traffic for indicators`,
        description: `Analyze logs, alerts and packet captures to find indicators of compromise (task ${i}).`,
        ...(i >= 10 ? { broader: [`${id}/T${i % 10}`] } : {}),
      })),
    };
    // Two versions: more than one sync frame (4 MiB) of publications for the late joiner.
    const app = createApp({
      components: college.components,
      version: 't',
      health: () => ({ multiaddrs: [], networks: [] }),
    });
    const publish = async (framework: typeof big) => {
      const res = await app.request('/skills/frameworks', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${college.adminToken}` },
        body: JSON.stringify(framework),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { items: number; publications: unknown[] };
    };
    const answer = await publish(big);
    expect(answer.items).toBe(9_000);
    expect(answer.publications.length).toBeGreaterThan(1);
    await publish({ ...big, version: '2026.2' });

    const holds = (peer: Peer) =>
      peer.components.skills.framework(id, '2026.1')?.items.length === 9_000 &&
      peer.components.skills.framework(id)?.version === '2026.2';
    await until(() => holds(employer), 'the whole framework at the employer', 30_000);
    expect((await employer.components.skills.search('T8999'))[0]).toMatchObject({ id: `${id}/T8999`, framework: id });
    expect(employer.components.skills.framework(id)?.items[8_999].broader).toEqual([`${id}/T9`]);

    latecomer = await startPeer({ anchors: [cyberNetwork] });
    await connect(latecomer, college);
    await until(() => holds(latecomer as Peer), 'the whole framework at a late joiner', 30_000);
  });

  it("does not let another member's framework take over a college skill id: both claims stand aside", async () => {
    const triage = `${CYBER.id}/CY-IR-1`;
    await employer.components.publications.publishOwn('skill-framework', 'https://rogue.example/f|1', {
      id: 'https://rogue.example/f',
      name: 'Lookalike',
      version: '1',
      items: [{ id: triage, name: 'Fire safety basics' }],
    });
    // The employer's verifier no longer reads the college's triage skill in anyone's words, and says why.
    const { skills } = employer.components;
    expect(skills.item(triage)).toBeUndefined();
    expect(skills.conflicts()).toContainEqual({
      id: triage,
      publishers: [college.components.identity.did, employer.components.identity.did].sort(),
    });
    // The college's other skills are untouched.
    expect(skills.item(`${CYBER.id}/CY-PR-1`)?.framework).toBe(CYBER.id);
    const report = await employer.components.verifier.verifyCredential(
      await college.components.issuer.issue(alignedBadge(triage, 'https://cc.example/a/2')),
    );
    expect(report.skills).toMatchObject([{ status: 'unresolved' }]);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ detail: expect.stringContaining('claimed by several publishers') }),
    );
  });
});
