/**
 * A key that is reused must still tell apart subjects that differ in an observed fact
 * (verdict-cache.ts): strings are written into keys by their length and characters, not as JSON,
 * so strings that hold the key's own punctuation (colons, digits, quotes, commas, `=`), strings
 * split differently between two facts, map keys against values, and strings that UTF-8 would
 * write alike (lone surrogates) must never give the same key. Generated facts, each subject judged
 * through the cache and afresh: a wrong reuse shows as an outcome that differs.
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

const dir = mkdtempSync(join(tmpdir(), 'trailproof-verdict-cache-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Reads two strings, a list of strings and a map (its keys, and its values through them): every
// one of them is projected as a string, and the evidence shows them all.
const RULE = `id: string-facts
title: Strings in keys
severity: low
resource: account
validations:
  - expression: '!("admin" in account.tags)'
    message: an admin tag
passMessageExpression: 'account.name + "|" + account.email'
evidence: '[account.name, account.email, account.regions, account.tags.map(k, k + "=" + account.tags[k])]'
remediation: none
`;

/** The characters a key is made of, digits, and characters UTF-8 cannot write apart (lone surrogates). */
const ALPHABET = ['', '0', '1', '2', '9', ':', '"', ',', '=', '\n', '\\', '~', '#', '[', ']', '{', '}', 'a', 'é', '😀', '\uD800', '\uDBFF', '\uDC00', 'null', 'true', '3:'];

/** A small deterministic generator (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generated(seed: number, count: number): EvaluationSubject[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  // Short strings from few characters collide often under a wrong encoding; some are long enough
  // (over 64 characters of key) to be keyed by their digest.
  const text = () => {
    let out = '';
    for (let n = Math.floor(next() * 4); n > 0; n--) out += pick(ALPHABET);
    return next() < 0.1 ? out + 'x'.repeat(70) : out;
  };
  const facts: { name: string; email: string; regions: string[]; tags: Record<string, string> }[] = [];
  const subjects: EvaluationSubject[] = [];
  for (let i = 0; i < count; i++) {
    // Half the subjects repeat an earlier one's facts (as copies), so outcomes are reused and the
    // keys of the others are looked up among theirs.
    const copied = facts.length > 0 && next() < 0.5 ? structuredClone(pick(facts)) : undefined;
    const tags: Record<string, string> = {};
    if (!copied) for (let n = Math.floor(next() * 3); n > 0; n--) tags[next() < 0.1 ? 'admin' : text()] = text();
    const own = copied ?? { name: text(), email: text(), regions: Array.from({ length: Math.floor(next() * 3) }, text), tags };
    facts.push(own);
    const id = String(i);
    subjects.push({
      resource: { type: 'account', id, accountId: id, name: id },
      activation: { organization: {}, account: { id, ...own } } as never,
    });
  }
  return subjects;
}

/** The rule loaded afresh: its cache empty. */
async function loadRule() {
  const file = join(mkdtempSync(join(dir, 'rule-')), 'string-facts.yaml');
  writeFileSync(file, RULE);
  const [rule] = await loadRules([file], DEFAULT_CONFIG);
  return rule!;
}

const shown = (v: { status: string; message: string; evidence?: unknown }) => JSON.stringify({ status: v.status, message: v.message, evidence: v.evidence ?? null });

describe('verdict-cache keys of generated string facts', () => {
  it.each([1, 2, 3])('reuse an outcome only for equal facts (seed %i)', async (seed) => {
    const rule = await loadRule();
    const compiled = compiledRuleOf(rule)!;
    const differences: string[] = [];
    let reused = 0;
    const earlier = new Map<string, unknown>();
    for (const subject of generated(seed, 3000)) {
      const verdict = rule.evaluate(subject);
      const fresh = evaluateCompiledRule(compiled, subject);
      if (shown(verdict) !== shown(fresh)) differences.push(`${JSON.stringify(subject.activation.account)}: cached ${shown(verdict)}, fresh ${shown(fresh)}`);
      const seen = earlier.get(shown(fresh));
      if (seen !== undefined && seen === verdict.evidence) reused++;
      if (verdict.evidence !== null && typeof verdict.evidence === 'object') earlier.set(shown(fresh), verdict.evidence);
    }
    expect(differences.slice(0, 5)).toEqual([]);
    // The facts repeat often enough that outcomes were reused, so the keys were put to the test.
    expect(reused).toBeGreaterThan(100);
  });

  it('tells apart facts whose strings only move a boundary (a key, a value, a list item)', async () => {
    const subject = (id: string, facts: { name?: string; email?: string; regions?: string[]; tags?: Record<string, string> }): EvaluationSubject => ({
      resource: { type: 'account', id, accountId: id, name: id },
      activation: { organization: {}, account: { id, name: '', email: '', regions: [], tags: {}, ...facts } } as never,
    });
    const pairs: [Parameters<typeof subject>[1], Parameters<typeof subject>[1]][] = [
      [{ tags: { 'a:b': 'c' } }, { tags: { a: 'b:c' } }],
      [{ tags: { 'a,': 'b' } }, { tags: { a: ',b' } }],
      [{ tags: { a: 'b,1:c:d' } }, { tags: { a: 'b', c: 'd' } }],
      [{ regions: ['a,b'] }, { regions: ['a', 'b'] }],
      [{ regions: ['1:a,1:b'] }, { regions: ['a', 'b'] }],
      [{ name: '1:a', email: '' }, { name: '', email: '1:a' }],
      [{ name: 'a,"email"=b' }, { name: 'a', email: 'b' }],
      [{ name: '"a"' }, { name: '3:"a"' }],
    ];
    for (const [first, second] of pairs) {
      const rule = await loadRule();
      const a = rule.evaluate(subject('1', first));
      const b = rule.evaluate(subject('2', second));
      expect(b.evidence).not.toBe(a.evidence);
      expect(b).toEqual(evaluateCompiledRule(compiledRuleOf(rule)!, subject('2', second)));
    }
  });

  it('tells apart strings UTF-8 writes alike (lone surrogates), in keys long enough to be hashed', async () => {
    const rule = await loadRule();
    const subject = (id: string, name: string): EvaluationSubject => ({
      resource: { type: 'account', id, accountId: id, name: id },
      activation: { organization: {}, account: { id, name, email: 'x'.repeat(80), regions: [], tags: {} } } as never,
    });
    expect(rule.evaluate(subject('1', '\uD800')).message).toBe(`\uD800|${'x'.repeat(80)}`);
    expect(rule.evaluate(subject('2', '\uDBFF')).message).toBe(`\uDBFF|${'x'.repeat(80)}`);
    expect(rule.evaluate(subject('3', '\uDC00')).message).toBe(`\uDC00|${'x'.repeat(80)}`);
  });
});
