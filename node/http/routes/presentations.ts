/** W3C VC API: verify a presentation and every credential in it. */
import { Hono, type MiddlewareHandler } from 'hono';
import { NodeError } from '../../errors.ts';
import type { CredentialVerifier } from '../../verification/verifier.ts';
import { readJsonObject } from '../json-body.ts';
import { verifyAt } from './credentials.ts';

export function presentationRoutes(deps: { verifier: CredentialVerifier; publicLimit: MiddlewareHandler }) {
  const app = new Hono();
  app.post('/verify', deps.publicLimit, async (c) => {
    const body = await readJsonObject(c);
    const presentation = body.verifiablePresentation;
    if (!presentation || typeof presentation !== 'object' || Array.isArray(presentation)) {
      throw new NodeError('VALIDATION_FAILED', 'verifiablePresentation must be a JSON object');
    }
    const options = (body.options ?? {}) as Record<string, unknown>;
    for (const name of ['challenge', 'domain'] as const) {
      if (options[name] !== undefined && typeof options[name] !== 'string') {
        throw new NodeError('VALIDATION_FAILED', `options.${name} must be a string`);
      }
    }
    const report = await deps.verifier.verifyPresentation(presentation, {
      challenge: options.challenge as string | undefined,
      domain: options.domain as string | undefined,
      at: verifyAt(options),
      signal: c.req.raw.signal,
    });
    return c.json(report, 200);
  });
  return app;
}
