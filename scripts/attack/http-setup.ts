/** Fixtures for the HTTP attack, made through the node's own API: a network, a framework, credentials. */
import { type Api, badge, createGovernedNetwork, issue } from './api.ts';
import { createAttackerSigner } from './attacker-signer.ts';
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
  // Signed by an outsider's own key, so the proof verifies: status lists named by prototype keys.
  const attacker = await createAttackerSigner();
  const poisoned = [];
  for (const key of ['__proto__', 'constructor']) {
    // JCS signs any JSON; the RDF suites refuse to sign a relative IRI, so they may yield nothing here.
    for (const suite of ['eddsa-jcs-2022', 'eddsa-rdfc-2022', 'Ed25519Signature2020'] as const) {
      const credential = {
        ...badge(attacker.did, 99),
        credentialStatus: {
          type: 'BitstringStatusListEntry',
          statusPurpose: 'revocation',
          statusListIndex: '1',
          statusListCredential: key,
        },
      };
      try {
        poisoned.push(await attacker.sign(credential, suite));
      } catch {
        // not signable with this suite
      }
    }
  }
  const statusUrl = String(credentials[0].credentialStatus?.statusListCredential ?? '');
  return {
    token: node.token,
    did: node.did,
    credentials,
    sacrificial,
    poisoned,
    networkId,
    governorDid,
    proposalId: pending.proposal.id,
    statusListId: statusUrl.split('/').pop() ?? 'x',
    frameworkId,
    skillId: `${frameworkId}/c1`,
    ssrf,
  };
}
