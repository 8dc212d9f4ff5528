/**
 * Verdicts of src/rules/evaluate.ts that the other evaluation tests leave open: the variables map as
 * a whole, which error an ERROR reports when several validations fail to decide, and a subject of
 * the wrong resource type, errors wrapped by the library, and unknown facts found through lists.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { EvaluationSubject } from '../../src/model/facts.ts';
import type { CompiledExpression } from '../../src/rules/cel.ts';
import { evaluateCompiledRule, findUnknown, type CompiledRule } from '../../src/rules/evaluate.ts';
import { loadRules, type LoadedRule } from '../../src/rules/load.ts';
import type { RuleDocument } from '../../src/rules/types.ts';

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

  it('a variable that cannot be decided, read only by the evidence, leaves the verdict and says why in the evidence', async () => {
    const r = await rule('evidence-fails', ['variables:', '  - name: a', '    expression: account.name', '  - name: bad', '    expression: account.tags["missing"]', 'validations:', '  - expression: variables.a == "acc"', 'evidence: variables']);
    expect(r.evaluate(account({}))).toMatchObject({ status: 'PASS', evidence: { evidenceError: 'No such key: missing (in variables.bad)' } });
    expect(r.evaluate(account({ missing: 'here' }))).toMatchObject({ status: 'PASS', evidence: { a: 'acc', bad: 'here' } });
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

describe('errors a CEL library may wrap, and unknown facts without a name', () => {
  const subject = (account: Record<string, unknown>): EvaluationSubject =>
    ({ resource: { type: 'account', id: '1', accountId: '1' }, activation: { account } }) as unknown as EvaluationSubject;
  const noSuchKey = (key: string) => Object.assign(new Error(`No such key: ${key}`), { code: 'no_such_key', summary: `No such key: ${key}` });
  const document = { id: 'hand', title: 'Hand-made', severity: 'low', resource: 'account', remediation: 'r', validations: [{ expression: 'wrapped' }] } as RuleDocument;

  /** A rule whose only validation reads a failing variable through `wrappers` library errors, each the cause of the next. */
  function wrapping(wrappers: number, innermost?: unknown): CompiledRule {
    const validation: CompiledExpression = (activation) => {
      try {
        return (activation.variables as Record<string, unknown>).owner;
      } catch (err) {
        let thrown: unknown = innermost === undefined ? err : innermost;
        for (let i = 0; i < wrappers; i++) thrown = new Error(`wrapper ${i}`, { cause: thrown });
        throw thrown;
      }
    };
    return {
      document,
      celParams: {},
      variables: [{ name: 'owner', expression: () => { throw noSuchKey('owner'); } }],
      validations: [{ text: 'wrapped', expression: validation }],
    };
  }

  it("finds the variable's own error under up to four wrappers, and reports it where the variable is", () => {
    for (const wrappers of [0, 1, 4]) {
      expect(evaluateCompiledRule(wrapping(wrappers), subject({ id: '1' })).message).toBe('could not decide: No such key: owner (in variables.owner)');
    }
  });

  it('stops looking after four causes, at a cause that is not an object, and at a null cause', () => {
    expect(evaluateCompiledRule(wrapping(5), subject({ id: '1' })).message).toBe('could not decide: wrapper 4 (in validations[0])');
    expect(evaluateCompiledRule(wrapping(1, 'a string cause'), subject({ id: '1' })).message).toBe('could not decide: wrapper 0 (in validations[0])');
    expect(evaluateCompiledRule(wrapping(1, null), subject({ id: '1' })).message).toBe('could not decide: wrapper 0 (in validations[0])');
  });

  it('names no holder when the object missing the fact has no ARN, name or id; a rule without evidence has null evidence', () => {
    const rule: CompiledRule = { document, celParams: {}, variables: [], validations: [{ text: 'reads', expression: () => { throw noSuchKey('bar'); } }] };
    const verdict = evaluateCompiledRule(rule, subject({ settings: { unknown: { bar: 'AccessDenied on GetSettings' } } }));
    expect(verdict).toMatchObject({ status: 'ERROR', message: 'could not decide: bar is unknown: AccessDenied on GetSettings', evidence: null });
    const passing: CompiledRule = { document, celParams: {}, variables: [], validations: [{ text: 'true', expression: () => true }] };
    expect(evaluateCompiledRule(passing, subject({ id: '1' }))).toMatchObject({ status: 'PASS', evidence: null });
  });
});

describe('findUnknown through lists', () => {
  const subject = (account: unknown) => ({ resource: { type: 'account', id: '1', accountId: '1' }, activation: { account } }) as unknown as EvaluationSubject;
  /** The holder under `lists` nested lists inside the account. */
  const nested = (lists: number): unknown => {
    let value: unknown = { name: 'holder', unknown: { k: 'reason' } };
    for (let i = 0; i < lists; i++) value = [value];
    return { a: value };
  };

  it('each list is one level of the depth limit of six', () => {
    expect(findUnknown(subject(nested(5)), 'k')).toEqual({ reason: 'reason', label: 'holder' });
    expect(findUnknown(subject(nested(6)), 'k')).toBeUndefined();
  });
});
