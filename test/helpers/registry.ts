/** Builds signed registry actions with real Ed25519 governor keys. */
import { randomBytes } from 'node:crypto';
import type { RegistryService } from '../../node/registry/registry-service.ts';
import { type GovernorKey, generateGovernorKey, signActionId } from '../../protocol/signing/governor-keys.ts';
import { contentId } from '../../registry/canonical.ts';
import type { Action, SignedAction } from '../../registry/types.ts';

export function governors(n: number): GovernorKey[] {
  return Array.from({ length: n }, () => generateGovernorKey());
}

export function makeAction(fields: Omit<Action, 'nonce'> & { nonce?: string }): Action {
  return { nonce: randomBytes(9).toString('base64url'), ...fields } as Action;
}

export function signed(action: Action, signers: GovernorKey[]): SignedAction {
  const id = contentId(action);
  return { id, action, signatures: signers.map((k) => ({ signer: k.did, signature: signActionId(k, id) })) };
}

export function genesis(
  govs: GovernorKey[],
  threshold: number,
  at = '2026-01-01T00:00:00Z',
  name = 'Test Network',
): SignedAction {
  return signed(
    makeAction({ type: 'network.genesis', effectiveAt: at, name, governors: govs.map((g) => g.did), threshold }),
    govs.slice(0, threshold),
  );
}

/**
 * Governance through a node's registry service by `signers`, who are all the governors (threshold = their
 * number): every proposal made here is approved by each of them at once.
 */
export function governance(registry: RegistryService, signers: GovernorKey[]) {
  const approve = async (id: string) => {
    for (const g of signers) await registry.approve(id, { signer: g.did, signature: signActionId(g, id) });
    return id;
  };
  return {
    async createNetwork(name: string): Promise<string> {
      const genesis = await registry.createNetwork({
        name,
        governors: signers.map((g) => g.did),
        threshold: signers.length,
      });
      return approve(genesis.id);
    },
    async act(network: string, action: Record<string, unknown>): Promise<string> {
      return approve((await registry.propose(network, action)).id);
    },
  };
}
