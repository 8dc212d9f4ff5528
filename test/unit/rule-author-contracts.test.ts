/**
 * A rule author's mistakes are caught at load, the way a compiler would: facts and params are
 * typed, config entries must name loaded rules with values that fit, a rule asks the model for
 * what it needs, and a scan that would evaluate nothing fails.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { TrailproofConfig } from '../../src/config/types.ts';
import { loadRules } from '../../src/rules/load.ts';
import { compileRule } from '../../src/rules/load/compile.ts';
import { parseRuleFile } from '../../src/rules/load/parse.ts';
import { rulesList } from '../../src/rules/list.ts';
import { modelOptions } from '../../src/rules/model-options.ts';
import { readRuleTests } from '../../src/rules/rule-tests.ts';
import { runMain } from '../cli/run-cli.ts';
import { miniOrg } from '../fixtures/mini-org.ts';
import { loadProblems } from '../fixtures/rule-load-problems.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'trailproof-contracts-'));
const defaults = (): TrailproofConfig => ({ ...structuredClone(DEFAULT_CONFIG), source: 'config.yaml' });

/** A folder holding one rule file `<id>.yaml` with the given lines after the header fields. */
function ruleDir(id: string, lines: string[], resource = 'account'): string {
  const dir = tmp();
  writeFileSync(join(dir, `${id}.yaml`), [`id: ${id}`, 'title: t', 'severity: low', `resource: ${resource}`, ...lines, 'remediation: r', ''].join('\n'));
  return dir;
}

const problems = (paths: string[], config = defaults()) => loadProblems(paths, config);

describe('CEL is type-checked against the declared facts', () => {
  it.each([
    ['a field the model does not publish', ['validations:', '  - expression: account.nosuch.size() > 0'], /typo\.yaml:6:25: `account\.nosuch`: no such fact \(Account has: id, name, /],
    ['a wrong type', ['validations:', '  - expression: account.trails + 1 > 0'], /typo\.yaml:6:17: invalid CEL in validations\[0\]\.expression: no such overload: list<Trail> \+ int/],
    ['a non-boolean match', ['match: account.status', 'validations:', '  - expression: "true"'], /typo\.yaml:5:8: match must be a bool expression, but `account\.status` is a string/],
    ['a non-boolean validation', ['validations:', '  - expression: account.trails.size()'], /typo\.yaml:6:17: validations\[0\]\.expression must be a bool expression, but `account\.trails\.size\(\)` is an int/],
  ])('`rules validate` rejects %s with file:line:col and exit 2', async (_, lines, message) => {
    const r = await runMain(['rules', 'validate', ruleDir('typo', lines)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a fact root the resource type is not given is a load error', async () => {
    const dir = ruleDir('wrong-root', ['validations:', '  - expression: trail.isLogging'], 'organization');
    expect(await problems([dir])).toEqual([expect.stringMatching(/wrong-root\.yaml:6:17: `trail` is not given to a rule with resource: organization \(only to trail rules\)$/)]);
    const account = ruleDir('wrong-root', ['validations:', '  - expression: account.id != ""'], 'organization');
    expect(await problems([account])).toEqual([expect.stringMatching(/`account` is not given to a rule with resource: organization \(only to account, trail, bucket rules\)$/)]);
  });

  it('names the variables an expression may see: its own name and later ones are not declared yet', async () => {
    const lines = [
      'variables:',
      '  - name: first',
      '    expression: variables.first',
      '  - name: second',
      '    expression: variables.secnd',
      '  - name: third',
      '    expression: variables.fourth',
      '  - name: fourth',
      '    expression: "1"',
      'validations:',
      '  - expression: params.zzzz > 0',
      'params: { minDays: { type: integer, default: 1, description: d } }',
    ];
    expect(await problems([ruleDir('scope', lines)])).toEqual([
      expect.stringMatching(/scope\.yaml:7:27: variable "first" is used before its declaration \(variables\[0\]\)$/),
      expect.stringMatching(/scope\.yaml:9:27: `variables\.secnd`: no such variable \(declared: first\)$/),
      expect.stringMatching(/scope\.yaml:11:27: variable "fourth" is used before its declaration \(variables\[3\]\)$/),
      expect.stringMatching(/scope\.yaml:15:24: `params\.zzzz`: no such parameter \(declared: minDays\)$/),
    ]);
  });

  it('a field read from a value that is not a fact object is invalid CEL, worded by the library', async () => {
    expect(await problems([ruleDir('not-object', ['validations:', '  - expression: account.name.size == 1'])])).toEqual([
      expect.stringMatching(/not-object\.yaml:6:\d+: invalid CEL in validations\[0\]\.expression: /),
    ]);
  });

  it('quotes a multi-line expression on one line when it has the wrong type', async () => {
    const lines = ['match: >-', '  account.status', '     +  account.name', 'validations:', '  - expression: "true"'];
    expect(await problems([ruleDir('folded', lines)])).toEqual([
      expect.stringMatching(/folded\.yaml:5:8: match must be a bool expression, but `account\.status \+ account\.name` is a string$/),
    ]);
    const literal = ['match: |', '  account.status', 'validations:', '  - expression: "true"'];
    expect(await problems([ruleDir('literal', literal)])).toEqual([
      expect.stringMatching(/literal\.yaml:5:8: match must be a bool expression, but `account\.status` is a string$/),
    ]);
  });

  it('suggests the nearest fact, inside macros and through typed variables', async () => {
    const dir = ruleDir('near', [
      'variables:',
      '  - name: lacking',
      '    expression: account.trails.filter(t, !t.logFileValidation)',
      'validations:',
      '  - expression: account.trails.exists(t, t.logFileValidaton)',
      '  - expression: variables.lacking.all(t, t.arnn != "")',
      '  - expression: params.requre == "all"',
    ]);
    expect(await problems([dir])).toEqual([
      expect.stringMatching(/near\.yaml:9:44: `t\.logFileValidaton`: no such fact; did you mean `t\.logFileValidation`\?$/),
      expect.stringMatching(/near\.yaml:10:44: `t\.arnn`: no such fact; did you mean `t\.arn`\?$/),
      expect.stringMatching(/near\.yaml:11:24: `params\.requre`: no such parameter \(none are declared\)$/),
    ]);
  });

  it('still gives ERROR at run time for a fact that is unknown in the data', async () => {
    const [rule] = await loadRules([ruleDir('unknown-at-run-time', ['validations:', '  - expression: account.trails.size() > 0'])], defaults());
    const verdict = rule!.evaluate({
      resource: { type: 'account', id: '1', accountId: '1' },
      activation: { organization: {}, account: { id: '1', name: 'a', status: 'ACTIVE', isManagement: false, ouPath: '', ouIds: [], tags: {}, regions: [], unknown: { trails: 'DescribeTrails denied' } } } as never, // hand-written facts: only what the rule reads
    });
    expect(verdict).toMatchObject({ status: 'ERROR', message: 'could not decide: trails of a is unknown: DescribeTrails denied' });
  });

  it('lists the problems of a rule top to bottom, though variables are compiled first', async () => {
    const lines = [
      'validations:',
      '  - expression: account.trails.size()',
      'variables:',
      '  - name: x',
      '    expression: account.nosuch',
      '  - expression: \'"text"\'',
      '    name: x',
      '  - name: y',
      '    expression: variables.x > 1',
    ];
    // The second x (a string) does not change the type of the first (an int): `variables.x > 1` is fine.
    expect(await problems([ruleDir('order', lines)])).toEqual([
      expect.stringMatching(/order\.yaml:6:17: validations\[0\]\.expression must be a bool expression/),
      expect.stringMatching(/order\.yaml:9:25: `account\.nosuch`: no such fact/),
      expect.stringMatching(/order\.yaml:11:5: variable "x" is already declared \(variables\[0\]\)$/),
    ]);
  });

  it('compiles without the type check only when asked (a worker reloading checked bytes): the same expression runs', () => {
    const dir = ruleDir('typed', ['validations:', '  - expression: account.trails + 1 > 0']);
    const parsed = parseRuleFile({ path: join(dir, 'typed.yaml'), source: 'typed.yaml' }, [])!;
    const checkedProblems: string[] = [];
    expect(compileRule(parsed.source, parsed.document, {}, checkedProblems)).toBeUndefined();
    expect(checkedProblems[0]).toMatch(/typed\.yaml:6:17: invalid CEL/);
    const typed = compileRule(parsed.source, { ...parsed.document, variables: [{ name: 'n', expression: 'size(account.trails)' }], validations: [{ expression: 'variables.n >= 0' }] }, {}, []);
    expect(typed!.variables.map((v) => v.name)).toEqual(['n']);
    const unchecked: string[] = [];
    const rule = compileRule(parsed.source, parsed.document, {}, unchecked, { typeChecked: false });
    expect(unchecked).toEqual([]);
    expect(() => rule!.validations[0]!.expression({ account: { trails: [] } })).toThrow(/no such overload/);
  });

  it("a typo in a rule test's facts is a load error at file:line:col", () => {
    const dir = tmp();
    const file = join(dir, 'r.test.yaml');
    writeFileSync(file, ['rule: r', 'cases:', '  - name: c', '    facts:', '      account:', '        trails:', '          - arn: a', '            isLoging: true', '    expect:', '      - status: PASS', ''].join('\n'));
    expect(() => readRuleTests(file, 'r')).toThrow(/r\.test\.yaml:8:13: facts\.account\.trails\[0\]\.isLoging: no such fact "isLoging" in Trail; did you mean "isLogging"\?/);
  });
});

describe('params have a schema', () => {
  it('a default that does not fit its own schema is a load error at the default', async () => {
    const dir = ruleDir('bad-default', ['params:', '  minDays: { type: integer, minimum: 1, default: 0, description: days }', 'validations:', '  - expression: params.minDays > 0']);
    expect(await problems([dir])).toEqual([expect.stringMatching(/bad-default\.yaml:6:\d+: default of parameter "minDays" does not fit its schema: must be >= 1, got 0$/)]);
  });

  it('a params entry without a schema is rejected by the rule schema', async () => {
    const dir = ruleDir('old-style', ['params:', '  require: all', 'validations:', '  - expression: params.require == "all"']);
    expect((await problems([dir]))[0]).toMatch(/old-style\.yaml:6:\d+: invalid rule: params\.require: expected object/);
  });

  it('`minDays: "a year"` in config.yaml is a clear error at its line and column, exit 2', async () => {
    const dir = tmp();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, ['rules:', '  params:', '    cloudtrail-log-retention:', '      minDays: "a year"', '      require: some', ''].join('\n'));
    expect(await problems(['builtin'], loadConfig(config))).toEqual([
      `${config}:4:7: rules.params.cloudtrail-log-retention.minDays: invalid value for parameter "minDays" of rule cloudtrail-log-retention: expected integer, got "a year"`,
      `${config}:5:7: rules.params.cloudtrail-log-retention.require: invalid value for parameter "require" of rule cloudtrail-log-retention: expected one of "all", "any", got "some"`,
    ]);
    const r = await runMain(['scan', '--demo', '--config', config, '--out', dir, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${config}:4:7: rules.params.cloudtrail-log-retention.minDays`);
  });

  it('an override or a disabled entry naming a rule that is not loaded is an error', async () => {
    const dir = tmp();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, ['rules:', '  disabled: [cloudtrail-multi-regoin]', '  params:', '    no-such-rule: { x: 1 }', ''].join('\n'));
    expect(await problems(['builtin'], loadConfig(config))).toEqual([
      `${config}:4:5: rules.params.no-such-rule: no rule "no-such-rule" is loaded from rules.paths (builtin)`,
      `${config}:2:14: rules.disabled.0: no rule "cloudtrail-multi-regoin" is loaded from rules.paths (builtin); did you mean "cloudtrail-multi-region"?`,
    ]);
  });
});

describe('rules.disabledTags turns a group of rules off', () => {
  it('the detective group is on by default and off with disabledTags: [detective]; rules list says so', async () => {
    const detective = ['cloudtrail-changes-alarmed', 'cloudtrail-changes-eventbridge', 'cloudtrail-tamper-history', 'guardduty-enabled'];
    const on = (await loadRules(['builtin'], defaults())).map((r) => r.meta.id);
    expect(on).toEqual(expect.arrayContaining(detective));
    const dir = tmp();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, ['rules:', '  disabledTags: [detective]', ''].join('\n'));
    const off = (await loadRules(['builtin'], loadConfig(config))).map((r) => r.meta.id);
    expect(off.filter((id) => detective.includes(id))).toEqual([]);
    expect(off.length).toBe(on.length - detective.length);
    const listed = JSON.parse((await rulesList(['builtin'], loadConfig(config), { format: 'json' })).output) as { id: string; enabled: boolean }[];
    expect(listed.filter((r) => !r.enabled).map((r) => r.id).sort()).toEqual(detective);
  });

  it('a tag no loaded rule has is an error at its line and column', async () => {
    const dir = tmp();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, ['rules:', '  disabledTags: [monitoring, detectve]', ''].join('\n'));
    expect(await problems(['builtin'], loadConfig(config))).toEqual([
      `${config}:2:30: rules.disabledTags.1: no rule loaded from rules.paths (builtin) has the tag "detectve"; did you mean "detective"?`,
    ]);
  });
});

describe('a rule asks the model for what it needs', () => {
  it("another rule's `actions` parameter no longer changes the SCP facts; a declared request does", async () => {
    const bystander = ruleDir('bystander', [
      'params:',
      '  actions: { type: array, items: { type: string }, default: ["s3:DeleteBucket"], description: unrelated }',
      'validations:',
      '  - expression: params.actions.size() > 0',
    ]);
    const asks = ruleDir('asks', [
      'params:',
      '  actions: { type: array, items: { type: string }, default: ["cloudtrail:DeleteEventDataStore"], description: actions to protect }',
      'model:',
      '  scpActionsParam: actions',
      'validations:',
      '  - expression: params.actions.all(a, a in account.scp.actions)',
    ]);
    const config = defaults();
    expect(modelOptions(config, await loadRules([bystander], config)).scpActions).not.toContain('s3:DeleteBucket');
    expect(modelOptions(config, await loadRules([asks], config)).scpActions).toContain('cloudtrail:DeleteEventDataStore');
  });

  it('the request must name a list-of-strings parameter', async () => {
    const dir = ruleDir('asks-wrong', ['params:', '  n: { type: integer, default: 1, description: n }', 'model:', '  scpActionsParam: n', 'validations:', '  - expression: params.n > 0']);
    expect(await problems([dir])).toEqual([expect.stringMatching(/asks-wrong\.yaml:8:\d+: model\.scpActionsParam names "n", which is not a parameter of type array of strings$/)]);
  });

  it('a rule asks for tampering actions with tamperActionsParam; the default set stays', async () => {
    const asks = ruleDir('asks-tamper', [
      'params:',
      '  actions: { type: array, items: { type: string, enum: [StopLogging, PutInsightSelectors] }, default: [PutInsightSelectors], description: actions }',
      'model:',
      '  tamperActionsParam: actions',
      'validations:',
      '  - expression: params.actions.size() > 0',
    ]);
    const config = defaults();
    expect(modelOptions(config, await loadRules([asks], config)).tamperActions).toEqual(['DeleteTrail', 'PutEventSelectors', 'PutInsightSelectors', 'StopLogging', 'UpdateTrail']);
  });

  it('tamperActionsParam must name a list whose items are enumerated tampering actions', async () => {
    const dir = ruleDir('asks-any', [
      'params:',
      '  actions: { type: array, items: { type: string }, default: [StopLogging], description: actions }',
      'model:',
      '  tamperActionsParam: actions',
      'validations:',
      '  - expression: params.actions.size() > 0',
    ]);
    expect(await problems([dir])).toEqual([expect.stringMatching(/asks-any\.yaml:8:\d+: model\.tamperActionsParam names "actions", which is not an array of strings whose items are enumerated among StopLogging, DeleteTrail, /)]);
  });
});

describe('a scan that evaluates nothing fails', () => {
  it('rule folders are searched recursively', async () => {
    const dir = ruleDir('nested', ['validations:', '  - expression: "true"']);
    const outer = tmp();
    mkdirSync(join(outer, 'group'));
    writeFileSync(join(outer, 'group', 'nested.yaml'), (await import('node:fs')).readFileSync(join(dir, 'nested.yaml')));
    expect((await loadRules([outer], defaults())).map((r) => r.meta.id)).toEqual(['nested']);
  });

  it('zero rules: exit 2 with a clear message', async () => {
    const dir = tmp();
    const config = join(tmp(), 'config.yaml');
    writeFileSync(config, `rules:\n  paths: [${JSON.stringify(dir)}]\n`);
    const r = await runMain(['scan', '--demo', '--config', config, '--out', dir, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no rules to evaluate: rules.paths (${dir}) holds no rule files; a scan that evaluates nothing cannot pass`);
  });

  it('zero accounts in scope: exit 2 with a clear message', async () => {
    const dir = tmp();
    const snapshot = join(dir, 'empty.snapshot.jsonl');
    const { header } = miniOrg().snapshot();
    writeFileSync(snapshot, `${JSON.stringify({ ...header, scope: { ...header.scope, accountIds: [] } })}\n`);
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'output:\n  failOn: high\n');
    const r = await runMain(['scan', '--snapshot', snapshot, '--config', config, '--out', dir, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no accounts in scope: ${snapshot} holds no account records`);
  });
});
