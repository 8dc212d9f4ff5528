/**
 * Rule parameters (src/rules/load/params.ts): why a value does not fit its declaration, the checks
 * on a rule's own declarations and model requests, and the overlay of overrides on defaults.
 */
import { describe, expect, it } from 'vitest';
import { checkParamDeclarations, effectiveParams, paramValueProblem } from '../../src/rules/load/params.ts';
import type { ParamDeclaration, RuleDocument } from '../../src/rules/types.ts';
import { parseYamlText } from '../../src/shared/yaml-source.ts';

const declared = (d: Omit<ParamDeclaration, 'description'>): ParamDeclaration => ({ description: 'a parameter', ...d });

describe('paramValueProblem', () => {
  it('is undefined for a value that fits', () => {
    expect(paramValueProblem(declared({ type: 'integer', default: 1 }), 3)).toBeUndefined();
    expect(paramValueProblem(declared({ type: 'array', items: { type: 'string' }, default: [] }), ['a', 'b'])).toBeUndefined();
  });

  it('names the expected type and shows the value as JSON', () => {
    expect(paramValueProblem(declared({ type: 'integer', default: 1 }), 'one')).toBe('expected integer, got "one"');
  });

  it('lists the allowed values of an enum', () => {
    expect(paramValueProblem(declared({ type: 'string', enum: ['all', 'any'], default: 'all' }), 'some')).toBe('expected one of "all", "any", got "some"');
  });

  it("uses the validator's own words for the other keywords", () => {
    expect(paramValueProblem(declared({ type: 'integer', minimum: 1, default: 1 }), 0)).toBe('must be >= 1, got 0');
  });

  it('places a wrong item of a list at its index and shows only that item', () => {
    const list = declared({ type: 'array', items: { type: 'string' }, default: [] });
    expect(paramValueProblem(list, ['a', 'b', 3])).toBe('[2]: expected string, got 3');
    const nested = declared({ type: 'array', items: { type: 'string', enum: ['x'] }, default: [] });
    expect(paramValueProblem(nested, ['x', 'y'])).toBe('[1]: expected one of "x", got "y"');
    const eleventh = [...'abcdefghij'.split(''), 11];
    expect(paramValueProblem(list, eleventh)).toBe('[10]: expected string, got 11');
  });

  it('reuses what it learnt of one schema for another declaration of the same shape, and keeps shapes apart', () => {
    const a = declared({ type: 'string', enum: ['all', 'any'], default: 'all' });
    const b = { ...declared({ type: 'string', enum: ['all', 'any'], default: 'any' }), description: 'another' };
    expect(paramValueProblem(a, 'any')).toBeUndefined();
    expect(paramValueProblem(b, 'none')).toBe('expected one of "all", "any", got "none"');
    expect(paramValueProblem(declared({ type: 'string', enum: ['none'], default: 'none' }), 'none')).toBeUndefined();
  });
});

/** A rule file whose `params` and `model` sections are the given YAML lines. */
function ruleWith(lines: string[]): { source: ReturnType<typeof parseYamlText>; document: RuleDocument } {
  const text = ['id: r', 'title: R', 'severity: low', 'resource: account', 'remediation: x', ...lines, 'validations:', '  - expression: "true"', ''].join('\n');
  const source = parseYamlText('r.yaml', text);
  return { source, document: source.value as RuleDocument };
}

function declarationProblems(lines: string[]): string[] {
  const { source, document } = ruleWith(lines);
  const problems: string[] = [];
  checkParamDeclarations(source, document, problems);
  return problems;
}

describe('checkParamDeclarations', () => {
  it('accepts defaults that fit and a rule with no parameters', () => {
    expect(declarationProblems(['params:', '  n: { type: integer, default: 2, description: n }'])).toEqual([]);
    expect(declarationProblems([])).toEqual([]);
  });

  it('places a default that does not fit at the default', () => {
    expect(declarationProblems(['params:', '  n: { type: integer, minimum: 3, default: 2, description: n }'])).toEqual([
      'r.yaml:7:35: default of parameter "n" does not fit its schema: must be >= 3, got 2',
    ]);
  });

  const SCP_WRONG = 'which is not a parameter of type array of strings';
  it('scpActionsParam must name a declared list of strings', () => {
    const asks = (decl: string) => declarationProblems(['params:', `  p: ${decl}`, 'model:', '  scpActionsParam: p']);
    expect(asks('{ type: array, items: { type: string }, default: [], description: p }')).toEqual([]);
    expect(asks('{ type: array, items: { type: integer }, default: [], description: p }')).toEqual([`r.yaml:9:3: model.scpActionsParam names "p", ${SCP_WRONG}`]);
    expect(asks('{ type: string, default: "", description: p }')).toEqual([`r.yaml:9:3: model.scpActionsParam names "p", ${SCP_WRONG}`]);
    expect(asks('{ type: string, items: { type: string }, default: "", description: p }')).toEqual([`r.yaml:9:3: model.scpActionsParam names "p", ${SCP_WRONG}`]);
    expect(asks('{ type: array, default: [], description: p }')).toEqual([`r.yaml:9:3: model.scpActionsParam names "p", ${SCP_WRONG}`]);
    expect(declarationProblems(['model:', '  scpActionsParam: q'])).toEqual([`r.yaml:7:3: model.scpActionsParam names "q", ${SCP_WRONG}`]);
  });

  it('tamperActionsParam must name a list of strings enumerated among the tampering actions', () => {
    const asks = (decl: string) => declarationProblems(['params:', `  p: ${decl}`, 'model:', '  tamperActionsParam: p']);
    const wrong = [expect.stringMatching(/^r\.yaml:9:3: model\.tamperActionsParam names "p", which is not an array of strings whose items are enumerated among .*StopLogging/)];
    expect(asks('{ type: array, items: { type: string, enum: [StopLogging, DeleteTrail] }, default: [], description: p }')).toEqual([]);
    expect(asks('{ type: array, items: { type: string, enum: [StopLogging, RunInstances] }, default: [], description: p }')).toEqual(wrong);
    expect(asks('{ type: array, items: { type: string }, default: [], description: p }')).toEqual(wrong);
    expect(asks('{ type: array, items: { type: integer, enum: [1] }, default: [], description: p }')).toEqual(wrong);
    expect(asks('{ type: string, enum: [StopLogging], default: StopLogging, description: p }')).toEqual(wrong);
    // The rule schema lets `items` stand beside any type: each part of the condition is needed.
    expect(asks('{ type: string, items: { type: string, enum: [StopLogging] }, default: StopLogging, description: p }')).toEqual(wrong);
    expect(asks('{ type: array, items: { type: integer, enum: [StopLogging] }, default: [], description: p }')).toEqual(wrong);
    expect(asks('{ type: array, default: [], description: p }')).toEqual(wrong);
    expect(declarationProblems(['model:', '  tamperActionsParam: q'])).toEqual([expect.stringMatching(/^r\.yaml:7:3: model\.tamperActionsParam names "q"/)]);
  });
});

describe('effectiveParams', () => {
  const locate = (name: string) => `config.yaml: rules.params.r.${name}`;
  const run = (lines: string[], overrides: Record<string, unknown>) => {
    const problems: string[] = [];
    const params = effectiveParams(ruleWith(lines).document, overrides, locate, problems);
    return { params, problems };
  };
  const TWO = ['params:', '  b: { type: integer, default: 1, description: b }', '  a: { type: string, default: x, description: a }'];

  it('overlays the overrides on the defaults', () => {
    expect(run(TWO, { b: 5 })).toEqual({ params: { b: 5, a: 'x' }, problems: [] });
    expect(run(TWO, {})).toEqual({ params: { b: 1, a: 'x' }, problems: [] });
  });

  it('reports unknown names and values that do not fit, sorted by name, naming what the rule declares', () => {
    expect(run(TWO, { z: 1, b: 'no', c: 2 }).problems).toEqual([
      'config.yaml: rules.params.r.b: invalid value for parameter "b" of rule r: expected integer, got "no"',
      'config.yaml: rules.params.r.c: unknown parameter "c" for rule r (it declares: b, a)',
      'config.yaml: rules.params.r.z: unknown parameter "z" for rule r (it declares: b, a)',
    ]);
    expect(run([], { c: 2 }).problems).toEqual(['config.yaml: rules.params.r.c: unknown parameter "c" for rule r (it declares no parameters)']);
  });
});
