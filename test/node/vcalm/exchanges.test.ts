/**
 * VCALM exchanges against a node on real HTTP, with a holder client written
 * from the VCALM text (scripts/wallet/vcalm.ts); the same exchange also offers
 * OID4VCI / OID4VP, run here by the @openid4vc libraries.
 */
import { setGlobalConfig } from '@openid4vc/oauth2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHolderKey, type HolderKey } from '../../../scripts/wallet/holder-key.ts';
import { signedPresentation } from '../../../scripts/wallet/present.ts';
import { receiveCredential } from '../../../scripts/wallet/receive.ts';
import { runExchange } from '../../../scripts/wallet/vcalm.ts';
import { type HttpTestNode, startHttpTestNode } from '../../helpers/http-node.ts';
import { sampleBadge } from '../../helpers/node.ts';

type Json = Record<string, unknown>;

function offerableBadge(): Json {
  const { id: _id, ...subject } = sampleBadge().credentialSubject as Json;
  return { ...sampleBadge(), credentialSubject: subject };
}

describe('VCALM workflows and exchanges', () => {
  let node: HttpTestNode;
  let holder: HolderKey;

  async function createExchange(workflow: string, variables: Json) {
    const response = await fetch(`${node.url}/workflows/${workflow}/exchanges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
      body: JSON.stringify({ variables }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toMatch(new RegExp(`/workflows/${workflow}/exchanges/`));
    return (await response.json()) as Json;
  }
  const state = async (created: Json) =>
    (await (
      await fetch(created.exchangeUrl as string, { headers: { authorization: `Bearer ${node.adminToken}` } })
    ).json()) as Json;

  beforeAll(async () => {
    setGlobalConfig({ allowInsecureUrls: true });
    node = await startHttpTestNode();
    holder = await generateHolderKey();
  });
  afterAll(async () => {
    setGlobalConfig({ allowInsecureUrls: false });
    await node?.close();
  });

  it('issues through DID Authentication: the credential is bound to the authenticated DID and verifies', async () => {
    const created = await createExchange('issuance', { credential: offerableBadge() });
    const outcome = await runExchange({ interactionUrl: created.interactionUrl as string, key: holder });
    expect(Object.keys(outcome.protocols)).toEqual(expect.arrayContaining(['vcapi', 'oid4vci-1.0', 'OID4VCI']));
    expect((outcome.request.query as Json[])[0].type).toBe('DIDAuthentication');
    expect(outcome.credentials).toHaveLength(1);
    const credential = outcome.credentials[0];
    expect((credential.credentialSubject as Json).id).toBe(holder.did);
    expect((await node.components.verifier.verifyCredential(credential)).verified).toBe(true);
    expect(await state(created)).toMatchObject({ state: 'complete', variables: { offer: { state: 'issued' } } });
  });

  it('keeps an issuance single use across protocols: after vcapi, the OID4VCI offer is gone', async () => {
    const created = await createExchange('issuance', { credential: offerableBadge() });
    await runExchange({ interactionUrl: created.interactionUrl as string, key: holder });
    await expect(
      receiveCredential({ offerUri: (created.protocols as Json)['oid4vci-1.0'] as string, key: holder }),
    ).rejects.toThrow();
    const again = await fetch(created.exchangeUrl as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(again.status).toBe(409);
  });

  it('refuses a DID Authentication signed for another challenge', async () => {
    const created = await createExchange('issuance', { credential: offerableBadge() });
    const vp = await signedPresentation(holder, [], 'another-challenge', new URL(node.url).host);
    const answer = await fetch(created.exchangeUrl as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiablePresentation: vp }),
    });
    expect(answer.status).toBe(400);
    expect(await state(created)).toMatchObject({ lastError: { code: 'DID_AUTHENTICATION_FAILED' } });
  });

  it('verifies through Query By Example, and the requester reads the result', async () => {
    const issued = await createExchange('issuance', { credential: offerableBadge() });
    const { credentials } = await runExchange({ interactionUrl: issued.interactionUrl as string, key: holder });
    const created = await createExchange('verification', { credentialType: 'OpenBadgeCredential' });
    expect(Object.keys(created.protocols as Json)).toEqual(expect.arrayContaining(['vcapi', 'oid4vp-1.0']));
    const outcome = await runExchange({ interactionUrl: created.interactionUrl as string, key: holder, credentials });
    expect((outcome.request.query as Json[])[0].type).toBe('QueryByExample');
    const view = await state(created);
    expect(view.state).toBe('complete');
    expect(((view.variables as Json).results as Json).result).toMatchObject({ verified: true, holder: holder.did });
  });

  it('refuses a presentation whose holder is not the subject', async () => {
    const issued = await createExchange('issuance', { credential: offerableBadge() });
    const { credentials } = await runExchange({ interactionUrl: issued.interactionUrl as string, key: holder });
    const created = await createExchange('verification', {});
    const thief = await generateHolderKey();
    await expect(
      runExchange({ interactionUrl: created.interactionUrl as string, key: thief, credentials }),
    ).rejects.toMatchObject({ status: 400 });
    expect(await state(created)).toMatchObject({ lastError: { code: 'access_denied' } });
  });

  it('refuses to create exchanges without the admin token, and unknown workflows', async () => {
    const anonymous = await fetch(`${node.url}/workflows/issuance/exchanges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(anonymous.status).toBe(401);
    const unknown = await fetch(`${node.url}/workflows/other/exchanges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
      body: '{}',
    });
    expect(unknown.status).toBe(404);
  });
});
