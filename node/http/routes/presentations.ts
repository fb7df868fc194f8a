/** W3C VC API: verify a presentation and every credential in it. */
import { Hono, type MiddlewareHandler } from 'hono';
import type { CredentialVerifier } from '../../verification/verifier.ts';
import { readJsonObject } from '../json-body.ts';
import { parseRequest } from '../request-input.ts';
import { parseVerifyOptions } from './verify-options.ts';

export function presentationRoutes(deps: { verifier: CredentialVerifier; publicLimit: MiddlewareHandler }) {
  const app = new Hono();
  app.post('/verify', deps.publicLimit, async (c) => {
    const body = await parseRequest('VerifyPresentationRequest', await readJsonObject(c));
    const presentation = body.verifiablePresentation;
    const options = await parseVerifyOptions(body.options);
    // VCALM: 200 whenever the verification ran, whatever it found; only input that cannot be verified is a 4xx.
    const report = await deps.verifier.verifyPresentation(presentation, {
      challenge: options.challenge,
      domain: options.domain,
      ...(options.at ? { at: options.at } : {}),
      ...(options.required ? { required: options.required } : {}),
      ...(options.recipient ? { recipient: options.recipient } : {}),
      signal: c.req.raw.signal,
    });
    return c.json(options.returnCredential ? { ...report, presentation } : report, 200);
  });
  return app;
}
