/**
 * Consuming other federations (decision 0026): is an issuer DID a subordinate of a configured OpenID
 * Federation trust anchor, with a valid chain? Asked first directly (the anchor's fetch endpoint with
 * `sub=<DID>`, as DCC's registries answer), then, for a did:web issuer, bottom-up from the entity
 * configuration at its https origin through `authority_hints` (§10.1).
 *
 * Every statement comes from outside, so every one is checked before anything in it is used: compact JWS
 * with an allow-listed `alg`, `typ` entity-statement+jwt, a `kid` found in the right JWKS (the subject's
 * own for an entity configuration, then the superior's for the statement about it), `iat` not in the
 * future, `exp` not past, `iss`/`sub` chaining. Fetches go through the node's outbound fetcher (address
 * guard, timeout, size and concurrency limits); depth and the number of fetches per question are bounded;
 * answers are cached until the earliest `exp` in the chain, in a bounded cache.
 *
 * Tri-state: a registry that cannot be reached gives `unchecked`, never `refused`; a statement that fails a
 * check gives `refused` with the code; an anchor that answers "not found" gives `not_found`.
 */
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { ProtocolError } from '../errors.ts';
import type { OutboundFetcher } from '../signing/outbound-fetch.ts';
import { ENTITY_STATEMENT_TYP } from './entity-statement.ts';

export type FederationCode =
  | 'OIDF_UNREACHABLE'
  | 'OIDF_INVALID_STATEMENT'
  | 'OIDF_BAD_ALGORITHM'
  | 'OIDF_UNKNOWN_KID'
  | 'OIDF_INVALID_SIGNATURE'
  | 'OIDF_EXPIRED'
  | 'OIDF_NOT_YET_VALID'
  | 'OIDF_CHAIN_MISMATCH'
  | 'OIDF_CHAIN_LOOP'
  | 'OIDF_TOO_DEEP'
  | 'OIDF_TOO_MANY_FETCHES'
  | 'OIDF_TOO_LARGE'
  | 'OIDF_UNSUPPORTED_CRIT'
  | 'OIDF_NOT_SUBORDINATE';

/** Entity metadata by entity type; only `federation_entity` is read here. */
export interface FederationMetadata {
  federation_entity?: { organization_name?: string; federation_fetch_endpoint?: string; [field: string]: unknown };
  [entityType: string]: unknown;
}

export type FederationAnswer =
  | {
      status: 'trusted';
      anchor: string;
      anchorName?: string;
      /** Entity identifiers from the anchor down to the issuer (the DID last). */
      path: string[];
      metadata: FederationMetadata;
      /** Seconds since the epoch: the earliest `exp` of the chain. */
      exp: number;
    }
  | { status: 'not_found' | 'unchecked' | 'refused'; code: FederationCode | 'OIDF_NOT_FOUND'; message: string };

/** JWS algorithms accepted from other federations (§A: asymmetric only; never `none` or HMAC). */
export const ALLOWED_ALGS = ['EdDSA', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256'];

export interface FederationResolverOptions {
  fetcher: OutboundFetcher;
  now?: () => Date;
  /** Intermediates allowed between an issuer and an anchor (default 2). */
  maxIntermediates?: number;
  /** Largest statement accepted, in bytes (default 64 KiB). */
  maxStatementBytes?: number;
  /** Fetches one question may cost (default 24). */
  maxFetches?: number;
  /** Answers remembered (default 1,000); each no longer than its chain's `exp` and `maxCacheMs`. */
  maxCache?: number;
  maxCacheMs?: number;
  /** Clock skew tolerated on `iat` (default 60 s). */
  skewMs?: number;
  /** Entity identifiers over http:// (tests only). */
  allowHttp?: boolean;
}

export interface FederationResolver {
  resolve(issuerDid: string, anchors: string[], signal?: AbortSignal): Promise<FederationAnswer>;
}

interface Statement {
  iss: string;
  sub: string;
  iat: number;
  exp: number;
  jwks?: { keys: JWK[] };
  authority_hints?: string[];
  metadata?: FederationMetadata;
  [claim: string]: unknown;
}

// The kid each verified statement was signed with, kept beside its claims (which do not carry it).
const kids = new WeakMap<object, string>();

class Refusal extends Error {
  constructor(
    readonly code: FederationCode,
    message: string,
  ) {
    super(message);
  }
}

/** A did:web's https origin and path: its entity identifier when it takes part in a federation. */
export function didWebEntityId(did: string, scheme: 'https' | 'http' = 'https'): string | undefined {
  if (!did.startsWith('did:web:')) return undefined;
  const [host, ...path] = did.slice('did:web:'.length).split(':');
  if (!host) return undefined;
  try {
    return `${scheme}://${decodeURIComponent(host)}${path.map((p) => `/${decodeURIComponent(p)}`).join('')}`;
  } catch {
    return undefined;
  }
}

export function createFederationResolver(options: FederationResolverOptions): FederationResolver {
  const now = () => (options.now ?? (() => new Date()))().getTime();
  const maxIntermediates = options.maxIntermediates ?? 2;
  const maxBytes = options.maxStatementBytes ?? 64 * 1024;
  const maxFetches = options.maxFetches ?? 24;
  const maxCache = options.maxCache ?? 1_000;
  const maxCacheMs = options.maxCacheMs ?? 10 * 60_000;
  const skewMs = options.skewMs ?? 60_000;
  const cache = new Map<string, { answer: FederationAnswer; until: number }>();

  function entityUrl(id: string, ...path: string[]): URL {
    let url: URL;
    try {
      url = new URL(id);
    } catch {
      throw new Refusal('OIDF_INVALID_STATEMENT', `not an entity identifier: ${id.slice(0, 200)}`);
    }
    if (url.protocol !== 'https:' && !(options.allowHttp && url.protocol === 'http:')) {
      throw new Refusal('OIDF_INVALID_STATEMENT', `entity identifiers are https URLs: ${url.origin}`);
    }
    if (url.search || url.hash) throw new Refusal('OIDF_INVALID_STATEMENT', 'entity identifiers carry no query');
    if (path.length) url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.join('/')}`;
    return url;
  }

  /** Checks a compact JWS against `keys` and the claims every entity statement must have. */
  async function verify(token: string, keys: JWK[] | 'self', expect: { iss: string; sub: string }) {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: Statement;
    try {
      header = decodeProtectedHeader(token);
      claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    } catch {
      throw new Refusal('OIDF_INVALID_STATEMENT', `not a compact JWS (${expect.sub.slice(0, 200)})`);
    }
    if (!claims || typeof claims !== 'object') throw new Refusal('OIDF_INVALID_STATEMENT', 'claims are not an object');
    if (header.typ !== ENTITY_STATEMENT_TYP)
      throw new Refusal('OIDF_INVALID_STATEMENT', `typ must be ${ENTITY_STATEMENT_TYP}`);
    if (!header.alg || !ALLOWED_ALGS.includes(header.alg))
      throw new Refusal('OIDF_BAD_ALGORITHM', `alg ${String(header.alg)} is not accepted`);
    if (claims.iss !== expect.iss || claims.sub !== expect.sub) {
      throw new Refusal('OIDF_CHAIN_MISMATCH', `statement is about ${String(claims.sub)} from ${String(claims.iss)}`);
    }
    const set = keys === 'self' ? claims.jwks?.keys : keys;
    if (!Array.isArray(set) || set.length === 0) throw new Refusal('OIDF_INVALID_STATEMENT', 'no jwks to check with');
    const jwk = typeof header.kid === 'string' ? set.find((k) => k.kid === header.kid) : undefined;
    if (!jwk) throw new Refusal('OIDF_UNKNOWN_KID', `kid ${String(header.kid)} is not in the signer's jwks`);
    try {
      const key = await importJWK(jwk, header.alg);
      await compactVerify(token, key, { algorithms: [header.alg] });
    } catch {
      throw new Refusal(
        'OIDF_INVALID_SIGNATURE',
        `the statement about ${expect.sub.slice(0, 200)} is not validly signed`,
      );
    }
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number')
      throw new Refusal('OIDF_INVALID_STATEMENT', 'iat and exp are required');
    const t = now();
    if (claims.iat * 1000 > t + skewMs) throw new Refusal('OIDF_NOT_YET_VALID', 'iat lies in the future');
    if (claims.exp * 1000 <= t) throw new Refusal('OIDF_EXPIRED', `the statement about ${expect.sub} has expired`);
    // §3.1: extension claims named in `crit` must be understood; this node understands none.
    if (claims.crit !== undefined || claims.metadata_policy_crit !== undefined)
      throw new Refusal('OIDF_UNSUPPORTED_CRIT', 'the statement requires extensions this node does not implement');
    if (claims.jwks !== undefined && !Array.isArray(claims.jwks?.keys))
      throw new Refusal('OIDF_INVALID_STATEMENT', 'jwks must be a JWK set');
    kids.set(claims, header.kid as string);
    return claims;
  }

  return {
    async resolve(issuerDid, anchors, signal) {
      const key = `${issuerDid} ${anchors.join(' ')}`;
      const cached = cache.get(key);
      if (cached && cached.until > now()) return cached.answer;
      cache.delete(key);
      let fetches = 0;
      const get = async (url: URL): Promise<string | undefined> => {
        if (++fetches > maxFetches) throw new Refusal('OIDF_TOO_MANY_FETCHES', `more than ${maxFetches} fetches`);
        try {
          return await options.fetcher.text(url, { maxBytes, signal, accept: `application/${ENTITY_STATEMENT_TYP}` });
        } catch (error) {
          // The fetcher reports one failure for everything; a 404 from an anchor the operator chose is an answer.
          const cause = (error as ProtocolError).cause as { code?: string; cause?: { status?: number } } | undefined;
          if (cause?.cause?.status === 404) return undefined;
          if (cause?.code === 'FETCH_TOO_LARGE')
            throw new Refusal('OIDF_TOO_LARGE', `a statement over ${maxBytes} bytes`);
          throw error;
        }
      };
      const configurations = new Map<string, Statement>();
      const configuration = async (id: string) => {
        const known = configurations.get(id);
        if (known) return known;
        const token = await get(entityUrl(id, '.well-known', 'openid-federation'));
        if (token === undefined) throw new Refusal('OIDF_NOT_SUBORDINATE', `${id} has no entity configuration`);
        const claims = await verify(token, 'self', { iss: id, sub: id });
        configurations.set(id, claims);
        return claims;
      };
      /** The superior's signed statement about `sub`, or undefined when it says it has none. */
      const subordinate = async (superior: Statement, sub: string) => {
        const endpoint = superior.metadata?.federation_entity?.federation_fetch_endpoint;
        if (typeof endpoint !== 'string')
          throw new Refusal('OIDF_INVALID_STATEMENT', `${superior.sub} has no fetch endpoint`);
        const url = entityUrl(endpoint.split('?')[0]);
        url.searchParams.set('sub', sub);
        url.searchParams.set('iss', superior.sub);
        const token = await get(url);
        return token === undefined ? undefined : verify(token, superior.jwks?.keys ?? [], { iss: superior.sub, sub });
      };

      const answers: FederationAnswer[] = [];
      const remember = (answer: FederationAnswer) => {
        const exp = answer.status === 'trusted' ? answer.exp * 1000 : now() + 60_000;
        if (answer.status !== 'unchecked') {
          if (cache.size >= maxCache) cache.delete(cache.keys().next().value as string);
          cache.set(key, { answer, until: Math.min(exp, now() + maxCacheMs) });
        }
        return answer;
      };
      const attempt = async (run: () => Promise<FederationAnswer | undefined>) => {
        try {
          return await run();
        } catch (error) {
          if (error instanceof Refusal) return { status: 'refused', code: error.code, message: error.message } as const;
          if (signal?.aborted || (error instanceof ProtocolError && error.code.startsWith('FETCH')))
            return {
              status: 'unchecked',
              code: 'OIDF_UNREACHABLE',
              message: 'a federation registry could not be reached',
            } as const;
          throw error;
        }
      };

      // 1. Directly below an anchor, named by its DID (DCC's registries).
      for (const anchor of anchors) {
        const answer = await attempt(async () => {
          const top = await configuration(anchor);
          const statement = await subordinate(top, issuerDid);
          if (!statement) return undefined;
          return {
            status: 'trusted',
            anchor,
            anchorName: top.metadata?.federation_entity?.organization_name,
            path: [anchor, issuerDid],
            metadata: statement.metadata ?? {},
            exp: Math.min(top.exp, statement.exp),
          } as const;
        });
        if (answer?.status === 'trusted') return remember(answer);
        if (answer) answers.push(answer);
      }

      // 2. Bottom-up from a did:web issuer's own entity configuration, through its authority hints.
      const leafId = didWebEntityId(issuerDid, options.allowHttp ? 'http' : 'https');
      if (leafId) {
        const answer = await attempt(async () => {
          const leaf = await configuration(leafId);
          const walk = async (
            current: Statement,
            path: string[],
            exp: number,
          ): Promise<FederationAnswer | undefined> => {
            const hints = current.authority_hints ?? [];
            if (!Array.isArray(hints) || hints.length > 10 || hints.some((h) => typeof h !== 'string'))
              throw new Refusal('OIDF_INVALID_STATEMENT', 'authority_hints must be at most 10 URLs');
            // Anchors first: a direct way up beats a longer one.
            for (const hint of [...hints].sort((a, b) => Number(anchors.includes(b)) - Number(anchors.includes(a)))) {
              if (path.includes(hint)) throw new Refusal('OIDF_CHAIN_LOOP', `the chain loops back to ${hint}`);
              // `path` holds the leaf and the intermediates so far; a hint that is no anchor is one more.
              if (!anchors.includes(hint) && path.length > maxIntermediates)
                throw new Refusal('OIDF_TOO_DEEP', `more than ${maxIntermediates} intermediates`);
              const superior = await configuration(hint);
              const statement = await subordinate(superior, current.sub);
              if (!statement) continue;
              // The subject's configuration must be signed by a key its superior vouches for.
              const keys = statement.jwks?.keys ?? [];
              const kid = kids.get(current);
              if (!keys.some((k) => k.kid === kid))
                throw new Refusal('OIDF_UNKNOWN_KID', `${current.sub} signs with a key ${hint} does not list`);
              const reached = Math.min(exp, superior.exp, statement.exp);
              if (anchors.includes(hint)) {
                return {
                  status: 'trusted',
                  anchor: hint,
                  anchorName: superior.metadata?.federation_entity?.organization_name,
                  path: [hint, ...path.slice(1).reverse(), issuerDid],
                  metadata: { ...(statement.metadata ?? {}), ...(leaf.metadata ?? {}) },
                  exp: reached,
                };
              }
              const above = await walk(superior, [...path, hint], reached);
              if (above) return above;
            }
            return undefined;
          };
          return walk(leaf, [leafId], leaf.exp);
        });
        if (answer?.status === 'trusted') return remember(answer);
        if (answer) answers.push(answer);
      }

      const refused = answers.find((a) => a.status === 'refused');
      if (refused) return remember(refused);
      const unchecked = answers.find((a) => a.status === 'unchecked');
      if (unchecked) return unchecked;
      return remember({
        status: 'not_found',
        code: 'OIDF_NOT_FOUND',
        message: 'the issuer is not a subordinate of any configured OpenID Federation anchor',
      });
    },
  };
}
