/** W3C VC API: issue, verify and change the status of credentials. */
import { Hono } from 'hono';
import { NodeError } from '../../errors.ts';
import type { Issuer } from '../../issuing/issuer.ts';
import type { CredentialVerifier } from '../../verification/verifier.ts';
import { readJsonObject } from '../json-body.ts';
import { credentialAnswer, parseVerifyOptions } from './verify-options.ts';

type Json = Record<string, unknown>;

function objectField(body: Json, name: string, required: boolean): Json | undefined {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new NodeError('VALIDATION_FAILED', `${name} must be a JSON object`);
  }
  return value as Json;
}

export function credentialRoutes(deps: {
  issuer: Issuer;
  verifier: CredentialVerifier;
  adminOnly: import('hono').MiddlewareHandler;
  publicLimit: import('hono').MiddlewareHandler;
}) {
  const app = new Hono();

  app.post('/issue', deps.adminOnly, async (c) => {
    const body = await readJsonObject(c);
    const credential = objectField(body, 'credential', true);
    const options = objectField(body, 'options', false) ?? {};
    const verifiableCredential = await deps.issuer.issue(credential, {
      cryptosuite: options.cryptosuite,
      format: options.format,
      alg: options.alg,
      credentialStatus: options.credentialStatus,
      // The VC API refuses a credential without issuer (the W3C issuer suite checks it); the CLI fills it.
      requireIssuer: true,
    });
    return c.json({ verifiableCredential }, 201);
  });

  app.post('/verify', deps.publicLimit, async (c) => {
    const body = await readJsonObject(c);
    // A JOSE-secured credential may come as its compact JWT (VC-JOSE-COSE), or enveloped as an object; an Open
    // Badges 2.0 assertion as its hosted URL or its JWS.
    const credential =
      typeof body.verifiableCredential === 'string'
        ? body.verifiableCredential
        : objectField(body, 'verifiableCredential', true);
    const options = parseVerifyOptions(body.options);
    const report = await deps.verifier.verifyCredential(credential, {
      ...(options.at ? { at: options.at } : {}),
      ...(options.required ? { required: options.required } : {}),
      ...(options.recipient ? { recipient: options.recipient } : {}),
      // The request's signal: a client that disconnects stops the outbound work done on its behalf.
      signal: c.req.raw.signal,
    });
    const answer = credentialAnswer(report);
    return c.json(options.returnCredential ? { ...answer.body, credential } : answer.body, answer.status);
  });

  app.post('/status', deps.adminOnly, async (c) => {
    const body = await readJsonObject(c);
    const credentialStatus = objectField(body, 'credentialStatus', false) ?? { statusPurpose: 'revocation' };
    if (credentialStatus.type !== undefined && credentialStatus.type !== 'BitstringStatusListEntry') {
      throw new NodeError('VALIDATION_FAILED', 'credentialStatus.type must be BitstringStatusListEntry');
    }
    const { changed, slot } = await deps.issuer.setStatus(
      body.credentialId,
      credentialStatus.statusPurpose,
      body.status,
    );
    return c.json({ credentialId: body.credentialId, statusPurpose: slot.purpose, status: body.status, changed }, 200);
  });

  return app;
}
