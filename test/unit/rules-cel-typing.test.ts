/**
 * The type checker's environment (src/rules/cel-types.ts): fact types, nullable facts compared
 * with null, and names that are not given to a rule. The environment is built once per process,
 * so the first test here is the one that sees it built: it checks everything the building decides.
 */
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/rules/load/compile.ts';
import type { RuleDocument } from '../../src/rules/types.ts';
import { parseYamlText } from '../../src/shared/yaml-source.ts';

/** Problems of compiling a one-validation rule of `resource` (first lines only, without the caret snippet). */
function compileProblems(resource: string, expression: string): string[] {
  const text = ['id: r', 'title: t', 'severity: low', `resource: ${resource}`, 'remediation: r', 'validations:', `  - expression: ${JSON.stringify(expression)}`, ''].join('\n');
  const source = parseYamlText('rules/r.yaml', text);
  const problems: string[] = [];
  compileRule(source, source.value as RuleDocument, {}, problems);
  return problems.map((p) => p.split('\n')[0]!);
}

describe('the CEL checking environment of the facts', () => {
  it('compares nullable facts with null, types nested facts, and refuses an undeclared name', () => {
    expect(compileProblems('trail', 'trail.kmsKeyId != null && trail.bucket != null')).toEqual([]);
    expect(compileProblems('trail', 'trail.bucket == null || trail.bucket.name != ""')).toEqual([]);
    expect(compileProblems('trail', 'trail.bucket.objectLock.days == null || trail.bucket.objectLock.days > 0')).toEqual([]);
    expect(compileProblems('trail', 'trail.bucket.publicAccessBlock.account != null && trail.bucket.publicAccessBlock.account.blockPublicAcls')).toEqual([]);
    expect(compileProblems('account', 'account.trails.all(t, t.kmsKeyId != null)')).toEqual([]);
    expect(compileProblems('account', 'foo.bar == 1')).toEqual(['rules/r.yaml:7:18: invalid CEL in validations[0].expression: Unknown variable: foo']);
    expect(compileProblems('account', 'account.isManagement == null')).toEqual([expect.stringMatching(/^rules\/r\.yaml:7:\d+: invalid CEL in validations\[0\]\.expression: no such overload: bool == null/)]);
  });

  it('names the resource types a misplaced fact root is given to, and nothing for a name that is no root', () => {
    expect(compileProblems('organization', 'bucket.name != ""')).toEqual(['rules/r.yaml:7:18: `bucket` is not given to a rule with resource: organization (only to bucket rules)']);
    expect(compileProblems('trail', 'acount.id != ""')).toEqual(['rules/r.yaml:7:18: invalid CEL in validations[0].expression: Unknown variable: acount']);
  });
});
