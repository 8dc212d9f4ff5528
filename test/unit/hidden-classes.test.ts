/**
 * Objects every rule reads for every subject keep V8's fast properties (a hidden class shared
 * between subjects) rather than becoming hash tables: the account's facts, and the lazy
 * `variables` of a rule's activation. Checked with V8's own test intrinsics, enabled only while
 * the two checks are compiled.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { EvaluationSubject } from '../../src/model/facts.ts';
import { buildIndex, subjectsForAccount } from '../../src/model/index.ts';
import { buildActivation } from '../../src/rules/evaluate.ts';
import { compiledRuleOf, loadRules } from '../../src/rules/load.ts';
import { DEMO_SNAPSHOT_FILE } from '../../src/snapshot/demo.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';
import { mapped, mappedWhere } from '../../src/shared/lists.ts';
import { syntheticOrganization } from '../fixtures/synthetic-org.ts';

setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = runInNewContext('(o) => %HasFastProperties(o)') as (o: object) => boolean;
const haveSameMap = runInNewContext('(a, b) => %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
// Called once while the flag is on: V8 parses a function's body when it is first called.
hasFastProperties({});
haveSameMap({}, {});
setFlagsFromString('--no-allow-natives-syntax');

/** Every list in `value` that is not frozen (a frozen list is shared, and has a hidden class of its own), with where it is. */
function unfrozenLists(value: unknown, at: string, found: [string, unknown[]][] = [], seen = new Set<object>()): [string, unknown[]][] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return found;
  seen.add(value);
  if (Array.isArray(value) && !Object.isFrozen(value)) found.push([at, value]);
  for (const [key, member] of Object.entries(value)) unfrozenLists(member, `${at}.${key}`, found, seen);
  return found;
}

async function demoAccountFacts(): Promise<Map<string, Record<string, unknown>>> {
  const snap = await readSnapshotFully(DEMO_SNAPSHOT_FILE);
  const index = buildIndex(snap.header, snap.accounts);
  return new Map(snap.accounts.map((r) => [r.accountId, subjectsForAccount(index, r)[0]!.activation.account as unknown as Record<string, unknown>]));
}

describe('hidden classes of what every rule reads', () => {
  it("an account's facts keep fast properties, with `unknown` where something is and without it where nothing is", async () => {
    const facts = await demoAccountFacts();
    const complete = facts.get('222222222222')!;
    expect(Object.keys(complete)).not.toContain('unknown');
    expect(Object.keys(complete).slice(0, 3)).toEqual(['id', 'name', 'status']);
    expect(hasFastProperties(complete)).toBe(true);
    const partly = facts.get('141414141414')!;
    expect(Object.keys(partly.unknown as object)).toEqual(['managementEvents']);
    const keys = Object.keys(partly);
    expect(keys.indexOf('unknown')).toBe(keys.indexOf('regions') + 1);
    // Every other member in the same order either way.
    expect(keys.filter((k) => k !== 'unknown' && k in complete)).toEqual(Object.keys(complete).filter((k) => k in partly));
  });

  it("a rule's lazy variables share one hidden class between evaluations, each with its own values", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-hidden-classes-'));
    try {
      writeFileSync(
        join(dir, 'vars.yaml'),
        ['id: vars', 'title: Vars', 'severity: low', 'remediation: fix it', 'resource: account', 'variables:', '  - name: who', '    expression: account.name', '  - name: n', '    expression: account.tags.size()', 'validations:', '  - expression: variables.n == 0 && variables.who != ""', ''].join('\n'),
      );
      const [loaded] = await loadRules([dir], structuredClone(DEFAULT_CONFIG));
      const rule = compiledRuleOf(loaded!)!;
      const subject = (name: string, tags: Record<string, string>) => ({ resource: { type: 'account', id: name, accountId: name }, activation: { account: { id: name, name, tags } } }) as unknown as EvaluationSubject;
      const first = buildActivation(rule, subject('a', {})).variables as Record<string, unknown>;
      const second = buildActivation(rule, subject('b', { k: 'v' })).variables as Record<string, unknown>;
      expect(haveSameMap(first, second)).toBe(true);
      // The getters are the rule's, defined once on a prototype both share, not on each evaluation's object.
      expect(Object.getPrototypeOf(first)).toBe(Object.getPrototypeOf(second));
      expect(Object.getOwnPropertyNames(first)).toEqual([]);
      expect(Object.keys(Object.getPrototypeOf(first) as object)).toEqual(['who', 'n']);
      expect([second.who, second.n, first.who, first.n]).toEqual(['b', 1n, 'a', 0n]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the lists of the facts have one hidden class, empty or not: optimized code that met full ones is not thrown away at an empty one', async () => {
    const full = ['x'];
    // V8 remembers what a literal's lists came to hold once the function has run a few times.
    for (let i = 0; i < 20; i++) mapped(full, (s) => s);
    expect(haveSameMap(mapped([], (s) => s), full)).toBe(true);
    expect(haveSameMap(mappedWhere(full, () => false, (s) => s), full)).toBe(true);
    // What the model used to make: Array.prototype.map gives an empty list another hidden class.
    expect(haveSameMap([].map((s) => s), full)).toBe(false);
    const snap = await readSnapshotFully(DEMO_SNAPSHOT_FILE);
    const index = buildIndex(snap.header, snap.accounts);
    const lists = snap.accounts.flatMap((r) => subjectsForAccount(index, r).flatMap((s) => unfrozenLists(s.activation, s.resource.type)));
    expect(lists.length).toBeGreaterThan(100);
    expect(lists.some(([, list]) => list.length === 0)).toBe(true);
    expect(lists.filter(([, list]) => !haveSameMap(list, full)).map(([at]) => at)).toEqual([]);
  });

  it("the same holds for the benchmarks' organization, whose accounts take branches the demo's do not", async () => {
    const { snap, index } = await syntheticOrganization({ accounts: 150, seed: 42 });
    const lists = snap.accounts.flatMap((r) => subjectsForAccount(index, r).flatMap((s) => unfrozenLists(s.activation, s.resource.type)));
    expect(lists.filter(([, list]) => list.length === 0).length).toBeGreaterThan(100);
    // Where a list of another hidden class is, by path (list positions folded), so a failure names the facts to mend.
    const otherKinds = new Set(lists.filter(([, list]) => !haveSameMap(list, ['x'])).map(([at]) => at.replace(/\.\d+/g, '.N')));
    expect([...otherKinds]).toEqual([]);
  });
});
