/**
 * Offline audit of an exported network history: every action id, every
 * signature, every threshold and the genesis-derived network id are checked
 * again from scratch, and the resulting state digest is computed.
 */
import { verifyActionSignature } from '../../protocol/signing/governor-keys.ts';
import { validateAction } from '../../registry/actions/index.ts';
import { contentId } from '../../registry/canonical.ts';
import { foldNetwork, stateDigest } from '../../registry/fold.ts';
import type { NetworkState, SignedAction } from '../../registry/types.ts';

export const EXPORT_FORMAT = 'ler-network-export/1';

export interface NetworkExport {
  format: typeof EXPORT_FORMAT;
  network: string;
  digest?: string;
  actions: SignedAction[];
}

export interface AuditResult {
  ok: boolean;
  network: string;
  digest?: string;
  claimedDigest?: string;
  applied: number;
  pending: number;
  rejected: number;
  problems: string[];
  state?: NetworkState;
}

/** `onProgress(done, total)` as the actions' ids and signatures are checked (the CLI's progress line). */
export function auditExport(
  data: unknown,
  options: { onProgress?: (done: number, total: number) => void } = {},
): AuditResult {
  const problems: string[] = [];
  const doc = data as Partial<NetworkExport> | null;
  if (!doc || typeof doc !== 'object' || doc.format !== EXPORT_FORMAT || !Array.isArray(doc.actions)) {
    return {
      ok: false,
      network: '',
      applied: 0,
      pending: 0,
      rejected: 0,
      problems: [`not a ${EXPORT_FORMAT} document`],
    };
  }
  const network = String(doc.network);
  const valid: SignedAction[] = [];
  for (const [i, entry] of doc.actions.entries()) {
    options.onProgress?.(i, doc.actions.length);
    try {
      const action = validateAction(entry?.action);
      const id = contentId(action);
      if (id !== entry.id) {
        problems.push(`actions[${i}]: id ${entry.id} is not the hash of its action (${id})`);
        continue;
      }
      for (const s of entry.signatures ?? []) {
        if (!verifyActionSignature(id, s.signer, s.signature))
          problems.push(`actions[${i}] (${id}): signature of ${s.signer} is invalid`);
      }
      valid.push(entry);
    } catch (error) {
      problems.push(`actions[${i}]: ${(error as Error).message}`);
    }
  }
  options.onProgress?.(doc.actions.length, doc.actions.length);
  const genesis = valid.find((e) => e.id === network);
  if (genesis?.action.type !== 'network.genesis') problems.push(`no genesis whose id is the network id ${network}`);
  const state = foldNetwork(network, valid, { verifySignature: verifyActionSignature });
  if (!state) problems.push('the genesis is not approved by its own threshold');
  const digest = state ? stateDigest(state) : undefined;
  if (doc.digest && digest && doc.digest !== digest)
    problems.push(`digest ${digest} differs from the exported ${doc.digest}`);
  return {
    ok: problems.length === 0,
    network,
    digest,
    claimedDigest: doc.digest,
    applied: state?.applied.length ?? 0,
    pending: state?.pending.length ?? 0,
    rejected: state?.rejected.length ?? 0,
    problems,
    state,
  };
}
