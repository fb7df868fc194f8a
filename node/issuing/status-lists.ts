/**
 * This node's own Bitstring Status Lists: allocating status slots to newly
 * issued credentials, flipping bits, and keeping each list's signed credential
 * current.
 *
 * Slots are handed out in a keyed pseudo-random order (slot-order.ts: an index
 * says nothing about issue order, Bitstring Status List §6.1) by a counter whose
 * high-water mark the ledger records durably, in chunks, before any slot below it
 * is used. A database that lost its newest writes therefore never hands a slot
 * out again: allocation resumes above the recorded mark (issue 16, finding 15).
 * A list is drawn from only while the ledger holds its mark; otherwise (a list
 * from before the ledger, or a ledger that was lost) a new list is started.
 * The slot key is still written (sync) in the same batch as the credential's
 * index entry before the credential is returned.
 */
import { randomBytes } from 'node:crypto';
import {
  createBitstring,
  decodeBitstring,
  encodeBitstring,
  getStatusValue,
  STATUS_LIST_LENGTH,
  withStatusValue,
} from '../../registry/status/bitstring.ts';
import { STATUS_PURPOSES, type StatusPurpose } from '../../registry/status/status-request.ts';
import { VC_V2 } from '../../registry/verification/credential-shape.ts';
import { NodeError } from '../errors.ts';
import { createKeyedLock } from '../keyed-lock.ts';
import type { Database } from '../storage/database.ts';
import type { Ledger } from '../storage/ledger.ts';
import type { StatusListSource } from '../verification/status-lists.ts';
import type { SignCredential } from './signer.ts';
import { createSlotOrder } from './slot-order.ts';

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
  /** The secret key of the list's slot order (base64url); absent on lists made before the ledger. */
  slotKey?: string;
  /** Bits per entry when more than 1 (a `message` list); the bitstring then has length × statusSize bits. */
  statusSize?: number;
}

interface OpenList {
  id: string;
  purpose: StatusPurpose;
  length: number;
  /** Taken according to the store: a slot found taken is skipped (a second guard, not the first). */
  size: number;
  taken: Uint8Array;
  order: (n: number) => number;
  /** The next slot number to hand out; the ledger has reserved every number below `reserved`. */
  next: number;
  reserved: number;
  /** Slots handed out in this run whose credential was never stored: safe to hand out again. */
  recycled: number[];
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
  /** Where slot reservations and acknowledged status changes are recorded durably, outside the database. */
  ledger: Ledger;
  /** Called with every newly signed list credential (to publish it to the networks); awaited. */
  onSigned?: (listId: string, credential: Record<string, unknown>) => Promise<void>;
  /**
   * Whether followers already have `credential` (the stored, signed list) as the list's publication. When
   * not, a retried status change and the start-up check publish it again: the bits and the publication are
   * two writes, and a crash between them must not leave followers on the old list (issue 16, finding 13).
   */
  isPublished?: (listId: string, credential: Record<string, unknown>) => boolean;
  /**
   * The list as this node last published it, when that publication was signed after `stored` (the list
   * credential held here): peers kept what a node restored from a backup lost (decision 0040).
   */
  newerPublication?: (listId: string, stored: Record<string, unknown>) => Record<string, unknown> | undefined;
  /**
   * TEST ONLY: runs after a status change's bits are stored and before they are published, so tests can
   * kill the process (or fail) exactly there. Wired only from `LER_TEST_CRASH_POINT`; unset in production.
   */
  afterStatusStored?: () => void | Promise<void>;
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
  /** Publishes every stored list whose publication is missing or behind its bits; returns their ids. */
  republishStale(): Promise<string[]>;
  /**
   * Takes back a list's later state from its own publication, as peers returned it to a node restored from a
   * backup: revocations are kept whatever the order (they are final), other purposes take the published bits.
   * Returns whether the list changed here.
   */
  adoptPublished(listId: string): Promise<boolean>;
  /** A StatusListSource that answers for this node's own lists without any network call. */
  source: StatusListSource;
}

function isBitSet(bits: Uint8Array, index: number): boolean {
  return (bits[index >> 3] & (0x80 >> (index & 7))) !== 0;
}
function mark(taken: Uint8Array, index: number, value: boolean): void {
  const mask = 0x80 >> (index & 7);
  taken[index >> 3] = value ? taken[index >> 3] | mask : taken[index >> 3] & ~mask;
}
function hasFree(list: OpenList): boolean {
  return list.recycled.length > 0 || list.next < list.length;
}

/** Meta key prefix marking a list whose bits changed outside a signing (by `ler-node repair`). */
export const RESIGN_PREFIX = 'resignStatusList:';

/** Meta key prefix of a list's change counter (one more with every status change). */
export const LIST_VERSION_PREFIX = 'statusListVersion:';

/** Slots reserved per ledger write: few writes per list, little lost to a restart. */
function chunkFor(length: number): number {
  return Math.max(1, Math.min(1024, Math.floor(length / 16)));
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

  async function loadList(id: string): Promise<OpenList | undefined> {
    const meta = (await database.lists.get(id)) as ListMeta | undefined;
    if (!meta) return undefined;
    urls.set(id, meta.url);
    const reserved = options.ledger.reserved(id);
    // Without its key or its recorded mark, nobody knows which slots were handed out: draw from a new list.
    if (!meta.slotKey || reserved === undefined) return undefined;
    const list: OpenList = {
      id,
      purpose: meta.purpose,
      length: meta.length,
      size: meta.statusSize ?? 1,
      taken: new Uint8Array(Math.ceil(meta.length / 8)),
      order: createSlotOrder(Buffer.from(meta.slotKey, 'base64url'), meta.length),
      next: reserved,
      reserved,
      recycled: [],
    };
    for await (const key of database.slots.keys({ gt: `${id}!`, lt: `${id}!~` })) {
      mark(list.taken, Number(key.slice(id.length + 1)), true);
    }
    return list;
  }

  // `ler-node repair` re-applies status changes the database lost and marks their lists: sign them anew.
  for await (const key of database.meta.keys({ gt: RESIGN_PREFIX, lt: `${RESIGN_PREFIX}~` })) {
    const listId = (key as string).slice(RESIGN_PREFIX.length);
    const meta = (await database.lists.get(listId)) as ListMeta | undefined;
    const bits = (await database.bits.get(listId)) as Uint8Array | undefined;
    const operations: BatchOperation[] = [{ type: 'del', sublevel: database.meta, key: key as string }];
    if (meta && bits) {
      urls.set(listId, meta.url);
      const credential = await signList(listId, meta.purpose, bits);
      operations.push({ type: 'put', sublevel: database.statusCredentials, key: listId, value: credential });
    }
    await database.db.batch(operations as never, { sync: true });
  }

  for await (const [, id] of database.meta.iterator({ gt: 'currentStatusList:', lt: 'currentStatusList:~' })) {
    const list = await loadList(id as string);
    if (list) current.set(listKey(list.purpose, list.size), list);
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
    const slotKey = randomBytes(32);
    const bits = createBitstring(length * size);
    const credential = await signList(id, purpose, bits);
    const meta: ListMeta = {
      purpose,
      length,
      createdAt: now().toISOString(),
      url: listUrl(id),
      slotKey: slotKey.toString('base64url'),
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
    return {
      id,
      purpose,
      length,
      size,
      taken: new Uint8Array(Math.ceil(length / 8)),
      order: createSlotOrder(slotKey, length),
      next: 0,
      reserved: 0,
      recycled: [],
    };
  }

  async function reserveMore(list: OpenList): Promise<void> {
    await withLock(`reserve:${list.id}`, async () => {
      if (list.next < list.reserved) return;
      const upTo = Math.min(list.length, list.reserved + chunkFor(list.length));
      await options.ledger.reserve(list.id, upTo);
      list.reserved = upTo;
    });
  }

  async function allocate(purpose: StatusPurpose, size = 1): Promise<StatusSlot> {
    const key = listKey(purpose, size);
    const sized = size > 1 ? { size } : {};
    for (;;) {
      let list = current.get(key);
      // Other requests may fill the list while this one waits for the lock: look again after every wait.
      if (!list || !hasFree(list)) {
        list = await withLock(`create:${key}`, async () => {
          const existing = current.get(key);
          if (existing && hasFree(existing)) return existing;
          const created = await createList(purpose, size);
          current.set(key, created);
          if (existing) options.ledger.forget(existing.id);
          return created;
        });
        continue;
      }
      // Synchronous from each check to the mark: no other request can take the same slot.
      const recycled = list.recycled.pop();
      if (recycled !== undefined) {
        mark(list.taken, recycled, true);
        return { purpose, listId: list.id, index: recycled, ...sized };
      }
      if (list.next >= list.reserved) {
        await reserveMore(list);
        continue;
      }
      const index = list.order(list.next++);
      if (isBitSet(list.taken, index)) continue;
      mark(list.taken, index, true);
      return { purpose, listId: list.id, index, ...sized };
    }
  }

  function release(slot: StatusSlot): void {
    const list = current.get(listKey(slot.purpose, slot.size ?? 1));
    if (list && list.id === slot.listId && isBitSet(list.taken, slot.index)) {
      mark(list.taken, slot.index, false);
      list.recycled.push(slot.index);
    }
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
      // Bitstring Status List v1.0 §2.1: revocation "is not reversible"; suspension is. Checked under the
      // list's lock, so a clear racing a set cannot slip between the check and the write.
      if (slot.purpose === 'revocation' && !value && getStatusValue(bits, slot.index, 1) !== 0) {
        throw new NodeError('REVOCATION_FINAL', 'this credential is revoked; a revocation cannot be undone');
      }
      const updated = withStatusValue(bits, slot.index, slot.size ?? 1, Number(value));
      if (Buffer.compare(bits, updated) === 0) {
        // The bit may have been stored by an attempt that died before publishing: the retry publishes.
        await republishIfStale(slot.listId);
        return { changed: false };
      }
      const credential = await signList(slot.listId, slot.purpose, updated);
      // Counts the list's changes, so the ledger can tell a lost change from a later one (a lifted suspension).
      const version = (((await database.meta.get(`${LIST_VERSION_PREFIX}${slot.listId}`)) as number) ?? 0) + 1;
      await database.db.batch(
        [
          { type: 'put', sublevel: database.bits, key: slot.listId, value: updated },
          { type: 'put', sublevel: database.statusCredentials, key: slot.listId, value: credential },
          { type: 'put', sublevel: database.meta, key: `${LIST_VERSION_PREFIX}${slot.listId}`, value: version },
        ] as never,
        { sync: true },
      );
      signedLists.set(slot.listId, credential);
      await options.ledger.acknowledge({
        op: 'status',
        listId: slot.listId,
        index: slot.index,
        value,
        ...(slot.size && slot.size > 1 ? { size: slot.size } : {}),
        version,
      });
      await options.afterStatusStored?.();
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

  async function republishIfStale(listId: string): Promise<boolean> {
    const credential = (await database.statusCredentials.get(listId)) as Record<string, unknown> | undefined;
    if (!credential || !options.isPublished || options.isPublished(listId, credential)) return false;
    // A publication newer than what is held here is not stale: this node lost it (restored from a backup).
    if (await adoptNewer(listId, credential)) return false;
    await options.onSigned?.(listId, credential);
    return true;
  }

  /** Under the list's lock: adopts its own later publication, if there is one (see `adoptPublished`). */
  async function adoptNewer(listId: string, stored: Record<string, unknown>): Promise<boolean> {
    const published = options.newerPublication?.(listId, stored);
    const meta = (await database.lists.get(listId)) as ListMeta | undefined;
    if (!published || !meta) return false;
    const subject = published.credentialSubject as { encodedList?: string; statusPurpose?: string } | undefined;
    if (subject?.statusPurpose !== meta.purpose || typeof subject.encodedList !== 'string') return false;
    const theirs = decodeBitstring(subject.encodedList);
    const ours = await readBits(listId);
    if (theirs.length !== ours.length) return false;
    // A revocation is final (Bitstring Status List §2.1): one set on either side stays set.
    const merged = meta.purpose === 'revocation' ? theirs.map((byte, i) => byte | ours[i]) : theirs;
    if (Buffer.compare(merged, ours) === 0) return false;
    const same = Buffer.compare(merged, theirs) === 0;
    const credential = same ? published : await signList(listId, meta.purpose, merged);
    const version = (((await database.meta.get(`${LIST_VERSION_PREFIX}${listId}`)) as number) ?? 0) + 1;
    await database.db.batch(
      [
        { type: 'put', sublevel: database.bits, key: listId, value: merged },
        { type: 'put', sublevel: database.statusCredentials, key: listId, value: credential },
        { type: 'put', sublevel: database.meta, key: `${LIST_VERSION_PREFIX}${listId}`, value: version },
      ] as never,
      { sync: true },
    );
    signedLists.set(listId, credential);
    // Bits set here that the publication lacked: the merged list goes out as the next version.
    if (!same) await options.onSigned?.(listId, credential);
    return true;
  }

  async function adoptPublished(listId: string): Promise<boolean> {
    if (!/^[\w-]{1,64}$/.test(listId)) return false;
    return withLock(`list:${listId}`, async () => {
      const stored = (await database.statusCredentials.get(listId)) as Record<string, unknown> | undefined;
      return stored ? adoptNewer(listId, stored) : false;
    });
  }

  async function republishStale(): Promise<string[]> {
    const republished: string[] = [];
    for await (const listId of database.lists.keys()) {
      const id = listId as string;
      if (await withLock(`list:${id}`, () => republishIfStale(id))) republished.push(id);
    }
    return republished;
  }

  const source: StatusListSource = {
    async get(url) {
      // Recognize own lists by the URL they were minted with, whatever the public URL is now.
      const match = /\/status-lists\/([\w-]{1,64})$/.exec(url);
      const stored = match ? await getListCredential(match[1]) : undefined;
      const credential = stored?.id === url ? stored : undefined;
      // This node serves the list at the address the credential names, signed by its institution key: a did:key
      // node's ECDSA credentials are issued by its P-256 did:key (decision 0021), so the signer may differ.
      return credential
        ? { credential, fetched: true }
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
    republishStale,
    adoptPublished,
    source,
  };
}
