/** Bearer-token checks for admin and issuing endpoints, and for the metrics scrape. */
import type { Context, MiddlewareHandler } from 'hono';
import { NodeError } from '../errors.ts';
import { tokenMatches } from '../identity.ts';

/**
 * The request's bearer token, or UNAUTHORIZED. Same code and status either way; the message and details.reason
 * tell an operator whether to add a header or fix the token (saying "wrong" reveals nothing: a caller always knows
 * whether it sent one).
 */
function bearerToken(c: Context, what: string): string {
  const header = c.req.header('authorization');
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) {
    throw new NodeError(
      'UNAUTHORIZED',
      header === undefined
        ? `${what} is required: Authorization: Bearer <token>`
        : 'the Authorization header is not of the form: Bearer <token>',
      { reason: header === undefined ? 'missing' : 'malformed' },
    );
  }
  return match[1];
}

/** Throws UNAUTHORIZED unless the request carries the admin token. */
export function assertAdminToken(c: Context, tokenHash: Buffer): void {
  if (!tokenMatches(bearerToken(c, 'an admin token'), tokenHash)) {
    throw new NodeError(
      'UNAUTHORIZED',
      'the admin token is wrong (it was shown once at first start; restart with --admin-token to replace it)',
      {
        reason: 'wrong',
      },
    );
  }
}

export function requireAdminToken(tokenHash: Buffer): MiddlewareHandler {
  return async function adminToken(c, next) {
    assertAdminToken(c, tokenHash);
    await next();
  };
}

/**
 * Throws UNAUTHORIZED unless the request carries one of the tokens whose hashes are given: `GET /metrics` takes
 * the metrics token (a scrape credential that can change nothing) or the admin token (decision 0037).
 */
export function assertOneOfTokens(c: Context, tokenHashes: Buffer[], what: string): void {
  const token = bearerToken(c, what);
  // Every hash is compared, so the time taken does not tell which token came close.
  const matches = tokenHashes.map((hash) => tokenMatches(token, hash));
  if (!matches.includes(true)) throw new NodeError('UNAUTHORIZED', `${what} is wrong`, { reason: 'wrong' });
}
