import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBitstringCache } from '../../../node/verification/bitstring-cache.ts';
import {
  createBitstring,
  decodeBitstring,
  encodeBitstring,
  withStatusValue,
} from '../../../registry/status/bitstring.ts';
import { readStatusList, type StatusEntry, statusOutcome } from '../../../registry/verification/status.ts';
import { prng } from '../../../scripts/attack/ports.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

const list = (encodedList: string, purpose = 'revocation') => ({
  type: ['VerifiableCredential', 'BitstringStatusListCredential'],
  credentialSubject: { type: 'BitstringStatusList', statusPurpose: purpose, encodedList },
});

describe('the decoded status list cache', () => {
  it('decodes an encoded list once, and a changed list anew', () => {
    const cache = createBitstringCache();
    const clean = encodeBitstring(createBitstring(1024));
    const first = cache.decode(clean);
    expect(cache.decode(clean)).toBe(first);
    // The same text in another string (as a list parsed again from the store or the wire would bring it).
    expect(cache.decode(`${clean.slice(0, 3)}${clean.slice(3)}`)).toBe(first);
    const revoked = encodeBitstring(withStatusValue(createBitstring(1024), 7, 1, 1));
    const second = cache.decode(revoked);
    expect(second).not.toBe(first);
    expect(Buffer.from(second).equals(Buffer.from(decodeBitstring(revoked)))).toBe(true);
    expect(cache.size()).toEqual({ entries: 2, bytes: 256 });
  });

  it('keeps at most its entries and bytes, the least recently used going first', () => {
    const cache = createBitstringCache({ maxEntries: 2, maxBytes: 300 });
    const lists = [1, 2, 3].map((i) => encodeBitstring(withStatusValue(createBitstring(1024), i, 1, 1)));
    const a = cache.decode(lists[0]);
    cache.decode(lists[1]);
    cache.decode(lists[0]);
    // Over the byte bound (3 × 128 > 300) and the entry bound: the oldest (lists[1]) goes, lists[0] stays.
    cache.decode(lists[2]);
    expect(cache.size()).toEqual({ entries: 2, bytes: 256 });
    expect(cache.decode(lists[0])).toBe(a);
    // A list larger than the whole budget is decoded, not kept.
    const large = encodeBitstring(createBitstring(8 * 1024));
    expect(cache.decode(large)).not.toBe(cache.decode(large));
    expect(cache.size().entries).toBe(2);
  });

  it('throws for a list that does not decode, and does not remember it', () => {
    const cache = createBitstringCache();
    expect(() => cache.decode('unot-gzip')).toThrow(/does not decode/);
    expect(() => cache.decode('not-multibase')).toThrow(/multibase/);
    expect(cache.size().entries).toBe(0);
  });

  it('gives the same status outcomes, byte for byte, as decoding every time, for 3,000 generated lists and entries', () => {
    const random = prng(46);
    const cache = createBitstringCache({ maxEntries: 16 });
    const int = (n: number) => Math.floor(random() * n);
    const encoded: string[] = [];
    for (let i = 0; i < 40; i++) {
      // Sparse lists (a bit set now and then) and dense ones (random bytes).
      const bits = createBitstring(512 * (1 + int(8))).map(() =>
        i % 2 ? (random() < 0.02 ? 1 << int(8) : 0) : int(256),
      );
      encoded.push(encodeBitstring(bits));
    }
    // Lists that must fail the same way: truncated, not gzip, not multibase, the legacy form without prefix.
    encoded.push(encoded[0].slice(0, 12), 'uAAAA', 'zabc', encoded[1].slice(1));
    const outcome = (slc: unknown, entry: StatusEntry, decode?: (e: string) => Uint8Array) => {
      try {
        return JSON.stringify(statusOutcome(readStatusList(slc, { entry, now: new Date(), decode }), entry));
      } catch (error) {
        return `${(error as { code?: string }).code}: ${(error as Error).message}`;
      }
    };
    const seen = { set: 0, clear: 0, errors: 0 };
    for (let i = 0; i < 3000; i++) {
      const size = [1, 1, 1, 2][int(4)];
      const entry: StatusEntry = {
        ...(i % 9 === 0 ? { kind: 'StatusList2021' as const } : {}),
        purpose: ['revocation', 'suspension', 'message'][int(3)],
        // Now and then past the end of the list (the longest has 4,096 bits).
        index: int(4096 / size + 60),
        listUrl: 'https://lists.example/1',
        size,
        ...(size === 2
          ? { messages: ['0x0', '0x1', '0x2', '0x3'].map((status) => ({ status, message: status })) }
          : {}),
      };
      const slc = list(encoded[int(encoded.length)], entry.purpose);
      if (entry.kind) slc.type = ['VerifiableCredential', 'StatusList2021Credential'];
      if (entry.kind) (slc.credentialSubject as Record<string, unknown>).type = 'StatusList2021';
      const expected = outcome(slc, entry);
      expect(outcome(slc, entry, cache.decode), `case ${i}`).toBe(expected);
      if (expected.includes('"failed"')) seen.set++;
      else if (expected.includes('"ok"')) seen.clear++;
      else seen.errors++;
    }
    // The sample has set entries, clear entries and lists or indexes that fail alike.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(100);
  });
});

describe('when a node checks credentials against its status lists', () => {
  let node: TestNode;
  const bitstrings = createBitstringCache();
  beforeAll(async () => {
    node = await createTestNode({ bitstrings });
  });
  afterAll(async () => {
    await node.close();
  });

  it('decodes a list once for many credentials, and a revocation is seen at once', async () => {
    const [a, b] = [
      await node.components.issuer.issue(sampleBadge()),
      await node.components.issuer.issue(sampleBadge()),
    ];
    for (const credential of [a, b, a, b]) {
      const report = await node.components.verifier.verifyCredential(credential);
      expect(report.checks.find((c) => c.name === 'status')).toMatchObject({ status: 'ok' });
    }
    expect(bitstrings.size().entries).toBe(1);
    await node.components.issuer.setStatus(String(a.id), 'revocation', true);
    const revoked = await node.components.verifier.verifyCredential(a);
    expect(revoked.checks.find((c) => c.name === 'status')).toMatchObject({ status: 'failed', code: 'REVOKED' });
    const other = await node.components.verifier.verifyCredential(b);
    expect(other.checks.find((c) => c.name === 'status')).toMatchObject({ status: 'ok' });
    expect(bitstrings.size().entries).toBe(2);
  });
});

describe('when a status list has been checked', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await createTestNode();
  });
  afterAll(async () => {
    await node.close();
  });

  it('is not hashed again for the next credential: the list object is frozen, so it cannot change under its digest', async () => {
    const credential = await node.components.issuer.issue(sampleBadge());
    const entry = ([] as Array<Record<string, string>>).concat(credential.credentialStatus as never)[0];
    const listId = entry.statusListCredential.split('/').pop()!;
    const list = (await node.components.statusLists.getListCredential(listId)) as Record<string, any>;
    expect(Object.isFrozen(list)).toBe(false);
    const first = await node.components.verifier.verifyCredential(credential);
    expect(first.checks.find((c) => c.name === 'status')).toMatchObject({ status: 'ok' });
    // The same object, digested once: changing it in place (which no code does) would throw, not go unnoticed.
    expect(await node.components.statusLists.getListCredential(listId)).toBe(list);
    expect(Object.isFrozen(list.credentialSubject)).toBe(true);
    expect(() => {
      list.credentialSubject.encodedList = 'uH4sIAAAAAAAAA';
    }).toThrow(TypeError);
    // A status change makes a new list object, which is checked afresh.
    await node.components.issuer.setStatus(String(credential.id), 'revocation', true);
    expect(await node.components.statusLists.getListCredential(listId)).not.toBe(list);
    const after = await node.components.verifier.verifyCredential(credential);
    expect(after.checks.find((c) => c.name === 'status')).toMatchObject({ status: 'failed', code: 'REVOKED' });
  });
});
