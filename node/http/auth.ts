/** Bearer-token checks for admin and issuing endpoints. */
import type { Context, MiddlewareHandler } from 'hono';
import { NodeError } from '../errors.ts';
import { tokenMatches } from '../identity.ts';

/** Throws UNAUTHORIZED unless the request carries the admin token. */
export function assertAdminToken(c: Context, tokenHash: Buffer): void {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  if (!match || !tokenMatches(match[1], tokenHash)) {
    throw new NodeError('UNAUTHORIZED', 'an admin token is required: Authorization: Bearer <token>');
  }
}

export function requireAdminToken(tokenHash: Buffer): MiddlewareHandler {
  return async function adminToken(c, next) {
    assertAdminToken(c, tokenHash);
    await next();
  };
}
