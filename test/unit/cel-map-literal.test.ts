/**
 * CEL map literals built straight into their object (src/rules/cel-map-literal.ts): the same maps
 * and the same errors as the library's own evaluation, and the library's evaluation replaced in
 * every expression compiled for a rule, inside macros too.
 */
import { describe, expect, it } from 'vitest';
import { compiled, env, library, outcome } from '../fixtures/cel-evaluations.ts';
import { buildMapLiteralsDirectly } from '../../src/rules/cel-map-literal.ts';

const inOrder = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

const activation = (): Record<string, unknown> => ({
  account: { trails: [{ arn: 'a', n: 1n }, { arn: 'b', n: 2n }], name: 'x', nothing: null },
  params: { p: 'q' },
  variables: { v: 'w' },
});

const EXPRESSIONS = [
  '{"a": account.name, "b": 1, "c": [1, 2], "d": {"e": account.trails.size()}}',
  'account.trails.map(t, {"trail": t.arn, "n": t.n, "twice": t.n * 2})',
  '{"a": 1, "a": 2, "b": 3}',
  '{"b": 1, "a": 2, "b": 3}',
  '{"__proto__": 1, "constructor": 2, "prototype": 3, "kept": 4}',
  '{1: "one", true: "yes", "x": "ex"}',
  '{account.name: params.p, variables.v: "v"}',
  '{"a": account.missing, "b": 1 / 0}',
  '{"a": 1 / 0, "b": account.missing}',
  '{"a": account.nothing, "b": dyn(account.trails)[5]}',
  'account.trails.filter(t, {"n": t.n}["n"] > 1).map(t, {"arn": t.arn})',
  '{}',
  '{"a": {}}',
];

describe('map literals built straight into their object', () => {
  it.each(EXPRESSIONS)('%s: the same value or error as the library', (text) => {
    const ours = outcome(() => compiled(text)(activation()));
    const theirs = outcome(() => library(text)(activation()));
    expect(ours).toEqual(theirs);
    const value = (ours as { value?: unknown }).value;
    // toEqual ignores the keys' order, which CEL's iteration and the evidence's JSON show.
    if (value && typeof value === 'object') expect(inOrder(value)).toBe(inOrder((theirs as { value: unknown }).value));
  });

  it('replaces the evaluation of every non-empty map literal of a compiled expression, inside macros too', () => {
    const text = 'account.trails.map(t, {"trail": t.arn, "inner": {"n": t.n}}).size() > 0 ? {"x": 1} : {}';
    const ast = compiled(text).ast as { meta: { evaluate: unknown } };
    const maps: { op: string; meta: { evaluate: unknown } }[] = [];
    const walk = (value: unknown): void => {
      if (value === null || typeof value !== 'object') return;
      if (Array.isArray(value)) return value.forEach(walk);
      const node = value as { op?: unknown; args?: unknown; meta?: { evaluate: unknown } };
      if (typeof node.op === 'string' && node.op === 'map' && Array.isArray(node.args) && node.args.length > 0) maps.push(node as (typeof maps)[number]);
      walk(node.args);
    };
    walk(ast);
    expect(maps).toHaveLength(3);
    const libraryEvaluate = (env.parse('{"y": 2}').ast as unknown as { meta: { evaluate: unknown } }).meta.evaluate;
    for (const node of maps) expect(node.meta.evaluate).not.toBe(libraryEvaluate);
    // Done twice (an expression compiled again), the literal still evaluates once, as before.
    buildMapLiteralsDirectly(ast);
    expect(compiled(text)(activation())).toEqual({ x: 1n });
  });
});
