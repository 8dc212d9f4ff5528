import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/report/audit-common.ts';
import { canonicalJsonText } from '../../src/report/compact-json.ts';

// What canonicalJsonText stands for: parse the compact text, then canonicalJson.
const general = (compact: string) => canonicalJson(JSON.parse(compact));

describe('canonicalJsonText', () => {
  const cases: [string, unknown][] = [
    ['scalars', [null, true, false, 0, -1.5e-7, 1e21, 'text', '']],
    ['a scalar alone', 'just "a" string \\ with escapes'],
    ['objects out of order at every depth', { b: { z: 1, y: [{ d: 1, c: 2 }] }, a: [{ f: { h: 1, g: 2 } }, 'x'], c: {} }],
    ['objects already in order, holding some that are not', { a: { b: 1 }, c: [1, { e: 2, d: 1 }], f: { g: { i: 1, h: 2 } } }],
    ['keys where one starts the other', { regionsNeeded: 1, regions: 2, region: 3, '': 0, r: [] }],
    ['empty containers', { b: [], a: {}, c: [[], {}, [[]], [{}]] }],
    ['strings needing escapes and structural characters', { q: 'a"b\\c\n\u0000', 'b}': '{"x":[1,2]}', 'a,': '],:' }],
    ['keys and values beyond ASCII', { é: 'ñ', z: 'logs — validated ✓', ä: '\ud83d\ude00', lone: '\ud800' }],
    ['a changed item after unchanged ones, and unchanged ones after it', [1, { a: 1 }, { c: 1, b: 2 }, 'x', { e: 1, d: 2 }, 3]],
    ['more members than are sorted by insertion', Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${(i * 37) % 60}`, i]))],
  ];
  for (const [name, value] of cases) {
    it(`gives canonicalJson's text of ${name}`, () => {
      const compact = JSON.stringify(value);
      expect(canonicalJsonText(compact)).toBe(general(compact));
    });
  }

  it('leaves to canonicalJson the keys it treats apart: a leading digit, "__proto__", an escape', () => {
    for (const compact of ['{"b":1,"10":2}', '{"z":1,"__proto__":{"a":1}}', '{"k\\"ey":1,"a":2}', '{"a":{"1":1}}']) {
      expect(canonicalJsonText(compact)).toBeUndefined();
      expect(general(compact)).toBeDefined();
    }
  });

  it('leaves text that is not compact JSON to canonicalJson', () => {
    for (const compact of ['{"a": 1}', '{"a":1', '[1,2', '"open', '{"a"1}', '[1] ']) expect(canonicalJsonText(compact)).toBeUndefined();
  });
});
