import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, copyFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { loadRules } from '../../src/rules/load.ts';
import { unmetExpectations, contains, formatRuleTestReport, readRuleTests, runRuleCase, runRuleTests } from '../../src/rules/rule-tests.ts';
import { expandCompactSnapshot } from '../../src/rules/compact-snapshot.ts';
import { renderRuleDoc, renderRuleIndex } from '../../src/rules/rule-docs.ts';
import { rulesDocs, rulesTest, rulesValidate } from '../../src/rules/commands.ts';
import { rulesList } from '../../src/rules/list.ts';
import type { RuleVerdict } from '../../src/rules/evaluate.ts';
import { UserErrors } from '../../src/shared/errors.ts';

const VALID = 'test/fixtures/rules/valid';
const config = structuredClone(DEFAULT_CONFIG);

function copyOf(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-ruletests-'));
  for (const n of names) copyFileSync(join(VALID, n), join(dir, n));
  return dir;
}

function verdict(id: string, status: RuleVerdict['status'], message = 'm', evidence: unknown = null): RuleVerdict {
  return { ruleId: 'r', status, severity: 'low', message, evidence, resource: { type: 'account', id, accountId: id, name: `name-${id}` } };
}

describe('runRuleTests', () => {
  it('runs every case of the fixture rules, facts and snapshot cases alike', async () => {
    const report = await runRuleTests([VALID], config);
    expect(report.failed).toBe(0);
    expect(report.passed).toBe(report.results.length);
    expect(report.results.map((r) => `${r.rule} › ${r.case}`)).toContain('account-has-trail › through the model, the organization trail records every member');
    const modelCase = report.results.find((r) => r.case.startsWith('through the model'))!;
    expect(modelCase.verdicts.map((v) => [v.resource.id, v.resource.ouPath])).toEqual([
      ['111111111111', 'Root'],
      ['222222222222', 'Root/Workloads'],
    ]);
    expect(formatRuleTestReport(report)).toMatch(/✓ account-has-trail › a logging trail passes\n[\s\S]*\n8 passed, 0 failed\n$/);
  });

  it('reports a wrong expectation with the verdict actually given, and a rule without tests', async () => {
    const dir = copyOf('trail-validates-logs.yaml', 'account-has-trail.yaml');
    writeFileSync(
      join(dir, 'trail-validates-logs.test.yaml'),
      readFileSync(join(VALID, 'trail-validates-logs.test.yaml'), 'utf8').replace('status: PASS', 'status: FAIL'),
    );
    const report = await runRuleTests([dir], config);
    expect(report.failed).toBe(2);
    const wrong = report.results.find((r) => r.case === 'validation on passes')!;
    expect(wrong.failures).toEqual([
      'expect[0]: expected FAIL, got arn:aws:cloudtrail:us-east-1:111111111111:trail/a: PASS "Trails validate their log files: passed"',
    ]);
    expect(wrong.location).toMatch(/trail-validates-logs\.test\.yaml:3$/);
    const untested = report.results.find((r) => r.rule === 'account-has-trail')!;
    expect(untested.failures[0]).toMatch(/^no test file: .*account-has-trail\.test\.yaml$/);
    expect(formatRuleTestReport(report)).toContain('✗ trail-validates-logs › validation on passes');
    expect((await rulesTest([dir], config)).exitCode).toBe(1);
  });

  it('rejects an invalid test file with file:line:col', async () => {
    const dir = copyOf('trail-validates-logs.yaml');
    writeFileSync(join(dir, 'trail-validates-logs.test.yaml'), 'rule: trail-validates-logs\ncases:\n  - name: x\n    facts: {}\n    expect:\n      - status: MAYBE\n');
    const err = await runRuleTests([dir], config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserErrors);
    expect((err as UserErrors).problems[0]).toMatch(/trail-validates-logs\.test\.yaml:6:\d+: invalid rule test: cases\.0\.expect\.0\.status: expected one of "PASS"/);
  });

  it('rejects case params the rule does not declare, naming the case', async () => {
    const [rule] = await loadRules([join(VALID, 'account-has-trail.yaml')], config);
    const result = runRuleCase(rule!, { name: 'p', params: { minTrail: 2 }, facts: { account: { id: '1', status: 'ACTIVE', trails: [] } }, expect: [{ status: 'FAIL' }] }, config, 'x.test.yaml:9');
    expect(result.passed).toBe(false);
    expect(result.failures[0]).toContain('x.test.yaml:9: params.minTrail: unknown parameter "minTrail" for rule account-has-trail');
  });

  it('a facts case for the wrong resource type fails clearly', async () => {
    const [rule] = await loadRules([join(VALID, 'trail-validates-logs.yaml')], config);
    const result = runRuleCase(rule!, { name: 'wrong', facts: { account: { id: '1' } }, expect: [{ status: 'PASS' }] }, config);
    expect(result.failures).toEqual(['the facts describe account "1", but the rule judges trail resources']);
  });
});

describe('unmetExpectations', () => {
  it('needs a resource when there are several verdicts, and flags unexpected ones', () => {
    const vs = [verdict('1', 'PASS'), verdict('2', 'FAIL')];
    expect(unmetExpectations([{ status: 'PASS' }], vs)[0]).toBe('expect[0] names no resource, but the case gave 2 verdicts: 1, 2');
    expect(unmetExpectations([{ resource: '1', status: 'PASS' }], vs)).toEqual(['unexpected verdict 2: FAIL "m"']);
    expect(unmetExpectations([{ resource: 'name-2', status: 'FAIL' }, { resource: '1', status: 'PASS' }], vs)).toEqual([]);
    expect(unmetExpectations([{ resource: '3', status: 'PASS' }], [])).toEqual(['expect[0]: no verdict for resource "3" (got: none)']);
  });

  it('checks message and evidence containment', () => {
    const v = verdict('1', 'FAIL', 'bucket logs has no lock', { buckets: [{ name: 'logs', days: 30 }], n: 1 });
    expect(unmetExpectations([{ status: 'FAIL', messageContains: 'no lock', evidenceContains: { buckets: [{ days: 30 }] } }], [v])).toEqual([]);
    expect(unmetExpectations([{ status: 'FAIL', messageContains: 'locked' }], [v])[0]).toContain('does not contain "locked"');
    expect(unmetExpectations([{ status: 'FAIL', evidenceContains: { n: 2 } }], [v])[0]).toContain('evidence');
    expect(contains([1, 2, 3], [3, 1])).toBe(true);
    expect(contains({ a: [1] }, { a: 1 })).toBe(false);
  });
});

describe('expandCompactSnapshot', () => {
  it('fills an organization with OUs, the management account and FullAWSAccess everywhere', () => {
    const s = expandCompactSnapshot({
      accounts: [{ id: '222222222222', ou: 'Root/Workloads/Prod', tags: { env: 'prod' } }, { id: '333333333333', ou: 'Workloads', record: false }],
      policies: [{ name: 'deny-stop', content: { Statement: [] }, targets: ['Root/Workloads'] }],
    });
    const h = s.header;
    expect(h.organization.value).toEqual({ Id: 'o-test', MasterAccountId: '111111111111', FeatureSet: 'ALL' });
    expect(h.organizationalUnits.value).toEqual([
      { Id: 'ou-test-1', Name: 'Workloads', ParentId: 'r-test' },
      { Id: 'ou-test-2', Name: 'Prod', ParentId: 'ou-test-1' },
    ]);
    expect(h.accounts.value!.map((a) => [a.Id, a.ParentId])).toEqual([
      ['222222222222', 'ou-test-2'],
      ['333333333333', 'ou-test-1'],
      ['111111111111', 'r-test'],
    ]);
    expect(s.accounts.map((r) => r.accountId)).toEqual(['222222222222']);
    expect(s.accounts[0]!.regions).toEqual([{ region: 'us-east-1', trails: { value: [] } }]);
    const [full, deny] = h.policies.value!;
    expect(full!.Name).toBe('FullAWSAccess');
    expect(full!.Targets.value!.map((t) => t.TargetId)).toEqual(['r-test', 'ou-test-1', 'ou-test-2', '222222222222', '333333333333', '111111111111']);
    expect(deny!.Targets.value).toEqual([{ TargetId: 'ou-test-1', Type: 'ORGANIZATIONAL_UNIT', Name: 'Workloads' }]);
    expect(JSON.parse(deny!.Content.value!)).toEqual({ Statement: [] });
  });

  it('honours scpEnabled: false and header overrides', () => {
    const s = expandCompactSnapshot({ organization: { scpEnabled: false }, header: { organizationalUnits: { error: { operation: 'organizations:ListOrganizationalUnitsForParent', code: 'AccessDenied', message: 'no' } } } });
    expect(s.header.policies).toEqual({ value: null, absent: 'PolicyTypeNotEnabledException' });
    expect(s.header.roots.value![0]!.PolicyTypes).toEqual([]);
    expect(s.header.organizationalUnits.error?.code).toBe('AccessDenied');
  });
});

describe('rule docs and commands', () => {
  it('renders a deterministic page with params, verdicts, frameworks and examples', async () => {
    const [rule] = await loadRules([join(VALID, 'account-has-trail.yaml')], config);
    const cases = readRuleTests(join(VALID, 'account-has-trail.test.yaml')).cases;
    const page = renderRuleDoc(rule!, cases);
    expect(page).toBe(renderRuleDoc(rule!, cases));
    expect(page).toContain('# Every active account is recorded by enough logging trails');
    expect(page).toContain('| `minTrails` | integer | `1` | ≥ 0 | Logging trails the account needs at least. |');
    expect(page).toContain('- **NOT_APPLICABLE** when `account.status == "ACTIVE"` is false.');
    expect(page).toContain('| nist-800-53-r5 | AU-2, AU-12 |');
    expect(page).toContain('- unknown trail status is an error → ERROR');
    expect(renderRuleIndex([rule!])).toContain('| [`account-has-trail`](account-has-trail.md) | high | account |');
  });

  it('rules docs writes pages, then --check finds them up to date; validate and list work', async () => {
    const out = mkdtempSync(join(tmpdir(), 'trailproof-docs-'));
    expect((await rulesDocs([VALID], config, { out, check: true })).exitCode).toBe(1);
    expect((await rulesDocs([VALID], config, { out })).output).toBe(`3 of 3 doc pages written to ${out}\n`);
    expect(existsSync(join(out, 'trail-validates-logs.md'))).toBe(true);
    expect(await rulesDocs([VALID], config, { out, check: true })).toEqual({ output: '3 doc pages up to date\n', exitCode: 0 });
    expect(await rulesValidate([VALID], config)).toEqual({ output: '2 rules valid (2 with test files)\n', exitCode: 0 });
    const list = await rulesList([VALID], { ...config, rules: { ...config.rules, disabled: ['trail-validates-logs'] } });
    expect(list.output.split('\n')[2]).toMatch(/^trail-validates-logs\s+medium\s+trail\s+\(disabled\) Trails validate/);
  });
});
