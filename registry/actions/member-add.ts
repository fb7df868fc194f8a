/** `member.add` and `member.update`: admits an institution, or changes its record and accreditations. */
import { ob2MemberIn } from '../queries.ts';
import type { Action, NetworkState } from '../types.ts';
import { type ActionHandler, latestMember, pushMember } from './handler.ts';
import { accreditations, did, memberKeys, ob2Profiles, onlyKnown, stringList, text, url } from './params.ts';

const FIELDS = ['did', 'name', 'url', 'logo', 'roles', 'accreditations', 'keys', 'ob2Profiles'];

function validateMember(action: Action): void {
  onlyKnown(action, FIELDS);
  did(action.did, 'did');
  text(action, 'name', { required: true, max: 200 });
  url(action, 'url');
  url(action, 'logo');
  if (action.roles !== undefined) stringList(action.roles, 'roles', { min: 1, max: 20 });
  accreditations(action.accreditations);
  memberKeys(action.keys, action.did as string);
  ob2Profiles(action.ob2Profiles);
}

/** An OB 2.0 issuer Profile speaks for one member of a network: a second claim to it is refused (decision 0034). */
function profileClaimed(state: NetworkState, action: Action): string | undefined {
  const claimed = (ob2Profiles(action.ob2Profiles) ?? []).some((p) => {
    const holder = ob2MemberIn(state, p);
    return holder !== undefined && holder !== action.did;
  });
  return claimed ? 'OB2_PROFILE_CLAIMED' : undefined;
}

function record(action: Action) {
  return {
    name: action.name as string,
    ...(action.url ? { url: action.url as string } : {}),
    ...(action.logo ? { logo: action.logo as string } : {}),
    roles: (action.roles as string[] | undefined) ?? ['issuer'],
    accreditations: accreditations(action.accreditations),
    ...(action.keys ? { keys: memberKeys(action.keys, action.did as string) } : {}),
    ...(action.ob2Profiles ? { ob2Profiles: ob2Profiles(action.ob2Profiles) } : {}),
  };
}

export const memberAdd: ActionHandler = {
  type: 'member.add',
  validate: validateMember,
  apply(state, { id, action }) {
    const existing = latestMember(state, action.did as string);
    // A removed institution may be admitted again; its history stays.
    if (existing && existing.status !== 'removed') return 'MEMBER_EXISTS';
    const claimed = profileClaimed(state, action);
    if (claimed) return claimed;
    pushMember(state, action.did as string, {
      from: action.effectiveAt,
      actionId: id,
      action: 'member.add',
      status: 'active',
      ...record(action),
    });
    return undefined;
  },
};

export const memberUpdate: ActionHandler = {
  type: 'member.update',
  validate: validateMember,
  apply(state, { id, action }) {
    const existing = latestMember(state, action.did as string);
    if (!existing || existing.status === 'removed') return 'MEMBER_NOT_FOUND';
    const claimed = profileClaimed(state, action);
    if (claimed) return claimed;
    pushMember(state, action.did as string, {
      from: action.effectiveAt,
      actionId: id,
      action: 'member.update',
      status: existing.status,
      ...record(action),
    });
    return undefined;
  },
};
