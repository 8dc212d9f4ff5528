/**
 * CEL evaluated through closures in front of the library's interpreter (src/rules/cel-closures.ts):
 * the same values and the same errors as the library's own evaluation, for generated facts of
 * every kind and for every expression of the bundled rules over an organization's subjects; and
 * the library's walk no longer run once it has evaluated an expression once.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { organizationSubject, subjectsForAccount } from '../../src/model/index.ts';
import { ruleEnvironment } from '../../src/rules/cel.ts';
import { buildActivation } from '../../src/rules/evaluate.ts';
import { BUILTIN_RULES_DIR, compiledRuleOf, loadRules } from '../../src/rules/load.ts';
import { compiled, library, outcome } from '../fixtures/cel-evaluations.ts';
import { syntheticOrganization } from '../fixtures/synthetic-org.ts';

const asText = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? { map: [...v] } : v));

/** Values of every kind the facts hold, and some they do not (a Map, a double, a hole, a class). */
const VALUES: unknown[] = ['a', 'b', '', 'ü', true, false, 0n, 1n, -3n, 2n ** 62n, 1, 1.5, Number.NaN, null, [], ['a'], ['a', 'b'], [1n, 'a'], [null], { k: 'a' }, { k: 'a', j: 1n }, {}, { toString: 'x' }, new Map([['k', 'a']]), new Date(0), [, 'x'], Object.create(null) as object];

/** Subjects made of those values: each member of `account` one of them, in turn. */
function subjects(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < VALUES.length; i++) {
    const x = VALUES[i];
    const y = VALUES[(i * 7 + 3) % VALUES.length];
    const l = VALUES[(i * 5 + 1) % VALUES.length];
    out.push({ account: { x, y, l, m: { k: x, n: y }, list: [{ k: x }, { k: y }] }, trail: { x: y } });
    out.push({ account: { x, y: x, l: [x, y], m: {}, list: [] } });
    out.push({ account: { x: y, y: x, l: Array.isArray(l) ? l : [l], m: { k: 'a' }, list: [{ k: 'a' }, { k: x }] } });
  }
  out.push({});
  out.push({ account: null });
  return out;
}

const EXPRESSIONS = [
  'account.x',
  'account.x == account.y',
  'account.x != account.y',
  'account.x < account.y',
  'account.x >= account.y',
  'account.x + account.y',
  'account.x - account.y',
  'account.x in account.l',
  'account.x in account.m',
  'account.l + account.l',
  'account.x == null ? "none" : string(account.x)',
  'has(account.x) && account.x',
  '!account.x || account.y',
  'has(account.m.k) ? account.m.k : "unknown"',
  'has(account.m.k.z)',
  'has(trail.x)',
  'account.l.size() > 0 && size(account.l) == account.l.size()',
  'account.l.join(", ")',
  'account.l.join()',
  'account.l.map(e, {"item": e, "twice": [e, e]})',
  'account.l.map(e, e != null, string(e))',
  'account.l.filter(e, e == account.x)',
  'account.l.all(e, e == "a")',
  'account.l.exists(e, e == "a")',
  'account.list.map(i, i.k)',
  'account.list.filter(i, i in account.list).size()',
  'account.list.exists(i, account.l.exists(j, j == i.k))',
  'account.l[0]',
  'account.m["k"]',
  'dyn(account.m)[account.x]',
  '{"a": account.x, "__proto__": 1, "a": account.y}',
  '[account.x, account.y, null]',
  'account.x == account.m',
  'account.l == [account.x]',
  'account.m == {"k": account.x, "n": account.y}',
  'account.x + 9223372036854775807',
  'params.p == account.x ? variables.v : account.y',
];

describe('CEL through closures', () => {
  for (const text of EXPRESSIONS) {
    it(`evaluates ${text} as the library does`, () => {
      const ours = compiled(text);
      const theirs = library(text);
      for (const subject of subjects()) {
        const activation = { ...subject, params: { p: 'a' }, variables: { v: ['v'] } };
        // Twice: the first evaluation is the library's own (it type-checks the tree), the second the closures'.
        for (let round = 0; round < 2; round++) expect(asText(outcome(() => ours(activation)))).toBe(asText(outcome(() => theirs(activation))));
      }
    });
  }

  it("no longer walks the tree through the library once it has evaluated the expression once", () => {
    const ours = compiled('account.l.map(e, {"item": e}).size() == 2');
    const subject = { account: { l: ['a', 'b'] } };
    expect(ours(subject)).toBe(true);
    // The library's walk enters the tree through its root node's `evaluate` (parser.js ASTNode): counted from now on.
    const root = ours.ast as { evaluate: (...args: unknown[]) => unknown };
    let walked = 0;
    const evaluate = root.evaluate;
    root.evaluate = function (this: unknown, ...args: unknown[]) {
      walked++;
      return evaluate.apply(this, args);
    };
    for (let i = 0; i < 10; i++) expect(ours(subject)).toBe(true);
    expect(walked).toBe(0);
    // A case the closures leave to the library (a missing member): its own error, from its walk.
    expect(outcome(() => ours({ account: {} }))).toEqual(outcome(() => library('account.l.map(e, {"item": e}).size() == 2')({ account: {} })));
    expect(walked).toBe(1);
  });

  it("gives every expression of the bundled rules the library's value on an organization's subjects", async () => {
    const { snap, index } = await syntheticOrganization({ accounts: 60, seed: 7 });
    const all = [organizationSubject(index), ...snap.accounts.flatMap((r) => subjectsForAccount(index, r))];
    const rules = await loadRules([BUILTIN_RULES_DIR], structuredClone(DEFAULT_CONFIG));
    let compared = 0;
    for (const loaded of rules) {
      const rule = compiledRuleOf(loaded)!;
      const doc = rule.document;
      const env = ruleEnvironment((doc.variables ?? []).map((v) => v.name), Object.keys(doc.params ?? {}));
      const pairs: [unknown, string | undefined][] = [
        [rule.match, doc.match],
        ...rule.variables.map((v, i): [unknown, string | undefined] => [v.expression, doc.variables![i]!.expression]),
        ...rule.validations.flatMap((v, i): [unknown, string | undefined][] => [
          [v.expression, doc.validations[i]!.expression],
          [v.messageExpression, doc.validations[i]!.messageExpression],
        ]),
        [rule.passMessage, doc.passMessageExpression],
        [rule.notApplicableMessage, doc.notApplicableMessageExpression],
        [rule.evidence, doc.evidence],
      ];
      for (const [ours, text] of pairs) {
        if (!ours || !text) continue;
        const parsed = env.parse(text);
        for (const subject of all.filter((s) => s.resource.type === doc.resource)) {
          for (let round = 0; round < 2; round++) {
            const mine = outcome(() => (ours as (a: Record<string, unknown>) => unknown)(buildActivation(rule, subject)));
            const theirs = outcome(() => parsed(buildActivation(rule, subject)));
            expect(asText(mine), `${doc.id}: ${text}`).toBe(asText(theirs));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });
});
