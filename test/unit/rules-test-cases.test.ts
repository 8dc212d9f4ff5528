/**
 * The parts of the rule-test runner (src/rules/rule-tests.ts) a rule author reads most: which
 * resource a facts case is about, how expectations are matched, the printed report, and the
 * problems of a test file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { RuleVerdict } from '../../src/rules/evaluate.ts';
import { loadRules } from '../../src/rules/load.ts';
import { unmetExpectations, contains, formatRuleTestReport, readRuleTests, runRuleCase, runRuleTests, subjectFromFacts, testFileFor } from '../../src/rules/rule-tests.ts';
import { TEST_ORGANIZATION_ID } from '../../src/rules/compact-snapshot.ts';
import { UserErrors } from '../../src/shared/errors.ts';

describe('subjectFromFacts', () => {
  it('a trail case is about the trail: its ARN, name, owner account and home region', () => {
    const s = subjectFromFacts({ trail: { arn: 'arn:t', name: 'main', ownerAccountId: '111', homeRegion: 'eu-west-1' } });
    expect(s.resource).toStrictEqual({ type: 'trail', id: 'arn:t', arn: 'arn:t', name: 'main', accountId: '111', region: 'eu-west-1' });
    expect(s.activation.organization).toMatchObject({ id: TEST_ORGANIZATION_ID, managementAccountId: expect.any(String) });
  });

  it('a trail without names is "trail", in the account given, with its OU path and no region', () => {
    const s = subjectFromFacts({ account: { id: '222', ouPath: 'Root/Prod' }, trail: { homeRegion: 7 } });
    expect(s.resource).toStrictEqual({ type: 'trail', id: 'trail', arn: 'trail', name: 'trail', accountId: '222', ouPath: 'Root/Prod' });
    expect(s.activation.account).toEqual({ id: '222', ouPath: 'Root/Prod' });
  });

  it('a bucket case: its ARN from its name unless given, the account it is in, its region', () => {
    expect(subjectFromFacts({ bucket: { name: 'logs', accountId: '333', region: 'us-east-2' } }).resource).toStrictEqual({
      type: 'bucket',
      id: 'arn:aws:s3:::logs',
      arn: 'arn:aws:s3:::logs',
      name: 'logs',
      accountId: '333',
      region: 'us-east-2',
    });
    expect(subjectFromFacts({ bucket: { arn: 'arn:aws:s3:::given' } }).resource).toMatchObject({ id: 'arn:aws:s3:::given', name: 'bucket' });
  });

  it('an account case is named by its name, else its id; without any resource the organization is judged', () => {
    expect(subjectFromFacts({ account: { id: '444', name: 'prod' } }).resource).toStrictEqual({ type: 'account', id: '444', name: 'prod', accountId: '444' });
    expect(subjectFromFacts({ account: { id: '444' } }).resource).toMatchObject({ name: '444' });
    const org = subjectFromFacts({ organization: { id: 'o-abc', managementAccountId: '555', featureSet: 'ALL', scpEnabled: true, accountCount: 2 } });
    expect(org.resource).toStrictEqual({ type: 'organization', id: 'o-abc', name: 'o-abc', accountId: '555' });
    expect(subjectFromFacts({}).resource).toMatchObject({ type: 'organization', id: TEST_ORGANIZATION_ID });
  });
});

function verdict(id: string, status: RuleVerdict['status'], message = 'm', evidence: unknown = null): RuleVerdict {
  return { ruleId: 'r', status, severity: 'low', message, evidence, resource: { type: 'trail', id, arn: `arn:${id}`, accountId: '1', name: `name-${id}` } };
}

describe('unmetExpectations', () => {
  it('finds a verdict by id, ARN or name, each verdict at most once', () => {
    const vs = [verdict('a', 'PASS'), verdict('b', 'FAIL')];
    expect(unmetExpectations([{ resource: 'arn:b', status: 'FAIL' }, { resource: 'name-a', status: 'PASS' }], vs)).toEqual([]);
    expect(unmetExpectations([{ resource: 'a', status: 'PASS' }, { resource: 'a', status: 'PASS' }], vs)).toEqual([
      'expect[1]: no verdict for resource "a" (got: a, b)',
      'unexpected verdict b: FAIL "m"',
    ]);
  });

  it('with no resource named, needs exactly one verdict; none is said plainly', () => {
    expect(unmetExpectations([{ status: 'PASS' }], [])).toEqual(['expect[0] names no resource, but the case gave 0 verdicts']);
    expect(unmetExpectations([{ status: 'FAIL' }], [verdict('a', 'PASS', 'fine')])).toEqual(['expect[0]: expected FAIL, got a: PASS "fine"']);
  });

  it('reports the message and the evidence as JSON, and every failure of one expectation', () => {
    const v = verdict('a', 'PASS', 'said "so"', { n: 1 });
    expect(unmetExpectations([{ status: 'FAIL', messageContains: 'other', evidenceContains: { n: 2 } }], [v])).toEqual([
      'expect[0]: expected FAIL, got a: PASS "said "so""',
      'expect[0]: message "said \\"so\\"" does not contain "other"',
      'expect[0]: evidence {"n":1} does not contain {"n":2}',
    ]);
    expect(unmetExpectations([{ status: 'PASS', messageContains: 'so', evidenceContains: { n: 1 } }], [v])).toEqual([]);
  });
});

describe('contains', () => {
  it('maps by subset, lists by each expected item, scalars and null by equality', () => {
    expect(contains({ a: 1, b: { c: [1, 2] } }, { b: { c: [2] } })).toBe(true);
    expect(contains({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(contains({ a: 1 }, { a: 2 })).toBe(false);
    expect(contains(null, { a: 1 })).toBe(false);
    expect(contains([{ a: 1 }], { a: 1 })).toBe(false);
    expect(contains('x', { a: 1 })).toBe(false);
    expect(contains({ a: 1 }, [1])).toBe(false);
    expect(contains([1, 2], [])).toBe(true);
    expect(contains([1], [1, 3])).toBe(false);
    expect(contains(null, null)).toBe(true);
    expect(contains(0, null)).toBe(false);
    expect(contains('1', 1)).toBe(false);
  });
});

describe('formatRuleTestReport', () => {
  it('marks each case, places failures under it (indented, multi-line too) and counts', () => {
    const text = formatRuleTestReport({
      results: [
        { rule: 'r', case: 'good', location: 'r.test.yaml:3', passed: true, failures: [], verdicts: [] },
        { rule: 'r', case: 'bad', location: 'r.test.yaml:9', passed: false, failures: ['first\nsecond', 'third'], verdicts: [] },
      ],
      passed: 1,
      failed: 1,
    });
    expect(text).toBe(['✓ r › good', '✗ r › bad  (r.test.yaml:9)', '    first', '    second', '    third', '', '1 passed, 1 failed', ''].join('\n'));
  });
});

describe('test files', () => {
  it('is the rule file with .test.yaml', () => {
    expect(testFileFor({ file: '/r/a.yaml' } as Parameters<typeof testFileFor>[0])).toBe('/r/a.test.yaml');
    expect(testFileFor({ file: '/r.yaml/a.yaml' } as Parameters<typeof testFileFor>[0])).toBe('/r.yaml/a.test.yaml');
  });

  const write = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-cases-'));
    const file = join(dir, 'r.test.yaml');
    writeFileSync(file, text);
    return file;
  };
  const problems = (file: string, rule?: string) => {
    try {
      readRuleTests(file, rule);
    } catch (err) {
      return (err as UserErrors).problems;
    }
    return [];
  };

  it('each case is located at its line; the rule it tests must be the file it sits beside', () => {
    const file = write('rule: r\ncases:\n  - name: one\n    facts: {}\n    expect: [{ status: PASS }]\n  - name: two\n    facts: {}\n    expect: [{ status: FAIL }]\n');
    const read = readRuleTests(file, 'r');
    expect(read.locations.map((l) => l.split(':').pop())).toEqual(['3', '6']);
    expect(read.cases.map((c) => c.name)).toEqual(['one', 'two']);
    expect(readRuleTests(file).rule).toBe('r');
    expect(problems(file, 'other')).toEqual([expect.stringMatching(/r\.test\.yaml:1:1: tests rule "r", but the file belongs to rule "other"$/)]);
  });

  it('a case name used twice is a problem at the second, naming the first', () => {
    const file = write('rule: r\ncases:\n  - name: one\n    facts: {}\n    expect: [{ status: PASS }]\n  - name: one\n    facts: {}\n    expect: [{ status: PASS }]\n  - name: one\n    facts: {}\n    expect: [{ status: PASS }]\n');
    expect(problems(file)).toEqual([
      expect.stringMatching(/r\.test\.yaml:6:5: duplicate case name "one" \(also cases\[0\]\)$/),
      expect.stringMatching(/r\.test\.yaml:9:5: duplicate case name "one" \(also cases\[0\]\)$/),
    ]);
  });
});

describe('runRuleCase', () => {
  it('a case whose rule cannot evaluate the subject says it could not run', async () => {
    const [rule] = await loadRules(['test/fixtures/rules/valid/account-has-trail.yaml'], structuredClone(DEFAULT_CONFIG));
    const broken = { ...rule!, evaluate: () => { throw new Error('boom'); } };
    const result = runRuleCase(broken, { name: 'x', facts: { account: { id: '1' } }, expect: [{ status: 'PASS' }] }, structuredClone(DEFAULT_CONFIG), 'x.test.yaml:3');
    expect(result).toEqual({ rule: 'account-has-trail', case: 'x', location: 'x.test.yaml:3', passed: false, failures: ['could not run: boom'], verdicts: [] });
  });
});

describe('more of the runner', () => {
  const config = (rules: Partial<typeof DEFAULT_CONFIG.rules> = {}) => ({ ...structuredClone(DEFAULT_CONFIG), rules: { ...DEFAULT_CONFIG.rules, ...rules } });
  const ruleDir = (id: string, lines: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-cases-'));
    writeFileSync(join(dir, `${id}.yaml`), [`id: ${id}`, `title: ${id}`, 'severity: low', 'remediation: r', ...lines, ''].join('\n'));
    return dir;
  };

  it('a case with params keeps the config.yaml overrides of the params it does not set', async () => {
    const dir = ruleDir('two-params', [
      'resource: account',
      'params:',
      '  minimum: { type: integer, default: 5, description: m }',
      '  label: { type: string, default: x, description: l }',
      'validations:',
      '  - expression: account.tags.size() >= params.minimum',
      'passMessageExpression: params.label + string(params.minimum)',
    ]);
    const cfg = config({ params: { 'two-params': { minimum: 0 } } });
    const [rule] = await loadRules([dir], cfg);
    const result = runRuleCase(rule!, { name: 'p', params: { label: 'y' }, facts: { account: { id: '1', tags: {} } }, expect: [{ status: 'PASS', messageContains: 'y0' }] }, cfg);
    expect(result).toMatchObject({ passed: true, location: '' });
  });

  it('a snapshot case judges the organization too', async () => {
    const dir = ruleDir('org-rule', ['resource: organization', 'validations:', '  - expression: organization.id != ""']);
    const [rule] = await loadRules([dir], config());
    const result = runRuleCase(rule!, { name: 's', snapshot: {}, expect: [{ status: 'PASS' }] }, config());
    expect(result.failures).toEqual([]);
    expect(result.verdicts.map((v) => v.resource.type)).toEqual(['organization']);
  });

  it('an organization without an id or management account is still a subject', () => {
    const s = subjectFromFacts({ organization: {} as never });
    expect(s.resource).toStrictEqual({ type: 'organization', id: 'organization', name: 'organization', accountId: '' });
  });

  it('tests disabled rules too, names a missing test file relative to the working directory, and lists each problem of a test file', async () => {
    const dir = ruleDir('untested', ['resource: account', 'validations:', '  - expression: "true"']);
    const report = await runRuleTests([dir], config({ disabled: ['untested'] }));
    const file = join(dir, 'untested.test.yaml');
    expect(report.results).toEqual([
      { rule: 'untested', case: '(test file)', location: relative(process.cwd(), file), passed: false, failures: [`no test file: ${relative(process.cwd(), file)}`], verdicts: [] },
    ]);
    writeFileSync(file, 'cases:\n  - facts: {}\n    name: one\n    expect: [{ status: PASS }]\n  - facts: {}\n    name: one\n    expect: [{ status: PASS }]\nrule: other\n');
    const problems = await runRuleTests([dir], config()).then(() => [], (err: unknown) => (err as UserErrors).problems);
    expect(problems).toEqual([
      expect.stringMatching(/untested\.test\.yaml:8:1: tests rule "other", but the file belongs to rule "untested"$/),
      expect.stringMatching(/untested\.test\.yaml:6:5: duplicate case name "one" \(also cases\[0\]\)$/),
    ]);
  });

  it('contains: an object is never contained in a scalar, and every expected key must match', () => {
    expect(contains('x', {})).toBe(false);
    expect(contains({ a: 1, b: 2 }, { a: 1, b: 3 })).toBe(false);
  });
});
