/**
 * Segments shared by the verdict cache's values (shared-projection.ts): an account's member that
 * several rules observe is projected once per account, and a rule whose segments all repeat keeps
 * its last key without projecting. Generated facts that repeat and change one member at a time,
 * each subject judged through the cache and afresh: a key kept wrongly shows as an outcome that
 * differs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { EvaluationSubject } from '../../src/model/facts.ts';
import { evaluateCompiledRule } from '../../src/rules/evaluate.ts';
import { compiledRuleOf } from '../../src/rules/load/loaded.ts';
import { loadRules } from '../../src/rules/load.ts';
import { prng } from '../bench/generate-org.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailproof-shared-projection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Rules reading account.trails differently (some fields, a bucket whole and its name alone,
// elements looked up in a selection of the list) and the account's status and tag keys.
const RULES: Record<string, string> = {
  logging: `validations:
  - expression: account.trails.all(t, t.isLogging)
    messageExpression: '"stopped: " + account.trails.filter(t, !t.isLogging).map(t, t.arn).join(", ")'
passMessageExpression: '"logging: " + string(account.trails.size())'`,
  buckets: `match: account.status == "ACTIVE"
validations:
  - expression: account.trails.all(t, t.bucket != null)
    message: a trail without a bucket
evidence: account.trails.map(t, t.bucket)`,
  selected: `variables:
  - name: stopped
    expression: account.trails.filter(t, !t.isLogging)
validations:
  - expression: account.trails.filter(t, t in variables.stopped).size() == 0
    messageExpression: '"stopped " + string(account.trails.filter(t, t in variables.stopped).size())'`,
  // After buckets (rules load by name): its bucket node, not read whole, merges with one read whole.
  names: `validations:
  - expression: account.trails.all(t, t.bucket == null || t.bucket.name != "z")
    message: a bucket named z`,
  tagged: `validations:
  - expression: '!("admin" in account.tags) || account.status != "ACTIVE"'
    message: an active admin account`,
};

async function loadSharedRules() {
  const ruleDir = mkdtempSync(join(dir, 'rules-'));
  for (const [id, body] of Object.entries(RULES)) writeFileSync(join(ruleDir, `${id}.yaml`), `id: ${id}\ntitle: ${id}\nseverity: low\nresource: account\n${body}\nremediation: none\n`);
  return loadRules([ruleDir], DEFAULT_CONFIG);
}

interface Trail {
  arn: string;
  isLogging: boolean;
  bucket: { name: string; logging: boolean } | null;
}
interface Facts {
  status: string;
  tags: Record<string, string>;
  trails: Trail[];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/**
 * Subjects that mostly repeat the previous one's facts (as copies, some frozen as the model
 * shares facts), else change one thing: a trail's logging, a bucket, a tag, the status, a trail
 * added (sometimes equal to another) or removed, or the account's facts absent.
 */
function generated(seed: number, count: number): EvaluationSubject[] {
  // Deterministic, so a failure repeats.
  const next = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const newTrail = (): Trail => ({ arn: pick(['a', 'b', 'c']), isLogging: next() < 0.7, bucket: next() < 0.1 ? null : { name: pick(['x', 'y']), logging: next() < 0.5 } });
  let facts: Facts = { status: 'ACTIVE', tags: {}, trails: [newTrail()] };
  const subjects: EvaluationSubject[] = [];
  for (let i = 0; i < count; i++) {
    facts = structuredClone(facts);
    if (next() < 0.2) {
      const trail = facts.trails.length > 0 ? pick(facts.trails) : undefined;
      switch (Math.floor(next() * 7)) {
        case 0:
          if (trail) trail.isLogging = !trail.isLogging;
          break;
        case 1:
          if (trail) trail.bucket = next() < 0.2 ? null : { name: pick(['x', 'y', 'z']), logging: next() < 0.5 };
          break;
        case 2:
          facts.tags = next() < 0.5 ? {} : { [pick(['admin', 'team'])]: pick(['1', '2']) };
          break;
        case 3:
          facts.status = pick(['ACTIVE', 'SUSPENDED']);
          break;
        case 4:
          facts.trails.push(trail && next() < 0.5 ? structuredClone(trail) : newTrail());
          break;
        case 5:
          facts.trails.pop();
          break;
        default:
          break;
      }
    }
    const id = String(i);
    const account = next() < 0.01 ? undefined : next() < 0.1 ? deepFreeze(structuredClone(facts)) : facts;
    subjects.push({ resource: { type: 'account', id, accountId: id, name: id }, activation: { organization: {}, account: account && { id, ...account } } as never });
  }
  return subjects;
}

const shown = (v: { status: string; message: string; evidence?: unknown }) => JSON.stringify({ status: v.status, message: v.message, evidence: v.evidence ?? null });

describe('segments shared by the verdict cache', () => {
  it.each([1, 2, 3])('keep a key only for subjects whose observed facts are equal (seed %i)', async (seed) => {
    const rules = await loadSharedRules();
    const differences: string[] = [];
    for (const subject of generated(seed, 3000)) {
      for (const rule of rules) {
        const verdict = rule.evaluate(subject);
        const fresh = evaluateCompiledRule(compiledRuleOf(rule)!, subject);
        if (shown(verdict) !== shown(fresh)) differences.push(`${rule.meta.id} on ${JSON.stringify(subject.activation.account)}: cached ${shown(verdict)}, fresh ${shown(fresh)}`);
      }
    }
    expect(differences.slice(0, 5)).toEqual([]);
  });

  it('projects a member the rules share once per account, once they have repeated', async () => {
    const rules = await loadSharedRules();
    let reads = 0;
    const trails = [{ arn: 'a', isLogging: true, bucket: { name: 'x', logging: true } }];
    const subject = (i: number): EvaluationSubject => {
      const account = { id: String(i), status: 'ACTIVE', tags: {} } as Record<string, unknown>;
      Object.defineProperty(account, 'trails', {
        enumerable: true,
        get: () => {
          reads++;
          return trails;
        },
      });
      return { resource: { type: 'account', id: String(i), accountId: String(i), name: String(i) }, activation: { organization: {}, account } as never };
    };
    // Past every rule's trial, judged alike.
    const judged = (i: number) => {
      const one = subject(i);
      return rules.map((rule) => rule.evaluate(one));
    };
    for (let i = 0; i < 300; i++) judged(i);
    reads = 0;
    const verdicts = [];
    for (let i = 300; i < 400; i++) verdicts.push(...judged(i));
    // Four rules read the trails: each projected them for each account before.
    expect(reads).toBeLessThanOrEqual(100);
    expect(verdicts.map((v) => v.status)).toEqual(Array(500).fill('PASS'));
  });

  it('stops projecting the subjects that start a run of their own once such subjects are seldom reused', async () => {
    const [rule] = (await loadSharedRules()).filter((r) => r.meta.id === 'logging');
    const org = { arn: 'org', isLogging: true, bucket: null };
    let reads = 0;
    // A trail of the account's own, whose arn the rule's keys observe (its message on a FAIL names it) and a PASS does not read.
    const own = (i: number) =>
      Object.defineProperty({ isLogging: true, bucket: null }, 'arn', {
        enumerable: true,
        get: () => (reads++, `own-${i}`),
      });
    const subject = (i: number, trails: unknown[]): EvaluationSubject => ({
      resource: { type: 'account', id: String(i), accountId: String(i), name: String(i) },
      activation: { organization: {}, account: { id: String(i), status: 'ACTIVE', tags: {}, trails } } as never,
    });
    const judged = (i: number, trails: unknown[]) => {
      const verdict = rule!.evaluate(subject(i, trails));
      expect([verdict.status, verdict.message]).toEqual(['PASS', `logging: ${trails.length}`]);
    };
    // Past the rule's trial, alike, then accounts with a trail of their own between them: each starts a run, none is reused.
    for (let i = 0; i < 300; i++) judged(i, [org]);
    const readsOf = (from: number, count: number) => {
      reads = 0;
      for (let i = from; i < from + count; i++) {
        judged(i, [org, own(i)]);
        judged(i + 100_000, [org]);
      }
      return reads;
    };
    const keyed = readsOf(1000, 100);
    readsOf(2000, 150);
    // Past STARTING_TRIAL of them: compared with the runs as before (reading the arn), but not
    // projected: a read fewer for each of the 100 accounts.
    const computed = readsOf(3000, 100);
    expect(keyed - computed).toBeGreaterThanOrEqual(90);
  });
});

