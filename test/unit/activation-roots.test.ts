/**
 * A rule's activation roots are converted only as far as the rule can read them
 * (activation-roots.ts): the members it names, or the whole root when it iterates it, reads it
 * whole, or cannot be analysed; the verdicts are those of a whole conversion.
 */
import { describe, expect, it } from 'vitest';
import type { EvaluationSubject } from '../../src/model/facts.ts';
import { celRootsFor } from '../../src/rules/activation-roots.ts';
import { compileExpression, ruleEnvironment } from '../../src/rules/cel.ts';
import { evaluateCompiledRule, type CompiledRule } from '../../src/rules/evaluate.ts';
import type { RuleDocument } from '../../src/rules/types.ts';

function rule(validation: string, evidence?: string, variables: { name: string; expression: string }[] = []): CompiledRule {
  const compile = (text: string) => {
    const result = compileExpression(ruleEnvironment(variables.map((v) => v.name), []), text);
    if (!('compiled' in result)) throw new Error(result.error.summary);
    return result.compiled;
  };
  return {
    document: { id: 'x', title: 'X', severity: 'low', resource: 'account', remediation: 'x', validations: [{ expression: validation }] } as RuleDocument,
    celParams: {},
    variables: variables.map((v) => ({ name: v.name, expression: compile(v.expression) })),
    validations: [{ text: validation, expression: compile(validation) }],
    ...(evidence ? { evidence: compile(evidence) } : {}),
  };
}

function subject(account: Record<string, unknown>): EvaluationSubject {
  return {
    resource: { type: 'account', id: '111', accountId: '111', name: 'a' },
    activation: { organization: { id: 'o-1', tags: ['x'] }, account } as never,
  };
}

const facts = () => ({ id: '111', status: 'ACTIVE', retentionDays: 400, trails: [{ arn: 't1', days: 30 }], unread: { big: [1, 2, 3] }, absent: undefined });

describe('celRootsFor', () => {
  it('converts only the members a rule names, as CEL values, and leaves out the roots it never reads', () => {
    const roots = celRootsFor(rule('account.status == "ACTIVE" && account.retentionDays >= 365 && !has(account.absent)'), subject(facts()));
    expect(roots).toEqual({ account: { status: 'ACTIVE', retentionDays: 400n } });
  });

  it('converts a root whole when the rule iterates it or uses it as a value', () => {
    const iterated = celRootsFor(rule('account.all(k, k != "")'), subject(facts())).account as Record<string, unknown>;
    expect(Object.keys(iterated)).toEqual(['id', 'status', 'retentionDays', 'trails', 'unread']);
    const whole = celRootsFor(rule('true', 'account'), subject(facts())).account as Record<string, unknown>;
    expect(whole.unread).toEqual({ big: [1n, 2n, 3n] });
  });

  it('follows variables to the members they read', () => {
    const roots = celRootsFor(rule('variables.short.size() == 0', undefined, [{ name: 'short', expression: 'account.trails.filter(t, t.days < 90)' }]), subject(facts()));
    expect(roots).toEqual({ account: { trails: [{ arn: 't1', days: 30n }] } });
  });

  it('reads only own members: a name of Object.prototype is absent, as in a whole conversion', () => {
    const roots = celRootsFor(rule('has(account.constructor)'), subject(facts()));
    expect(roots).toEqual({ account: {} });
    expect(evaluateCompiledRule(rule('has(account.constructor)'), subject(facts())).status).toBe('FAIL');
  });

  it('gives the verdicts of a whole conversion', () => {
    const failing = rule('account.trails.all(t, t.days >= 90)', 'account.trails.map(t, t.arn + ": " + string(t.days))');
    const verdict = evaluateCompiledRule(failing, subject(facts()));
    expect(verdict).toMatchObject({ status: 'FAIL', evidence: ['t1: 30'] });
  });
});
