/** `member.suspend`, `member.reinstate`, `member.remove`: lifecycle changes with effective times. */
import type { ActionType, MemberStatus } from '../types.ts';
import { type ActionHandler, latestMember, pushMember } from './handler.ts';
import { dateTime, did, onlyKnown, text } from './params.ts';

function lifecycle(type: ActionType, from: MemberStatus[], to: MemberStatus, extra: string[] = []): ActionHandler {
  return {
    type,
    validate(action) {
      onlyKnown(action, ['did', 'reason', ...extra]);
      did(action.did, 'did');
      text(action, 'reason', { max: 2000 });
      if (extra.includes('voidIssuedAfter')) dateTime(action, 'voidIssuedAfter');
    },
    apply(state, { id, action }) {
      const existing = latestMember(state, action.did as string);
      if (!existing) return 'MEMBER_NOT_FOUND';
      if (!from.includes(existing.status)) return `MEMBER_IS_${existing.status.toUpperCase()}`;
      const { from: _from, actionId: _id, action: _type, reason: _reason, voidIssuedAfter: _void, ...kept } = existing;
      pushMember(state, action.did as string, {
        ...kept,
        from: action.effectiveAt,
        actionId: id,
        action: type,
        status: to,
        ...(action.reason ? { reason: action.reason as string } : {}),
        ...(action.voidIssuedAfter ? { voidIssuedAfter: action.voidIssuedAfter as string } : {}),
      });
      return undefined;
    },
  };
}

export const memberSuspend = lifecycle('member.suspend', ['active'], 'suspended');
export const memberReinstate = lifecycle('member.reinstate', ['suspended'], 'active');
export const memberRemove = lifecycle('member.remove', ['active', 'suspended'], 'removed', ['voidIssuedAfter']);
