/**
 * Rule test cases (rules/<id>.test.yaml): small inputs and the verdicts each must give. Inputs
 * are either facts (the CEL activation, given directly) or a compact snapshot run through the
 * real model, so a test also proves the rule reads facts the model actually publishes.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { TrailproofConfig } from '../config/types.ts';
import { factProblems } from '../model/fact-check.ts';
import { FACT_ROOTS } from '../model/fact-declarations.ts';
import type { ResourceRef } from '../contracts/verdict.ts';
import type { EvaluationSubject, OrganizationFacts } from '../model/facts.ts';
import { buildIndex, organizationSubject, subjectsForAccount } from '../model/index.ts';
import { modelOptions } from './model-options.ts';
import { located, UserError, UserErrors } from '../shared/errors.ts';
import { bundledSchemaValidator } from '../shared/bundled-schemas.ts';
import { assertValid, readYamlFile, type YamlSource } from '../shared/yaml-source.ts';
import { expandCompactSnapshot, TEST_MANAGEMENT_ACCOUNT, TEST_ORGANIZATION_ID, type CompactSnapshot } from './compact-snapshot.ts';
import type { RuleVerdict } from './evaluate.ts';
import { loadRules, withParams, type LoadedRule } from './load.ts';
import { describePath } from './load/cel-problems.ts';
import type { VerdictStatus } from '../contracts/verdict.ts';

export interface Expectation {
  resource?: string;
  status: VerdictStatus;
  messageContains?: string;
  evidenceContains?: unknown;
}

export interface RuleTestCase {
  name: string;
  params?: Record<string, unknown>;
  /** Hand-written facts: any subset of the declared fields (checked by model/fact-check.ts). */
  facts?: { organization?: Partial<OrganizationFacts>; account?: Record<string, unknown>; trail?: Record<string, unknown>; bucket?: Record<string, unknown> };
  snapshot?: CompactSnapshot;
  expect: Expectation[];
}

export interface RuleTestFile {
  rule: string;
  cases: RuleTestCase[];
  /** Where each case starts ("file:line"), for reports. */
  locations: string[];
  source: YamlSource;
}

export interface CaseResult {
  rule: string;
  case: string;
  /** "file:line" of the case. */
  location: string;
  passed: boolean;
  failures: string[];
  verdicts: RuleVerdict[];
}

export interface RuleTestReport {
  results: CaseResult[];
  passed: number;
  failed: number;
}


/** rules/<id>.yaml → rules/<id>.test.yaml */
export function testFileFor(rule: LoadedRule): string {
  return rule.file.replace(/\.yaml$/, '.test.yaml');
}

/** Reads and validates a test file; problems are UserErrors at file:line:col. */
export function readRuleTests(file: string, expectedRule?: string): RuleTestFile {
  const source = readYamlFile(displayPath(file));
  const doc = assertValid<{ rule: string; cases: RuleTestCase[] }>(source, bundledSchemaValidator('rule-test'), 'rule test');
  const problems: string[] = [];
  const at = (path: (string | number)[], message: string) => {
    const pos = source.positionOf(path);
    problems.push(located(source.file, pos.line, pos.column, message));
  };
  if (expectedRule !== undefined && doc.rule !== expectedRule) at(['rule'], `tests rule "${doc.rule}", but the file belongs to rule "${expectedRule}"`);
  const names = new Map<string, number>();
  doc.cases.forEach((c, i) => {
    const first = names.get(c.name);
    if (first !== undefined) at(['cases', i, 'name'], `duplicate case name "${c.name}" (also cases[${first}])`);
    else names.set(c.name, i);
    for (const root of FACT_ROOTS) {
      const value = c.facts?.[root.name as keyof NonNullable<RuleTestCase['facts']>];
      if (value === undefined) continue;
      for (const p of factProblems(value, root.type, [root.name])) at(['cases', i, 'facts', ...p.path], `facts.${describePath(p.path)}: ${p.message}`);
    }
  });
  if (problems.length > 0) throw new UserErrors(problems);
  const locations = doc.cases.map((_, i) => `${source.file}:${source.positionOf(['cases', i]).line}`);
  return { rule: doc.rule, cases: doc.cases, locations, source };
}

/** Runs one case against a loaded rule. */
export function runRuleCase(rule: LoadedRule, testCase: RuleTestCase, config: TrailproofConfig, location = ''): CaseResult {
  const result = (failures: string[], verdicts: RuleVerdict[] = []): CaseResult => ({
    rule: rule.meta.id,
    case: testCase.name,
    location,
    passed: failures.length === 0,
    failures,
    verdicts,
  });
  let subjectRule = rule;
  let verdicts: RuleVerdict[];
  try {
    if (testCase.params) subjectRule = withParams(rule, { ...(config.rules.params[rule.meta.id] ?? {}), ...testCase.params }, `${location}: params`);
    const subjects = testCase.facts ? [subjectFromFacts(testCase.facts)] : subjectsFromSnapshot(testCase.snapshot ?? {}, subjectRule, config);
    const judged = subjects.filter((s) => s.resource.type === rule.meta.resource);
    if (testCase.facts && judged.length === 0) {
      return result([`the facts describe ${subjects[0]!.resource.type} "${subjects[0]!.resource.id}", but the rule judges ${rule.meta.resource} resources`]);
    }
    verdicts = judged.map((s) => subjectRule.evaluate(s));
  } catch (err) {
    return result([err instanceof UserError ? err.message : `could not run: ${(err as Error).message ?? String(err)}`]);
  }
  return result(unmetExpectations(testCase.expect, verdicts), verdicts);
}

/**
 * Loads the rules at `paths` (disabled ones included: a disabled rule is still tested) and runs
 * every case of every rule's test file. A rule without a test file is a failure.
 */
export async function runRuleTests(paths: string[], config: TrailproofConfig, loaded?: Awaited<ReturnType<typeof loadRules>>): Promise<RuleTestReport> {
  const rules = loaded ?? (await loadRules(paths, config, { keepDisabled: true }));
  const results: CaseResult[] = [];
  const problems: string[] = [];
  for (const rule of rules) {
    const file = testFileFor(rule);
    if (!existsSync(file)) {
      results.push({ rule: rule.meta.id, case: '(test file)', location: displayPath(file), passed: false, failures: [`no test file: ${displayPath(file)}`], verdicts: [] });
      continue;
    }
    let tests: RuleTestFile;
    try {
      tests = readRuleTests(file, rule.meta.id);
    } catch (err) {
      if (err instanceof UserErrors) problems.push(...err.problems);
      else if (err instanceof UserError) problems.push(err.message);
      else throw err;
      continue;
    }
    tests.cases.forEach((c, i) => results.push(runRuleCase(rule, c, config, tests.locations[i])));
  }
  if (problems.length > 0) throw new UserErrors(problems);
  const passed = results.filter((r) => r.passed).length;
  return { results, passed, failed: results.length - passed };
}

/** "✓ rule › case" per case, the reasons under each failure, and a count. */
export function formatRuleTestReport(report: RuleTestReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    lines.push(`${r.passed ? '✓' : '✗'} ${r.rule} › ${r.case}${r.passed ? '' : `  (${r.location})`}`);
    for (const f of r.failures) lines.push(`    ${f.replace(/\n/g, '\n    ')}`);
  }
  lines.push('', `${report.passed} passed, ${report.failed} failed`);
  return `${lines.join('\n')}\n`;
}

const DEFAULT_ORGANIZATION: Partial<OrganizationFacts> = {
  id: TEST_ORGANIZATION_ID,
  managementAccountId: TEST_MANAGEMENT_ACCOUNT,
  featureSet: 'ALL',
  scpEnabled: true,
  accountCount: 1,
};

/** The resource a facts case is about: its trail, else its bucket, else its account, else the organization. */
export function subjectFromFacts(facts: NonNullable<RuleTestCase['facts']>): EvaluationSubject {
  const organization = facts.organization ?? DEFAULT_ORGANIZATION;
  const account = facts.account;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const accountId = str(account?.id) ?? str(facts.trail?.ownerAccountId) ?? str(facts.bucket?.accountId) ?? organization.managementAccountId ?? '';
  const base = { accountId, ...(str(account?.ouPath) ? { ouPath: str(account?.ouPath) } : {}) };
  let resource: ResourceRef;
  if (facts.trail) {
    const arn = str(facts.trail.arn) ?? 'trail';
    resource = { type: 'trail', id: arn, arn, name: str(facts.trail.name) ?? arn, ...base, ...(str(facts.trail.homeRegion) ? { region: str(facts.trail.homeRegion) } : {}) };
  } else if (facts.bucket) {
    const name = str(facts.bucket.name) ?? 'bucket';
    const arn = str(facts.bucket.arn) ?? `arn:aws:s3:::${name}`;
    resource = { type: 'bucket', id: arn, arn, name, ...base, ...(str(facts.bucket.region) ? { region: str(facts.bucket.region) } : {}) };
  } else if (account) {
    resource = { type: 'account', id: accountId, name: str(account.name) ?? accountId, ...base };
  } else {
    resource = { type: 'organization', id: organization.id ?? 'organization', name: organization.id ?? 'organization', accountId };
  }
  const activation = { organization, ...facts } as EvaluationSubject['activation'];
  return { resource, activation };
}

function subjectsFromSnapshot(compact: CompactSnapshot, rule: LoadedRule, config: TrailproofConfig): EvaluationSubject[] {
  const snapshot = expandCompactSnapshot(compact);
  const index = buildIndex(snapshot.header, snapshot.accounts, modelOptions(config, [rule]));
  const subjects = [organizationSubject(index)];
  for (const record of snapshot.accounts) subjects.push(...subjectsForAccount(index, record));
  return subjects;
}

/** Every expectation met by a distinct verdict, and every verdict expected. */
export function unmetExpectations(expectations: Expectation[], verdicts: RuleVerdict[]): string[] {
  const failures: string[] = [];
  const unclaimed = new Set(verdicts);
  const describe = (v: RuleVerdict) => `${v.resource.id}: ${v.status} "${v.message}"`;
  expectations.forEach((e, i) => {
    let verdict: RuleVerdict | undefined;
    if (e.resource === undefined) {
      if (verdicts.length !== 1) {
        failures.push(`expect[${i}] names no resource, but the case gave ${verdicts.length} verdicts${verdicts.length ? `: ${verdicts.map((v) => v.resource.id).join(', ')}` : ''}`);
        return;
      }
      verdict = verdicts[0];
    } else {
      verdict = [...unclaimed].find((v) => [v.resource.id, v.resource.arn, v.resource.name].includes(e.resource));
      if (!verdict) {
        failures.push(`expect[${i}]: no verdict for resource "${e.resource}" (got: ${verdicts.map((v) => v.resource.id).join(', ') || 'none'})`);
        return;
      }
    }
    unclaimed.delete(verdict!);
    const v = verdict!;
    if (v.status !== e.status) failures.push(`expect[${i}]: expected ${e.status}, got ${describe(v)}`);
    if (e.messageContains !== undefined && !v.message.includes(e.messageContains)) {
      failures.push(`expect[${i}]: message ${JSON.stringify(v.message)} does not contain ${JSON.stringify(e.messageContains)}`);
    }
    if (e.evidenceContains !== undefined && !contains(v.evidence, e.evidenceContains)) {
      failures.push(`expect[${i}]: evidence ${JSON.stringify(v.evidence)} does not contain ${JSON.stringify(e.evidenceContains)}`);
    }
  });
  for (const v of unclaimed) failures.push(`unexpected verdict ${describe(v)}`);
  return failures;
}

/** Maps by subset, lists by containing each expected item, scalars by equality. */
export function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.every((e) => actual.some((a) => contains(a, e)));
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([k, e]) => contains((actual as Record<string, unknown>)[k], e));
  }
  return actual === expected;
}

function displayPath(file: string): string {
  return relative(process.cwd(), file) || file;
}
