import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGovernorKeyring } from '../../../node/registry/governor-keys.ts';
import { openRegistryService, type RegistryService } from '../../../node/registry/registry-service.ts';
import { type Database, openDatabase } from '../../../node/storage/database.ts';
import type { SignedAction } from '../../../registry/types.ts';
import { tempDir } from '../../helpers/node.ts';
import { genesis, governors, makeAction, signed } from '../../helpers/registry.ts';

const [g1, g2, g3] = governors(3);

describe('what the registry takes from peers', () => {
  let dir: string;
  let database: Database;
  let registry: RegistryService;
  const origin = genesis([g1, g2, g3], 3);
  const proposal = (i: number, signers = [g1]): SignedAction =>
    signed(
      makeAction({
        type: 'member.add',
        network: origin.id,
        effectiveAt: `2026-02-01T00:00:${String(i).padStart(2, '0')}Z`,
        did: `did:web:m${i}.example`,
        name: `M${i}`,
      }),
      signers,
    );

  beforeEach(async () => {
    dir = await tempDir();
    database = await openDatabase(join(dir, 'db'));
    registry = await openRegistryService({
      database,
      keyring: createGovernorKeyring(database),
      maxPendingPerNetwork: 5,
      maxPendingPerSigner: 3,
    });
    await registry.ingest([origin]);
  });
  afterEach(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an entry without any signature', async () => {
    const result = await registry.ingest([proposal(1, [])]);
    expect(result.rejected).toMatchObject([{ code: 'UNSIGNED_ACTION' }]);
    expect(registry.proposals({ network: origin.id, pending: true })).toEqual([]);
  });

  it('refuses an entry of another network than the one asked for', async () => {
    const other = genesis([g1], 1);
    const result = await registry.ingest([other], { network: origin.id });
    expect(result.rejected).toMatchObject([{ code: 'WRONG_NETWORK' }]);
    expect(registry.network(other.id)).toBeUndefined();
  });

  it('keeps at most the bound of pending proposals per signer and per network', async () => {
    const first = [1, 2, 3, 4].map((i) => proposal(i));
    const byG1 = await registry.ingest(first);
    expect(byG1.accepted).toHaveLength(3);
    expect(byG1.rejected).toMatchObject([{ code: 'TOO_MANY_PENDING' }]);
    const byG2 = await registry.ingest([5, 6, 7].map((i) => proposal(i, [g2])));
    expect(byG2.accepted).toHaveLength(2);
    expect(registry.proposals({ network: origin.id, pending: true })).toHaveLength(5);
    // More signatures on a held proposal, and an approved one, still come in.
    const withG2 = signed(first[0].action, [g1, g2]);
    const more = await registry.ingest([withG2, proposal(8, [g1, g2, g3])]);
    expect(more.accepted).toHaveLength(2);
  });
});
