/**
 * Backups of a data directory (decision 0040): a consistent snapshot of the whole database, taken from one
 * level iterator (an iterator reads the snapshot of the moment it was created, so a node that keeps writing
 * while the backup streams still yields one point in time), as a gzipped file of JSON lines:
 *
 *     {"format":"ler-node-backup","version":1,"did":…,"createdAt":…,"nodeVersion":…}
 *     ["<key base64>","<value base64>"]          one line per database entry, raw bytes
 *     {"entries":N,"sha256":"<hex of every byte above this line>"}
 *
 * A restore checks the header, the count and the checksum in a first pass before it writes anything, then
 * writes the entries into a new database beside the data directory's and moves it into place, after the
 * ledger (node.json) names the DID: an interrupted restore leaves a directory that refuses to start instead
 * of one that would mint a new identity (decision 0016).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { link, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { Level } from 'level';
import { NodeError } from '../errors.ts';
import type { Database } from './database.ts';

export const BACKUP_FORMAT = 'ler-node-backup';
export const BACKUP_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  did: string;
  createdAt: string;
  nodeVersion?: string;
}

export interface BackupSummary extends BackupHeader {
  entries: number;
  sha256: string;
}

/** Entries per write batch during a restore: bounded memory, and few fsyncs. */
const RESTORE_BATCH = 1_000;

/**
 * The backup's lines (each ending in a newline), read from one snapshot of `database`. The checksum covers
 * every byte before the trailer.
 */
export async function* backupLines(
  database: Database,
  options: { nodeVersion?: string; now?: () => Date } = {},
): AsyncGenerator<string> {
  // The iterator is created first: what it reads is the moment the backup was asked for.
  const iterator = database.db.iterator({ keyEncoding: 'view', valueEncoding: 'view' });
  try {
    const institution = (await database.keys.get('institution')) as { did: string } | undefined;
    if (!institution) throw new NodeError('IDENTITY_MISSING', 'the database holds no identity; nothing to back up');
    const hash = createHash('sha256');
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      did: institution.did,
      createdAt: (options.now?.() ?? new Date()).toISOString(),
      ...(options.nodeVersion ? { nodeVersion: options.nodeVersion } : {}),
    };
    const first = `${JSON.stringify(header)}\n`;
    hash.update(first);
    yield first;
    let entries = 0;
    for await (const [key, value] of iterator as AsyncIterable<[Uint8Array, Uint8Array]>) {
      const line = `${JSON.stringify([Buffer.from(key).toString('base64'), Buffer.from(value).toString('base64')])}\n`;
      hash.update(line);
      entries++;
      yield line;
    }
    yield `${JSON.stringify({ entries, sha256: hash.digest('hex') })}\n`;
  } finally {
    await iterator.close();
  }
}

/** The backup as a gzipped byte stream (HTTP responses, files). */
export function backupStream(database: Database, options: { nodeVersion?: string } = {}): Readable {
  const gzip = createGzip();
  // pipeline destroys the gzip stream with the error, so a reader sees a failed download, never a short file.
  pipeline(Readable.from(backupLines(database, options)), gzip).catch(() => undefined);
  return gzip;
}

/**
 * Writes a backup stream to `file`: to `file.partial` first, linked to its final name when complete (a link
 * never replaces an existing file), so a file under the final name is always whole and an existing backup is
 * never overwritten (EEXIST).
 */
export async function writeBackupFile(source: Readable, file: string): Promise<void> {
  if (existsSync(file)) throw Object.assign(new Error(`${file} exists`), { code: 'EEXIST', path: file });
  const partial = `${file}.partial`;
  try {
    await pipeline(source, createWriteStream(partial, { flags: 'w', flush: true }));
    await link(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}

function damaged(file: string, why: string): NodeError {
  return new NodeError('BACKUP_INVALID', `${file} is not a usable backup: ${why}; nothing was written`);
}

async function* lines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file).pipe(createGunzip());
  // A file that is not gzip (or is cut short) fails the gunzip stream: the same message as a bad checksum.
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of reader) yield line;
  } finally {
    reader.close();
    input.destroy();
  }
}

/** First pass: the header, the entry count and the checksum, without writing anything. */
export async function checkBackupFile(file: string): Promise<BackupSummary> {
  const hash = createHash('sha256');
  let header: BackupHeader | undefined;
  let trailer: { entries?: unknown; sha256?: unknown } | undefined;
  let entries = 0;
  try {
    for await (const line of lines(file)) {
      if (trailer) throw damaged(file, 'data after the checksum line');
      if (!header) {
        header = JSON.parse(line) as BackupHeader;
        if (header?.format !== BACKUP_FORMAT) throw damaged(file, `not a ${BACKUP_FORMAT} file`);
        if (header.version !== BACKUP_VERSION) {
          throw damaged(file, `format version ${header.version}; this node reads version ${BACKUP_VERSION}`);
        }
        hash.update(`${line}\n`);
      } else if (line.startsWith('[')) {
        hash.update(`${line}\n`);
        entries++;
      } else {
        trailer = JSON.parse(line);
      }
    }
  } catch (error) {
    if (error instanceof NodeError) throw error;
    throw damaged(file, (error as Error).message);
  }
  if (!header) throw damaged(file, 'empty');
  if (!trailer) throw damaged(file, 'no checksum line (cut short?)');
  const sha256 = hash.digest('hex');
  if (trailer.sha256 !== sha256) throw damaged(file, 'checksum mismatch');
  if (trailer.entries !== entries) throw damaged(file, `${entries} entries, the checksum line says ${trailer.entries}`);
  return { ...header, entries, sha256 };
}

/**
 * Second pass: writes the entries of a checked backup into a new database at `target` (which must not
 * exist), each batch synced. Entries are copied as raw bytes: sublevels and encodings come back as they were.
 */
export async function writeBackupEntries(file: string, target: string): Promise<number> {
  const db = new Level<Uint8Array, Uint8Array>(target, {
    keyEncoding: 'view',
    valueEncoding: 'view',
    createIfMissing: true,
    errorIfExists: true,
  });
  await db.open();
  let written = 0;
  try {
    let batch: Array<{ type: 'put'; key: Uint8Array; value: Uint8Array }> = [];
    for await (const line of lines(file)) {
      if (!line.startsWith('[')) continue;
      const [key, value] = JSON.parse(line) as [string, string];
      batch.push({ type: 'put', key: Buffer.from(key, 'base64'), value: Buffer.from(value, 'base64') });
      if (batch.length >= RESTORE_BATCH) {
        await db.batch(batch, { sync: true });
        written += batch.length;
        batch = [];
      }
    }
    if (batch.length) await db.batch(batch, { sync: true });
    written += batch.length;
  } finally {
    await db.close();
  }
  return written;
}
