/**
 * Where and how a CEL problem is reported (src/rules/load/cel-problems.ts, src/rules/load/compile.ts):
 * at the offending character when the library gives a range, else at the expression; in words
 * that depend on the kind of error, and never a crash for an error shape the engine did not expect.
 */
import { describe, expect, it } from 'vitest';
import type { CelErrorInfo } from '../../src/rules/cel.ts';
import { celProblem } from '../../src/rules/load/cel-problems.ts';
import { compileRule } from '../../src/rules/load/compile.ts';
import type { RuleDocument } from '../../src/rules/types.ts';
import { parseYamlText } from '../../src/shared/yaml-source.ts';

const TEXT = ['id: r', 'title: t', 'severity: low', 'resource: account', 'remediation: r', 'validations:', '  - expression: account.name == "x"', ''].join('\n');
const scope = { variables: [], visibleVariables: 0, params: [], resource: 'account' };
const PATH = ['validations', 0, 'expression'];

describe('celProblem', () => {
  it('places an error with a range at its character, and one without at the expression', () => {
    const source = parseYamlText('rules/r.yaml', TEXT);
    const ranged: CelErrorInfo = { code: 'x', summary: 'bad', range: { start: 8, end: 12 }, snippet: [] };
    expect(celProblem(source, PATH, ranged, scope)).toBe('rules/r.yaml:7:25: invalid CEL in validations[0].expression: bad');
    const unranged: CelErrorInfo = { code: 'x', summary: 'bad', snippet: [] };
    expect(celProblem(source, PATH, unranged, scope)).toBe('rules/r.yaml:7:5: invalid CEL in validations[0].expression: bad');
  });

  it('shows at most two lines of the caret snippet, indented', () => {
    const source = parseYamlText('rules/r.yaml', TEXT);
    const error: CelErrorInfo = { code: 'x', summary: 'bad', snippet: ['> 1 | a', '        ^', 'extra'] };
    expect(celProblem(source, PATH, error, scope).split('\n')).toEqual(['rules/r.yaml:7:5: invalid CEL in validations[0].expression: bad', '    > 1 | a', '            ^']);
  });

  it('takes a fact root from an unknown-variable error only, and falls back to the summary for any shape it does not know', () => {
    const source = parseYamlText('rules/r.yaml', TEXT);
    const other: CelErrorInfo = { code: 'other', summary: 'Unknown variable: trail', snippet: [] };
    expect(celProblem(source, PATH, other, scope)).toBe('rules/r.yaml:7:5: invalid CEL in validations[0].expression: Unknown variable: trail');
    const unknownRoot: CelErrorInfo = { code: 'unknown_variable', summary: 'Unknown variable: trail', snippet: [] };
    expect(celProblem(source, PATH, unknownRoot, scope)).toBe('rules/r.yaml:7:5: `trail` is not given to a rule with resource: account (only to trail rules)');
    const unworded: CelErrorInfo = { code: 'unknown_variable', summary: 'no variable by that name', snippet: [] };
    expect(celProblem(source, PATH, unworded, scope)).toBe('rules/r.yaml:7:5: invalid CEL in validations[0].expression: no variable by that name');
    const notAFact: CelErrorInfo = { code: 'no_such_key', summary: 'No such key: y', snippet: [], access: { receiver: 'x', key: 'y', receiverType: 'map<string, string>' } };
    expect(celProblem(source, PATH, notAFact, scope)).toBe('rules/r.yaml:7:5: invalid CEL in validations[0].expression: No such key: y');
  });
});

describe('compileRule: expressions a YAML merge key brings in', () => {
  it('reports a problem of a merged expression at the item that merges it', () => {
    const text = ['id: r', 'title: t', 'severity: low', 'resource: account', 'remediation: r', 'validations:', '  - &v { expression: account.status }', '  - <<: *v', '    message: again', ''].join('\n');
    const source = parseYamlText('rules/r.yaml', text);
    const problems: string[] = [];
    expect(compileRule(source, source.value as RuleDocument, {}, problems)).toBeUndefined();
    expect([...problems].sort()).toEqual([
      'rules/r.yaml:7:22: validations[0].expression must be a bool expression, but `account.status` is a string',
      'rules/r.yaml:8:5: validations[1].expression must be a bool expression, but `account.status` is a string',
    ]);
  });
});
