/**
 * `ler-node repair --data DIR`: LevelDB's own repair (ClassicLevel.repair: rebuilds the MANIFEST from the
 * tables and logs that are left), then a check of what is left against the ledger (`DIR/node.json`):
 *
 * - the identity must be there and be the DID the ledger names (otherwise only a backup helps);
 * - acknowledged operations the database lost are restored from the ledger where possible (index entries
 *   of issued credentials, status bits; lists whose bits changed are re-signed at the next start);
 * - the issued-credential index, the slot keys and the lists must agree.
 *
 * Slot reservations in the ledger are kept, so no status slot handed out before the damage is handed out
 * again. The node must be stopped.
 */
import { rename } from 'node:fs/promises';
import { Level } from 'level';
import { withStatusValue } from '../registry/status/bitstring.ts';
import { dbPathOf, describeOp, ledgerPathOf, lostOperations } from './data-dir.ts';
import type { NodeError } from './errors.ts';
import { LIST_VERSION_PREFIX, RESIGN_PREFIX } from './issuing/status-lists.ts';
import { openDatabase } from './storage/database.ts';
import { openLedger } from './storage/ledger.ts';

/**
 * level's `Level` is classic-level's `ClassicLevel`, whose static `repair` (LevelDB's RepairDB) level's
 * types leave out; classic-level is not a direct dependency, so it is reached through `Level`.
 */
const repairLevelDb = (location: string) =>
  (Level as unknown as { repair(location: string): Promise<void> }).repair(location);

export interface RepairSummary {
  /** The identity found after the repair (undefined: gone; restore the directory from a backup). */
  did?: string;
  /** The DID the ledger names (the directory's owner). */
  ledgerDid?: string;
  issued: number;
  lists: number;
  restored: string[];
  unrecoverable: string[];
  inconsistencies: string[];
  /** Whether `ler-node start` will accept the directory now. */
  ok: boolean;
}

/** Opens the ledger; a damaged one is set aside (its reservations are lost: the node then starts new lists). */
async function openOrReplaceLedger(dataDir: string, notes: string[]) {
  const path = ledgerPathOf(dataDir);
  try {
    return await openLedger(path);
  } catch (error) {
    if ((error as NodeError).code !== 'DATA_DIR_DAMAGED') throw error;
    const aside = `${path}.damaged-${Date.now()}`;
    await rename(path, aside);
    notes.push(`${path} was damaged and is kept as ${aside}; new status lists will be started`);
    return openLedger(path);
  }
}

export async function repairDataDir(dataDir: string): Promise<RepairSummary> {
  const notes: string[] = [];
  const ledger = await openOrReplaceLedger(dataDir, notes);
  const dbPath = dbPathOf(dataDir);
  // A running node holds the lock; repairing under it would corrupt what it writes.
  try {
    await (await openDatabase(dbPath, { createIfMissing: false })).close();
  } catch (error) {
    if ((error as NodeError).code === 'DATA_DIR_IN_USE') throw error;
  }
  await repairLevelDb(dbPath);
  const database = await openDatabase(dbPath, { createIfMissing: false });
  try {
    const summary: RepairSummary = {
      ledgerDid: ledger.did(),
      issued: 0,
      lists: 0,
      restored: [],
      unrecoverable: [],
      inconsistencies: [...notes],
      ok: false,
    };
    const institution = (await database.keys.get('institution')) as { did: string } | undefined;
    const complete =
      institution !== undefined &&
      (await database.keys.get('libp2p')) !== undefined &&
      (await database.meta.get('adminTokenHash')) !== undefined;
    summary.did = complete ? institution.did : undefined;

    for (const op of await lostOperations(database, ledger.recent())) {
      if (op.op === 'issue') {
        const slots = (op.record.status ?? []) as Array<{ listId: string; index: number }>;
        const listsThere = await Promise.all(
          slots.map(async (s) => (await database.lists.get(s.listId)) !== undefined),
        );
        if (!listsThere.every(Boolean)) {
          summary.unrecoverable.push(`${describeOp(op)} (its status list is gone too)`);
          continue;
        }
        await database.db.batch(
          [
            { type: 'put', sublevel: database.issued, key: op.id, value: op.record },
            ...slots.map((s) => ({
              type: 'put',
              sublevel: database.slots,
              key: `${s.listId}!${s.index}`,
              value: op.id,
            })),
          ] as never,
          { sync: true },
        );
      } else {
        const bits = (await database.bits.get(op.listId)) as Uint8Array | undefined;
        if (!bits) {
          summary.unrecoverable.push(`${describeOp(op)} (the list is gone)`);
          continue;
        }
        // Lost changes are re-applied in the order they were acknowledged, the counter with them.
        await database.db.batch(
          [
            {
              type: 'put',
              sublevel: database.bits,
              key: op.listId,
              value: withStatusValue(bits, op.index, op.size ?? 1, Number(op.value)),
            },
            { type: 'put', sublevel: database.meta, key: `${LIST_VERSION_PREFIX}${op.listId}`, value: op.version },
            { type: 'put', sublevel: database.meta, key: `${RESIGN_PREFIX}${op.listId}`, value: true },
          ] as never,
          { sync: true },
        );
      }
      summary.restored.push(describeOp(op));
    }

    const lists = new Set<string>();
    for await (const key of database.lists.keys()) lists.add(key as string);
    summary.lists = lists.size;
    for await (const [id, value] of database.issued.iterator()) {
      summary.issued++;
      for (const slot of (value as { status?: Array<{ listId: string; index: number }> }).status ?? []) {
        const holder = await database.slots.get(`${slot.listId}!${slot.index}`);
        if (!lists.has(slot.listId)) summary.inconsistencies.push(`${id}: status list ${slot.listId} is missing`);
        else if (holder !== id) summary.inconsistencies.push(`${id}: slot ${slot.listId}#${slot.index} not recorded`);
      }
    }
    for await (const [key, id] of database.slots.iterator()) {
      if ((await database.issued.get(id as string)) === undefined) {
        summary.inconsistencies.push(`slot ${key} is taken by ${id}, which the index no longer has`);
      }
    }
    for (const listId of lists) {
      if ((await database.bits.get(listId)) === undefined)
        summary.inconsistencies.push(`status list ${listId} has no bits`);
      if ((await database.statusCredentials.get(listId)) === undefined) {
        summary.inconsistencies.push(`status list ${listId} has no signed credential`);
      }
    }

    summary.ok = summary.did !== undefined && (summary.ledgerDid === undefined || summary.ledgerDid === summary.did);
    if (summary.ok) {
      // What could be restored is back; what could not is listed above and accepted by running repair.
      await ledger.forgetRecent();
      if (!ledger.did()) await ledger.setDid(summary.did as string);
    }
    return summary;
  } finally {
    await database.close();
    await ledger.close();
  }
}

export function formatRepairSummary(dataDir: string, s: RepairSummary): string {
  const lines = [
    `repaired the database in ${dataDir}`,
    `identity:        ${s.did ?? 'MISSING'}${s.ledgerDid && s.ledgerDid !== s.did ? ` (the directory belongs to ${s.ledgerDid})` : ''}`,
    `issued:          ${s.issued} credential(s) in the index, ${s.lists} status list(s)`,
    `restored:        ${s.restored.length}${s.restored.length ? ` (${s.restored.join(', ')})` : ''}`,
    `unrecoverable:   ${s.unrecoverable.length}${s.unrecoverable.length ? ` (${s.unrecoverable.join(', ')})` : ''}`,
    `inconsistencies: ${s.inconsistencies.length}`,
    ...s.inconsistencies.slice(0, 20).map((i) => `  - ${i}`),
    s.ok
      ? 'the node can start again; status slots handed out before the damage will not be handed out again'
      : "the identity is gone or not this directory's: the node will not start; restore the directory from a backup",
  ];
  return `${lines.join('\n')}\n`;
}
