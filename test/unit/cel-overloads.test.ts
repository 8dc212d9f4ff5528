/**
 * A function call's overload found once per node and argument types (src/rules/cel-overloads.ts):
 * the same values and the same errors as the library's own evaluation, and the library's search
 * made once for each argument types a call meets, not at each evaluation.
 */
import { describe, expect, it, vi } from 'vitest';
import { compiled, library, outcome } from '../fixtures/cel-evaluations.ts';

const asText = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** Facts of every kind a call meets, in turn: each subject gives the same call other argument types. */
const SUBJECTS: Record<string, unknown>[] = [
  { account: { x: true, l: ['a', 'b'], m: { k: 'v' } } },
  { account: { x: 7n, l: [], m: {} } },
  { account: { x: 2.5, l: [1n, 2n], m: { k: 1n } } },
  { account: { x: 'text', l: ['c'], m: { a: 'b', c: 'd' } } },
  { account: { x: null, l: [true], m: { k: [1n] } } },
  { account: { x: ['a'], l: ['a', 'b'], m: { k: 'v' } } },
  { account: { x: true, l: ['z'], m: { k: 'w' } } },
];

const EXPRESSIONS = [
  'string(account.x)',
  'int(account.x)',
  'size(account.x)',
  'account.l.join(", ")',
  'account.l.join()',
  'account.l.map(e, string(e)).join("-")',
  'size(account.l) + size(account.m)',
  'account.m.exists(k, string(account.m[k]) == "v")',
  'account.x.startsWith("te")',
  'dyn(account.x) == "text" ? "yes" : string(size(account.l))',
];

describe('overloads found once per call and argument types', () => {
  for (const text of EXPRESSIONS) {
    it(`evaluates ${text} as the library does, subject after subject`, () => {
      const ours = compiled(text);
      const theirs = library(text);
      for (const subject of SUBJECTS) expect(asText(outcome(() => ours(subject)))).toBe(asText(outcome(() => theirs(subject))));
    });
  }

  it("searches the library's declarations once for each argument types a call meets", () => {
    const text = 'account.l.map(e, string(e)).join(", ")';
    const ours = compiled(text);
    // Doubles: string(double) is one of the cases the closures leave to the library (cel-closures.ts), whose evaluation this tests.
    ours({ account: { l: [0.5] } }); // the type check, at the first evaluation, gives each call its candidates
    const nodes = callNodes(ours.ast).filter((n) => n.candidates); // map() is a macro: no candidates
    expect(nodes.map((n) => n.args[0])).toEqual(['join', 'string']);
    const many = { account: { l: Array.from({ length: 100 }, (_, i) => i + 0.5) } };
    const expected = library(text)(many); // the library alone, before the count starts
    const search = vi.spyOn(candidatesClassOf(nodes[1]!.candidates), 'findFunction');
    try {
      expect(ours(many)).toBe(expected);
      // Every call answered again: without this module the library searched at each string(), 100 times.
      expect(search.mock.calls.length).toBe(0);
      ours({ account: { l: [true, 0.5] } });
      // Other argument types: string(bool) is searched once, join() on a list of strings was met before.
      expect(search.mock.calls.length).toBe(1);
    } finally {
      search.mockRestore();
    }
  });
});

/** The library's class of a call's candidates (registry.js Candidates), whose findFunction searches. */
function candidatesClassOf(candidates: unknown): { findFunction(...args: unknown[]): unknown } {
  let proto = candidates as object | null;
  while (proto && !(Object.hasOwn(proto, 'constructor') && (proto as { constructor: { name: string } }).constructor.name === 'Candidates')) proto = Object.getPrototypeOf(proto) as object | null;
  if (!proto) throw new Error('no Candidates class found');
  return proto as { findFunction(...args: unknown[]): unknown };
}

interface CallNode {
  op: string;
  args: unknown[];
  candidates?: unknown;
}

function callNodes(ast: unknown): CallNode[] {
  const found: CallNode[] = [];
  const seen = new Set<object>();
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) return value.forEach(walk);
    const node = value as { op?: unknown; args?: unknown; meta?: { macro?: unknown; alternate?: unknown } };
    if (typeof node.op === 'string' && node.meta) {
      if (node.op === 'call' || node.op === 'rcall') found.push(node as CallNode);
      walk(node.args);
      walk(node.meta.macro);
      walk(node.meta.alternate);
    } else Object.values(value).forEach(walk);
  };
  walk(ast);
  return found;
}
