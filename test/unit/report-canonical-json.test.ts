/**
 * canonicalJson writes a key-sorted copy of plain JSON data and leaves anything else to JSON.stringify with a
 * key-sorting replacer: both must give the same text, since OSCAL's uuids hash it.
 */
import { describe, expect, it, vi } from 'vitest';
import { canonicalJson, sortedPlainCopy } from '../../src/report/audit-common.ts';
import { compareStrings } from '../../src/contracts/order.ts';
import { sortKeysDeep } from '../../src/report/canonical.ts';

/** The definition: JSON.stringify with every plain object's keys sorted. */
function reference(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        return Object.fromEntries(Object.keys(o).sort(compareStrings).map((k) => [k, o[k]]));
      }
      return v;
    }) ?? 'null'
  );
}

const cases: [string, unknown][] = [
  ['scalars', ['a"b\n\u0000é😀', 0, -1.5, 1e21, Number.NaN, Infinity, true, false, null]],
  ['nested objects, keys out of order', { z: 1, a: { y: [1, { d: 2, c: 3 }], b: 'x' }, M: null, '': 'empty key', é: 1 }],
  ['undefined, functions and symbols', { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('t')], e: 1 }],
  ['only undefined members', { a: undefined }],
  ['array-index keys (JSON.stringify puts them first, in number order)', { b: 1, '10': 2, '9': 3, a: 4, '012': 5 }],
  ['account ids as keys', { '123456789012': { ok: true }, '000000000001': 1 }],
  ['a Date (toJSON)', { at: new Date('2026-12-05T00:00:00Z'), b: 1 }],
  ['a class instance', { m: new Map([[1, 2]]), s: new Set([1]) }],
  ['a null-prototype object', Object.assign(Object.create(null) as object, { b: 1, a: 2 })],
  ['a sparse array', [1, , 3]], // eslint-disable-line no-sparse-arrays
  ['undefined at the top', undefined],
  ['an own "__proto__" key (JSON.parse makes one)', JSON.parse('{"b":1,"__proto__":{"y":1,"x":2},"a":[{"__proto__":null}]}') as unknown],
  ['nesting deeper than the plain copy goes', Array.from({ length: 70 }).reduce<unknown>((inner) => ({ z: 1, inner }), { b: 1, a: 2 })],
  ['keys already in order, at every level', { a: [{ b: 1, c: { d: [1, 2], e: null } }], f: 'x' }],
  ['in order outside, not inside', { a: [{ c: 1, b: 2 }], b: { y: 1, x: 2 }, c: 3 }],
  ['in order inside, not outside', { z: { a: 1, b: [{ c: 1, d: 2 }] }, a: [1, { e: 1 }] }],
  ['an own "__proto__" key in order', JSON.parse('{"__proto__":{"x":1},"a":1}') as unknown],
  ['the verdict parts OSCAL hashes', ['rule-x', 'arn:aws:s3:::b', 'FAIL', 'message', null, { regions: [{ region: 'us-east-1', enabled: 'true' }], organization: [] }]],
];

describe('canonicalJson', () => {
  for (const [name, value] of cases) {
    it(`equals JSON.stringify with sorted keys: ${name}`, () => {
      expect(canonicalJson(value)).toBe(reference(value));
    });
  }

  it('sorts keys by code unit, as compareStrings does (uppercase before lowercase)', () => {
    expect(canonicalJson({ b: 1, B: 2, a: { d: 1, c: 2 } })).toBe('{"B":2,"a":{"c":2,"d":1},"b":1}');
  });

  it('uses what is already in order as it is, copying only the objects out of order and what holds them', () => {
    const inOrder = { a: [{ b: 1, c: { d: [1, 2] } }], e: 'x' };
    expect(sortedPlainCopy(inOrder)).toBe(inOrder);
    const inner = { b: { x: 1 }, a: 2 };
    const outer = { list: [{ ok: 1 }, inner], sorted: { p: 1, q: 2 } };
    const copy = sortedPlainCopy(outer) as typeof outer;
    expect(copy).not.toBe(outer);
    expect(copy.list).not.toBe(outer.list);
    expect(copy.list[0]).toBe(outer.list[0]);
    expect(copy.list[1]).not.toBe(inner);
    expect(Object.keys(copy.list[1]!)).toEqual(['a', 'b']);
    expect((copy.list[1] as typeof inner).b).toBe(inner.b);
    expect(copy.sorted).toBe(outer.sorted);
  });

  it('still refuses what JSON cannot hold', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => canonicalJson(cycle)).toThrow();
  });
});

describe('sortKeysDeep', () => {
  /** The definition: every plain object's keys in compareStrings order (UTF-16 code units). */
  const keyOrders = (value: unknown): string[][] => {
    if (value === null || typeof value !== 'object') return [];
    if (Array.isArray(value)) return value.flatMap(keyOrders);
    return [Object.keys(value), ...Object.values(value).flatMap(keyOrders)];
  };
  const sortedOrders = (value: unknown) => keyOrders(value).map((keys) => [...keys].sort(compareStrings));
  /** The objects' key lists, whatever order the objects are met in. */
  const asSet = (orders: string[][]) => orders.map((keys) => JSON.stringify(keys)).sort();

  const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${(i * 7) % 40}`, i]));
  const value = {
    z: 1,
    é: { ｚ: 1, '😀': 2, Z: 3, a: 4, aa: 5, '': 6 },
    list: [{ y: 1, b: [{ d: 2, c: 3 }] }, many],
    a: 'x',
  };

  it("orders every object's keys by UTF-16 code units, a few keys without Array.prototype.sort (it allocated work arrays per call)", () => {
    const expected = asSet(sortedOrders(value));
    const sort = vi.spyOn(Array.prototype, 'sort');
    try {
      const small = sortKeysDeep({ d: 1, c: { y: 2, x: 3 }, b: [{ q: 1, p: 2 }], a: 0 });
      expect(keyOrders(small)).toEqual([['a', 'b', 'c', 'd'], ['p', 'q'], ['x', 'y']]);
      expect(sort).not.toHaveBeenCalled();
      const sorted = sortKeysDeep(value);
      // More keys than insertion sorts: Array.prototype.sort, once.
      expect(sort).toHaveBeenCalledTimes(1);
      expect(asSet(keyOrders(sorted))).toEqual(expected);
    } finally {
      sort.mockRestore();
    }
  });
});
