import { describe, expect, it } from 'vitest';
import { prettyJsonText, quotedPrettyJson } from '../../src/report/compact-json.ts';

// What quotedPrettyJson stands for: parse, indent, and quote as a string between before and after.
const general = (compact: string, before: string, after: string) => JSON.stringify(`${before}${JSON.stringify(JSON.parse(compact), null, 2)}${after}`);

describe('quotedPrettyJson', () => {
  const cases: [string, unknown][] = [
    ['scalars', [null, true, 0, -1.5e-7, 1e21, 'text', '']],
    ['empty containers at any depth', { a: [], b: {}, c: [[], {}, [[]], [{}]], d: { e: {} } }],
    ['nested arrays and objects', { a: [1, [2, [3, { b: [4, { c: [] }] }]]], d: { e: { f: { g: 'deep' } } } }],
    ['keys and strings needing escapes', { 'k"e\\y': 'quote " backslash \\ both \\" newline \n tab \t nul \u0000 del \u007f', '\n': '"' }],
    ['structural characters inside strings', { '{[': '],}:,', 'a:b': '{"x":[1,2]}' }],
    ['Latin-1 beyond ASCII', { é: 'ñ café ÿ \u00a0', 'naïve': ['\u0080', '\u00ff'] }],
    ['integer-like keys, which JSON.parse puts first', { b: 1, 10: 'ten', 2: 'two', '-1': 'minus', '01': 'lead' }],
    ['a member named __proto__', JSON.parse('{"__proto__":{"x":1},"y":[]}')],
  ];
  for (const [name, value] of cases) {
    it(`indents and quotes ${name} as parsing and JSON.stringify would`, () => {
      const compact = JSON.stringify(value);
      expect(quotedPrettyJson(compact, '```json\n', '\n```')).toBe(general(compact, '```json\n', '\n```'));
      expect(quotedPrettyJson(compact, '', '')).toBe(general(compact, '', ''));
    });
  }

  it('prints text beyond Latin-1, and leaves to the caller a lone surrogate JSON.stringify would have escaped', () => {
    for (const value of [{ a: 'logs — validated ✓', '😀': ['\u2028', '\ud83d\ude00'] }, { 'ключ': 'значение' }]) {
      const compact = JSON.stringify(value);
      expect(quotedPrettyJson(compact, '```json\n', '\n```')).toBe(general(compact, '```json\n', '\n```'));
    }
    expect(quotedPrettyJson(JSON.stringify({ a: '\ud800' }), '', '')).toBe(general(JSON.stringify({ a: '\ud800' }), '', ''));
    expect(quotedPrettyJson('"\ud800"', '', '')).toBeUndefined();
  });

  it('writes a text longer and deeper than its buffer, and the next one unharmed', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 300; i++) deep = i % 2 === 0 ? [deep, i] : { level: deep };
    const long = { items: Array.from({ length: 20_000 }, (_, i) => ({ i, s: `"${i}"\\` })) };
    for (const value of [deep, long, { small: 1 }]) {
      const compact = JSON.stringify(value);
      expect(quotedPrettyJson(compact, 'a', 'b')).toBe(general(compact, 'a', 'b'));
    }
  });
});

describe('prettyJsonText', () => {
  const cases: unknown[] = [
    [null, true, 0, -1.5e-7, 1e21, 'text', ''],
    { a: [], b: {}, c: [[], {}, [[]], [{}]], d: { e: {} } },
    { a: [1, [2, [3, { b: [4, { c: [] }] }]]], d: { e: { f: { g: 'deep' } } } },
    { 'k"e\\y': 'quote " backslash \\ newline \n nul \u0000', '\n': '"', '{[': '],}:,' },
    { b: 1, 10: 'ten', 2: 'two', '-1': 'minus', '01': 'lead', é: 'ñ', '😀': ['\u2028'] },
    JSON.parse('{"__proto__":{"x":1},"y":[]}'),
    'a string alone',
  ];
  it('indents a compact text as parsing it and JSON.stringify(value, null, 2) would', () => {
    for (const value of cases) {
      const compact = JSON.stringify(value);
      expect(prettyJsonText(compact), compact).toBe(JSON.stringify(JSON.parse(compact), null, 2));
    }
  });

  it('leaves to the caller a lone surrogate and what is not compact JSON', () => {
    expect(prettyJsonText('"\ud800"')).toBeUndefined();
    expect(prettyJsonText('{"a": 1}')).toBeUndefined();
  });
});
