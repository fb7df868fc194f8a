/**
 * Trust paths: may a verifier that trusts its anchor networks trust this
 * issuer for this credential? The issuer must have been accredited for the
 * credential's type, in some network, when the credential was issued; and that
 * network must be an anchor or be reachable from one through recognition
 * edges valid now (or at the time asked about), each recognition's scope
 * covering the credential's type (scopes intersect along the path), within a
 * depth limit. Loops are harmless: each network is visited once. Pure.
 */
import { type AuthorizationAnswer, isAuthorized, isRecognized, ob2MemberIn } from './queries.ts';
import type { Accreditation, NetworkState } from './types.ts';

export interface TrustQuery {
  issuer: string;
  /** The credential's types (VerifiableCredential excluded); any one accredited suffices. */
  credentialTypes: string[];
  achievementType?: string;
  issuedAt: Date;
  /** When recognition must hold: now, or the time a caller asks about. */
  at: Date;
  /**
   * The issuer is an Open Badges 2.0 issuer Profile (this URL, also `issuer`): in each network, the member that
   * declares it is the issuer there (decision 0034).
   */
  ob2Profile?: string;
}

/** The query as `state` sees it: an OB 2.0 profile stands for the member of `state` that declares it. */
function inNetwork(state: NetworkState, query: TrustQuery): TrustQuery {
  if (query.ob2Profile === undefined) return query;
  return { ...query, issuer: ob2MemberIn(state, query.ob2Profile) ?? query.issuer };
}

export interface TrustAnswer {
  trusted: boolean;
  /** Stable code: TRUSTED, NO_ANCHORS, NOT_A_MEMBER, NOT_ACCREDITED, MEMBER_SUSPENDED, MEMBER_REMOVED, ISSUANCE_VOIDED, NO_TRUST_PATH. */
  code: string;
  message: string;
  /** Anchor first, the issuer's network last. */
  trustPath?: string[];
  credentialType?: string;
  /** The accreditation that made the issuer trusted (its skillFrameworks scope the skills check). */
  accreditation?: Accreditation;
  /** Not established either way (a registry asked could not be reached): the check is unchecked, not failed. */
  unchecked?: boolean;
}

/** The best authorization answer of `issuer` in `state` over the credential's types. */
export function authorizationIn(
  state: NetworkState,
  query: TrustQuery,
): AuthorizationAnswer & { credentialType?: string } {
  let last: AuthorizationAnswer | undefined;
  for (const type of query.credentialTypes) {
    const answer = isAuthorized(state, query.issuer, type, query.issuedAt, { achievementType: query.achievementType });
    if (answer.authorized) return { ...answer, credentialType: type };
    // Keep the most telling refusal: being a member beats not being one.
    if (!last || last.code === 'NOT_A_MEMBER') last = answer;
  }
  return last ?? { authorized: false, code: 'NOT_ACCREDITED', message: 'the credential names no type to accredit' };
}

export function findTrustPath(
  networks: ReadonlyMap<string, NetworkState>,
  anchors: string[],
  query: TrustQuery,
  maxDepth = 3,
): TrustAnswer {
  if (anchors.length === 0) {
    return { trusted: false, code: 'NO_ANCHORS', message: 'this node has no trust anchors (--anchor)' };
  }
  // Breadth-first from every anchor: the shortest path wins.
  const queue: Array<{ network: string; path: string[]; scope?: Set<string> }> = anchors.map((a) => ({
    network: a,
    path: [a],
  }));
  const seen = new Set(anchors);
  let refusal: AuthorizationAnswer | undefined;
  let notYet: string | undefined;
  while (queue.length > 0) {
    const { network, path, scope } = queue.shift()!;
    const state = networks.get(network);
    if (!state) continue;
    const types = scope ? query.credentialTypes.filter((t) => scope.has(t)) : query.credentialTypes;
    if (types.length > 0) {
      const local = inNetwork(state, query);
      const answer = authorizationIn(state, { ...local, credentialTypes: types });
      if (answer.authorized) {
        return {
          trusted: true,
          code: 'TRUSTED',
          message: `accredited for ${answer.credentialType} in ${state.name}${path.length > 1 ? ` (reached through ${path.length - 1} recognition(s))` : ''}`,
          trustPath: path,
          credentialType: answer.credentialType,
          accreditation: answer.accreditation,
        };
      }
      if (answer.code !== 'NOT_A_MEMBER' && (!refusal || refusal.code === 'NOT_A_MEMBER')) refusal = answer;
      // A member admitted after issuance: keep the "at issuance time" answer for when nothing says more.
      else if (answer.code === 'NOT_A_MEMBER' && Object.hasOwn(state.members, local.issuer))
        notYet ??= `${answer.message} in ${state.name}`;
    }
    if (path.length > maxDepth) continue;
    for (const other of Object.keys(state.recognitions)) {
      if (seen.has(other)) continue;
      const recognition = isRecognized(state, other, query.at);
      if (!recognition.recognized) continue;
      const allowed = recognition.recognition?.credentialTypes;
      const next = allowed ? new Set(allowed.filter((t) => !scope || scope.has(t))) : scope;
      seen.add(other);
      queue.push({ network: other, path: [...path, other], scope: next });
    }
  }
  if (refusal) return { trusted: false, code: refusal.code, message: refusal.message };
  // A member somewhere, but not of anything the anchors reach?
  for (const state of networks.values()) {
    if (authorizationIn(state, inNetwork(state, query)).authorized) {
      return {
        trusted: false,
        code: 'NO_TRUST_PATH',
        message: `accredited in ${state.name}, which no anchor recognizes (within ${maxDepth} hops)`,
      };
    }
  }
  if (notYet) return { trusted: false, code: 'NOT_A_MEMBER', message: notYet };
  return {
    trusted: false,
    code: 'NOT_A_MEMBER',
    message: 'the issuer is not an accredited member of any network this node follows',
  };
}
