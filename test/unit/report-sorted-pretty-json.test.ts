import { describe, expect, it } from 'vitest';
import { indentedJson, sortKeysDeep } from '../../src/report/canonical.ts';
import { sortedPrettyJson } from '../../src/report/compact-json.ts';

// What sortedPrettyJson stands for: parse, sort the keys, print nested `indent` deep.
const general = (compact: string, indent: string) => indentedJson(sortKeysDeep(JSON.parse(compact)), indent);

describe('sortedPrettyJson', () => {
  const cases: [string, unknown][] = [
    ['scalars', [null, true, false, 0, -0, -1.5e-7, 1e21, 5e-324, 1.7976931348623157e308, 'text', '']],
    ['top-level scalars', 'just text'],
    ['empty containers at any depth', { a: [], b: {}, c: [[], {}, [[]], [{}]], d: { e: {} } }],
    ['nested arrays and objects', { a: [1, [2, [3, { b: [4, { c: [] }] }]]], d: { e: { f: { g: 'deep' } } } }],
    ['keys out of order at every level', { z: { y: 1, b: [{ d: 1, c: 2, a: { n: 1, m: 2 } }], a: 0 }, m: [], a: { c: {}, b: [], a: null } }],
    ['keys that are prefixes of each other, and the empty key', { ab: 1, a: 2, abc: 3, '': 4, B: 5, _: 6, 'a b': 7 }],
    ['strings needing escapes', { k: 'quote " backslash \\ both \\" newline \n tab \t nul \u0000 del \u007f', e: '"', f: '\\' }],
    ['structural characters inside strings', { '{[': '],}:,', 'a:b': '{"x":[1,2]}', c: ',' }],
    ['Latin-1 beyond ASCII', { e: 'ñ café ÿ \u00a0', naive: ['\u0080', '\u00ff'], d: 1 }],
    ['lone surrogates, which JSON.stringify escapes', { b: '\ud800', a: '\udfff x' }],
    ['keys starting with a minus', { b: 1, '-1': 2, a: 3 }],
  ];
  for (const [name, value] of cases) {
    it(`prints ${name} as parsing, sortKeysDeep and JSON.stringify would`, () => {
      const compact = JSON.stringify(value);
      for (const indent of ['', '  ', '      ', '            ']) expect(sortedPrettyJson(compact, indent)).toBe(general(compact, indent));
    });
  }

  it('leaves to the caller what sortKeysDeep would order otherwise, and keys UTF-16 orders apart from their bytes', () => {
    const left = [
      { b: 1, 10: 'ten', 2: 'two' },
      { b: 1, '01': 'leading zero' },
      JSON.parse('{"__proto__":{"x":1},"a":[]}'),
      { 'k"ey': 1, a: 2 },
      { '\ue000': 1, a: 2 },
      { b: { '\uffff': 1 } },
      { '😀': 1 },
    ];
    for (const value of left) expect(sortedPrettyJson(JSON.stringify(value), '  ')).toBeUndefined();
  });

  it('sorts keys beyond ASCII before U+E000 as UTF-16 does', () => {
    const value = { z: 1, é: 2, '\u2028': 3, a: { ü: 4, u: 5, 'ü\u00a0': 6 }, 'é!': 7, '\u07ff': 8, '\u0800': 9 };
    const compact = JSON.stringify(value);
    expect(sortedPrettyJson(compact, '  ')).toBe(general(compact, '  '));
  });

  it('prints text beyond ASCII and Latin-1 in values', () => {
    for (const value of [{ b: 'logs — validated ✓', a: ['line \u2028 separator', '😀 \ud83d\ude00'] }, { b: 'café', a: 'ÿ' }]) {
      const compact = JSON.stringify(value);
      expect(sortedPrettyJson(compact, '    ')).toBe(general(compact, '    '));
    }
  });

  it('writes a text longer and deeper than its buffers, and the next one unharmed', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 300; i++) deep = i % 2 === 0 ? [deep, i] : { level: deep, a: i, zz: [i] };
    const long = { items: Array.from({ length: 20_000 }, (_, i) => ({ s: `"${i}"\\`, i, [`k${i % 7}`]: { y: i, x: [] } })) };
    const wide = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`key${(i * 7919) % 5_000}`, { v: i, u: 'x'.repeat(i % 50) }]));
    for (const value of [deep, long, wide, { small: 1 }]) {
      const compact = JSON.stringify(value);
      expect(sortedPrettyJson(compact, '      ')).toBe(general(compact, '      '));
    }
  });

  it('is not confused by a text it left to the caller before', () => {
    expect(sortedPrettyJson(JSON.stringify({ b: { 10: 1 } }), '')).toBeUndefined();
    expect(sortedPrettyJson(JSON.stringify({ b: { c: 1, a: 2 }, a: 3 }), '')).toBe(general(JSON.stringify({ b: { c: 1, a: 2 }, a: 3 }), ''));
  });
});
