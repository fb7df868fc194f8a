/** W3C VC API: issue, verify and change the status of credentials. */
import { Hono } from 'hono';
import type { Issuer } from '../../issuing/issuer.ts';
import type { CredentialVerifier } from '../../verification/verifier.ts';
import { readJsonObject } from '../json-body.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { parseRequest } from '../request-input.ts';
import { credentialAnswer, parseVerifyOptions } from './verify-options.ts';

export function credentialRoutes(deps: {
  issuer: Issuer;
  verifier: CredentialVerifier;
  adminOnly: import('hono').MiddlewareHandler;
  publicLimit: RateLimiter;
}) {
  const app = new Hono();

  app.post('/issue', deps.adminOnly, async (c) => {
    const { credential, options = {} } = await parseRequest('IssueRequest', await readJsonObject(c));
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
    const body = await parseRequest('VerifyCredentialRequest', await readJsonObject(c));
    // A JOSE-secured credential may come as its compact JWT (VC-JOSE-COSE), or enveloped as an object; an Open
    // Badges 2.0 assertion as its hosted URL or its JWS.
    const credential = body.verifiableCredential;
    const options = await parseVerifyOptions(body.options);
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

  // Many credentials at once (an employer's talent pool): the same verifier and checks as /verify, one HTTP round
  // trip, and the proof jobs of the batch reach the workers together (decision 0047).
  app.post('/verify/batch', deps.publicLimit, async (c) => {
    const body = await parseRequest('VerifyBatchRequest', await readJsonObject(c));
    const options = await parseVerifyOptions(body.options);
    const credentials = body.verifiableCredentials;
    // A batch is as many verifications as it holds credentials: the middleware counted one.
    deps.publicLimit.charge(c, credentials.length - 1);
    const reports = await deps.verifier.verifyCredentials(credentials, {
      ...(options.at ? { at: options.at } : {}),
      ...(options.required ? { required: options.required } : {}),
      ...(options.recipient ? { recipient: options.recipient } : {}),
      signal: c.req.raw.signal,
    });
    const results = reports.map((report, i) => {
      const answer = credentialAnswer(report);
      return {
        status: answer.status,
        ...answer.body,
        ...(options.returnCredential ? { credential: credentials[i] } : {}),
      };
    });
    return c.json({ results }, 200);
  });

  app.post('/status', deps.adminOnly, async (c) => {
    const body = await parseRequest('StatusRequest', await readJsonObject(c));
    const credentialStatus = body.credentialStatus ?? { statusPurpose: 'revocation' };
    const { changed, slot } = await deps.issuer.setStatus(
      body.credentialId,
      credentialStatus.statusPurpose,
      body.status,
    );
    return c.json({ credentialId: body.credentialId, statusPurpose: slot.purpose, status: body.status, changed }, 200);
  });

  return app;
}
