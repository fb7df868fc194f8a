/**
 * DID resolution (W3C DID Resolution HTTP(S) binding): the result shape with
 * errors inside didResolutionMetadata, and the node's own did:web document.
 */
import { Hono } from 'hono';
import type { DidResolution } from '../../../protocol/signing/did-resolution.ts';

const STATUS_BY_ERROR = { invalidDid: 400, notFound: 404, methodNotSupported: 501, internalError: 500 } as const;

export function identifierRoutes(deps: { didResolution: DidResolution }) {
  const app = new Hono();
  app.get('/:did', async (c) => {
    const did = decodeURIComponent(c.req.param('did'));
    if (!/^did:[a-z0-9]+:\S+$/.test(did)) {
      return c.json(
        { didDocument: null, didResolutionMetadata: { error: 'invalidDid' }, didDocumentMetadata: {} },
        400,
      );
    }
    const result = await deps.didResolution.resolve(did);
    const error = result.didResolutionMetadata.error as keyof typeof STATUS_BY_ERROR | undefined;
    c.header('content-type', 'application/ld+json;profile="https://w3id.org/did-resolution"');
    return c.json(result, error ? (STATUS_BY_ERROR[error] ?? 500) : 200);
  });
  return app;
}
