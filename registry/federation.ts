/**
 * A followed network seen as an OpenID Federation 1.0 trust anchor: pure mappings from the folded registry
 * state to the claims of entity statements. Nothing here is stored: every answer is computed from the state
 * at `now`, so a suspension changes the answers as soon as the node has folded it. Signing is elsewhere
 * (protocol/federation); this module knows no keys beyond the public JWKS it is handed.
 *
 * Entity identifiers (OpenID Federation 1.0 §1.2: https URLs):
 *   trust anchor  <publicUrl>/oidf/<networkId>
 *   member        <anchor>/members/<base64url(DID)>  (its entity configuration is hosted by the network, see
 *                 decision 0025); the fetch endpoint also answers `sub=<DID>`, as DCC's registry client asks.
 */
import { isRecognized, memberAt, versionAt } from './queries.ts';
import type { Accreditation, FederationKey, MemberVersion, NetworkState, RecognitionVersion } from './types.ts';

export interface PublicJwk {
  kty: string;
  kid: string;
  [field: string]: unknown;
}

export interface FederationUrls {
  entityId: string;
  fetch: string;
  list: string;
  resolve: string;
  trustMarkStatus: string;
  trustMark: string;
  historicalKeys: string;
  dccRegistry: string;
}

/** The trust anchor's entity identifier and endpoints for `networkId` on a node reached at `publicUrl`. */
export function federationUrls(publicUrl: string, networkId: string): FederationUrls {
  const entityId = `${publicUrl.replace(/\/+$/, '')}/oidf/${networkId}`;
  return {
    entityId,
    fetch: `${entityId}/fetch`,
    list: `${entityId}/list`,
    resolve: `${entityId}/resolve`,
    trustMarkStatus: `${entityId}/trust-mark-status`,
    trustMark: `${entityId}/trust-mark`,
    historicalKeys: `${entityId}/historical-keys`,
    dccRegistry: `${entityId}/dcc-registry.json`,
  };
}

export function memberEntityId(anchorId: string, did: string): string {
  return `${anchorId}/members/${Buffer.from(did, 'utf8').toString('base64url')}`;
}

/** The member DID a `sub` names: the DID itself, or a member entity identifier below `anchorId`. */
export function subjectDid(anchorId: string, sub: string): string | undefined {
  if (sub.startsWith('did:')) return sub;
  const prefix = `${anchorId}/members/`;
  if (!sub.startsWith(prefix)) return undefined;
  const encoded = sub.slice(prefix.length);
  if (!/^[A-Za-z0-9_-]{1,700}$/.test(encoded)) return undefined;
  const did = Buffer.from(encoded, 'base64url').toString('utf8');
  return did.startsWith('did:') && memberEntityId(anchorId, did) === sub ? did : undefined;
}

/** The trust mark type for "accredited for `credentialType` in this network". */
export function trustMarkType(anchorId: string, credentialType: string): string {
  return `${anchorId}/trust-marks/accredited/${encodeURIComponent(credentialType)}`;
}

export function credentialTypeOfMark(anchorId: string, markType: string): string | undefined {
  const prefix = `${anchorId}/trust-marks/accredited/`;
  if (!markType.startsWith(prefix)) return undefined;
  try {
    const type = decodeURIComponent(markType.slice(prefix.length));
    return type && trustMarkType(anchorId, type) === markType ? type : undefined;
  } catch {
    // A malformed percent-escape names no trust mark type of ours.
    return undefined;
  }
}

/** Member DIDs, sorted; works whether the fold keeps members in a Map or a null-prototype object. */
export function memberDids(state: NetworkState): string[] {
  const members = state.members as unknown;
  return (members instanceof Map ? [...members.keys()] : Object.keys(members as object)).sort();
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** Accreditations of an active member in force at `at`. */
export function accreditationsInForce(member: MemberVersion | undefined, at: number): Accreditation[] {
  if (member?.status !== 'active') return [];
  return member.accreditations.filter(
    (a) => (!a.validFrom || Date.parse(a.validFrom) <= at) && (!a.validUntil || Date.parse(a.validUntil) > at),
  );
}

/** The member's record in force at `at`, when it is an active member; suspended and removed members have none. */
export function activeMember(state: NetworkState, did: string, at: number): MemberVersion | undefined {
  const member = memberAt(state, did, at);
  return member?.status === 'active' ? member : undefined;
}

/**
 * When an answer computed at `at` stops being certain, in ms: `ttlMs` later at most, earlier when an
 * accreditation it reports ends or starts before then.
 */
export function answerExpiry(at: number, ttlMs: number, accreditations: Accreditation[] = []): number {
  let exp = at + ttlMs;
  for (const a of accreditations) {
    for (const edge of [a.validFrom, a.validUntil]) {
      const t = edge ? Date.parse(edge) : Number.NaN;
      if (t > at && t < exp) exp = t;
    }
  }
  // At least one second, so `exp` > `iat` holds in whole seconds.
  return Math.max(exp, at + 1000);
}

/** What verifiers display about a member (federation_entity, §5.2.2) and decide on (`ler_issuer`). */
export function memberMetadata(state: NetworkState, did: string, member: MemberVersion, at: number) {
  return {
    federation_entity: {
      organization_name: member.name,
      ...(member.url ? { homepage_uri: member.url } : {}),
      ...(member.logo ? { logo_uri: member.logo } : {}),
    },
    ler_issuer: {
      did,
      network: state.id,
      network_name: state.name,
      roles: member.roles,
      // Flat, so a superior's metadata policy (subset_of) can narrow it to a recognition's scope.
      credential_types: [...new Set(accreditationsInForce(member, at).flatMap((a) => a.credentialTypes))].sort(),
      accreditations: accreditationsInForce(member, at),
    },
  };
}

export interface StatementContext {
  urls: FederationUrls;
  /** The network's approved federation keys in force (what it signs with). */
  jwks: PublicJwk[];
  at: number;
  ttlMs: number;
}

/**
 * §3.1 / §5: the network's entity configuration (iss = sub). `authorityHints` are the networks that
 * recognize it (each then a superior, see `recognitionStatement`); without any it is a trust anchor only.
 */
export function anchorConfiguration(state: NetworkState, context: StatementContext, authorityHints: string[] = []) {
  const { urls, at } = context;
  return {
    iss: urls.entityId,
    sub: urls.entityId,
    iat: seconds(at),
    exp: seconds(answerExpiry(at, context.ttlMs)),
    jwks: { keys: context.jwks },
    ...(authorityHints.length ? { authority_hints: authorityHints } : {}),
    metadata: {
      federation_entity: {
        organization_name: state.name,
        ...(state.description ? { description: state.description } : {}),
        federation_fetch_endpoint: urls.fetch,
        federation_list_endpoint: urls.list,
        federation_resolve_endpoint: urls.resolve,
        federation_trust_mark_status_endpoint: urls.trustMarkStatus,
        federation_trust_mark_endpoint: urls.trustMark,
        federation_historical_keys_endpoint: urls.historicalKeys,
      },
    },
    // This network issues its own accreditation marks (§7.3 trust_mark_issuers).
    trust_mark_issuers: Object.fromEntries(
      accreditedTypes(state, at).map((type) => [trustMarkType(urls.entityId, type), [urls.entityId]]),
    ),
  };
}

/** Credential types some active member is accredited for at `at`. */
export function accreditedTypes(state: NetworkState, at: number): string[] {
  const types = new Set<string>();
  for (const did of memberDids(state)) {
    for (const a of accreditationsInForce(activeMember(state, did, at), at)) {
      for (const t of a.credentialTypes) types.add(t);
    }
  }
  return [...types].sort();
}

/**
 * §3.1.1: the anchor's subordinate statement about a member (`sub` as asked: the DID or its entity id), or
 * undefined when it is not an active member at `at` (the fetch endpoint then answers 404, which DCC's
 * client reads as "not registered").
 */
export function subordinateStatement(state: NetworkState, did: string, sub: string, context: StatementContext) {
  const { urls, at } = context;
  const member = activeMember(state, did, at);
  if (!member) return undefined;
  return {
    iss: urls.entityId,
    sub,
    iat: seconds(at),
    exp: seconds(answerExpiry(at, context.ttlMs, member.accreditations)),
    // The member's entity configuration is hosted by the network and signed with its keys (decision 0025).
    jwks: { keys: context.jwks },
    metadata: memberMetadata(state, did, member, at),
    source_endpoint: urls.fetch,
  };
}

/** The hosted entity configuration of a member (iss = sub = member entity id), pointing up to the anchor. */
export function memberConfiguration(state: NetworkState, did: string, context: StatementContext, marks: unknown[]) {
  const { urls, at } = context;
  const member = activeMember(state, did, at);
  if (!member) return undefined;
  const entityId = memberEntityId(urls.entityId, did);
  return {
    iss: entityId,
    sub: entityId,
    iat: seconds(at),
    exp: seconds(answerExpiry(at, context.ttlMs, member.accreditations)),
    jwks: { keys: context.jwks },
    authority_hints: [urls.entityId],
    metadata: memberMetadata(state, did, member, at),
    trust_marks: marks,
  };
}

/** The trust mark claims (§7.1) for each credential type the member is accredited for at `at`. */
export function trustMarkClaims(state: NetworkState, did: string, context: StatementContext) {
  const { urls, at } = context;
  const member = activeMember(state, did, at);
  const entityId = memberEntityId(urls.entityId, did);
  return accreditationsInForce(member, at).flatMap((a) =>
    a.credentialTypes.map((credentialType) => {
      const type = trustMarkType(urls.entityId, credentialType);
      return {
        iss: urls.entityId,
        sub: entityId,
        // `trust_mark_type` is the final spec's name; `id` what earlier drafts (and some libraries) read.
        trust_mark_type: type,
        id: type,
        iat: seconds(at),
        exp: seconds(answerExpiry(at, context.ttlMs, [a])),
        ler_accreditation: a,
      };
    }),
  );
}

export interface ListFilter {
  /** Any of these entity types (members are `federation_entity` and `ler_issuer`); empty or absent: all. */
  entityTypes?: string[];
  trustMarkType?: string;
  /** §8.2.1 `trust_marked=true`: only members holding at least one trust mark now. */
  trustMarked?: boolean;
}

/**
 * §8.2: the entity identifiers of the anchor's immediate subordinates, active members at `at`. Members carry
 * the entity types `federation_entity` and `ler_issuer`; a trust mark filter keeps those holding it.
 */
export function listSubordinates(state: NetworkState, urls: FederationUrls, at: number, filter: ListFilter = {}) {
  const types = filter.entityTypes ?? [];
  if (types.length && !types.some((t) => t === 'federation_entity' || t === 'ler_issuer')) return [];
  const wanted = filter.trustMarkType ? credentialTypeOfMark(urls.entityId, filter.trustMarkType) : undefined;
  if (filter.trustMarkType && !wanted) return [];
  const ids: string[] = [];
  for (const did of memberDids(state)) {
    const member = activeMember(state, did, at);
    if (!member) continue;
    const inForce = accreditationsInForce(member, at);
    if (wanted && !inForce.some((a) => a.credentialTypes.includes(wanted))) continue;
    if (filter.trustMarked && !inForce.some((a) => a.credentialTypes.length > 0)) continue;
    ids.push(memberEntityId(urls.entityId, did));
  }
  return ids;
}

/** DCC's legacy registry JSON (read by issuer-registry-client): active members by DID. */
export function dccLegacyRegistry(state: NetworkState, at: number) {
  const registry: Record<string, { name: string; url?: string; location?: string }> = Object.create(null);
  for (const did of memberDids(state)) {
    const member = activeMember(state, did, at);
    if (!member) continue;
    registry[did] = { name: member.name, ...(member.url ? { url: member.url } : {}) };
  }
  return { meta: { created: new Date(at).toISOString(), network: state.id, name: state.name }, registry };
}

/** The federation keys approved for the network at `at` (decision 0025); empty before any approval. */
export function federationKeysAt(state: NetworkState, at: number): FederationKey[] {
  return versionAt(state.federationKeys, at)?.keys ?? [];
}

/** A key as published in a JWKS: what verifiers match `kid` against. */
export function publicJwk(key: FederationKey): PublicJwk {
  return { kty: key.kty, crv: key.crv, x: key.x, kid: key.kid, alg: 'EdDSA', use: 'sig' };
}

/**
 * §8.7: every key the network ever approved, with `iat` (approved from) and, once left out of a later set,
 * `exp` (retired at), so statements signed before a rotation stay checkable.
 */
export function historicalKeys(state: NetworkState, at: number): Array<PublicJwk & { iat: number; exp?: number }> {
  const seen = new Map<string, { key: FederationKey; from: string; until?: string }>();
  for (const version of state.federationKeys ?? []) {
    if (Date.parse(version.from) > at) break;
    const listed = new Set(version.keys.map((k) => k.kid));
    for (const record of seen.values()) {
      if (!record.until && !listed.has(record.key.kid)) record.until = version.from;
    }
    for (const key of version.keys) {
      const record = seen.get(key.kid);
      if (!record) seen.set(key.kid, { key, from: version.from });
      // Re-approved after retirement: in force again.
      else if (record.until) record.until = undefined;
    }
  }
  return [...seen.values()].map(({ key, from, until }) => ({
    ...publicJwk(key),
    iat: seconds(Date.parse(from)),
    ...(until ? { exp: seconds(Date.parse(until)) } : {}),
  }));
}

/**
 * The public base URL a network's federation is reached at: the holder of its first approved key, so every
 * node names the network by the same entity identifier; `fallback` (this node) before any key is approved.
 */
export function federationBase(state: NetworkState, at: number, fallback: string): string {
  return federationKeysAt(state, at)[0]?.holder ?? fallback;
}

/** The networks among `states` that recognize `networkId` at `at` (any scope), with the recognition. */
export function recognizersOf(states: Iterable<NetworkState>, networkId: string, at: number) {
  const result: Array<{ state: NetworkState; recognition: RecognitionVersion }> = [];
  for (const state of states) {
    if (state.id === networkId) continue;
    const recognition = isRecognized(state, networkId, at);
    if (recognition.recognized && recognition.recognition) result.push({ state, recognition: recognition.recognition });
  }
  return result;
}

/** How many recognized networks a chain may pass through below a recognizing network (registry/trust.ts). */
export const RECOGNITION_MAX_PATH_LENGTH = 2;

/**
 * §3.1.1 with §6: the recognizing network's subordinate statement about a network it recognizes. What of our
 * recognition semantics carries over: the scope (credential types) as a `subset_of` metadata policy on
 * `ler_issuer.credential_types`, the end of the recognition as the statement's `exp`, the depth limit as
 * `constraints.max_path_length`. What does not: as-of-time questions (a chain is about now), the m-of-n
 * approvals behind it, and per-credential checks (issuance time, voided issuance) that only our report makes.
 */
export function recognitionStatement(
  context: StatementContext,
  recognition: RecognitionVersion,
  subordinate: { entityId: string; jwks: PublicJwk[] },
) {
  const { urls, at } = context;
  const until = recognition.validUntil ? Date.parse(recognition.validUntil) : Number.POSITIVE_INFINITY;
  return {
    iss: urls.entityId,
    sub: subordinate.entityId,
    iat: seconds(at),
    exp: seconds(Math.max(Math.min(answerExpiry(at, context.ttlMs), until), at + 1000)),
    jwks: { keys: subordinate.jwks },
    constraints: { max_path_length: RECOGNITION_MAX_PATH_LENGTH },
    ...(recognition.credentialTypes
      ? { metadata_policy: { ler_issuer: { credential_types: { subset_of: recognition.credentialTypes } } } }
      : {}),
    source_endpoint: urls.fetch,
  };
}
