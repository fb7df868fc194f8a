/** Fixtures for the HTTP attack, made through the node's own API: a network, a framework, credentials. */
import { type Api, createGovernedNetwork, issue } from './api.ts';
import type { HttpFixtures } from './http-arbitraries.ts';
import type { SsrfTargets } from './ssrf-targets.ts';

export async function createHttpFixtures(
  client: Api,
  node: { did: string; token: string },
  ssrf: SsrfTargets,
): Promise<HttpFixtures> {
  const { networkId, governorDid } = await createGovernedNetwork(client, { did: node.did, name: 'Attack College' });
  const frameworkId = 'https://skills.example/fw';
  await client.must('POST', '/skills/frameworks', {
    id: frameworkId,
    name: 'Harness Skills',
    version: '1',
    items: [
      { id: `${frameworkId}/c1`, code: 'C1', name: 'Triage incidents', description: 'Sorts alerts by urgency.' },
      { id: `${frameworkId}/c2`, code: 'C2', name: 'Report incidents' },
    ],
  });
  const credentials = [
    await issue(client, node.did),
    await issue(client, node.did, 'eddsa-jcs-2022', 1),
    await issue(client, node.did, 'Ed25519Signature2020', 2),
  ];
  const sacrificial = [];
  for (let i = 0; i < 4; i++) sacrificial.push(await issue(client, node.did, 'eddsa-jcs-2022', 10 + i));
  const pending = await client.must('POST', '/proposals', {
    network: networkId,
    action: { type: 'member.add', did: 'did:web:pending.example', name: 'Pending College' },
  });
  const statusUrl = String(credentials[0].credentialStatus?.statusListCredential ?? '');
  return {
    token: node.token,
    did: node.did,
    credentials,
    sacrificial,
    networkId,
    governorDid,
    proposalId: pending.proposal.id,
    statusListId: statusUrl.split('/').pop() ?? 'x',
    frameworkId,
    skillId: `${frameworkId}/c1`,
    ssrf,
  };
}
