/**
 * The node's one level database and its sublevels. Writes that belong together
 * go in one batch (atomic across sublevels); writes that acknowledge something
 * to a user use `sync: true` so they survive a crash of the machine too.
 */
import { Level } from 'level';
import { NodeError } from '../errors.ts';

export type Db = Level<string, unknown>;
export interface Database {
  db: Db;
  /** Small values about the node itself: DID, token hash, current status lists. */
  meta: ReturnType<Db['sublevel']>;
  /** Private keys: never returned by the API, never logged. */
  keys: ReturnType<Db['sublevel']>;
  /** credentialId → where its status entries live. */
  issued: ReturnType<Db['sublevel']>;
  /** listId!index → credentialId: which status slots are taken. */
  slots: ReturnType<Db['sublevel']>;
  /** listId → list metadata. */
  lists: ReturnType<Db['sublevel']>;
  /** listId → the list's bits (Uint8Array). */
  bits: ReturnType<Db['sublevel']>;
  /** listId → the signed BitstringStatusListCredential. */
  statusCredentials: ReturnType<Db['sublevel']>;
  /** Registry actions by id, with the governor signatures collected so far. */
  actions: ReturnType<Db['sublevel']>;
  /** networkId → the folded state's head (derived; rebuildable from `actions`). */
  networks: ReturnType<Db['sublevel']>;
  /** networkId!did → the member's versions (derived; rebuildable from `actions`). */
  members: ReturnType<Db['sublevel']>;
  /** publisher!kind!id → the winning publication. */
  publications: ReturnType<Db['sublevel']>;
  /** publisher!kind!id!version → conflicting publications kept as evidence. */
  equivocations: ReturnType<Db['sublevel']>;
  /** libp2p's datastore (peer store). */
  libp2p: ReturnType<Db['sublevel']>;
  close(): Promise<void>;
}

/** level's error and its `cause` chain, as one line: the real reason is at the end of the chain. */
export function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: string; code?: string; cause?: unknown } | undefined; e; ) {
    parts.push(e.code ? `${e.message} (${e.code})` : String(e.message ?? e));
    e = e.cause as typeof e;
  }
  return parts.join(': ');
}

export interface OpenDatabaseOptions {
  /**
   * Create the database if it is missing. Only for a brand-new data directory: with `CURRENT` deleted,
   * LevelDB would otherwise "create" a fresh database over the old files and discard the old tables.
   */
  createIfMissing?: boolean;
  /** Added to the message of a damaged database: what the operator can do. */
  repairHint?: string;
}

/** Opens the database at `path`; a locked one is "data directory in use", a damaged one says why. */
export async function openDatabase(path: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const db = new Level<string, unknown>(path, {
    valueEncoding: 'json',
    createIfMissing: options.createIfMissing ?? true,
  });
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') {
      throw new NodeError('DATA_DIR_IN_USE', `data directory in use by another process: ${path}`);
    }
    throw new NodeError(
      'DATABASE_DAMAGED',
      `cannot open the database at ${path}: ${causeChain(error)}${options.repairHint ? `. ${options.repairHint}` : ''}`,
      { cause: causeChain(error) },
    );
  }
  const json = { valueEncoding: 'json' } as const;
  return {
    db,
    meta: db.sublevel('meta', json),
    keys: db.sublevel('keys', json),
    issued: db.sublevel('issued', json),
    slots: db.sublevel('slots', json),
    lists: db.sublevel('lists', json),
    bits: db.sublevel('bits', { valueEncoding: 'view' }) as never,
    statusCredentials: db.sublevel('status-credentials', json),
    actions: db.sublevel('actions', json),
    networks: db.sublevel('networks', json),
    members: db.sublevel('members', json),
    publications: db.sublevel('publications', json),
    equivocations: db.sublevel('equivocations', json),
    libp2p: db.sublevel('libp2p', { valueEncoding: 'view' }) as never,
    close: () => db.close(),
  };
}
