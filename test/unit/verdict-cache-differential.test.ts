/**
 * A reused outcome must be the outcome the rule would have given (verdict-cache.ts): for every
 * rule of the bundled pack and every subject of the demo organization, the verdict through the
 * cache equals the verdict of the same compiled rule evaluated afresh. The demo's accounts share
 * most facts and differ in a few, so a key that leaves out a fact a rule reads reuses a wrong
 * outcome here; subjects are judged in both orders, so which account is cached first does not
 * hide it.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { EvaluationSubject } from '../../src/model/facts.ts';
import { buildIndex, DEFAULT_MODEL_OPTIONS, organizationSubject, subjectsForAccount } from '../../src/model/index.ts';
import { evaluateCompiledRule } from '../../src/rules/evaluate.ts';
import { compiledRuleOf } from '../../src/rules/load/loaded.ts';
import { loadRules } from '../../src/rules/load.ts';
import { evaluateInParts } from '../../src/rules/outcome-parts.ts';
import { DEMO_SNAPSHOT_FILE } from '../../src/snapshot/demo.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';

async function demoSubjects(): Promise<EvaluationSubject[]> {
  const snapshot = await readSnapshotFully(DEMO_SNAPSHOT_FILE);
  const index = buildIndex(snapshot.header, snapshot.accounts, DEFAULT_MODEL_OPTIONS);
  return [organizationSubject(index), ...snapshot.accounts.flatMap((record) => subjectsForAccount(index, record))];
}

const shown = (v: { status: string; message: string; resource: { id: string }; evidence?: unknown }) =>
  JSON.stringify({ resource: v.resource.id, status: v.status, message: v.message, evidence: v.evidence ?? null });

describe('outcomes reused through the verdict cache', () => {
  it.each(['forward', 'reverse'])('equal a fresh evaluation for every bundled rule and demo subject (%s order)', async (order) => {
    const subjects = await demoSubjects();
    if (order === 'reverse') subjects.reverse();
    const rules = await loadRules(['builtin'], DEFAULT_CONFIG);
    let judged = 0;
    const differences: string[] = [];
    for (const rule of rules) {
      const compiled = compiledRuleOf(rule)!;
      for (const subject of subjects.filter((s) => s.resource.type === rule.document.resource)) {
        const cached = shown(rule.evaluate(subject));
        const fresh = shown(evaluateCompiledRule(compiled, subject));
        judged++;
        if (cached !== fresh) differences.push(`${rule.meta.id} ${subject.resource.id}:\n  cached ${cached}\n  fresh  ${fresh}`);
      }
    }
    expect(differences).toEqual([]);
    // Every rule met subjects of its kind, and reuse had something to work on.
    expect(judged).toBeGreaterThan(rules.length * 5);
  });

  // A rule is evaluated in parts only once its whole outcome's trial failed, after 200 subjects,
  // more than the demo has: here every rule is evaluated in parts from its first subject.
  it.each(['forward', 'reverse'])('equal a fresh evaluation when reused in parts, for every bundled rule and demo subject (%s order)', async (order) => {
    const subjects = await demoSubjects();
    if (order === 'reverse') subjects.reverse();
    const rules = await loadRules(['builtin'], DEFAULT_CONFIG);
    const differences: string[] = [];
    for (const rule of rules) {
      const compiled = compiledRuleOf(rule)!;
      const inParts = evaluateInParts(compiled);
      for (const subject of subjects.filter((s) => s.resource.type === rule.document.resource)) {
        const reused = shown(inParts(subject));
        const fresh = shown(evaluateCompiledRule(compiled, subject));
        if (reused !== fresh) differences.push(`${rule.meta.id} ${subject.resource.id}:\n  in parts ${reused}\n  fresh    ${fresh}`);
      }
    }
    expect(differences).toEqual([]);
  });
});
