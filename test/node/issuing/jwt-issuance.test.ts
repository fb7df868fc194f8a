/**
 * Issuing JOSE-secured credentials through `POST /credentials/issue` (`options.format`): VC 2.0 vc+jwt as an
 * EnvelopedVerifiableCredential and VC 1.1 jwt_vc_json as a compact JWT, with status entries as for Data
 * Integrity, checked by `jose` itself with the public key of the issuer's did:key and by the node's verifier.
 */
import { decodeProtectedHeader, importJWK, type JWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDidKeyDocument } from '../../../protocol/signing/did-key.ts';
import { type HttpTestNode, startHttpTestNode } from '../../helpers/http-node.ts';
import { sampleBadge } from '../../helpers/node.ts';

type Json = Record<string, any>;

const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
const OB = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

describe('when POST /credentials/issue asks for a JWT (options.format)', () => {
  let node: HttpTestNode;
  beforeAll(async () => {
    node = await startHttpTestNode();
  });
  afterAll(async () => {
    await node?.close();
  });

  async function post(path: string, body: Json) {
    const response = await fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }
  const issue = (credential: Json, options: Json) => post('/credentials/issue', { credential, options });
  const verify = (verifiableCredential: unknown) => post('/credentials/verify', { verifiableCredential });
  const checkOf = (report: Json, name: string) => report.checks.find((c: Json) => c.name === name);

  /** jose's own verification with the public key of the did:key the JWT's kid names. */
  async function joseVerify(jwt: string, alg: string) {
    const { kid } = decodeProtectedHeader(jwt);
    const did = String(kid).split('#')[0];
    const vm = (resolveDidKeyDocument(did, { publicKeyFormat: 'JsonWebKey' }).document as Json).verificationMethod[0];
    return jwtVerify(jwt, await importJWK(vm.publicKeyJwk as JWK, alg), { algorithms: [alg] });
  }

  it('issues a VC 2.0 vc+jwt (EdDSA) as an EnvelopedVerifiableCredential that verifies, and revokes it', async () => {
    const { did, keyId } = node.components.identity;
    const issued = await issue(sampleBadge({ issuer: did }), { format: 'vc+jwt' });
    expect(issued.status).toBe(201);
    const enveloped = issued.body.verifiableCredential;
    expect(enveloped).toMatchObject({ type: 'EnvelopedVerifiableCredential' });
    const jwt = String(enveloped.id).replace('data:application/vc+jwt,', '');
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'EdDSA', kid: keyId, typ: 'vc+jwt', cty: 'vc' });
    const { payload } = await joseVerify(jwt, 'EdDSA');
    expect(payload).toMatchObject({ issuer: did, credentialStatus: { type: 'BitstringStatusListEntry' } });
    expect(payload.proof).toBeUndefined();

    const report = (await verify(enveloped)).body;
    expect(report.verified).toBe(true);
    expect(checkOf(report, 'proof')).toMatchObject({ status: 'ok', message: 'vc+jwt EdDSA' });
    expect(checkOf(report, 'status').status).toBe('ok');
    expect((await verify(jwt)).body.verified).toBe(true);

    const revoked = await post('/credentials/status', { credentialId: payload.id, status: true });
    expect(revoked.status).toBe(200);
    expect(checkOf((await verify(enveloped)).body, 'status')).toMatchObject({ status: 'failed', code: 'REVOKED' });
  });

  it('issues a VC 1.1 jwt_vc_json (ES256) as a compact JWT with the claims VC DM 1.1 §6.3.1 names', async () => {
    const { ecdsa } = node.components.identity;
    const credential = sampleBadge({ '@context': [VC_V1, OB], issuer: ecdsa.did });
    const issued = await issue(credential, { format: 'jwt_vc_json', alg: 'ES256' });
    expect(issued.status).toBe(201);
    const jwt = issued.body.verifiableCredential;
    expect(typeof jwt).toBe('string');
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', kid: ecdsa.keyId, typ: 'JWT' });
    const { payload } = await joseVerify(jwt, 'ES256');
    const vc = payload.vc as Json;
    expect(payload).toMatchObject({ iss: ecdsa.did, jti: vc.id, sub: 'did:example:learner-1' });
    expect(payload.nbf).toBe(Math.floor(Date.parse(vc.issuanceDate) / 1000));
    expect(vc.credentialStatus.type).toBe('BitstringStatusListEntry');

    const report = (await verify(jwt)).body;
    expect(report.verified).toBe(true);
    expect(checkOf(report, 'proof')).toMatchObject({ status: 'ok', message: 'jwt_vc_json ES256' });
    expect(checkOf(report, 'issuer').status).toBe('ok');
  });

  it('defaults a jwt_vc_json credential without @context to VC 1.1', async () => {
    const { '@context': _context, ...credential } = sampleBadge({ issuer: node.components.identity.did });
    const issued = await issue(credential, { format: 'jwt_vc_json' });
    expect(issued.status).toBe(201);
    const { payload } = await joseVerify(issued.body.verifiableCredential, 'EdDSA');
    expect((payload.vc as Json)['@context'][0]).toBe(VC_V1);
  });

  it.each([
    [{ format: 'ldp_vc' }, 'options.format must be one of'],
    [{ format: 'vc+jwt', alg: 'RS256' }, 'options.alg must be one of'],
    [{ format: 'vc+jwt', alg: 'none' }, 'options.alg must be one of'],
    [{ format: 'vc+jwt', cryptosuite: 'eddsa-rdfc-2022' }, 'a JWT takes options.alg'],
    [{ format: 'jwt_vc_json' }, 'jwt_vc_json secures VC 1.1 credentials'],
    [{ alg: 'EdDSA' }, 'options.alg needs options.format'],
  ])('refuses %j with INVALID_CREDENTIAL', async (options, message) => {
    const issued = await issue(sampleBadge({ issuer: node.components.identity.did }), options);
    expect(issued.status).toBeGreaterThanOrEqual(400);
    expect(issued.status).toBeLessThan(500);
    expect(issued.body.error.code).toBe('INVALID_CREDENTIAL');
    expect(issued.body.error.message).toContain(message);
  });

  it('refuses a VC 1.1 credential as vc+jwt', async () => {
    const credential = sampleBadge({ '@context': [VC_V1, OB], issuer: node.components.identity.did });
    const issued = await issue(credential, { format: 'vc+jwt' });
    expect(issued.body.error.message).toContain('vc+jwt secures VC 2.0 credentials');
  });
});
