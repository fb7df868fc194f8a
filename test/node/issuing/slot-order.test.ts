import { describe, expect, it } from 'vitest';
import { createSlotOrder } from '../../../node/issuing/slot-order.ts';

describe('the order status slots are handed out in', () => {
  for (const length of [2, 3, 255, 256, 1000]) {
    it(`visits every slot of a ${length}-entry list exactly once`, () => {
      const order = createSlotOrder(new Uint8Array(32).fill(7), length);
      const seen = Array.from({ length }, (_, n) => order(n));
      expect(new Set(seen).size).toBe(length);
      expect(Math.min(...seen)).toBe(0);
      expect(Math.max(...seen)).toBe(length - 1);
    });
  }

  it('depends on the key: another list orders its slots differently', () => {
    const a = createSlotOrder(new Uint8Array(32).fill(1), 1024);
    const b = createSlotOrder(new Uint8Array(32).fill(2), 1024);
    const first = (order: (n: number) => number) => Array.from({ length: 16 }, (_, n) => order(n));
    expect(first(a)).not.toEqual(first(b));
    // and it is not the issue order
    expect(first(a)).not.toEqual(Array.from({ length: 16 }, (_, n) => n));
  });

  it('refuses numbers outside the list', () => {
    expect(() => createSlotOrder(new Uint8Array(32), 256)(256)).toThrow(RangeError);
  });
});
