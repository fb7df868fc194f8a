/**
 * The node's trust registry: stores signed actions, keeps each network's
 * folded state, and admits new actions and approvals only after checking them
 * (shape, id, signatures, governor authority at effectiveAt, clock skew, size).
 * Whatever the source (HTTP, CLI, peers), data takes this one way in.
 */
import { randomBytes } from 'node:crypto';
import { verifyActionSignature } from '../../protocol/signing/governor-keys.ts';
import { ACTION_HANDLERS, validateAction } from '../../registry/actions/index.ts';
import { canonicalJson, sha256Base64url } from '../../registry/canonical.ts';
import { dictionary } from '../../registry/dictionary.ts';
import { RegistryError } from '../../registry/errors.ts';
import { applyEntry, compareActions, foldNetwork, mergeSignatures, stateDigest } from '../../registry/fold.ts';
import { governanceAt } from '../../registry/queries.ts';
import type { Action, NetworkState, Signature, SignedAction } from '../../registry/types.ts';
import { NodeError } from '../errors.ts';
import type { Database } from '../storage/database.ts';
import type { GovernorKeyring } from './governor-keys.ts';

export type ChangeSource = 'local' | 'peer';

export interface ProposalView {
  id: string;
  network: string;
  action: Action;
  signatures: Signature[];
  approved: boolean;
  status: 'applied' | 'pending' | 'rejected';
  code?: string;
}

export interface RegistryServiceOptions {
  database: Database;
  keyring: GovernorKeyring;
  now?: () => Date;
  /** How far in the future an effectiveAt may lie (clock skew between nodes). Default 5 minutes. */
  maxFutureSkewMs?: number;
  /** Largest canonical action accepted. Default 64 KiB. */
  maxActionBytes?: number;
  /** Pending proposals kept per network from ingest (peers, imports). Default 1,000. */
  maxPendingPerNetwork?: number;
  /** Pending proposals one signer may have in a network from ingest. Default 100. */
  maxPendingPerSigner?: number;
}

export interface IngestOptions {
  /** The network the entries were asked for (a sync pull, a gossip topic): entries of any other are refused. */
  network?: string;
}

export interface IngestResult {
  accepted: string[];
  rejected: Array<{ id?: string; code: string; message: string }>;
  /** What was validated of each accepted entry (only its valid signatures, nothing else): what may be forwarded. */
  admitted: SignedAction[];
}

export interface RegistryService {
  networks(): NetworkState[];
  network(id: string): NetworkState | undefined;
  digest(id: string): string | undefined;
  createNetwork(input: Record<string, unknown>, options?: { sign?: boolean }): Promise<ProposalView>;
  propose(
    networkId: unknown,
    input: unknown,
    options?: { effectiveAt?: unknown; sign?: boolean },
  ): Promise<ProposalView>;
  approve(id: string, approval: { signer?: unknown; signature?: unknown; sign?: unknown }): Promise<ProposalView>;
  proposal(id: string): ProposalView | undefined;
  proposals(filter?: { network?: string; pending?: boolean }): ProposalView[];
  /** Approved actions in fold order, with their signatures; `after` is an action id. */
  actions(networkId: string, page?: { after?: string; limit?: number }): SignedAction[];
  /** Every stored action of a network (approved, pending and rejected), for sync and export. */
  allActions(networkId: string): SignedAction[];
  /** Sync support: the inventory digest, pages of (id, signature count), entries by id. */
  inventoryDigest(networkId: string): { network: string; inventory: string; count: number } | undefined;
  inventory(networkId: string, after: string | undefined, limit: number): Array<[string, number]>;
  get(networkId: string, ids: string[]): SignedAction[];
  signatureCount(id: string): number | undefined;
  /**
   * Admits actions from elsewhere (peers, imports): each fully checked, and, unlike a local proposal, only with
   * at least one valid signature of a governor in effect, within the pending bounds; returns what changed.
   */
  ingest(entries: unknown[], options?: IngestOptions): Promise<IngestResult>;
  /** `onProgress(done, total)` after each network is folded (the CLI's progress line). */
  rebuild(options?: {
    onProgress?: (done: number, total: number) => void;
  }): Promise<{ networks: number; actions: number }>;
  /** Called after an entry is stored; `source` says whether it came from this node (HTTP, CLI) or a peer. */
  onChange(listener: (entry: SignedAction, networkId: string, source: ChangeSource) => void): void;
}

function networkOf(entry: SignedAction): string {
  return entry.action.type === 'network.genesis' ? entry.id : (entry.action.network as string);
}

export async function openRegistryService(options: RegistryServiceOptions): Promise<RegistryService> {
  const { database, keyring } = options;
  const now = options.now ?? (() => new Date());
  const maxSkew = options.maxFutureSkewMs ?? 5 * 60_000;
  const maxBytes = options.maxActionBytes ?? 64 * 1024;
  const maxPendingPerNetwork = options.maxPendingPerNetwork ?? 1_000;
  const maxPendingPerSigner = options.maxPendingPerSigner ?? 100;
  const entries = new Map<string, SignedAction>();
  const byNetwork = new Map<string, Set<string>>();
  const states = new Map<string, NetworkState>();
  /** The entry that sorts last per network: a newer one can be folded in without re-folding. */
  const lastEntries = new Map<string, SignedAction>();
  /** networkId → state digest, dropped whenever the network changes. */
  const derived = new Map<string, string>();
  const listeners: Array<(entry: SignedAction, networkId: string, source: ChangeSource) => void> = [];
  const inventories = new Map<string, { items: Array<[string, number]>; digest: string }>();

  function index(entry: SignedAction): void {
    entries.set(entry.id, entry);
    const network = networkOf(entry);
    const ids = byNetwork.get(network) ?? new Set<string>();
    byNetwork.set(network, ids);
    ids.add(entry.id);
    const last = lastEntries.get(network);
    if (!last || compareActions(entry, last) > 0) lastEntries.set(network, entry);
  }

  function unindex(id: string): void {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    const network = networkOf(entry);
    byNetwork.get(network)?.delete(id);
    if (lastEntries.get(network)?.id === id) {
      lastEntries.delete(network);
      for (const other of entriesOf(network)) {
        const last = lastEntries.get(network);
        if (!last || compareActions(other, last) > 0) lastEntries.set(network, other);
      }
    }
  }

  function entriesOf(networkId: string): SignedAction[] {
    return [...(byNetwork.get(networkId) ?? [])].map((id) => entries.get(id)!);
  }

  function fold(networkId: string): NetworkState | undefined {
    return foldNetwork(networkId, entriesOf(networkId));
  }

  /** The derived records written with an action: the network's head and the members it touched. */
  function derivedOperations(networkId: string, state: NetworkState | undefined, dids: Iterable<string>): unknown[] {
    if (!state) return [{ type: 'del', sublevel: database.networks, key: networkId }];
    // The head holds what is small; applied/pending lists are re-derived by folding the log.
    const { members: _members, applied, pending, rejected, ...head } = state;
    const counts = { applied: applied.length, pending: pending.length, rejected: rejected.length };
    const operations: unknown[] = [
      { type: 'put', sublevel: database.networks, key: networkId, value: { ...head, counts } },
    ];
    for (const did of dids) {
      const versions = state.members[did];
      if (versions)
        operations.push({ type: 'put', sublevel: database.members, key: `${networkId}!${did}`, value: versions });
    }
    return operations;
  }

  // Derived state is rebuilt from the actions at start: a fold is cheap next to reading the log,
  // and it means a crash between writes can never leave state and log disagreeing.
  for await (const [, value] of database.actions.iterator()) index(value as SignedAction);
  for (const networkId of byNetwork.keys()) {
    const state = fold(networkId);
    if (state) states.set(networkId, state);
  }

  function holdsSignature(id: string, signature: Signature): boolean {
    const held = entries.get(id)?.signatures;
    return held?.some((h) => h.signer === signature.signer && h.signature === signature.signature) ?? false;
  }

  /** Checks an entry completely; returns it with only valid, authorized, distinct signatures. */
  function admit(raw: unknown): SignedAction {
    if (!raw || typeof raw !== 'object') throw new RegistryError('INVALID_ACTION', 'entry must be an object');
    const candidate = raw as SignedAction;
    const action = validateAction(candidate.action);
    // One canonical form serves both the size limit and the id.
    const canonical = canonicalJson(action);
    if (Buffer.byteLength(canonical) > maxBytes) {
      throw new NodeError('PAYLOAD_TOO_LARGE', `action larger than ${maxBytes} bytes`);
    }
    const id = sha256Base64url(canonical);
    if (candidate.id !== undefined && candidate.id !== id)
      throw new RegistryError('INVALID_ACTION', 'id does not match the action');
    if (Date.parse(action.effectiveAt) > now().getTime() + maxSkew) {
      throw new RegistryError('EFFECTIVE_TIME_IN_FUTURE', `effectiveAt ${action.effectiveAt} is too far in the future`);
    }
    let governors: string[];
    if (action.type === 'network.genesis') governors = action.governors as string[];
    else {
      const state = states.get(action.network as string);
      if (!state) throw new RegistryError('UNKNOWN_NETWORK', `unknown network ${String(action.network)}`);
      governors = governanceAt(state, action.effectiveAt)?.governors ?? [];
    }
    const signatures = candidate.signatures ?? [];
    if (!Array.isArray(signatures) || signatures.length > 100)
      throw new RegistryError('INVALID_ACTION', 'signatures must be an array');
    const bySigner = new Map<string, Signature>();
    for (const s of signatures) {
      if (!s || typeof s.signer !== 'string' || typeof s.signature !== 'string') {
        throw new RegistryError('INVALID_SIGNATURE', 'each signature needs signer and signature');
      }
      if (!governors.includes(s.signer)) {
        throw new RegistryError('NOT_A_GOVERNOR', `${s.signer} is not a governor at ${action.effectiveAt}`);
      }
      // A signature held byte for byte on this same id was verified when it was stored (the id binds the
      // action): the copies several peers and gossip bring of one entry need no second Ed25519 check.
      if (!holdsSignature(id, s) && !verifyActionSignature(id, s.signer, s.signature)) {
        throw new RegistryError('INVALID_SIGNATURE', `signature of ${s.signer} does not verify`);
      }
      bySigner.set(s.signer, { signer: s.signer, signature: s.signature });
    }
    return { id, action, signatures: [...bySigner.values()] };
  }

  /**
   * What ingest adds to `admit`: an entry from elsewhere carries at least one valid governor signature (a
   * zero-signature proposal is local business until a governor signs it), and a new entry that would stay
   * pending fits the network's and each signer's bound, so nobody can grow every node's store and digest.
   */
  function admitFromElsewhere(raw: unknown, network: string | undefined): SignedAction {
    if (network !== undefined) {
      const candidate = raw as SignedAction | null;
      const claimed =
        candidate?.action?.type === 'network.genesis'
          ? candidate?.id
          : (candidate?.action as Action | undefined)?.network;
      if (claimed !== network)
        throw new RegistryError('WRONG_NETWORK', `entry of ${String(claimed)} where ${network} was asked for`);
    }
    const entry = admit(raw);
    if (entry.signatures.length === 0)
      throw new RegistryError('UNSIGNED_ACTION', 'an action from a peer needs a valid governor signature');
    if (entries.has(entry.id) || entry.action.type === 'network.genesis') return entry;
    const threshold = governanceAt(states.get(networkOf(entry))!, entry.action.effectiveAt)?.threshold ?? 1;
    if (entry.signatures.length >= threshold) return entry;
    // The pending bounds count what the network holds now, deferred entries included.
    const state = current(networkOf(entry))!;
    if (state.pending.length >= maxPendingPerNetwork)
      throw new RegistryError('TOO_MANY_PENDING', `${state.id} already has ${state.pending.length} pending proposals`);
    const signers = new Set(entry.signatures.map((s) => s.signer));
    const bySigner = new Map<string, number>();
    for (const id of state.pending) {
      for (const s of entries.get(id)?.signatures ?? []) {
        if (signers.has(s.signer)) bySigner.set(s.signer, (bySigner.get(s.signer) ?? 0) + 1);
      }
    }
    for (const [signer, count] of bySigner) {
      if (count >= maxPendingPerSigner)
        throw new RegistryError('TOO_MANY_PENDING', `${signer} already has ${count} pending proposals in ${state.id}`);
    }
    return entry;
  }

  interface Staged {
    merged: SignedAction;
    existing?: SignedAction;
    networkId: string;
  }

  /**
   * While an ingest batch runs: networks whose folded state lacks entries staged in the batch (`stale`; re-folded
   * once, when the batch ends or when a check needs the current state) and networks re-folded during the batch
   * (their derived records are all rewritten at its end).
   */
  let batch: { stale: Set<string>; refolded: Set<string> } | undefined;

  /** Only genesis and governance changes decide who may sign: a stale state still answers governanceAt. */
  const decidesGovernance = (entry: SignedAction) =>
    entry.action.type === 'network.genesis' || entry.action.type === 'governance.update';

  /** The network's state with every indexed entry folded in (re-folds a network left stale by the batch). */
  function current(networkId: string): NetworkState | undefined {
    if (batch?.stale.delete(networkId)) {
      const state = fold(networkId);
      if (state) states.set(networkId, state);
      else states.delete(networkId);
      batch.refolded.add(networkId);
    }
    return states.get(networkId);
  }

  /**
   * Folds an admitted entry into memory and adds the writes that persist it
   * to `operations`; returns undefined when it brings nothing new.
   */
  function stage(entry: SignedAction, operations: Map<string, unknown>): Staged | undefined {
    const existing = entries.get(entry.id);
    const merged = existing ? mergeSignatures(existing, entry) : mergeSignatures(entry, { ...entry, signatures: [] });
    if (existing && merged.signatures.length === existing.signatures.length) return undefined;
    const networkId = networkOf(merged);
    derived.delete(networkId);
    inventories.delete(networkId);
    operations.set(`a:${merged.id}`, { type: 'put', sublevel: database.actions, key: merged.id, value: merged });
    if (batch?.stale.has(networkId)) {
      index(merged);
      // Later entries of the batch are checked against this network's governors: fold a change of them in now.
      if (decidesGovernance(merged)) current(networkId);
      return { merged, existing, networkId };
    }
    const state = states.get(networkId);
    const last = lastEntries.get(networkId);
    // Cheap paths first, each equivalent to a full re-fold:
    // - a new entry that sorts after everything folded so far is appended;
    // - more signatures on an applied or rejected entry change nothing but the entry;
    // - more signatures on the last entry, still pending, re-apply just that entry.
    const append = !existing && state !== undefined && last !== undefined && compareActions(merged, last) > 0;
    const wasPending = existing !== undefined && state?.pending.includes(merged.id);
    const settled = existing !== undefined && state !== undefined && !wasPending;
    const lastPending = wasPending && last?.id === merged.id && state?.pending[state.pending.length - 1] === merged.id;
    index(merged);
    const did = typeof merged.action.did === 'string' ? [merged.action.did] : [];
    let touched: string[];
    if (append && state) {
      applyEntry(state, merged);
      touched = did;
    } else if (settled) {
      touched = [];
    } else if (lastPending && state) {
      state.pending.pop();
      applyEntry(state, merged);
      touched = did;
    } else if (batch && state !== undefined && !decidesGovernance(merged)) {
      // In a batch, an entry that sorts before the network's last (the rest of a network a bounded round cut,
      // gossip that came before the history) leaves the network to be re-folded once, not once per entry.
      batch.stale.add(networkId);
      return { merged, existing, networkId };
    } else if (batch) {
      // A genesis or a change of governors: folded now, its derived records written when the batch ends.
      batch.stale.add(networkId);
      current(networkId);
      return { merged, existing, networkId };
    } else {
      const folded = fold(networkId);
      if (folded) states.set(networkId, folded);
      else states.delete(networkId);
      touched = Object.keys(folded?.members ?? {});
    }
    for (const op of derivedOperations(networkId, states.get(networkId), touched)) {
      operations.set(`d:${(op as { key: string }).key}`, op);
    }
    return { merged, existing, networkId };
  }

  /** Ends a batch: folds what it left stale and rewrites the derived records of every network it re-folded. */
  function finishBatch(operations: Map<string, unknown>): void {
    if (!batch) return;
    for (const networkId of [...batch.stale]) current(networkId);
    for (const networkId of batch.refolded) {
      const state = states.get(networkId);
      for (const op of derivedOperations(networkId, state, Object.keys(state?.members ?? {}))) {
        operations.set(`d:${(op as { key: string }).key}`, op);
      }
    }
    batch = undefined;
  }

  /** Writes staged entries in one synchronous batch; on failure, memory is put back as it was. */
  async function commit(staged: Staged[], operations: Map<string, unknown>, source: ChangeSource): Promise<void> {
    if (staged.length === 0) return;
    try {
      // What this node acknowledged to a user must survive a power loss; a peer's data can be pulled again.
      await database.db.batch([...operations.values()] as never, { sync: source === 'local' });
    } catch (error) {
      for (const { merged, existing } of [...staged].reverse()) {
        if (existing) index(existing);
        else unindex(merged.id);
      }
      for (const networkId of new Set(staged.map((s) => s.networkId))) {
        const restored = fold(networkId);
        if (restored) states.set(networkId, restored);
        else states.delete(networkId);
        derived.delete(networkId);
        inventories.delete(networkId);
      }
      throw error;
    }
    for (const { merged, networkId } of staged) for (const listener of listeners) listener(merged, networkId, source);
  }

  async function store(entry: SignedAction): Promise<boolean> {
    const operations = new Map<string, unknown>();
    const staged = stage(entry, operations);
    if (staged) await commit([staged], operations, 'local');
    return staged !== undefined;
  }

  /** The state digest, computed when asked for and kept until the network changes. */
  function digestOf(networkId: string): string | undefined {
    const state = states.get(networkId);
    if (!state) return undefined;
    const digest = derived.get(networkId) ?? stateDigest(state);
    derived.set(networkId, digest);
    return digest;
  }

  /** An entry's outcome: pending and rejected lists are short, so no index is kept. */
  function outcomeOf(entry: SignedAction): { status: ProposalView['status']; code?: string } {
    const state = states.get(networkOf(entry));
    if (!state || state.pending.includes(entry.id)) return { status: 'pending' };
    const rejected = state.rejected.find((r) => r.id === entry.id);
    return rejected ? { status: 'rejected', code: rejected.code } : { status: 'applied' };
  }

  /**
   * A copy of the state that an action handler may change without touching the
   * original: handlers change only the governance list, the acting member's
   * versions and one recognition, so only those are copied (not every member).
   */
  function dryRunCopy(state: NetworkState, action: Action): NetworkState {
    const members = dictionary(state.members);
    if (typeof action.did === 'string' && members[action.did]) members[action.did] = [...members[action.did]];
    const recognitions = dictionary(state.recognitions);
    const target = action.recognizedNetwork as string | undefined;
    if (target && recognitions[target]) recognitions[target] = [...recognitions[target]];
    return {
      ...state,
      governance: [...state.governance],
      members,
      recognitions,
      applied: [...state.applied],
      pending: [],
      rejected: [],
    };
  }

  function view(entry: SignedAction): ProposalView {
    const networkId = networkOf(entry);
    const outcome = outcomeOf(entry);
    return {
      id: entry.id,
      network: networkId,
      action: entry.action,
      signatures: entry.signatures,
      approved: outcome.status === 'applied',
      status: outcome.status,
      ...(outcome.code ? { code: outcome.code } : {}),
    };
  }

  async function signWithHeldKeys(entry: SignedAction, candidates: string[]): Promise<SignedAction> {
    const signatures = [...entry.signatures];
    for (const did of candidates) {
      if (signatures.some((s) => s.signer === did) || !(await keyring.holds(did))) continue;
      signatures.push({ signer: did, signature: await keyring.sign(did, entry.id) });
    }
    return { ...entry, signatures };
  }

  function newAction(fields: Record<string, unknown>, effectiveAt?: unknown): Action {
    if (effectiveAt !== undefined && typeof effectiveAt !== 'string') {
      throw new RegistryError('INVALID_ACTION', 'effectiveAt must be a date-time string');
    }
    return {
      ...fields,
      effectiveAt: (effectiveAt as string | undefined) ?? now().toISOString(),
      nonce: randomBytes(12).toString('base64url'),
    } as Action;
  }

  const service: RegistryService = {
    networks: () => [...states.values()],
    network: (id) => states.get(id),
    // Hashing a large state costs; it changes only when an action is stored.
    digest: digestOf,

    async createNetwork(input, createOptions = {}) {
      const { name, description, governors, threshold, frameworkUrl } = input;
      const action = newAction(
        Object.fromEntries(
          Object.entries({ type: 'network.genesis', name, description, governors, threshold, frameworkUrl }).filter(
            ([, v]) => v !== undefined,
          ),
        ),
      );
      let entry = admit({ action, signatures: [] });
      if (createOptions.sign) entry = await signWithHeldKeys(entry, action.governors as string[]);
      await store(entry);
      return view(entries.get(entry.id)!);
    },

    async propose(networkId, input, proposeOptions = {}) {
      if (!input || typeof input !== 'object' || Array.isArray(input)) {
        throw new RegistryError('INVALID_ACTION', 'action must be an object');
      }
      const fields = { ...(input as Record<string, unknown>) };
      if (fields.type === 'network.genesis')
        throw new RegistryError('INVALID_ACTION', 'create networks with POST /networks');
      // API.md names the recognized network `network` inside the action; the signed form says `recognizedNetwork`.
      if (
        (fields.type === 'network.recognize' || fields.type === 'network.unrecognize') &&
        fields.network !== undefined
      ) {
        fields.recognizedNetwork = fields.network;
      }
      fields.network = networkId;
      const action = newAction(fields, proposeOptions.effectiveAt);
      let entry = admit({ action, signatures: [] });
      // Refuse what could never apply now (e.g. suspending a non-member): a clear error beats a silent rejection.
      const state = states.get(networkId as string)!;
      if (Date.parse(action.effectiveAt) < Date.parse(state.createdAt)) {
        throw new RegistryError('ACTION_NOT_APPLICABLE', 'effectiveAt is before the network existed', {
          code: 'BEFORE_GENESIS',
        });
      }
      const code = ACTION_HANDLERS[action.type].apply(dryRunCopy(state, action), { id: entry.id, action });
      if (code) throw new RegistryError('ACTION_NOT_APPLICABLE', `${action.type} cannot apply: ${code}`, { code });
      if (proposeOptions.sign) {
        entry = await signWithHeldKeys(entry, governanceAt(state, action.effectiveAt)?.governors ?? []);
      }
      await store(entry);
      return view(entries.get(entry.id)!);
    },

    async approve(id, approval) {
      const entry = entries.get(id);
      if (!entry) throw new NodeError('PROPOSAL_NOT_FOUND', `no proposal ${id}`);
      if (typeof approval.signer !== 'string') throw new RegistryError('INVALID_SIGNATURE', 'signer must be a DID');
      const signature =
        approval.sign === true ? await keyring.sign(approval.signer, id) : (approval.signature as string | undefined);
      if (typeof signature !== 'string')
        throw new RegistryError('INVALID_SIGNATURE', 'give a signature, or sign: true');
      const checked = admit({ id, action: entry.action, signatures: [{ signer: approval.signer, signature }] });
      await store(checked);
      return view(entries.get(id)!);
    },

    proposal: (id) => {
      const entry = entries.get(id);
      return entry ? view(entry) : undefined;
    },

    proposals(filter = {}) {
      const list = filter.network ? entriesOf(filter.network) : [...entries.values()];
      return list.map(view).filter((p) => !filter.pending || p.status === 'pending');
    },

    actions(networkId, page = {}) {
      const state = states.get(networkId);
      if (!state) throw new RegistryError('UNKNOWN_NETWORK', `unknown network ${networkId}`);
      const start = page.after ? state.applied.indexOf(page.after) + 1 : 0;
      const limit = Math.min(Math.max(page.limit ?? 100, 1), 1000);
      return state.applied.slice(start, start + limit).map((id) => entries.get(id)!);
    },

    allActions: (networkId) => entriesOf(networkId),

    inventoryDigest(networkId) {
      if (!byNetwork.has(networkId)) return undefined;
      let cached = inventories.get(networkId);
      if (!cached) {
        // Unsigned local proposals stay local (peers refuse them): offering them would refetch them forever.
        const items = entriesOf(networkId)
          .filter((e) => e.signatures.length > 0)
          .map((e) => [e.id, e.signatures.length] as [string, number])
          .sort((a, b) => (a[0] < b[0] ? -1 : 1));
        cached = { items, digest: sha256Base64url(items.map(([id, n]) => `${id}:${n}`).join('\n')) };
        inventories.set(networkId, cached);
      }
      return { network: networkId, inventory: cached.digest, count: cached.items.length };
    },

    inventory(networkId, after, limit) {
      service.inventoryDigest(networkId);
      const items = inventories.get(networkId)?.items ?? [];
      let start = 0;
      if (after) {
        // Items are sorted by id: binary search for the first id after `after`.
        let lo = 0;
        let hi = items.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (items[mid][0] <= after) lo = mid + 1;
          else hi = mid;
        }
        start = lo;
      }
      return items.slice(start, start + limit);
    },

    get(networkId, ids) {
      return ids
        .map((id) => entries.get(id))
        .filter((e): e is SignedAction => e !== undefined && networkOf(e) === networkId && e.signatures.length > 0);
    },

    signatureCount: (id) => entries.get(id)?.signatures.length,

    async ingest(list, ingestOptions = {}) {
      const accepted: string[] = [];
      const rejected: IngestResult['rejected'] = [];
      const admitted: SignedAction[] = [];
      // Genesis first, then in fold order (effectiveAt, id): later actions may need the network (and governors)
      // they name, and a history arriving in fold order is folded in by appending, entry by entry.
      const key = (raw: unknown) => {
        const e = raw as SignedAction | null;
        const time = Date.parse(String(e?.action?.effectiveAt));
        return {
          genesis: e?.action?.type === 'network.genesis' ? 0 : 1,
          time: Number.isNaN(time) ? Number.POSITIVE_INFINITY : time,
          id: String(e?.id),
        };
      };
      const ordered = list
        .map((raw) => ({ raw, key: key(raw) }))
        .sort(
          (x, y) =>
            x.key.genesis - y.key.genesis ||
            (x.key.time === y.key.time ? 0 : x.key.time < y.key.time ? -1 : 1) ||
            (x.key.id < y.key.id ? -1 : x.key.id > y.key.id ? 1 : 0),
        )
        .map(({ raw }) => raw);
      // Checked one by one (each may depend on the ones before), written together.
      const operations = new Map<string, unknown>();
      const staged: Staged[] = [];
      batch = { stale: new Set(), refolded: new Set() };
      try {
        for (const raw of ordered) {
          try {
            const entry = admitFromElsewhere(raw, ingestOptions.network);
            const done = stage(entry, operations);
            if (done) {
              staged.push(done);
              accepted.push(done.merged.id);
              admitted.push(entry);
            }
          } catch (error) {
            const code = (error as { code?: string }).code ?? 'INVALID_ACTION';
            rejected.push({ id: (raw as SignedAction)?.id, code, message: (error as Error).message });
          }
        }
      } finally {
        finishBatch(operations);
      }
      await commit(staged, operations, 'peer');
      return { accepted, rejected, admitted };
    },

    async rebuild(rebuildOptions = {}) {
      const operations: unknown[] = [];
      for await (const key of database.networks.keys())
        operations.push({ type: 'del', sublevel: database.networks, key });
      for await (const key of database.members.keys())
        operations.push({ type: 'del', sublevel: database.members, key });
      states.clear();
      derived.clear();
      let done = 0;
      for (const networkId of byNetwork.keys()) {
        rebuildOptions.onProgress?.(done++, byNetwork.size);
        const state = fold(networkId);
        if (!state) continue;
        states.set(networkId, state);
        operations.push(...derivedOperations(networkId, state, Object.keys(state.members)));
      }
      await database.db.batch(operations as never, { sync: true });
      rebuildOptions.onProgress?.(byNetwork.size, byNetwork.size);
      return { networks: states.size, actions: entries.size };
    },

    onChange(listener) {
      listeners.push(listener);
    },
  };
  return service;
}
