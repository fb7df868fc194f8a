/**
 * `ler-node backup` without a running node, and `ler-node restore` (decision 0040). A restore goes through
 * the data directory's rules (decision 0016): the ledger (node.json) names the backup's DID before the
 * database is moved into place, so an interrupted restore leaves a directory that refuses to start rather
 * than one that would create a new identity; the ledger gets no slot reservations, so no slot of the old
 * lists is handed out again (credentials issued after the backup may hold the slots above its counters):
 * new credentials go to new lists, and the old lists stay for status changes of the credentials they hold.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dbPathOf, ledgerPathOf } from './data-dir.ts';
import { NodeError } from './errors.ts';
import {
  type BackupSummary,
  backupStream,
  checkBackupFile,
  writeBackupEntries,
  writeBackupFile,
} from './storage/backup.ts';
import { openDatabase } from './storage/database.ts';
import { openLedger } from './storage/ledger.ts';

/** Backs up a stopped node's directory; DATA_DIR_IN_USE when a node holds it (then ask the node: POST /backup). */
export async function backupStoppedNode(dataDir: string, file: string, nodeVersion?: string): Promise<void> {
  if (!existsSync(dbPathOf(dataDir))) {
    throw new NodeError('NOT_FOUND', `no node data directory at ${dataDir} (no db/ inside)`);
  }
  const database = await openDatabase(dbPathOf(dataDir), { createIfMissing: false });
  try {
    await writeBackupFile(backupStream(database, { nodeVersion }), file);
  } finally {
    await database.close();
  }
}

const RESTORING = 'db.restoring';
/** What a data directory holds that a restore replaces (config.json, the operator's, stays). */
const REPLACED = ['db', 'node.json', 'node.journal', RESTORING];

export interface RestoreResult extends BackupSummary {
  dataDir: string;
  /** Where the directory's previous contents were moved (with --force). */
  setAside?: string;
}

export async function restoreDataDir(
  dataDir: string,
  file: string,
  options: { force?: boolean; now?: () => Date } = {},
): Promise<RestoreResult> {
  // Before anything is written or moved: the whole file, its count and its checksum.
  const summary = await checkBackupFile(file);
  await mkdir(dataDir, { recursive: true });
  const present = (await readdir(dataDir)).filter((name) => REPLACED.includes(name));
  let setAside: string | undefined;
  if (present.length > 0) {
    if (!options.force) {
      const interrupted = present.includes(RESTORING) ? ' (an interrupted restore)' : '';
      throw new NodeError(
        'DATA_DIR_NOT_EMPTY',
        `${dataDir} already holds a node${interrupted} (${present.join(', ')}); give --force to set it aside and restore`,
      );
    }
    // A running node holds the database lock: never move its files from under it.
    if (present.includes('db')) await (await openDatabase(dbPathOf(dataDir), { createIfMissing: false })).close();
    setAside = join(dataDir, `before-restore-${(options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-')}`);
    await mkdir(setAside);
    for (const name of present) await rename(join(dataDir, name), join(setAside, name));
  }
  // The marker first: from here on the directory belongs to the backup's DID.
  const ledger = await openLedger(ledgerPathOf(dataDir));
  try {
    await ledger.setDid(summary.did);
  } finally {
    await ledger.close();
  }
  const restoring = join(dataDir, RESTORING);
  await rm(restoring, { recursive: true, force: true });
  await writeBackupEntries(file, restoring);
  await rename(restoring, dbPathOf(dataDir));
  // The rename is durable once the directory is.
  const dir = await open(dataDir, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
  return { ...summary, dataDir, ...(setAside ? { setAside } : {}) };
}
