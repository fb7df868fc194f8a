/**
 * This node's own Bitstring Status Lists: allocating status slots to newly
 * issued credentials, flipping bits, and keeping each list's signed credential
 * current.
 *
 * Indexes are drawn at random from the free slots of the current list (herd
 * privacy, Bitstring Status List §6.1: an index says nothing about issue
 * order). A slot is handed out only once: the in-memory map marks it at once,
 * and the slot key is written (sync) in the same batch as the credential's
 * index entry before the credential is returned; at start-up the taken slots
 * are read back from the store.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  createBitstring,
  encodeBitstring,
  getStatusValue,
  STATUS_LIST_LENGTH,
  withStatusValue,
} from '../../registry/status/bitstring.ts';
import { STATUS_PURPOSES, type StatusPurpose } from '../../registry/status/status-request.ts';
import { VC_V2 } from '../../registry/verification/credential-shape.ts';
import { NodeError } from '../errors.ts';
import type { Database } from '../storage/database.ts';
import type { StatusListSource } from '../verification/status-lists.ts';
import type { SignCredential } from './signer.ts';

export { STATUS_PURPOSES, type StatusPurpose };

export interface StatusSlot {
  purpose: StatusPurpose;
  listId: string;
  index: number;
  /** Bits per entry (statusSize) when more than 1. */
  size?: number;
}

interface ListMeta {
  purpose: StatusPurpose;
  length: number;
  createdAt: string;
  /** The URL minted at creation; kept so credentials stay checkable if the public URL changes. */
  url: string;
  /** Bits per entry when more than 1 (a `message` list); the bitstring then has length × statusSize bits. */
  statusSize?: number;
}

interface OpenList {
  id: string;
  purpose: StatusPurpose;
  length: number;
  size: number;
  taken: Uint8Array;
  free: number;
}

export interface OwnStatusListsOptions {
  database: Database;
  issuerDid: string;
  /** Base URL the lists are served under: `${publicUrl}/status-lists/:id`. */
  publicUrl: string;
  sign: SignCredential;
  now?: () => Date;
  /** Entries per list; the spec's minimum by default (smaller only in tests). */
  listLength?: number;
  /** Called with every newly signed list credential (to publish it to the networks); awaited. */
  onSigned?: (listId: string, credential: Record<string, unknown>) => Promise<void>;
}

export type BatchOperation = { type: 'put' | 'del'; sublevel: unknown; key: string; value?: unknown };

export interface OwnStatusLists {
  /** A free slot in the current list for `purpose` with `size` bits per entry (1 unless a `message` list). */
  allocate(purpose: StatusPurpose, size?: number): Promise<StatusSlot>;
  /** Frees a slot whose credential was never acknowledged (signing or writing failed). */
  release(slot: StatusSlot): void;
  /** The batch operations that record `slot` as taken by `credentialId`. */
  takeOperations(slot: StatusSlot, credentialId: string): BatchOperation[];
  /** Sets a slot's status: true/false for one bit, or a number for a multi-bit (`message`) entry. */
  setStatus(slot: StatusSlot, value: boolean | number): Promise<{ changed: boolean }>;
  getStatus(slot: StatusSlot): Promise<boolean>;
  /** The slot's status value (0 … 2^size − 1). */
  getStatusValue(slot: StatusSlot): Promise<number>;
  listUrl(listId: string): string;
  getListCredential(listId: string): Promise<Record<string, unknown> | undefined>;
  /** A StatusListSource that answers for this node's own lists without any network call. */
  source: StatusListSource;
}

function isTaken(list: OpenList, index: number): boolean {
  return (list.taken[index >> 3] & (0x80 >> (index & 7))) !== 0;
}
function mark(list: OpenList, index: number, value: boolean): void {
  const mask = 0x80 >> (index & 7);
  list.taken[index >> 3] = value ? list.taken[index >> 3] | mask : list.taken[index >> 3] & ~mask;
  list.free += value ? -1 : 1;
}

function pickFreeIndex(list: OpenList): number {
  // Random probes find a free slot quickly until the list is nearly full;
  // then a scan from a random start keeps the draw unpredictable and bounded.
  for (let attempt = 0; attempt < 64; attempt++) {
    const index = randomInt(list.length);
    if (!isTaken(list, index)) return index;
  }
  const start = randomInt(list.length);
  for (let offset = 0; offset < list.length; offset++) {
    const index = (start + offset) % list.length;
    if (!isTaken(list, index)) return index;
  }
  throw new Error('no free slot in a list counted as having one');
}

/** Serializes async work per key (list creation per purpose, bit flips per list). */
function createKeyedLock() {
  const tails = new Map<string, Promise<unknown>>();
  return async function withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

export async function openOwnStatusLists(options: OwnStatusListsOptions): Promise<OwnStatusLists> {
  const { database } = options;
  const now = options.now ?? (() => new Date());
  const length = options.listLength ?? STATUS_LIST_LENGTH;
  const base = options.publicUrl.replace(/\/+$/, '');
  const withLock = createKeyedLock();
  // Keyed by purpose and entry size: a 2-bit message list is not a 1-bit one.
  const current = new Map<string, OpenList>();
  const listKey = (purpose: StatusPurpose, size: number) => (size === 1 ? purpose : `${purpose}:${size}`);

  const urls = new Map<string, string>();
  const listUrl = (listId: string) => urls.get(listId) ?? `${base}/status-lists/${listId}`;

  async function loadList(id: string): Promise<OpenList> {
    const meta = (await database.lists.get(id)) as ListMeta;
    urls.set(id, meta.url);
    const list: OpenList = {
      id,
      purpose: meta.purpose,
      length: meta.length,
      size: meta.statusSize ?? 1,
      taken: new Uint8Array(Math.ceil(meta.length / 8)),
      free: meta.length,
    };
    for await (const key of database.slots.keys({ gt: `${id}!`, lt: `${id}!~` })) {
      mark(list, Number(key.slice(id.length + 1)), true);
    }
    return list;
  }

  for await (const [, id] of database.meta.iterator({ gt: 'currentStatusList:', lt: 'currentStatusList:~' })) {
    const list = await loadList(id as string);
    current.set(listKey(list.purpose, list.size), list);
  }

  async function signList(listId: string, purpose: StatusPurpose, bits: Uint8Array) {
    const url = listUrl(listId);
    return options.sign({
      '@context': [VC_V2],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: options.issuerDid,
      validFrom: now().toISOString(),
      credentialSubject: {
        id: `${url}#list`,
        type: 'BitstringStatusList',
        statusPurpose: purpose,
        encodedList: encodeBitstring(bits),
      },
    });
  }

  async function createList(purpose: StatusPurpose, size: number): Promise<OpenList> {
    const id = randomBytes(12).toString('base64url');
    const bits = createBitstring(length * size);
    const credential = await signList(id, purpose, bits);
    const meta: ListMeta = {
      purpose,
      length,
      createdAt: now().toISOString(),
      url: listUrl(id),
      ...(size > 1 ? { statusSize: size } : {}),
    };
    urls.set(id, meta.url);
    await database.db.batch(
      [
        { type: 'put', sublevel: database.lists, key: id, value: meta },
        { type: 'put', sublevel: database.bits, key: id, value: bits },
        { type: 'put', sublevel: database.statusCredentials, key: id, value: credential },
        { type: 'put', sublevel: database.meta, key: `currentStatusList:${listKey(purpose, size)}`, value: id },
      ] as never,
      { sync: true },
    );
    await options.onSigned?.(id, credential);
    return { id, purpose, length, size, taken: new Uint8Array(Math.ceil(length / 8)), free: length };
  }

  async function allocate(purpose: StatusPurpose, size = 1): Promise<StatusSlot> {
    const key = listKey(purpose, size);
    let list = current.get(key);
    // Other requests may fill the list while this one waits for the lock: look again after every wait.
    while (!list || list.free === 0) {
      list = await withLock(`create:${key}`, async () => {
        const existing = current.get(key);
        if (existing && existing.free > 0) return existing;
        const created = await createList(purpose, size);
        current.set(key, created);
        return created;
      });
    }
    // Synchronous from here: no other request can take the same slot.
    const index = pickFreeIndex(list);
    mark(list, index, true);
    return { purpose, listId: list.id, index, ...(size > 1 ? { size } : {}) };
  }

  function release(slot: StatusSlot): void {
    const list = current.get(listKey(slot.purpose, slot.size ?? 1));
    if (list && list.id === slot.listId && isTaken(list, slot.index)) mark(list, slot.index, false);
  }

  function takeOperations(slot: StatusSlot, credentialId: string): BatchOperation[] {
    return [{ type: 'put', sublevel: database.slots, key: `${slot.listId}!${slot.index}`, value: credentialId }];
  }

  async function readBits(listId: string): Promise<Uint8Array> {
    const bits = (await database.bits.get(listId)) as Uint8Array | undefined;
    if (!bits) throw new NodeError('STATUS_LIST_NOT_FOUND', `no status list ${listId}`);
    return bits;
  }

  async function getStatus(slot: StatusSlot): Promise<boolean> {
    return (await getSlotValue(slot)) !== 0;
  }

  async function getSlotValue(slot: StatusSlot): Promise<number> {
    return getStatusValue(await readBits(slot.listId), slot.index, slot.size ?? 1);
  }

  async function setStatus(slot: StatusSlot, value: boolean | number): Promise<{ changed: boolean }> {
    return withLock(`list:${slot.listId}`, async () => {
      if (!urls.has(slot.listId)) {
        const meta = (await database.lists.get(slot.listId)) as ListMeta | undefined;
        if (meta) urls.set(slot.listId, meta.url);
      }
      const bits = await readBits(slot.listId);
      const updated = withStatusValue(bits, slot.index, slot.size ?? 1, Number(value));
      if (Buffer.compare(bits, updated) === 0) return { changed: false };
      const credential = await signList(slot.listId, slot.purpose, updated);
      await database.db.batch(
        [
          { type: 'put', sublevel: database.bits, key: slot.listId, value: updated },
          { type: 'put', sublevel: database.statusCredentials, key: slot.listId, value: credential },
        ] as never,
        { sync: true },
      );
      signedLists.set(slot.listId, credential);
      await options.onSigned?.(slot.listId, credential);
      return { changed: true };
    });
  }

  // Every verification of our own credentials reads its list: keep the signed lists in memory.
  const signedLists = new Map<string, Record<string, unknown>>();

  async function getListCredential(listId: string) {
    if (!/^[\w-]{1,64}$/.test(listId)) return undefined;
    const cached = signedLists.get(listId);
    if (cached) return cached;
    const stored = (await database.statusCredentials.get(listId)) as Record<string, unknown> | undefined;
    if (stored) signedLists.set(listId, stored);
    return stored;
  }

  const source: StatusListSource = {
    async get(url) {
      // Recognize own lists by the URL they were minted with, whatever the public URL is now.
      const match = /\/status-lists\/([\w-]{1,64})$/.exec(url);
      const stored = match ? await getListCredential(match[1]) : undefined;
      const credential = stored?.id === url ? stored : undefined;
      return credential
        ? { credential }
        : { error: { code: 'STATUS_LIST_UNAVAILABLE', message: `not a status list of this node: ${url}` } };
    },
  };

  return {
    allocate,
    release,
    takeOperations,
    setStatus,
    getStatus,
    getStatusValue: getSlotValue,
    listUrl,
    getListCredential,
    source,
  };
}
