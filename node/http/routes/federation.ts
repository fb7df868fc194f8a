/**
 * OpenID Federation 1.0 endpoints for every followed network (registry/federation.ts projects, this file
 * signs and renders): entity configurations (§9), fetch (§8.1), list (§8.2), resolve (§8.3), trust mark
 * status (§8.4), trust mark (§8.6), historical keys (§8.7), and DCC's legacy registry JSON. Every answer is
 * computed from the folded state at request time; `Cache-Control` never outlives the statement's `exp`.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import {
  ENTITY_STATEMENT_TYP,
  HISTORICAL_KEYS_TYP,
  RESOLVE_RESPONSE_TYP,
  signStatement,
  TRUST_MARK_STATUS_TYP,
  TRUST_MARK_TYP,
} from '../../../protocol/federation/entity-statement.ts';
import {
  anchorConfiguration,
  credentialTypeOfMark,
  dccLegacyRegistry,
  historicalKeys,
  listSubordinates,
  memberConfiguration,
  recognitionStatement,
  subjectDid,
  subordinateStatement,
  trustMarkClaims,
} from '../../../registry/federation.ts';
import { isRecognized } from '../../../registry/queries.ts';
import { NodeError } from '../../errors.ts';
import type { FederationKeyring } from '../../federation/federation-keys.ts';
import { resolveTrustChain } from '../../federation/federation-resolver.ts';
import type { FederationService, SigningFederation } from '../../federation/federation-service.ts';
import type { OidfAnchorSet } from '../../federation/oidf-anchors.ts';
import { readJsonObject } from '../json-body.ts';
import { parseRequest } from '../request-input.ts';

interface FederationDeps {
  federation: FederationService;
  federationKeys: FederationKeyring;
  oidfAnchors: OidfAnchorSet;
  adminOnly: MiddlewareHandler;
  publicLimit: MiddlewareHandler;
}

const MAX_PARAM = 2_000;
const MAX_REPEATS = 10;

function param(c: Context, name: string, required = true): string | undefined {
  const value = c.req.query(name);
  if (value === undefined || value === '') {
    if (required) throw new NodeError('VALIDATION_FAILED', `${name} is required`);
    return undefined;
  }
  if (value.length > MAX_PARAM) throw new NodeError('VALIDATION_FAILED', `${name} is too long`);
  return value;
}

/** A signed answer: the JWT media type exactly (clients compare it verbatim), cacheable until `exp`. */
async function jwt(c: Context, claims: Record<string, unknown>, federation: SigningFederation, typ: string) {
  const token = await signStatement(claims, federation.key, typ);
  const exp = typeof claims.exp === 'number' ? claims.exp : Math.floor(federation.at / 1000);
  const maxAge = Math.max(0, exp - Math.ceil(federation.at / 1000));
  return c.body(token, 200, { 'content-type': `application/${typ}`, 'cache-control': `public, max-age=${maxAge}` });
}

/** Every value of a repeatable parameter (§8.3.1 `trust_anchor`, `entity_type`), bounded like `param`. */
function params(c: Context, name: string, required = false): string[] {
  const values = (c.req.queries(name) ?? []).filter((v) => v !== '');
  if (required && values.length === 0) throw new NodeError('VALIDATION_FAILED', `${name} is required`);
  if (values.length > MAX_REPEATS) throw new NodeError('VALIDATION_FAILED', `${name} is given too often`);
  if (values.some((v) => v.length > MAX_PARAM)) throw new NodeError('VALIDATION_FAILED', `${name} is too long`);
  return values;
}

function notFound(message: string): never {
  throw new NodeError('NOT_FOUND', message);
}

/** The member's trust marks, each signed by the anchor, in the shape §3 gives `trust_marks` entries. */
async function signedMarks(federation: SigningFederation, did: string) {
  return Promise.all(
    trustMarkClaims(federation.state, did, federation).map(async (claims) => ({
      trust_mark_type: claims.trust_mark_type,
      id: claims.id,
      trust_mark: await signStatement(claims, federation.key, TRUST_MARK_TYP),
    })),
  );
}

export function federationRoutes(deps: FederationDeps) {
  const { federation } = deps;
  const app = new Hono();

  // Keys this node holds; governors approve their public halves with `federation.keys`.
  app.post('/keys', deps.adminOnly, async (c) => {
    const key = await deps.federationKeys.create();
    return c.json({ kid: key.kid, jwk: key.publicJwk }, 201);
  });
  // Other federations' trust anchors accepted as sources of trust (decision 0026).
  app.get('/anchors', deps.adminOnly, (c) => c.json({ anchors: deps.oidfAnchors.list() }));
  app.post('/anchors', deps.adminOnly, async (c) => {
    const { entityId } = await parseRequest('AddOidfAnchorRequest', await readJsonObject(c));
    return c.json({ anchors: await deps.oidfAnchors.add(entityId) }, 201);
  });
  app.delete('/anchors', deps.adminOnly, async (c) =>
    c.json({
      anchors: await deps.oidfAnchors.remove((await parseRequest('AnchorEntityQuery', c.req.query())).entity_id),
    }),
  );
  app.get('/keys', deps.adminOnly, (c) =>
    c.json({ keys: deps.federationKeys.list().map((k) => ({ kid: k.kid, jwk: k.publicJwk })) }),
  );

  app.get('/:network/.well-known/openid-federation', deps.publicLimit, async (c) => {
    const f = federation.signing(c.req.param('network'));
    return jwt(c, anchorConfiguration(f.state, f, f.superiors), f, ENTITY_STATEMENT_TYP);
  });

  app.get('/:network/members/:entity/.well-known/openid-federation', deps.publicLimit, async (c) => {
    const f = federation.signing(c.req.param('network'));
    const did = subjectDid(f.urls.entityId, `${f.urls.entityId}/members/${c.req.param('entity')}`);
    const claims = did ? memberConfiguration(f.state, did, f, await signedMarks(f, did)) : undefined;
    if (!claims) notFound('no active member with that entity identifier');
    return jwt(c, claims, f, ENTITY_STATEMENT_TYP);
  });

  app.get('/:network/fetch', deps.publicLimit, async (c) => {
    const f = federation.signing(c.req.param('network'));
    const query = await parseRequest('FetchQuery', c.req.query());
    const { sub } = query;
    // An empty iss is no iss, as with every optional parameter here.
    const iss = query.iss || undefined;
    if (iss !== undefined && iss !== f.urls.entityId)
      throw new NodeError('INVALID_ISSUER', 'iss is not this trust anchor; it issues statements as itself only');
    // §8.1.2: a statement about the issuer itself is its entity configuration, not a fetch answer.
    if (sub === f.urls.entityId) throw new NodeError('VALIDATION_FAILED', 'sub is this trust anchor itself');
    const did = subjectDid(f.urls.entityId, sub);
    if (!did) {
      // A network this one recognizes is its subordinate too, within the recognition's scope and time.
      const other = f.recognized(sub);
      const recognition = other ? isRecognized(f.state, other.state.id, f.at).recognition : undefined;
      if (!other || !recognition) notFound('neither an active member nor a network recognized by this one');
      return jwt(c, recognitionStatement(f, recognition, other), f, ENTITY_STATEMENT_TYP);
    }
    const claims = subordinateStatement(f.state, did, sub, f);
    if (!claims) notFound('not an active member of this network');
    return jwt(c, claims, f, ENTITY_STATEMENT_TYP);
  });

  app.get('/:network/list', deps.publicLimit, (c) => {
    const f = federation.network(c.req.param('network'));
    // §8.2.1: entity_type may repeat; a subordinate of any of the types named is listed.
    const entityTypes = params(c, 'entity_type');
    const trustMarkType = param(c, 'trust_mark_type', false) ?? param(c, 'trust_mark_id', false);
    const trustMarked = param(c, 'trust_marked', false) === 'true';
    const members = listSubordinates(f.state, f.urls, f.at, { entityTypes, trustMarkType, trustMarked });
    // Recognized networks are subordinates too (intermediates); they hold none of this network's marks.
    const marked = trustMarkType || trustMarked;
    const networkType = entityTypes.length === 0 || entityTypes.includes('federation_entity');
    const networks = marked || !networkType ? [] : f.subordinateNetworks();
    const ids = param(c, 'intermediate', false) === 'true' ? networks : [...members, ...networks];
    return c.json(ids, 200, { 'cache-control': `public, max-age=${Math.floor(f.ttlMs / 1000)}` });
  });

  // §8.3: to this network's anchor, or through recognitions to the anchor of a network recognizing it.
  app.get('/:network/resolve', deps.publicLimit, async (c) => {
    const f = federation.signing(c.req.param('network'));
    const sub = param(c, 'sub') as string;
    const resolved = await resolveTrustChain(federation, {
      sub,
      trustAnchors: params(c, 'trust_anchor', true),
      entityTypes: params(c, 'entity_type'),
      servedNetwork: f.state.id,
    });
    const claims = {
      iss: f.urls.entityId,
      sub: resolved.sub,
      iat: Math.floor(f.at / 1000),
      exp: resolved.exp,
      metadata: resolved.metadata,
      trust_marks: resolved.trustMarks,
      trust_chain: resolved.trustChain,
    };
    return jwt(c, claims, f, RESOLVE_RESPONSE_TYP);
  });

  app.get('/:network/trust-mark', deps.publicLimit, async (c) => {
    const f = federation.signing(c.req.param('network'));
    const type = param(c, 'trust_mark_type', false) ?? (param(c, 'trust_mark_id') as string);
    const did = subjectDid(f.urls.entityId, param(c, 'sub') as string);
    const claims = did ? trustMarkClaims(f.state, did, f).find((m) => m.trust_mark_type === type) : undefined;
    if (!claims) notFound('the subject does not hold that trust mark now');
    return jwt(c, claims, f, TRUST_MARK_TYP);
  });

  // §8.4: POST trust_mark=<JWT> (form); answers active, expired, revoked or invalid, signed.
  app.post('/:network/trust-mark-status', deps.publicLimit, async (c) => {
    const f = federation.signing(c.req.param('network'));
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = form.trust_mark;
    if (typeof token !== 'string' || token.length > 20_000)
      throw new NodeError('VALIDATION_FAILED', 'trust_mark is required');
    const status = await trustMarkStatus(f, token);
    if (status === 'unknown') notFound('not a trust mark this network issued');
    return jwt(
      c,
      { iss: f.urls.entityId, iat: Math.floor(f.at / 1000), trust_mark: token, status },
      f,
      TRUST_MARK_STATUS_TYP,
    );
  });

  app.get('/:network/historical-keys', deps.publicLimit, async (c) => {
    const f = federation.signing(c.req.param('network'));
    const claims = { iss: f.urls.entityId, iat: Math.floor(f.at / 1000), keys: historicalKeys(f.state, f.at) };
    return jwt(c, claims, f, HISTORICAL_KEYS_TYP);
  });

  // DCC's legacy format needs no signature: any node following the network serves it.
  app.get('/:network/dcc-registry.json', deps.publicLimit, (c) => {
    const f = federation.network(c.req.param('network'));
    return c.json(dccLegacyRegistry(f.state, f.at), 200, {
      'cache-control': `public, max-age=${Math.floor(f.ttlMs / 1000)}`,
    });
  });

  return app;
}

/**
 * Is a trust mark we issued still what the registry says now? Signed by any key the network ever approved.
 * `unknown`: not a trust mark of this network (answered 404, §8.4.2), never a signed status.
 */
async function trustMarkStatus(f: SigningFederation, token: string): Promise<string> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return 'invalid';
  }
  const jwk = historicalKeys(f.state, f.at).find((k) => k.kid === kid);
  // §8.4.2: a trust mark this network did not issue is unknown here (404), not one of its marks gone bad.
  if (!jwk) return 'unknown';
  let claims: Record<string, unknown>;
  try {
    const key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x } as never, 'EdDSA');
    const verified = await compactVerify(token, key, { algorithms: ['EdDSA'] });
    if (verified.protectedHeader.typ !== TRUST_MARK_TYP) return 'invalid';
    claims = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch {
    return 'invalid';
  }
  if (typeof claims.sub !== 'string') return 'invalid';
  const type = String(claims.trust_mark_type ?? claims.id);
  if (claims.iss !== f.urls.entityId || !credentialTypeOfMark(f.urls.entityId, type)) return 'unknown';
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= f.at) return 'expired';
  const did = subjectDid(f.urls.entityId, claims.sub);
  const current = did ? trustMarkClaims(f.state, did, f).some((m) => m.trust_mark_type === type) : false;
  return current ? 'active' : 'revoked';
}
