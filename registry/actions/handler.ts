/** The shape every action type implements: one file per type, validate + apply. */
import type { Action, ActionType, ApplyContext, MemberVersion, NetworkState } from '../types.ts';

export interface ActionHandler {
  type: ActionType;
  /** Checks the action's parameters (shape only); throws RegistryError INVALID_ACTION. */
  validate(action: Action): void;
  /**
   * Applies an approved action to the state (mutating it), or returns the code
   * of why the state does not allow it (the action is then recorded as rejected).
   */
  apply(state: NetworkState, context: ApplyContext): string | undefined;
}

/** The member's latest version, if any. */
export function latestMember(state: NetworkState, did: string): MemberVersion | undefined {
  const versions = state.members[did];
  return versions?.[versions.length - 1];
}

export function pushMember(state: NetworkState, did: string, version: MemberVersion): void {
  const versions = state.members[did] ?? [];
  versions.push(version);
  state.members[did] = versions;
}
