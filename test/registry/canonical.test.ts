import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../registry/canonical.ts';
import { dictionary } from '../../registry/dictionary.ts';
import { emptyState } from '../../registry/fold.ts';
import { memberAt, membershipsOf } from '../../registry/queries.ts';

describe('canonical JSON', () => {
  it('refuses lone surrogates and non-finite numbers with JSON_NOT_CANONICALIZABLE', () => {
    for (const value of [{ a: '\ud800' }, { '\udc00': 1 }, { n: Number.POSITIVE_INFINITY }, [Number.NaN]]) {
      expect(() => canonicalJson(value)).toThrow(expect.objectContaining({ code: 'JSON_NOT_CANONICALIZABLE' }));
    }
  });
});

describe('records keyed by outside data', () => {
  it('know only the keys put in, prototype keys included', () => {
    const record = dictionary({ a: 1 });
    expect(record.constructor).toBeUndefined();
    expect(Reflect.get(dictionary<number>(), '__proto__')).toBeUndefined();
    const copied = dictionary(Object.assign(dictionary<number>(), { ['__proto__']: 2 }));
    expect(Object.keys(copied)).toEqual(['__proto__']);
  });

  it('make a folded state answer prototype keys as non-members', () => {
    const state = emptyState('n');
    for (const did of ['constructor', '__proto__', 'toString']) {
      expect(memberAt(state, did, Date.now())).toBeUndefined();
      expect(membershipsOf([state], did)).toEqual([]);
    }
  });
});
