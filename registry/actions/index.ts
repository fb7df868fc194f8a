/** The action types, by name. */
import { RegistryError } from '../errors.ts';
import { ACTION_TYPES, type Action, type ActionType } from '../types.ts';
import { federationKeys } from './federation-keys.ts';
import { governanceUpdate } from './governance-update.ts';
import type { ActionHandler } from './handler.ts';
import { memberAdd, memberUpdate } from './member-add.ts';
import { memberReinstate, memberRemove, memberSuspend } from './member-status.ts';
import { networkGenesis } from './network-genesis.ts';
import { networkRecognize, networkUnrecognize } from './network-recognition.ts';
import { dateTime, invalid } from './params.ts';

export const ACTION_HANDLERS: Record<ActionType, ActionHandler> = {
  'network.genesis': networkGenesis,
  'governance.update': governanceUpdate,
  'member.add': memberAdd,
  'member.update': memberUpdate,
  'member.suspend': memberSuspend,
  'member.reinstate': memberReinstate,
  'member.remove': memberRemove,
  'network.recognize': networkRecognize,
  'network.unrecognize': networkUnrecognize,
  'federation.keys': federationKeys,
};

/** Validates an action's envelope and parameters; throws RegistryError. */
export function validateAction(value: unknown): Action {
  if (!value || typeof value !== 'object' || Array.isArray(value)) invalid('action must be an object');
  const action = value as Action;
  if (!ACTION_TYPES.includes(action.type)) {
    throw new RegistryError('UNKNOWN_ACTION_TYPE', `unknown action type ${String(action.type)}`);
  }
  if (
    action.type !== 'network.genesis' &&
    (typeof action.network !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(action.network))
  ) {
    invalid('network must be a network id');
  }
  if (!dateTime(action, 'effectiveAt')) invalid('effectiveAt is required');
  if (typeof action.nonce !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(action.nonce))
    invalid('nonce must be 8–64 base64url characters');
  ACTION_HANDLERS[action.type].validate(action);
  return action;
}
