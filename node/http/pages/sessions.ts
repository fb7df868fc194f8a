/**
 * Admin sessions for the pages: sign in once with the admin token, then an
 * HttpOnly, SameSite=Strict cookie names a random session id (the token
 * itself never travels again, and never in a URL). Each session has its own
 * CSRF token, which every admin form carries. Sessions live in memory: a
 * restart signs everyone out, and nothing about them reaches storage.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { tokenMatches } from '../../identity.ts';

export const SESSION_COOKIE = 'ler_session';
const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000;
const MAX_SESSIONS = 1_000;

export interface Session {
  id: string;
  csrf: string;
  expiresAt: number;
}

export interface Sessions {
  /** Checks the token; on success sets the cookie and answers the new session. */
  signIn(c: Context, token: string): Session | undefined;
  signOut(c: Context): void;
  /** The request's live session, if any. */
  current(c: Context): Session | undefined;
  csrfMatches(session: Session, sent: unknown): boolean;
}

export function createSessions(options: { adminTokenHash: Buffer; ttlMs?: number; now?: () => number }): Sessions {
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();

  const current = (c: Context) => {
    const id = getCookie(c, SESSION_COOKIE);
    const session = id ? sessions.get(id) : undefined;
    if (!session) return undefined;
    if (session.expiresAt <= now()) {
      sessions.delete(session.id);
      return undefined;
    }
    return session;
  };

  return {
    signIn(c, token) {
      if (!tokenMatches(token, options.adminTokenHash)) return undefined;
      // Oldest first out: a flood of sign-ins cannot grow memory without bound.
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
      const session = {
        id: randomBytes(32).toString('base64url'),
        csrf: randomBytes(32).toString('base64url'),
        expiresAt: now() + ttl,
      };
      sessions.set(session.id, session);
      setCookie(c, SESSION_COOKIE, session.id, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: new URL(c.req.url).protocol === 'https:',
        path: '/',
        maxAge: Math.floor(ttl / 1000),
      });
      return session;
    },
    signOut(c) {
      const session = current(c);
      if (session) sessions.delete(session.id);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
    },
    current,
    csrfMatches(session, sent) {
      if (typeof sent !== 'string') return false;
      const a = Buffer.from(sent);
      const b = Buffer.from(session.csrf);
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}
