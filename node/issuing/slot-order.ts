/**
 * The order in which a status list's slots are handed out: a keyed pseudo-random permutation of
 * [0, length). Allocation walks a counter 0, 1, 2, … through it, so
 *
 * - an index says nothing about issue order or volume without the list's secret key (herd privacy,
 *   Bitstring Status List v1.0 §6.1), as with random draws; and
 * - "every slot below counter N may have been handed out" is one number, which the ledger records durably
 *   before the slots are used: after a database lost its newest writes, allocation resumes above it and
 *   never hands a slot out twice.
 *
 * A 4-round Feistel network over the smallest even power of two ≥ length, with cycle walking to stay inside
 * [0, length) (Black & Rogaway, "Ciphers with Arbitrary Finite Domains", 2002).
 */
import { createHmac } from 'node:crypto';

const ROUNDS = 4;

export function createSlotOrder(key: Uint8Array, length: number): (n: number) => number {
  if (!Number.isInteger(length) || length < 2) throw new RangeError('a list has at least 2 slots');
  let bits = Math.max(2, Math.ceil(Math.log2(length)));
  if (bits % 2 === 1) bits += 1;
  const half = bits / 2;
  const mask = (1 << half) - 1;

  function round(r: number, value: number): number {
    const mac = createHmac('sha256', key).update(`${r}:${value}`).digest();
    return mac.readUInt32BE(0) & mask;
  }
  function encrypt(x: number): number {
    let left = x >>> half;
    let right = x & mask;
    for (let r = 0; r < ROUNDS; r++) [left, right] = [right, left ^ round(r, right)];
    return (left << half) | right;
  }

  return (n: number) => {
    if (!Number.isInteger(n) || n < 0 || n >= length) throw new RangeError(`slot number ${n} outside the list`);
    let x = encrypt(n);
    while (x >= length) x = encrypt(x);
    return x;
  };
}
