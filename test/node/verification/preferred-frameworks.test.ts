import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { alignedBadge, createTestNode, type TestNode } from '../../helpers/node.ts';
import { governance, governors } from '../../helpers/registry.ts';

const [g] = governors(1);
const CYBER = 'https://skills.example/harbor-cyber';
const EMPLOYER = 'https://skills.example/bluewave';
const NATIONAL = 'https://skills.example/national';
const TRIAGE = `${CYBER}/ir-1`;

describe("a verifier's preferred frameworks", () => {
  let node: TestNode;

  beforeAll(async () => {
    node = await createTestNode({ preferFrameworks: [EMPLOYER] });
    const { registry, publications, identity } = node.components;
    // This node is an accredited member of a network it anchors, so its own credentials are trusted.
    const gov = governance(registry, [g]);
    const network = await gov.createNetwork('Cyber Workforce');
    await gov.act(network, {
      type: 'member.add',
      did: identity.did,
      name: 'Harbor CC',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    const framework = (id: string, item: string, name: string) =>
      publications.publishOwn('skill-framework', `${id}|1`, { id, name, version: '1', items: [{ id: item, name }] });
    await framework(CYBER, TRIAGE, 'Incident triage');
    await framework(EMPLOYER, `${EMPLOYER}/soc`, 'SOC analyst duties');
    await framework(NATIONAL, `${NATIONAL}/t1`, 'Triage security events');
    await publications.publishOwn('skill-crosswalk', 'x', {
      id: 'x',
      mappings: [
        { source: TRIAGE, target: `${EMPLOYER}/soc`, relation: 'closeMatch' },
        { source: TRIAGE, target: `${NATIONAL}/t1`, relation: 'exactMatch' },
      ],
    });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('show equivalents only in those frameworks, while matching still follows every crosswalk', async () => {
    const credential = await node.components.issuer.issue(alignedBadge(TRIAGE));
    const report = await node.components.verifier.verifyCredential(credential);
    expect(report.trusted).toBe(true);
    expect(report.skills?.[0].equivalents?.map((e) => e.id)).toEqual([`${EMPLOYER}/soc`]);

    const app = createApp({
      components: node.components,
      version: 't',
      health: () => ({ multiaddrs: [], networks: [] }),
    });
    const res = await app.request('/skills/match', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credentials: [credential], required: [`${NATIONAL}/t1`] }),
    });
    expect(((await res.json()) as { matches: unknown[] }).matches).toMatchObject([
      { skill: `${NATIONAL}/t1`, evidenced: true, via: 'crosswalk', from: TRIAGE, relation: 'exactMatch' },
    ]);
  });
});
