/**
 * Recognition in federation terms: a network that recognizes another is served as its superior, so the
 * independent OpenID Federation library resolves a member of the recognized network up to the recognizing
 * network's trust anchor, with the scope applied as metadata policy; an unrecognize ends that chain.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { resolveTrustChains } from '@openid-federation/core';
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { okpThumbprint } from '../../../registry/actions/federation-keys.ts';
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

async function verifiedBy(token: string, keys: Array<Record<string, unknown>>) {
  const { kid } = decodeProtectedHeader(token);
  const jwk = keys.find((k) => k.kid === kid);
  expect(jwk, `kid ${kid} in the signer's jwks`).toBeDefined();
  const { payload } = await compactVerify(token, await importJWK(jwk as never, 'EdDSA'), { algorithms: ['EdDSA'] });
  return JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
}

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
    // A key of its own per network, so a chain that mixes up who signs what does not verify.
    for (const network of [state, retail]) {
      const key = await node.components.federationKeys.create();
      const approved = { kty: 'OKP', crv: 'Ed25519', x: key.publicJwk.x, kid: key.kid, holder: url };
      await act(network, { type: 'federation.keys', keys: [approved] });
    }
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

  /** A resolve answer of `resolver` for `sub` to the state anchor, checked statement by statement. */
  async function resolved(resolver: string, sub: string) {
    const member = memberEntityId(entity(retail), college);
    const res = await fetch(
      `${entity(resolver)}/resolve?sub=${encodeURIComponent(sub)}&trust_anchor=${encodeURIComponent(entity(state))}`,
    );
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/resolve-response+jwt');
    const token = await res.text();
    const own = decodeJwt(await (await fetch(`${entity(resolver)}/.well-known/openid-federation`)).text());
    const response = await verifiedBy(token, (own.jwks as { keys: Array<Record<string, unknown>> }).keys);
    expect(response).toMatchObject({ iss: entity(resolver), sub: member });
    const chain = response.trust_chain as string[];
    const claims = chain.map((t) => decodeJwt(t));
    expect(claims.map((c) => [c.iss, c.sub])).toEqual([
      [member, member],
      [entity(retail), member],
      [entity(state), entity(retail)],
      [entity(state), entity(state)],
    ]);
    // §10.2: each statement is signed by a key in the next one's jwks, the anchor's configuration by its own,
    // and that configuration is the one the anchor serves itself.
    for (let i = 0; i < chain.length; i++) {
      const signer = claims[Math.min(i + 1, chain.length - 1)].jwks as { keys: Array<Record<string, unknown>> };
      await verifiedBy(chain[i], signer.keys);
    }
    const served = decodeJwt(await (await fetch(`${entity(state)}/.well-known/openid-federation`)).text());
    expect(claims[3].jwks).toEqual(served.jwks);
    expect(claims[1].jwks).not.toEqual(served.jwks);
    expect(response.exp).toBe(Math.min(...claims.map((c) => c.exp as number)));
    // The recognizing anchor names itself only as a trust mark issuer: the recognized network's marks stay out.
    expect(response.trust_marks).toEqual([]);
    return { response, claims, metadata: response.metadata as any };
  }

  it('resolve: a member of a recognized network, to the recognizing anchor, is the chain the library finds', async () => {
    await act(state, { type: 'network.recognize', network: retail });
    const member = memberEntityId(entity(retail), college);
    const chains = await resolveTrustChains({
      entityId: member,
      trustAnchorEntityIds: [entity(state)],
      verifyJwtCallback,
    } as never);
    expect(chains).toHaveLength(1);
    // Asked of either network's resolve endpoint, by entity identifier or by DID.
    for (const [resolver, sub] of [
      [state, member],
      [retail, member],
      [state, college],
    ]) {
      const { claims, metadata } = await resolved(resolver, sub);
      // The library's chain holds the statements above the leaf's own configuration.
      expect(claims.slice(1).map((c) => [c.iss, c.sub])).toEqual(chains[0].chain.map((s) => [s.iss, s.sub]));
      expect(metadata.federation_entity).toEqual(chains[0].resolvedLeafMetadata?.federation_entity);
      expect(metadata.ler_issuer.credential_types).toEqual(['AchievementCredential', 'OpenBadgeCredential']);
    }
  });

  it('resolve: a scoped recognition narrows the resolved credential types; none ends the chain', async () => {
    // @openid-federation/core drops entity types it does not know (ler_issuer) and then refuses any policy on
    // them, so for a scoped chain the checks are ours: signatures, chaining, and the policy's effect.
    await act(state, { type: 'network.recognize', network: retail, credentialTypes: ['OpenBadgeCredential'] });
    const member = memberEntityId(entity(retail), college);
    const { claims, metadata } = await resolved(retail, member);
    expect(claims[2].metadata_policy).toEqual({
      ler_issuer: { credential_types: { subset_of: ['OpenBadgeCredential'] } },
    });
    expect(metadata.ler_issuer.credential_types).toEqual(['OpenBadgeCredential']);
    expect(metadata.federation_entity.organization_name).toBe('Riverside Community College');

    await act(state, { type: 'network.unrecognize', network: retail });
    const refused = await fetch(
      `${entity(retail)}/resolve?sub=${encodeURIComponent(member)}&trust_anchor=${encodeURIComponent(entity(state))}`,
    );
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ error: 'invalid_trust_anchor' });
  });

  it('resolve: through two recognitions; a network on the path signed elsewhere gets 421 and its signers', async () => {
    const county = await gov.createNetwork('County Workforce Board');
    const key = await node.components.federationKeys.create();
    await act(county, {
      type: 'federation.keys',
      keys: [{ kty: 'OKP', crv: 'Ed25519', x: key.publicJwk.x, kid: key.kid, holder: url }],
    });
    const clinic = 'did:web:clinic.example';
    await act(county, {
      type: 'member.add',
      did: clinic,
      name: 'Lakeside Clinic Academy',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    await act(retail, { type: 'network.recognize', network: county });
    await act(state, { type: 'network.recognize', network: retail });
    const member = memberEntityId(entity(county), clinic);
    const res = await fetch(
      `${entity(state)}/resolve?sub=${encodeURIComponent(clinic)}&trust_anchor=${encodeURIComponent(entity(state))}`,
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const response = decodeJwt(await res.text());
    const claims = (response.trust_chain as string[]).map((t) => decodeJwt(t));
    expect(claims.map((c) => [c.iss, c.sub])).toEqual([
      [member, member],
      [entity(county), member],
      [entity(retail), entity(county)],
      [entity(state), entity(retail)],
      [entity(state), entity(state)],
    ]);
    const chains = await resolveTrustChains({
      entityId: member,
      trustAnchorEntityIds: [entity(state)],
      verifyJwtCallback,
    } as never);
    expect(chains.map((c) => c.chain.map((s) => [s.iss, s.sub]))).toEqual([claims.slice(1).map((c) => [c.iss, c.sub])]);

    // A recognized network whose only approved key another node holds: this node cannot sign its statements.
    const remote = await gov.createNetwork('Remote Apprenticeship Network');
    const x = `${'C'.repeat(42)}A`;
    const foreign = {
      kty: 'OKP',
      crv: 'Ed25519',
      x,
      kid: okpThumbprint('Ed25519', x),
      holder: 'https://other.example',
    };
    await act(remote, { type: 'federation.keys', keys: [foreign] });
    await act(remote, { type: 'member.add', did: 'did:web:far.example', name: 'Far College', accreditations: [] });
    await act(state, { type: 'network.recognize', network: remote });
    const misdirected = await fetch(
      `${entity(state)}/resolve?sub=did:web:far.example&trust_anchor=${encodeURIComponent(entity(state))}`,
    );
    expect(misdirected.status).toBe(421);
    expect(await misdirected.json()).toMatchObject({
      error: 'not_found',
      ler_code: 'FEDERATION_KEY_NOT_HELD',
      ler_details: { signers: [{ kid: foreign.kid, holder: 'https://other.example' }] },
    });
  });
});
