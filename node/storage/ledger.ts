/**
 * The data directory's ledger: a small file beside the database (`DIR/node.json`), written atomically (temp
 * file, fsync, rename, fsync of the directory) and never by LevelDB. It holds what must survive damage to
 * the database itself:
 *
 * - the institution DID, written when the identity is created: a node never mints a new identity over a
 *   directory that had one (LevelDB with `CURRENT` deleted opens as an empty database);
 * - per status list, how far slot allocation has reserved: slots are handed out from a counter whose
 *   high-water mark is here before any slot below it is used, so a database that lost its newest writes
 *   never hands a slot out again;
 * - the most recent acknowledged operations (issues, status changes), so a database that silently lost its
 *   newest writes (a truncated write-ahead log opens without error) is detected at start.
 *
 * The DID and the reservations live in `node.json` (rewritten atomically: temp file, fsync, rename, fsync of
 * the directory; rare). Acknowledged operations are appended to `node.journal`, one JSON line each, with
 * fdatasync before the acknowledgement (concurrent ones share one append: group commit); the journal is
 * cut back to the newest operations from time to time. A torn last line is an operation never acknowledged.
 */
import { type FileHandle, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NodeError } from '../errors.ts';

export type AcknowledgedOp =
  /** `record` is the index entry (status slots, time, suite; never the credential): repair can restore it. */
  | { op: 'issue'; id: string; record: Record<string, unknown> }
  /** `version`: the list's change counter after this change (a later change has a higher one). */
  | { op: 'status'; listId: string; index: number; value: boolean | number; size?: number; version: number };

interface LedgerState {
  format: 1;
  did?: string;
  createdAt?: string;
  /** listId → slots reserved (the allocation counter never goes below this after a restart). */
  reserved: Record<string, number>;
}

export interface Ledger {
  /** The path of the file, or undefined for an in-memory ledger. */
  path?: string;
  /** Whether the file existed when opened (or has been written since). */
  exists(): boolean;
  did(): string | undefined;
  setDid(did: string): Promise<void>;
  reserved(listId: string): number | undefined;
  /** Durably raises a list's reservation to `upTo` slots. */
  reserve(listId: string, upTo: number): Promise<void>;
  /** Drops a closed list's reservation (no slot is drawn from it again); written with the next change. */
  forget(listId: string): void;
  /** Durably records an acknowledged operation (kept among the newest `RECENT_OPS`). */
  acknowledge(op: AcknowledgedOp): Promise<void>;
  recent(): AcknowledgedOp[];
  /** After a repair: the operator accepted that these are gone. */
  forgetRecent(): Promise<void>;
  close(): Promise<void>;
}

/** Enough to cover the operations in flight at once when a crash happens, and the log's reordering of them. */
export const RECENT_OPS = 64;
/** The journal is cut back to the newest `RECENT_OPS` lines when it grows past this. */
const JOURNAL_MAX_LINES = 16 * RECENT_OPS;

function emptyState(): LedgerState {
  return { format: 1, reserved: Object.create(null) };
}

function parseState(text: string, path: string): LedgerState {
  try {
    const value = JSON.parse(text) as LedgerState;
    if (value?.format !== 1 || typeof value.reserved !== 'object' || value.reserved === null) {
      throw new Error('not a ledger (format 1)');
    }
    return { ...value, reserved: Object.assign(Object.create(null), value.reserved) };
  } catch (error) {
    throw new NodeError('DATA_DIR_DAMAGED', `${path} is damaged: ${(error as Error).message}`);
  }
}

function parseJournal(text: string): AcknowledgedOp[] {
  const ops: AcknowledgedOp[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      ops.push(JSON.parse(line) as AcknowledgedOp);
    } catch {
      // a torn last line: the append never completed, so nothing was acknowledged with it
    }
  }
  return ops.slice(-RECENT_OPS);
}

/** Runs `write` so that every call made before it started is covered; concurrent calls share one run. */
function groupCommit(write: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const start = (): Promise<void> => {
    running = write().finally(() => {
      running = undefined;
    });
    return running;
  };
  return () => {
    if (!running) return start();
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return start();
      });
    return queued;
  };
}

async function syncDir(path: string): Promise<void> {
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

async function replaceDurably(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, text, { flush: true });
  await rename(temp, path);
  // The rename itself is durable only once the directory is.
  await syncDir(path);
}

interface Files {
  writeState(state: LedgerState): Promise<void>;
  append(lines: string): Promise<void>;
  rewriteJournal(lines: string): Promise<void>;
  close(): Promise<void>;
}

function createLedger(state: LedgerState, journal: AcknowledgedOp[], existed: boolean, files?: Files, path?: string) {
  let exists = existed;
  let recent = journal;
  let pending: string[] = [];
  let journalLines = journal.length;

  const flushState = groupCommit(async () => {
    if (!files) return;
    await files.writeState(structuredClone(state));
    exists = true;
  });
  const flushJournal = groupCommit(async () => {
    if (!files || pending.length === 0) return;
    const lines = pending.join('');
    pending = [];
    if (journalLines > JOURNAL_MAX_LINES) {
      journalLines = recent.length;
      await files.rewriteJournal(recent.map((op) => `${JSON.stringify(op)}\n`).join(''));
    } else {
      await files.append(lines);
    }
  });

  const ledger: Ledger = {
    path,
    exists: () => exists,
    did: () => state.did,
    async setDid(did) {
      state.did = did;
      state.createdAt ??= new Date().toISOString();
      await flushState();
    },
    reserved: (listId) => state.reserved[listId],
    async reserve(listId, upTo) {
      if ((state.reserved[listId] ?? 0) < upTo) state.reserved[listId] = upTo;
      await flushState();
    },
    forget(listId) {
      delete state.reserved[listId];
    },
    async acknowledge(op) {
      recent.push(op);
      if (recent.length > RECENT_OPS) recent = recent.slice(-RECENT_OPS);
      pending.push(`${JSON.stringify(op)}\n`);
      journalLines++;
      await flushJournal();
    },
    recent: () => [...recent],
    async forgetRecent() {
      recent = [];
      pending = [];
      journalLines = 0;
      await files?.rewriteJournal('');
    },
    async close() {
      await flushJournal().catch(() => undefined);
      await files?.close();
    },
  };
  return ledger;
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
    return undefined;
  }
}

/** Opens the ledger at `path` (`DIR/node.json`; absent: an empty one, written on the first change). */
export async function openLedger(path: string): Promise<Ledger> {
  const journalPath = `${path.replace(/\.json$/, '')}.journal`;
  const text = await readIfThere(path);
  const state = text === undefined ? emptyState() : parseState(text, path);
  const journal = parseJournal((await readIfThere(journalPath)) ?? '');
  let handle: FileHandle | undefined;
  const files: Files = {
    writeState: (s) => replaceDurably(path, `${JSON.stringify(s, null, 2)}\n`),
    async append(lines) {
      if (!handle) {
        handle = await open(journalPath, 'a');
        await syncDir(journalPath);
      }
      await handle.write(lines);
      await handle.datasync();
    },
    async rewriteJournal(lines) {
      await handle?.close();
      handle = undefined;
      await replaceDurably(journalPath, lines);
    },
    async close() {
      await handle?.close();
      handle = undefined;
    },
  };
  return createLedger(state, journal, text !== undefined, files, path);
}

/** A ledger that keeps nothing across restarts (benchmarks, scripts without a data directory). */
export function createMemoryLedger(): Ledger {
  return createLedger(emptyState(), [], false);
}
