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
 * Concurrent updates share one file write (group commit): each waits for a write that includes it.
 */
import { open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NodeError } from '../errors.ts';

export type AcknowledgedOp =
  /** `record` is the index entry (status slots, time, suite; never the credential): repair can restore it. */
  | { op: 'issue'; id: string; record: Record<string, unknown> }
  | { op: 'status'; listId: string; index: number; value: boolean };

interface LedgerState {
  format: 1;
  did?: string;
  createdAt?: string;
  /** listId → slots reserved (the allocation counter never goes below this after a restart). */
  reserved: Record<string, number>;
  /** The newest acknowledged operations, oldest first. */
  recent: AcknowledgedOp[];
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
}

/** Enough to cover the operations in flight at once when a crash happens, and the log's reordering of them. */
export const RECENT_OPS = 64;

function emptyState(): LedgerState {
  return { format: 1, reserved: Object.create(null), recent: [] };
}

function parseState(text: string, path: string): LedgerState {
  try {
    const value = JSON.parse(text) as LedgerState;
    if (value?.format !== 1 || typeof value.reserved !== 'object' || !Array.isArray(value.recent)) {
      throw new Error('not a ledger (format 1)');
    }
    return { ...value, reserved: Object.assign(Object.create(null), value.reserved) };
  } catch (error) {
    throw new NodeError('DATA_DIR_DAMAGED', `${path} is damaged: ${(error as Error).message}`);
  }
}

function createLedger(
  initial: LedgerState,
  existed: boolean,
  persist?: (state: LedgerState) => Promise<void>,
  path?: string,
): Ledger {
  const state = initial;
  let exists = existed;
  let writing: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  /** Resolves after a write that started after this call (so it carries every change made before it). */
  function flush(): Promise<void> {
    if (!persist) return Promise.resolve();
    if (!writing) {
      writing = persist(structuredClone(state)).finally(() => {
        writing = undefined;
      });
      exists = true;
      return writing;
    }
    next ??= writing
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return flush();
      });
    return next;
  }

  return {
    path,
    exists: () => exists,
    did: () => state.did,
    async setDid(did) {
      state.did = did;
      state.createdAt ??= new Date().toISOString();
      await flush();
    },
    reserved: (listId) => state.reserved[listId],
    async reserve(listId, upTo) {
      if ((state.reserved[listId] ?? 0) >= upTo) return flush();
      state.reserved[listId] = upTo;
      await flush();
    },
    forget(listId) {
      delete state.reserved[listId];
    },
    async acknowledge(op) {
      state.recent.push(op);
      if (state.recent.length > RECENT_OPS) state.recent.splice(0, state.recent.length - RECENT_OPS);
      await flush();
    },
    recent: () => [...state.recent],
    async forgetRecent() {
      state.recent = [];
      await flush();
    },
  };
}

async function writeDurably(path: string, state: LedgerState): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, { flush: true });
  await rename(temp, path);
  // The rename itself is durable only once the directory is.
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** Opens the ledger at `path` (absent: an empty one, written on the first change). */
export async function openLedger(path: string): Promise<Ledger> {
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  const state = text === undefined ? emptyState() : parseState(text, path);
  return createLedger(state, text !== undefined, (s) => writeDurably(path, s), path);
}

/** A ledger that keeps nothing across restarts (benchmarks, scripts without a data directory). */
export function createMemoryLedger(): Ledger {
  return createLedger(emptyState(), false);
}
