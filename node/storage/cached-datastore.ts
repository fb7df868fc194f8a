/**
 * libp2p's datastore (peer store, DHT records) over the node's level sublevel, with the values held in memory and
 * writes coalesced (decision 0048).
 *
 * libp2p updates the peer store on every stream a connection opens (the protocol it negotiated, even when
 * already recorded), and each update is a read and a write of the peer's record, always written because it
 * carries an `updated` time. At an idle node among many, those level reads and writes were the largest part of
 * its CPU. Here a read of a key seen before is answered from memory, and writes reach level in one batch per
 * `flushMs` (a key written ten times in that window is written once). What a crash can lose is the last
 * `flushMs` of peer-store updates: addresses and protocols that identify hands over again on the next connect.
 * Queries (which libp2p uses to list peers and provider records) first flush, so they see every write.
 */
import { LevelDatastore } from 'datastore-level';

type Level = ConstructorParameters<typeof LevelDatastore>[0];
type Key = Parameters<LevelDatastore['put']>[0];

export interface CachedDatastoreOptions {
  /** How long writes wait to be written together. Default 5 s. */
  flushMs?: number;
  /** Values kept in memory (least recently used dropped first, never one not yet written). Default 10,000. */
  maxEntries?: number;
  /** A failed flush: the writes stay pending and are tried again at the next flush. */
  onError?: (error: unknown) => void;
}

class NotFound extends Error {
  // The name libp2p's peer store and kad-dht test for (interface-datastore's NotFoundError).
  override name = 'NotFoundError';
}

export class CachedLevelDatastore extends LevelDatastore {
  readonly #flushMs: number;
  readonly #maxEntries: number;
  readonly #onError?: (error: unknown) => void;
  /** key → value, or null when known absent. */
  readonly #values = new Map<string, Uint8Array | null>();
  /** Keys written or deleted since the last flush, with what to write (null: delete). */
  readonly #pending = new Map<string, Uint8Array | null>();
  /** Bumped by every write: a level read that started before one must not fill the cache with its old value. */
  #generation = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;

  constructor(db: Level, options: CachedDatastoreOptions = {}) {
    super(db);
    this.#flushMs = options.flushMs ?? 5_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#onError = options.onError;
  }

  /** Writes waiting for the next flush (for the node page and tests). */
  pendingWrites(): number {
    return this.#pending.size;
  }

  #remember(key: string, value: Uint8Array | null): void {
    this.#values.delete(key);
    this.#values.set(key, value);
    if (this.#values.size <= this.#maxEntries) return;
    for (const old of this.#values.keys()) {
      if (this.#values.size <= this.#maxEntries) break;
      if (!this.#pending.has(old)) this.#values.delete(old);
    }
  }

  #write(key: string, value: Uint8Array | null): void {
    this.#generation++;
    this.#remember(key, value);
    this.#pending.set(key, value);
    this.#timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.#flushMs).unref();
  }

  override async put(key: Key, value: Uint8Array): Promise<Key> {
    this.#write(key.toString(), value);
    return key;
  }

  override async delete(key: Key): Promise<void> {
    this.#write(key.toString(), null);
  }

  override async get(key: Key, options?: { signal?: AbortSignal }): Promise<Uint8Array> {
    const k = key.toString();
    const known = this.#values.get(k);
    if (known !== undefined) {
      this.#remember(k, known);
      if (known === null) throw new NotFound('Not Found');
      return known;
    }
    const generation = this.#generation;
    try {
      const value = await super.get(key, options);
      if (generation === this.#generation) this.#remember(k, value);
      return value;
    } catch (error) {
      if ((error as Error).name === 'NotFoundError' && generation === this.#generation) this.#remember(k, null);
      throw error;
    }
  }

  override async has(key: Key, options?: { signal?: AbortSignal }): Promise<boolean> {
    try {
      await this.get(key, options);
      return true;
    } catch (error) {
      if ((error as Error).name === 'NotFoundError') return false;
      throw error;
    }
  }

  override batch() {
    const ops: Array<[string, Uint8Array | null]> = [];
    return {
      put: (key: Key, value: Uint8Array) => void ops.push([key.toString(), value]),
      delete: (key: Key) => void ops.push([key.toString(), null]),
      commit: async () => {
        for (const [key, value] of ops) this.#write(key, value);
      },
    };
  }

  // Flushed when the caller starts reading (a flush started here, never read, could fail unhandled).
  override query(...args: Parameters<LevelDatastore['query']>): ReturnType<LevelDatastore['query']> {
    const flush = () => this.flush();
    const inner = () => super.query(...args);
    return (async function* () {
      await flush();
      yield* inner();
    })();
  }

  override queryKeys(...args: Parameters<LevelDatastore['queryKeys']>): ReturnType<LevelDatastore['queryKeys']> {
    const flush = () => this.flush();
    const inner = () => super.queryKeys(...args);
    return (async function* () {
      await flush();
      yield* inner();
    })();
  }

  /** Writes every pending change to level in one batch. */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    // One flush at a time: writes made during one go in the next.
    while (this.#flushing) await this.#flushing.catch(() => undefined);
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending];
    this.#pending.clear();
    const ops = batch.map(([key, value]) =>
      value === null ? { type: 'del' as const, key } : { type: 'put' as const, key, value },
    );
    this.#flushing = (this.db as unknown as { batch(ops: unknown[]): Promise<void> }).batch(ops).then(
      () => undefined,
      (error: unknown) => {
        // Not lost: pending again unless written anew meanwhile, and tried at the next flush.
        for (const [key, value] of batch) if (!this.#pending.has(key)) this.#pending.set(key, value);
        this.#timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.#flushMs).unref();
        this.#onError?.(error);
        throw error;
      },
    );
    try {
      await this.#flushing;
    } finally {
      this.#flushing = undefined;
    }
  }

  override async close(): Promise<void> {
    await this.flush();
    await super.close();
  }
}
