import { describe, expect, it } from 'vitest';
import { LazyList, sortKeysDeep, stableJson, stableJsonChunks } from '../../src/report/canonical.ts';
import { jsonFormatter } from '../../src/report/json.ts';
import { JsonTemplates } from '../../src/report/json-template.ts';
import { sarifFormatter } from '../../src/report/sarif.ts';
import type { Formatter, RenderOptions } from '../../src/report/types.ts';
import { sampleResult, withVerdict } from '../fixtures/results/sample-result.ts';

// Large reports are written from renderChunks; the bytes must be exactly render()'s.
const join = (chunks: Iterable<string>) => [...chunks].join('');

describe('stableJsonChunks', () => {
  const cases: [string, unknown][] = [
    ['a primitive', 'text'],
    ['empty containers', { a: [], b: {}, c: [{}], d: null }],
    ['undefined members and items', { a: undefined, b: [undefined, 1], c: { d: undefined } }],
    ['non-ASCII and escapes', { 'k"ey': 'line\nbreak → ✓', nested: [['x', { y: 'é' }]] }],
  ];
  for (const [name, value] of cases) {
    it(`renders ${name} exactly as stableJson does`, () => {
      expect(join(stableJsonChunks(value))).toBe(stableJson(value));
    });
  }

  it('opens LazyLists at any depth, converting each item only while it is written', () => {
    const converted: number[] = [];
    const lazy = new LazyList([3, 1, 2], (n) => {
      converted.push(n);
      return { n, items: [n, { deep: [n] }], skip: undefined };
    });
    const value = { top: 1, runs: [{ results: lazy, after: [] }], empty: new LazyList([], (n: number) => n) };
    const chunks = stableJsonChunks(value);
    expect(converted).toEqual([]);
    expect(join(chunks)).toBe(stableJson(value));
    // JSON.stringify (render) and the chunks each converted the items once, in order.
    expect(converted).toEqual([3, 1, 2, 3, 1, 2]);
  });

  it('writes an item rendered in pieces as its pieces, one chunk each, in order', () => {
    const templates = new JsonTemplates();
    const item = (v: readonly (string | undefined)[]) => ({ id: v[0], title: 'Logs — validated', n: 1 });
    const lazy = new LazyList(['a', 'b"'], (id) => item([id]), (id, indent) => templates.pieces('t', [id], item, indent));
    const value = { top: { list: lazy } };
    const chunks = [...stableJsonChunks(value)];
    expect(chunks.join('')).toBe(stableJson(value));
    // The wide character of the constant text is a chunk of its own, the same for both items; the
    // Latin-1 text around it is joined to the chunks before and after it.
    const wide = chunks.filter((c) => c.includes('—'));
    expect(wide).toEqual(['—', '—']);
    expect(chunks.some((c) => /"title": "Logs $/.test(c))).toBe(true);
    expect(chunks.some((c) => /^ validated",\n +"n": 1\n +}/.test(c))).toBe(true);
  });

  it('writes rendered items together, a few kilobytes a chunk, whatever their size, and an item in pieces apart', () => {
    const templates = new JsonTemplates();
    const small = (v: readonly (string | undefined)[]) => ({ 'observation-uuid': v[0] });
    const uuids = Array.from({ length: 2_000 }, (_, i) => `00000000-0000-5000-8000-${String(i).padStart(12, '0')}`);
    const list = new LazyList(uuids, (u) => small([u]), (u, indent) => templates.render('s', [u], small, indent));
    const value = { findings: [{ related: list }] };
    const chunks = [...stableJsonChunks(value)];
    expect(chunks.join('')).toBe(stableJson(value));
    expect(chunks.length).toBeLessThan(uuids.length / 50);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(20_000);
    // Items of a kilobyte or two (OSCAL's observations) were a chunk each, passed up through every
    // generator above the list.
    const big = (v: readonly (string | undefined)[]) => ({ id: v[0], text: 'x'.repeat(1_500) });
    const ids = Array.from({ length: 200 }, (_, i) => `id-${i}`);
    const bigList = new LazyList(ids, (id) => big([id]), (id, indent) => templates.render('b', [id], big, indent));
    const bigChunks = [...stableJsonChunks({ top: bigList })];
    expect(bigChunks.join('')).toBe(stableJson({ top: bigList }));
    expect(bigChunks.length).toBeLessThan(ids.length / 5);
    expect(Math.max(...bigChunks.map((c) => c.length))).toBeLessThan(20_000);
    // An item in pieces (its wide text apart, JsonTemplates.pieces) ends the batch, its pieces apart.
    const wide = (v: readonly (string | undefined)[]) => ({ id: v[0], title: 'Logs — validated' });
    const mixed = new LazyList(['a', 'b', 'c'], (id) => wide([id]), (id, indent) => (id === 'b' ? templates.pieces('w', [id], wide, indent) : templates.render('s', [id], small, indent)));
    const mixedChunks = [...stableJsonChunks({ top: mixed })];
    expect(mixedChunks.join('')).toBe(JSON.stringify({ top: [{ 'observation-uuid': 'a' }, wide(['b']), { 'observation-uuid': 'c' }] }, null, 2) + '\n');
    expect(mixedChunks.filter((c) => c.includes('—'))).toEqual(['—']);
  });

  it('looks for LazyLists in each plain part of a document once, however many levels are opened above it', () => {
    // A plain inventory beside the list, five levels down (as OSCAL's inventory items are): each
    // level jsonChunks opens asked again whether the inventory held a list, reading it again.
    let reads = 0;
    const item = (id: number) => ({ id, props: [{ name: 'region', value: 'eu-west-1' }] });
    const counted = Array.from({ length: 20 }, (_, i) => {
      const o = item(i);
      return Object.defineProperty(o, 'props', { get: () => (reads++, [{ name: 'region', value: 'eu-west-1' }]), enumerable: true });
    });
    const value = { a: { results: [{ definitions: { inventory: counted }, observations: new LazyList([1, 2], (n) => ({ n })) }] } };
    const whole = stableJson(value);
    expect(reads).toBe(counted.length);
    reads = 0;
    expect(join(stableJsonChunks(value))).toBe(whole);
    // Once to look for a list, once to write the item.
    expect(reads).toBe(2 * counted.length);
  });

  it('writes a LazyList item with no JSON form as null, as JSON.stringify does', () => {
    const value = { list: new LazyList([1, 2], (n) => (n === 1 ? undefined : n)) };
    expect(join(stableJsonChunks(value))).toBe(stableJson(value));
    expect(join(stableJsonChunks(value))).toContain('null');
  });
});

describe('renderChunks equals render', () => {
  const suppressed = withVerdict(sampleResult(), (v) => v.status === 'FAIL', {
    suppressed: { reason: 'accepted', approver: 'sec', expires: '2099-01-01', exceptionId: 'x1' },
  });
  const variants: [string, Formatter, RenderOptions, typeof suppressed][] = [
    ['json', jsonFormatter, {}, sampleResult()],
    ['json with a suppressed verdict', jsonFormatter, {}, suppressed],
    ['sarif', sarifFormatter, {}, sampleResult()],
    ['sarif keeping suppressed results', sarifFormatter, { sarifIncludeSuppressed: true }, suppressed],
    ['sarif against a baseline', sarifFormatter, { baseline: suppressed }, sampleResult()],
  ];
  for (const [name, formatter, options, result] of variants) {
    it(name, () => {
      expect(formatter.renderChunks).toBeDefined();
      const rendered = formatter.render(result, options);
      expect(join(formatter.renderChunks!(result, options))).toBe(rendered);
      expect(rendered.length).toBeGreaterThan(100);
    });
  }
});

describe('sortKeysDeep', () => {
  it('sorts keys at every depth and keeps array order', () => {
    const out = sortKeysDeep({ b: 1, a: [{ d: 1, c: 2 }, 'x'], c: { z: { y: 1, x: 2 } } });
    expect(JSON.stringify(out)).toBe('{"a":[{"c":2,"d":1},"x"],"b":1,"c":{"z":{"x":2,"y":1}}}');
  });

  it('returns parts already in order as they are, and copies only what changed', () => {
    const sorted = { a: { b: 1 }, c: [1, { d: 2 }] };
    expect(sortKeysDeep(sorted)).toBe(sorted);
    const mixed = { a: { b: 1 }, c: [{ f: 1, e: 2 }] };
    const out = sortKeysDeep(mixed) as typeof mixed;
    expect(out).not.toBe(mixed);
    expect(out.a).toBe(mixed.a);
    expect(Object.keys(out.c[0]!)).toEqual(['e', 'f']);
    expect(Object.keys(mixed.c[0]!)).toEqual(['f', 'e']);
  });

  it('turns a non-plain object into a plain one, as before', () => {
    expect(JSON.stringify(sortKeysDeep({ when: new Date(0) }))).toBe('{"when":{}}');
  });
});
