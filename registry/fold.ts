/**
 * The deterministic fold of a network's actions into its state.
 *
 * Actions are applied in (effectiveAt, id) order. An action applies when the
 * valid signatures of distinct governors *in effect at its effectiveAt* reach
 * the threshold in effect then; otherwise it is pending. Because the set of
 * actions and of signatures only grows and the order is total, every node
 * holding the same actions computes the same state (a grow-only set CRDT),
 * whatever order they arrived in. Pure: signature checking is passed in.
 */
import { ACTION_HANDLERS } from './actions/index.ts';
import { canonicalJson, sha256Base64url } from './canonical.ts';
import { dictionary } from './dictionary.ts';
import type { GovernanceVersion, NetworkState, SignedAction } from './types.ts';

export interface FoldOptions {
  /** Checks one signature; the node checks at ingress, an audit re-checks here. Default: trust stored signatures. */
  verifySignature?: (actionId: string, signer: string, signature: string) => boolean;
}

export function compareActions(a: SignedAction, b: SignedAction): number {
  const ta = Date.parse(a.action.effectiveAt);
  const tb = Date.parse(b.action.effectiveAt);
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Distinct governors of `governance` whose signature on the action counts. */
export function approvingGovernors(
  entry: SignedAction,
  governance: Pick<GovernanceVersion, 'governors'>,
  options: FoldOptions = {},
): string[] {
  const governors = new Set(governance.governors);
  const approving = new Set<string>();
  for (const { signer, signature } of entry.signatures) {
    if (!governors.has(signer) || approving.has(signer)) continue;
    if (options.verifySignature && !options.verifySignature(entry.id, signer, signature)) continue;
    approving.add(signer);
  }
  return [...approving];
}

export function emptyState(id: string): NetworkState {
  return {
    id,
    name: '',
    createdAt: '',
    governance: [],
    members: dictionary(),
    recognitions: dictionary(),
    applied: [],
    pending: [],
    rejected: [],
  };
}

/**
 * Folds the actions of the network `networkId` (its genesis id). Entries for
 * other networks, duplicates and entries before the genesis are ignored or
 * rejected; returns undefined when no approved genesis is among them.
 */
export function foldNetwork(
  networkId: string,
  entries: Iterable<SignedAction>,
  options: FoldOptions = {},
): NetworkState | undefined {
  const byId = new Map<string, SignedAction>();
  for (const entry of entries) {
    const existing = byId.get(entry.id);
    // Same action seen twice: merge signatures by union (idempotent).
    byId.set(entry.id, existing ? mergeSignatures(existing, entry) : entry);
  }
  const genesis = byId.get(networkId);
  if (genesis?.action.type !== 'network.genesis') return undefined;
  // The genesis approves itself under the governors it names.
  const genesisGovernance = { governors: genesis.action.governors as string[] };
  if (approvingGovernors(genesis, genesisGovernance, options).length < (genesis.action.threshold as number)) {
    return undefined;
  }
  const state = emptyState(networkId);
  const ordered = [...byId.values()]
    .filter((e) => e.id === networkId || e.action.network === networkId)
    .sort(compareActions);
  for (const entry of ordered) applyEntry(state, entry, options);
  return state;
}

/**
 * Folds one more entry into `state` (mutating it). Entries must come in
 * (effectiveAt, id) order: the caller appends only entries that sort after
 * every entry already folded, and re-folds from scratch otherwise.
 */
export function applyEntry(state: NetworkState, entry: SignedAction, options: FoldOptions = {}): void {
  const networkId = state.id;
  if (entry.id === networkId) {
    ACTION_HANDLERS['network.genesis'].apply(state, { id: entry.id, action: entry.action });
    state.applied.push(entry.id);
    return;
  }
  if (state.applied.length === 0) {
    state.rejected.push({ id: entry.id, code: 'BEFORE_GENESIS' });
    return;
  }
  if (entry.action.type === 'network.genesis') {
    state.rejected.push({ id: entry.id, code: 'GENESIS_NOT_FIRST' });
    return;
  }
  const governance = state.governance[state.governance.length - 1];
  if (approvingGovernors(entry, governance, options).length < governance.threshold) {
    state.pending.push(entry.id);
    return;
  }
  const code = ACTION_HANDLERS[entry.action.type].apply(state, { id: entry.id, action: entry.action });
  if (code) state.rejected.push({ id: entry.id, code });
  else state.applied.push(entry.id);
}

export function mergeSignatures(a: SignedAction, b: SignedAction): SignedAction {
  const bySigner = new Map(a.signatures.map((s) => [s.signer, s]));
  for (const s of b.signatures) if (!bySigner.has(s.signer)) bySigner.set(s.signer, s);
  // Sorted so the merged entry is the same whichever copy came first.
  const signatures = [...bySigner.values()].sort((x, y) => (x.signer < y.signer ? -1 : x.signer > y.signer ? 1 : 0));
  return { id: a.id, action: a.action, signatures };
}

/** A digest of the state: equal digests mean equal registries. */
export function stateDigest(state: NetworkState): string {
  return sha256Base64url(canonicalJson(state));
}
