/** Bearer-token middleware for admin and issuing endpoints. */
import type { MiddlewareHandler } from 'hono';
import { NodeError } from '../errors.ts';
import { tokenMatches } from '../identity.ts';

export function requireAdminToken(tokenHash: Buffer): MiddlewareHandler {
  return async function adminToken(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match || !tokenMatches(match[1], tokenHash)) {
      throw new NodeError('UNAUTHORIZED', 'an admin token is required: Authorization: Bearer <token>');
    }
    await next();
  };
}
