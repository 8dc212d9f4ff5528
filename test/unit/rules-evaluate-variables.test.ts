/**
 * Verdicts of src/rules/evaluate.ts that the other evaluation tests leave open: the variables map as
 * a whole, which error an ERROR reports when several validations fail to decide, and a subject of
 * the wrong resource type.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { EvaluationSubject } from '../../src/model/facts.ts';
import { loadRules, type LoadedRule } from '../../src/rules/load.ts';

async function rule(id: string, lines: string[]): Promise<LoadedRule> {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-eval-vars-'));
  writeFileSync(join(dir, `${id}.yaml`), [`id: ${id}`, `title: The ${id} rule`, 'severity: low', 'remediation: fix it', 'resource: account', ...lines, ''].join('\n'));
  const [loaded] = await loadRules([dir], structuredClone(DEFAULT_CONFIG));
  return loaded!;
}

const account = (tags: Record<string, string>): EvaluationSubject =>
  ({ resource: { type: 'account', id: '1', accountId: '1' }, activation: { account: { id: '1', name: 'acc', tags } } }) as unknown as EvaluationSubject;

describe('the variables map', () => {
  it('lists every variable with its value when evidence reads it whole', async () => {
    const r = await rule('whole', ['variables:', '  - name: who', '    expression: account.name', '  - name: n', '    expression: account.tags.size()', 'validations:', '  - expression: variables.n == 0', 'evidence: variables']);
    expect(r.evaluate(account({}))).toMatchObject({ status: 'PASS', evidence: { who: 'acc', n: 0 } });
    expect(r.evaluate(account({ k: 'v' }))).toMatchObject({ status: 'FAIL', evidence: { who: 'acc', n: 1 } });
  });

  it('a failing variable read by two validations gives the same ERROR, located at the variable', async () => {
    const r = await rule('twice', [
      'variables:',
      '  - name: owner',
      '    expression: account.tags["owner"]',
      'validations:',
      '  - expression: variables.owner != ""',
      '  - expression: variables.owner.startsWith("team-")',
    ]);
    expect(r.evaluate(account({}))).toMatchObject({ status: 'ERROR', message: 'could not decide: No such key: owner (in variables.owner)' });
    expect(r.evaluate(account({ owner: 'team-a' })).status).toBe('PASS');
    expect(r.evaluate(account({ owner: 'someone' })).status).toBe('FAIL');
  });
});

describe('which error an ERROR reports', () => {
  it('the first validation that could not decide, when none fails', async () => {
    const r = await rule('first-error', ['validations:', '  - expression: account.tags["a"] == "x"', '  - expression: account.tags["b"] == "x"']);
    expect(r.evaluate(account({}))).toMatchObject({ status: 'ERROR', message: 'could not decide: No such key: a (in validations[0])' });
    expect(r.evaluate(account({ a: 'x' }))).toMatchObject({ status: 'ERROR', message: 'could not decide: No such key: b (in validations[1])' });
    expect(r.evaluate(account({ a: 'x', b: 'x' })).status).toBe('PASS');
  });

  it('a message expression that fails falls back to the written message, and the verdict stands', async () => {
    const r = await rule('message-fails', ['validations:', '  - expression: account.tags.size() == 0', '    message: has tags', '    messageExpression: account.tags["missing"]']);
    expect(r.evaluate(account({ k: 'v' }))).toMatchObject({ status: 'FAIL', message: 'has tags' });
  });
});

describe('the subject', () => {
  it('a subject of another resource type is refused: subjects are filtered before evaluation', async () => {
    const r = await rule('accounts-only', ['validations:', '  - expression: "true"']);
    const trail = { resource: { type: 'trail', id: 'arn:t', accountId: '1' }, activation: {} } as unknown as EvaluationSubject;
    expect(() => r.evaluate(trail)).toThrow('rule accounts-only judges account resources, not trail (filter subjects first)');
  });
});
