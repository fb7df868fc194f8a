/**
 * Time-aware questions asked of folded network states: who governs, who is a
 * member, who may issue what, which networks are recognized, at a given time.
 * History is never erased, so every answer can be asked "as of" a past time.
 */
import type {
  Accreditation,
  GovernanceVersion,
  MemberKey,
  MemberVersion,
  NetworkState,
  RecognitionVersion,
} from './types.ts';

function time(value: string | Date | number): number {
  return typeof value === 'number' ? value : value instanceof Date ? value.getTime() : Date.parse(value);
}

/** The version in effect at `at`: the last one whose `from` is not after it. */
export function versionAt<T extends { from: string }>(
  versions: T[] | undefined,
  at: string | Date | number,
): T | undefined {
  if (!versions) return undefined;
  const t = time(at);
  let found: T | undefined;
  for (const v of versions) {
    if (Date.parse(v.from) <= t) found = v;
    else break;
  }
  return found;
}

export function governanceAt(state: NetworkState, at: string | Date | number): GovernanceVersion | undefined {
  return versionAt(state.governance, at);
}

export function memberAt(state: NetworkState, did: string, at: string | Date | number): MemberVersion | undefined {
  return versionAt(state.members[did], at);
}

export interface AuthorizationAnswer {
  authorized: boolean;
  /** Stable code: AUTHORIZED, NOT_A_MEMBER, MEMBER_SUSPENDED, MEMBER_REMOVED, ISSUANCE_VOIDED, NOT_ACCREDITED. */
  code: string;
  message: string;
  member?: MemberVersion;
  accreditation?: Accreditation;
}

function covers(accreditation: Accreditation, credentialType: string, at: number, achievementType?: string): boolean {
  if (
    !accreditation.credentialTypes.includes(credentialType) &&
    !accreditation.achievementTypes?.includes(credentialType)
  ) {
    return false;
  }
  if (achievementType && accreditation.achievementTypes && !accreditation.achievementTypes.includes(achievementType)) {
    return false;
  }
  if (accreditation.validFrom && Date.parse(accreditation.validFrom) > at) return false;
  if (accreditation.validUntil && Date.parse(accreditation.validUntil) <= at) return false;
  return true;
}

/**
 * Was `did` a member accredited to issue `credentialType` (a credential type,
 * or an achievement type when accredited that narrowly) at time `at`?
 */
export function isAuthorized(
  state: NetworkState,
  did: string,
  credentialType: string,
  at: string | Date | number,
  options: { achievementType?: string } = {},
): AuthorizationAnswer {
  const t = time(at);
  const member = memberAt(state, did, t);
  if (!member) {
    // Admitted later: say so, or an operator looking at a credential issued before admission sees only "not a member".
    const first = state.members[did]?.[0];
    const message = first
      ? `${did} was not a member at issuance time (${new Date(t).toISOString()}); admitted from ${first.from}`
      : `${did} was not a member at that time`;
    return { authorized: false, code: 'NOT_A_MEMBER', message };
  }
  // A later removal that voids issuance reaches back to credentials issued after its cut-off.
  const voiding = state.members[did]?.find(
    (v) => v.status === 'removed' && v.voidIssuedAfter && Date.parse(v.voidIssuedAfter) < t,
  );
  if (voiding) {
    return {
      authorized: false,
      code: 'ISSUANCE_VOIDED',
      message: `issuance after ${voiding.voidIssuedAfter} was voided`,
      member,
    };
  }
  if (member.status === 'suspended')
    return { authorized: false, code: 'MEMBER_SUSPENDED', message: 'member was suspended', member };
  if (member.status === 'removed')
    return { authorized: false, code: 'MEMBER_REMOVED', message: 'member was removed', member };
  const accreditation = member.accreditations.find((a) => covers(a, credentialType, t, options.achievementType));
  if (!accreditation) {
    return {
      authorized: false,
      code: 'NOT_ACCREDITED',
      message: `not accredited for ${credentialType} at that time`,
      member,
    };
  }
  return { authorized: true, code: 'AUTHORIZED', message: `accredited for ${credentialType}`, member, accreditation };
}

export interface RecognitionAnswer {
  recognized: boolean;
  code: string;
  message: string;
  recognition?: RecognitionVersion;
}

/** Did `state`'s network recognize `otherNetwork` for `credentialType` (if given) at `at`? */
export function isRecognized(
  state: NetworkState,
  otherNetwork: string,
  at: string | Date | number,
  credentialType?: string,
): RecognitionAnswer {
  const t = time(at);
  const recognition = versionAt(state.recognitions[otherNetwork], t);
  if (!recognition?.active)
    return { recognized: false, code: 'NOT_RECOGNIZED', message: 'not recognized at that time' };
  if (recognition.validUntil && Date.parse(recognition.validUntil) <= t) {
    return {
      recognized: false,
      code: 'RECOGNITION_EXPIRED',
      message: `recognition ended at ${recognition.validUntil}`,
      recognition,
    };
  }
  if (credentialType && recognition.credentialTypes && !recognition.credentialTypes.includes(credentialType)) {
    return {
      recognized: false,
      code: 'OUT_OF_SCOPE',
      message: `recognition does not cover ${credentialType}`,
      recognition,
    };
  }
  return { recognized: true, code: 'RECOGNIZED', message: 'recognized', recognition };
}

export interface Membership {
  network: string;
  networkName: string;
  status: MemberVersion['status'];
  name: string;
  url?: string;
  logo?: string;
  accreditations: Accreditation[];
  since: string;
}

/** Every network (of `states`) that lists `did`, with its current record. */
export function membershipsOf(states: Iterable<NetworkState>, did: string): Membership[] {
  const result: Membership[] = [];
  for (const state of states) {
    const versions = state.members[did];
    if (!versions?.length) continue;
    const latest = versions[versions.length - 1];
    const admitted = [...versions].reverse().find((v) => v.action === 'member.add') ?? versions[0];
    result.push({
      network: state.id,
      networkName: state.name,
      status: latest.status,
      name: latest.name,
      ...(latest.url ? { url: latest.url } : {}),
      ...(latest.logo ? { logo: latest.logo } : {}),
      accreditations: latest.accreditations,
      since: admitted.from,
    });
  }
  return result;
}

/** The summary GET /networks lists. */
export function networkSummary(state: NetworkState, now: number) {
  const governance = state.governance[state.governance.length - 1];
  return {
    id: state.id,
    name: state.name,
    ...(state.description ? { description: state.description } : {}),
    governors: governance.governors,
    threshold: governance.threshold,
    ...(governance.frameworkUrl ? { frameworkUrl: governance.frameworkUrl } : {}),
    members: Object.values(state.members).filter((v) => v[v.length - 1].status !== 'removed').length,
    recognizes: Object.keys(state.recognitions).filter((n) => isRecognized(state, n, now).recognized),
    createdAt: state.createdAt,
  };
}

/**
 * The signing keys governors have declared for `did` (the latest record in each network that lists it). A key
 * id declared with different key material in different networks is left out: neither network can be
 * preferred.
 */
export function declaredKeys(states: Iterable<NetworkState>, did: string): MemberKey[] {
  const byId = new Map<string, string | null>();
  for (const state of states) {
    const versions = state.members[did];
    for (const key of versions?.[versions.length - 1].keys ?? []) {
      const seen = byId.get(key.id);
      byId.set(key.id, seen === undefined || seen === key.publicKeyMultibase ? key.publicKeyMultibase : null);
    }
  }
  return [...byId].flatMap(([id, publicKeyMultibase]) => (publicKeyMultibase ? [{ id, publicKeyMultibase }] : []));
}

/**
 * The member of `state` whose record declares `profile` as its Open Badges 2.0 issuer Profile (decision 0034):
 * the latest record of a member not removed. Fold refuses a second claim, so there is at most one.
 */
export function ob2MemberIn(state: NetworkState, profile: string): string | undefined {
  for (const [did, versions] of Object.entries(state.members)) {
    const latest = versions[versions.length - 1];
    if (latest.status !== 'removed' && latest.ob2Profiles?.includes(profile)) return did;
  }
  return undefined;
}
