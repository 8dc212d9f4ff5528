import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { TrailproofConfig } from '../../src/config/types.ts';
import { loadRules, rulePackVersion } from '../../src/rules/load.ts';
import { UserErrors } from '../../src/shared/errors.ts';
import { loadProblems } from '../fixtures/rule-load-problems.ts';

const FIXTURES = 'test/fixtures/rules';

function config(overrides: Partial<TrailproofConfig['rules']> = {}): TrailproofConfig {
  return { ...structuredClone(DEFAULT_CONFIG), source: 'config.yaml', rules: { ...DEFAULT_CONFIG.rules, ...overrides } };
}

const problemsOf = (paths: string[], cfg = config()) => loadProblems(paths, cfg);

describe('loadRules: valid rules', () => {
  it('loads a folder, ignores *.test.yaml, and computes meta', async () => {
    const rules = await loadRules([`${FIXTURES}/valid`], config());
    expect(rules.map((r) => r.meta.id)).toEqual(['account-has-trail', 'trail-validates-logs']);
    const meta = rules[0]!.meta;
    expect(meta.source).toBe(`${FIXTURES}/valid/account-has-trail.yaml`);
    const bytes = readFileSync(`${FIXTURES}/valid/account-has-trail.yaml`);
    expect(meta.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(meta.params).toEqual({ minTrails: 1 });
    expect(meta.frameworks['nist-800-53-r5']).toEqual(['AU-2', 'AU-12']);
  });

  it('overlays config params on the defaults and drops disabled rules', async () => {
    const rules = await loadRules([`${FIXTURES}/valid`], config({ params: { 'account-has-trail': { minTrails: 2 } }, disabled: ['trail-validates-logs'] }));
    expect(rules.map((r) => r.meta.id)).toEqual(['account-has-trail']);
    expect(rules[0]!.meta.params).toEqual({ minTrails: 2 });
  });

  it('rulePackVersion changes when a rule file changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-rules-'));
    const text = readFileSync(`${FIXTURES}/valid/trail-validates-logs.yaml`, 'utf8');
    writeFileSync(join(dir, 'trail-validates-logs.yaml'), text);
    const before = rulePackVersion(await loadRules([dir], config()));
    writeFileSync(join(dir, 'trail-validates-logs.yaml'), text.replace('severity: medium', 'severity: high'));
    const after = rulePackVersion(await loadRules([dir], config()));
    expect(before.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(before.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(after.sha256).not.toBe(before.sha256);
  });

  it('rejects a path that does not exist', async () => {
    expect(await problemsOf(['no/such/folder'])).toEqual(['no/such/folder: no such rule file or folder']);
  });
});

describe('loadRules: every problem located at file:line:col', () => {
  const file = (name: string) => `${FIXTURES}/invalid/${name}.yaml`;
  const single = async (name: string) => {
    const problems = await problemsOf([file(name)]);
    expect(problems).toHaveLength(1);
    return problems[0]!;
  };

  it('bad YAML', async () => {
    expect(await single('bad-yaml')).toMatch(new RegExp(`^${file('bad-yaml')}:4:1: invalid YAML: `));
  });

  it('unknown field (points at the key)', async () => {
    expect(await single('unknown-field')).toBe(`${file('unknown-field')}:8:1: invalid rule: unknown field "sevrity" in (top level)`);
  });

  it('severity outside the enum', async () => {
    expect(await single('wrong-severity')).toMatch(new RegExp(`^${file('wrong-severity')}:3:\\d+: invalid rule: severity: expected one of "critical"`));
  });

  it('CEL syntax error on the 2nd line of a block scalar points at the character', async () => {
    const problem = await single('cel-syntax-block');
    expect(problem).toBe(`${file('cel-syntax-block')}:8:33: invalid CEL in validations[0].expression: Unexpected token: GT`);
    const line8 = readFileSync(file('cel-syntax-block'), 'utf8').split('\n')[7]!;
    expect(line8.slice(32, 35)).toBe('> 0');
  });

  it('reference to an undeclared variable', async () => {
    expect(await single('undeclared-variable')).toBe(
      `${file('undeclared-variable')}:9:47: \`variables.lackign\`: no such variable; did you mean \`variables.lacking\`?`,
    );
  });

  it('variable used before its declaration', async () => {
    expect(await single('variable-before-declaration')).toBe(
      `${file('variable-before-declaration')}:7:28: variable "second" is used before its declaration (variables[1])`,
    );
  });

  it('includes the CEL caret snippet under the located line', async () => {
    try {
      await loadRules([file('undeclared-variable')], config());
    } catch (err) {
      const lines = (err as UserErrors).problems[0]!.split('\n');
      expect(lines.length).toBeLessThanOrEqual(3);
      expect(lines[1]).toContain('variables.lackign');
    }
  });

  it('duplicate rule id in two files', async () => {
    expect(await problemsOf([`${FIXTURES}/duplicate/a`, `${FIXTURES}/duplicate/b`])).toEqual([
      `${FIXTURES}/duplicate/b/dup-rule.yaml:1:1: duplicate rule id "dup-rule" (already defined in ${FIXTURES}/duplicate/a/dup-rule.yaml)`,
    ]);
  });

  it('unknown param in config names the config file and the rule', async () => {
    const problems = await problemsOf([`${FIXTURES}/valid`], config({ params: { 'account-has-trail': { minTrail: 3 } } }));
    expect(problems).toEqual(['config.yaml: rules.params.account-has-trail.minTrail: unknown parameter "minTrail" for rule account-has-trail (it declares: minTrails)']);
  });

  it('collects the problems of every file in one error', async () => {
    const problems = await problemsOf([`${FIXTURES}/invalid`]);
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      file('bad-yaml'),
      file('cel-syntax-block'),
      file('undeclared-variable'),
      file('unknown-field'),
      file('variable-before-declaration'),
      file('wrong-severity'),
    ]);
  });

  it('points into single-quoted, double-quoted and folded scalars', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-rules-'));
    writeFileSync(
      join(dir, 'quoted.yaml'),
      [
        'id: quoted',
        'title: t',
        'severity: low',
        'resource: account',
        'match: "account.id == \\"1\\" && account.id + 1 == \\"x\\""',
        'validations:',
        "  - expression: 'account.name == ''a'' && account.x +'",
        '    messageExpression: >',
        '      "a" +',
        '      "b" + + 1 +',
        'remediation: r',
        '',
      ].join('\n'),
    );
    const problems = await problemsOf([join(dir, 'quoted.yaml')]);
    const positions = problems.map((p) => /:(\d+:\d+): /.exec(p)?.[1]);
    // match: the `==` with no overload starts at the second `account`; each \" is one character.
    expect(positions[0]).toBe('5:32');
    // single quotes: '' is one character; "unexpected EOF" points at the last character.
    expect(positions[1]).toBe('7:53');
    // folded block scalar, 2nd line: the second "+".
    expect(positions[2]).toBe('10:13');
  });
});
