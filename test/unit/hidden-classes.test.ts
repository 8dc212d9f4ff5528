/**
 * Objects every rule reads for every subject keep V8's fast properties (a hidden class shared
 * between subjects) rather than becoming hash tables: the account's facts, and the lazy
 * `variables` of a rule's activation. Checked with V8's own test intrinsics, enabled only while
 * the two checks are compiled.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
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

setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = runInNewContext('(o) => %HasFastProperties(o)') as (o: object) => boolean;
const haveSameMap = runInNewContext('(a, b) => %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
// Called once while the flag is on: V8 parses a function's body when it is first called.
hasFastProperties({});
haveSameMap({}, {});
setFlagsFromString('--no-allow-natives-syntax');

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
  });
});
