/** `network.recognize` / `network.unrecognize`: this network's recognition of another, for a scope. */
import type { ActionHandler } from './handler.ts';
import { dateTime, invalid, onlyKnown, stringList } from './params.ts';

function validateTarget(network: unknown, target: unknown): void {
  if (typeof target !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(target)) invalid('network must be a network id');
  if (target === network) invalid('a network cannot recognize itself');
}

export const networkRecognize: ActionHandler = {
  type: 'network.recognize',
  validate(action) {
    // API.md's request names the recognized network `network`; the signed action calls it
    // `recognizedNetwork` so it cannot be confused with the network that governs the action.
    onlyKnown(action, ['recognizedNetwork', 'credentialTypes', 'validUntil']);
    validateTarget(action.network, action.recognizedNetwork);
    if (action.credentialTypes !== undefined)
      stringList(action.credentialTypes, 'credentialTypes', { min: 1, max: 100 });
    dateTime(action, 'validUntil');
  },
  apply(state, { id, action }) {
    const target = action.recognizedNetwork as string;
    const versions = state.recognitions[target] ?? [];
    state.recognitions[target] = versions;
    versions.push({
      from: action.effectiveAt,
      actionId: id,
      active: true,
      ...(action.credentialTypes ? { credentialTypes: action.credentialTypes as string[] } : {}),
      ...(action.validUntil ? { validUntil: action.validUntil as string } : {}),
    });
    return undefined;
  },
};

export const networkUnrecognize: ActionHandler = {
  type: 'network.unrecognize',
  validate(action) {
    onlyKnown(action, ['recognizedNetwork']);
    validateTarget(action.network, action.recognizedNetwork);
  },
  apply(state, { id, action }) {
    const versions = state.recognitions[action.recognizedNetwork as string];
    if (!versions?.[versions.length - 1]?.active) return 'NOT_RECOGNIZED';
    versions.push({ from: action.effectiveAt, actionId: id, active: false });
    return undefined;
  },
};
