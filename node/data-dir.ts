/**
 * Opening a data directory (`DIR/db`, the LevelDB database, and `DIR/node.json`, the ledger) with the guards
 * that keep damage from turning into a different node: a new identity is created only in a directory that
 * never had one; a database that does not open, or that lost writes the ledger saw acknowledged, stops the
 * start with the cause and the repair path (`ler-node repair --data DIR`, see repair.ts).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeError } from './errors.ts';
import { type InitResult, loadOrCreateIdentity } from './identity.ts';
import { LIST_VERSION_PREFIX } from './issuing/status-lists.ts';
import { type Database, openDatabase } from './storage/database.ts';
import { type AcknowledgedOp, type Ledger, openLedger } from './storage/ledger.ts';

export interface OpenedDataDir extends InitResult {
  database: Database;
  ledger: Ledger;
}

export const dbPathOf = (dataDir: string) => join(dataDir, 'db');
export const ledgerPathOf = (dataDir: string) => join(dataDir, 'node.json');
export const repairHint = (dataDir: string) =>
  `Nothing was changed. Stop the node, back up ${dataDir}, then run \`ler-node repair --data ${dataDir}\``;

async function hasFiles(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length > 0;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return false;
    throw error;
  }
}

async function isEmpty(database: Database): Promise<boolean> {
  for await (const _ of database.db.keys({ limit: 1 })) return false;
  return true;
}

/** The acknowledged operations the database no longer holds, oldest first. */
export async function lostOperations(database: Database, recent: AcknowledgedOp[]): Promise<AcknowledgedOp[]> {
  const lost: AcknowledgedOp[] = [];
  for (const op of recent) {
    if (op.op === 'issue') {
      if ((await database.issued.get(op.id)) === undefined) lost.push(op);
    } else {
      // The list's change counter is stored with its bits: below the recorded one, the change is gone.
      const version = ((await database.meta.get(`${LIST_VERSION_PREFIX}${op.listId}`)) as number | undefined) ?? 0;
      if (version < op.version) lost.push(op);
    }
  }
  return lost;
}

export function describeOp(op: AcknowledgedOp): string {
  return op.op === 'issue' ? `credential ${op.id}` : `${op.value ? 'set' : 'clear'} status ${op.listId}#${op.index}`;
}

/**
 * Opens the data directory for `init` or `start`: creates the database and identity only in a directory that
 * has neither a ledger nor database files; otherwise refuses to go on without the identity the ledger names
 * or with acknowledged writes missing.
 */
export async function openDataDir(
  dataDir: string,
  options: { didWeb?: string; adminToken?: string } = {},
): Promise<OpenedDataDir> {
  const ledger = await openLedger(ledgerPathOf(dataDir));
  const dbPath = dbPathOf(dataDir);
  const fresh = !ledger.exists() && !(await hasFiles(dbPath));
  const hint = repairHint(dataDir);
  const database = await openDatabase(dbPath, { createIfMissing: fresh, repairHint: hint });
  try {
    const knownDid = ledger.did();
    const stored = (await database.keys.get('institution')) as { did: string } | undefined;
    if (knownDid && !stored) {
      throw new NodeError(
        'IDENTITY_MISSING',
        `${dataDir} belongs to ${knownDid} (${ledgerPathOf(dataDir)}), but its database has no identity; refusing to create a new one. ${hint}`,
      );
    }
    if (knownDid && stored && stored.did !== knownDid) {
      throw new NodeError(
        'IDENTITY_MISSING',
        `${dataDir} belongs to ${knownDid}, but its database holds ${stored.did}; refusing to start. ${hint}`,
      );
    }
    if (!knownDid && !stored && !(await isEmpty(database))) {
      throw new NodeError(
        'IDENTITY_MISSING',
        `the database in ${dataDir} holds data but no identity; refusing to create a new one. ${hint}`,
      );
    }
    const result = await loadOrCreateIdentity(database, options);
    // Written after the identity (a crash in between leaves a directory that still opens, without a marker).
    if (ledger.did() !== result.identity.did) await ledger.setDid(result.identity.did);
    const lost = await lostOperations(database, ledger.recent());
    if (lost.length > 0) {
      throw new NodeError(
        'DATA_LOST',
        `the database lost ${lost.length} acknowledged write(s) (${lost.slice(0, 3).map(describeOp).join(', ')}${lost.length > 3 ? ', …' : ''}); refusing to start. ${hint}`,
        { lost },
      );
    }
    return { ...result, database, ledger };
  } catch (error) {
    await database.close();
    throw error;
  }
}
