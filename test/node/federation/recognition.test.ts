/**
 * Recognition in federation terms: a network that recognizes another is served as its superior, so the
 * independent OpenID Federation library resolves a member of the recognized network up to the recognizing
 * network's trust anchor, with the scope applied as metadata policy; an unrecognize ends that chain.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { resolveTrustChains } from '@openid-federation/core';
import { compactVerify, decodeJwt, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { memberEntityId } from '../../../registry/federation.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';
import { governance, governors } from '../../helpers/registry.ts';

const verifyJwtCallback = async ({ jwt, jwk }: { jwt: string; jwk: Record<string, unknown> }) => {
  try {
    await compactVerify(jwt, await importJWK(jwk as never, 'EdDSA'), { algorithms: ['EdDSA'] });
    return true;
  } catch {
    return false;
  }
};

describe('when one network recognizes another', () => {
  let node: TestNode;
  let server: ReturnType<typeof serve>;
  let url: string;
  let gov: ReturnType<typeof governance>;
  let state: string;
  let retail: string;
  const college = 'did:web:college.example';
  // Close to the real clock (the library checks exp against it), one second further per action.
  const base = Date.now();
  let offset = 0;
  const act = (network: string, action: Record<string, unknown>) => {
    offset += 1000;
    return gov.act(network, action);
  };
  const entity = (network: string) => `${url}/oidf/${network}`;

  beforeAll(async () => {
    let app: ReturnType<typeof createApp> | undefined;
    server = await new Promise((resolve) => {
      const s = serve({ fetch: (r) => app!.fetch(r), hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    node = await createTestNode({ publicUrl: url, now: () => new Date(base + offset) });
    app = createApp({ components: node.components, version: 't', health: () => ({ multiaddrs: [], networks: [] }) });
    gov = governance(node.components.registry, governors(1));
    state = await gov.createNetwork('State Credential Registry');
    retail = await gov.createNetwork('Retail Skills Network');
    const key = await node.components.federationKeys.create();
    const approved = { kty: 'OKP', crv: 'Ed25519', x: key.publicJwk.x, kid: key.kid, holder: url };
    await act(state, { type: 'federation.keys', keys: [approved] });
    await act(retail, { type: 'federation.keys', keys: [approved] });
    await act(retail, {
      type: 'member.add',
      did: college,
      name: 'Riverside Community College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential', 'AchievementCredential'] }],
    });
    await act(state, { type: 'network.recognize', network: retail });
  });
  afterAll(async () => {
    server.close();
    await node.close();
  });

  it('resolves a member of the recognized network to the recognizing trust anchor (independent library)', async () => {
    const configuration = decodeJwt(await (await fetch(`${entity(retail)}/.well-known/openid-federation`)).text());
    expect(configuration.authority_hints).toEqual([entity(state)]);
    expect(await (await fetch(`${entity(state)}/list?intermediate=true`)).json()).toEqual([entity(retail)]);
    const member = memberEntityId(entity(retail), college);
    const chains = await resolveTrustChains({
      entityId: member,
      trustAnchorEntityIds: [entity(state)],
      verifyJwtCallback,
    } as never);
    expect(chains.map((c) => c.chain.map((s) => s.sub))).toEqual([[member, entity(retail), entity(state)]]);
    expect(chains[0].resolvedLeafMetadata?.federation_entity?.organization_name).toBe('Riverside Community College');
  });

  it('ends the chain when the recognition is withdrawn', async () => {
    await act(state, { type: 'network.unrecognize', network: retail });
    const member = memberEntityId(entity(retail), college);
    const toState = await resolveTrustChains({
      entityId: member,
      trustAnchorEntityIds: [entity(state)],
      verifyJwtCallback,
    } as never);
    expect(toState).toEqual([]);
    expect((await fetch(`${entity(state)}/fetch?sub=${encodeURIComponent(entity(retail))}`)).status).toBe(404);
    const toRetail = await resolveTrustChains({
      entityId: member,
      trustAnchorEntityIds: [entity(retail)],
      verifyJwtCallback,
    } as never);
    expect(toRetail).toHaveLength(1);
  });

  it('serves a scoped recognition: scope as metadata policy, end as exp, depth as a constraint', async () => {
    const until = Math.floor((base + 120_000) / 1000) * 1000;
    await act(state, {
      type: 'network.recognize',
      network: retail,
      credentialTypes: ['OpenBadgeCredential'],
      validUntil: new Date(until).toISOString(),
    });
    const configuration = decodeJwt(await (await fetch(`${entity(retail)}/.well-known/openid-federation`)).text());
    expect(configuration.authority_hints).toEqual([entity(state)]);
    const res = await fetch(`${entity(state)}/fetch?sub=${encodeURIComponent(entity(retail))}`);
    expect(res.status).toBe(200);
    expect(decodeJwt(await res.text())).toMatchObject({
      iss: entity(state),
      sub: entity(retail),
      exp: until / 1000,
      constraints: { max_path_length: 2 },
      metadata_policy: { ler_issuer: { credential_types: { subset_of: ['OpenBadgeCredential'] } } },
    });
  });
});
