import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import type { RuleMeta, Verdict } from '../../src/contracts/verdict.ts';
import { assessFrameworks } from '../../src/evaluate/frameworks.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { mergeShardResults } from '../../src/evaluate/merge.ts';
import { loadFrameworkPacks, rulesOfPacks, selectFrameworkPacks, type FrameworkPack } from '../../src/rules/framework-packs.ts';
import { BUILTIN_RULES_DIR, loadRules } from '../../src/rules/load.ts';
import { readRules } from '../../src/rules/load/read.ts';
import { openDemoSnapshot } from '../../src/snapshot/demo.ts';
import { parseJsonReport, renderJsonReport } from '../../src/report/json.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { renderOscal } from '../../src/report/oscal.ts';
import { renderSarif } from '../../src/report/sarif.ts';
import { renderJUnit } from '../../src/report/junit.ts';
import { UserErrors } from '../../src/shared/errors.ts';
import { runCliAsync } from '../cli/run-cli.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const packs = loadFrameworkPacks();
const CIS6 = 'cis-aws-foundations-v6.0.0';

describe('framework packs agree with the rules', () => {
  const rules = readRules([BUILTIN_RULES_DIR], structuredClone(DEFAULT_CONFIG), { keepDisabled: true }, (r) => r);

  it('ships the eight packs the issue names', () => {
    expect(packs.map((p) => p.id)).toEqual(['aws-securityhub', 'cis-aws-foundations-v3.0.0', 'cis-aws-foundations-v5.0.0', CIS6, 'hipaa', 'nist-800-53-r5', 'pci-dss-v4.0', 'soc2']);
  });

  it("every rule's `frameworks:` mapping is in its pack, and every pack's rule maps back", () => {
    const fromRules = new Set<string>();
    for (const { meta } of rules) {
      for (const [pack, ids] of Object.entries(meta.frameworks)) for (const id of ids) fromRules.add(`${pack} ${id} ${meta.id}`);
    }
    const fromPacks = new Set<string>();
    for (const pack of packs) for (const c of pack.controls) for (const rule of c.rules ?? []) fromPacks.add(`${pack.id} ${c.id} ${rule}`);
    const onlyInRules = [...fromRules].filter((x) => !fromPacks.has(x)).map((x) => `rule mapping "${x}" is not in the pack (frameworks/<pack>.yaml)`);
    const onlyInPacks = [...fromPacks].filter((x) => !fromRules.has(x)).map((x) => `pack entry "${x}" is not in the rule's frameworks:`);
    expect([...onlyInRules, ...onlyInPacks]).toEqual([]);
  });

  it('every rule a pack names exists', () => {
    const ids = new Set(rules.map((r) => r.meta.id));
    const missing = packs.flatMap((p) => p.controls.flatMap((c) => (c.rules ?? []).filter((r) => !ids.has(r)).map((r) => `${p.id} ${c.id}: ${r}`)));
    expect(missing).toEqual([]);
  });
});

describe('framework pack files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'packs-'));
  it('reports a schema problem and a duplicate control at file:line:col', () => {
    writeFileSync(join(dir, 'mine.yaml'), 'id: mine\ntitle: Mine\nversion: "1"\ncontrols:\n  - id: "1"\n    title: One\n    rules: [a]\n  - id: "1"\n    title: Again\n    manual: look\n  - id: "2"\n    title: Two\n    rulez: [b]\n');
    let problems: string[] = [];
    try {
      loadFrameworkPacks(dir);
    } catch (err) {
      problems = (err as UserErrors).problems;
    }
    expect(problems.some((p) => /mine\.yaml:13:5: invalid framework pack: .*rulez/.test(p))).toBe(true);
  });

  it('refuses an unknown --framework id, naming the known ones', () => {
    expect(() => selectFrameworkPacks(['cis-aws-foundations-v6'])).toThrow(/no such framework pack \(did you mean "cis-aws-foundations-v6.0.0"\?\); known: aws-securityhub, .*soc2/);
  });
});

// Verdicts built by hand: each control below has a known status.
function verdict(ruleId: string, status: Verdict['status'], accountId: string, suppressed = false): Verdict {
  return {
    ruleId,
    status,
    severity: 'high',
    message: '',
    evidence: null,
    resource: { type: 'account', id: accountId, accountId },
    ...(suppressed ? { suppressed: { reason: 'r', approver: 'a', expires: '2099-01-01', exceptionId: 'exceptions[0]' } } : {}),
  };
}
const meta = (id: string, frameworks: Record<string, string[]> = {}): RuleMeta => ({ id, title: id, description: '', severity: 'high', resource: 'account', remediation: '', frameworks, tags: [], params: {}, source: '', sha256: '' });
const PACK: FrameworkPack = {
  id: 'test-pack',
  title: 'Test',
  version: '1',
  source: 'test',
  controls: [
    { id: 'all-pass', title: 't', rules: ['a', 'b'] },
    { id: 'one-fail', title: 't', rules: ['a', 'c'] },
    { id: 'error-only', title: 't', rules: ['a', 'd'] },
    { id: 'fail-and-error', title: 't', rules: ['c', 'd'] },
    { id: 'suppressed', title: 't', rules: ['e'] },
    { id: 'not-applicable', title: 't', rules: ['f'] },
    { id: 'manual', title: 't', manual: 'look at it' },
    { id: 'mapped-by-rule', title: 't', manual: 'look' },
  ],
};
const VERDICTS = [
  verdict('a', 'PASS', '111111111111'),
  verdict('a', 'PASS', '222222222222'),
  verdict('b', 'PASS', '111111111111'),
  verdict('b', 'NOT_APPLICABLE', '222222222222'),
  verdict('c', 'FAIL', '222222222222'),
  verdict('c', 'PASS', '111111111111'),
  verdict('d', 'ERROR', '333333333333'),
  verdict('e', 'FAIL', '111111111111', true),
  verdict('e', 'PASS', '222222222222'),
  verdict('f', 'NOT_APPLICABLE', '111111111111'),
  verdict('g', 'FAIL', '444444444444'),
];

describe('control status from the verdicts of its rules', () => {
  // Only iterable, no array methods: the verdicts may be streamed from disk.
  const stream = { *[Symbol.iterator]() { yield* VERDICTS; }, length: VERDICTS.length };
  const rules = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => meta(id)).concat(meta('g', { 'test-pack': ['mapped-by-rule'] }));
  const [framework] = assessFrameworks([PACK], rules, stream);
  const control = (id: string) => framework!.controls.find((c) => c.controlId === id)!;

  it('is satisfied only when every in-scope verdict passes', () => {
    expect(control('all-pass')).toMatchObject({ status: 'satisfied', rules: ['a', 'b'], failingAccounts: [], counts: { PASS: 3, NOT_APPLICABLE: 1 } });
  });
  it('is not satisfied by one unsuppressed FAIL, naming the failing account', () => {
    expect(control('one-fail')).toMatchObject({ status: 'not-satisfied', failingAccounts: ['222222222222'] });
  });
  it('is not assessed (error) when an ERROR leaves it open', () => {
    expect(control('error-only')).toMatchObject({ status: 'not-assessed', notAssessedReason: 'error', erroredAccounts: ['333333333333'] });
  });
  it('is not satisfied when a FAIL and an ERROR meet: the FAIL decides', () => {
    expect(control('fail-and-error')).toMatchObject({ status: 'not-satisfied', failingAccounts: ['222222222222'], erroredAccounts: ['333333333333'] });
  });
  it('counts a suppressed FAIL as an accepted deviation: satisfied, with the count shown', () => {
    expect(control('suppressed')).toMatchObject({ status: 'satisfied', failingAccounts: [], counts: { FAIL: 1, suppressed: 1, PASS: 1 } });
  });
  it('is not assessed when nothing applied, and for a manual control', () => {
    expect(control('not-applicable')).toMatchObject({ status: 'not-assessed', notAssessedReason: 'no-verdicts' });
    expect(control('manual')).toMatchObject({ status: 'not-assessed', notAssessedReason: 'manual', manualCheck: 'look at it', rules: [] });
  });
  it("takes a loaded rule whose own mapping names the control", () => {
    expect(control('mapped-by-rule')).toMatchObject({ status: 'not-satisfied', rules: ['g'], failingAccounts: ['444444444444'] });
  });
  it('sums the statuses', () => {
    expect(framework!.summary).toEqual({ satisfied: 2, notSatisfied: 3, notAssessed: 3 });
  });
});

describe('the demo organization under --framework cis-aws-foundations-v6.0.0', () => {
  let result: ScanResult;
  beforeAll(async () => {
    const config = structuredClone(DEFAULT_CONFIG);
    const chosen = selectFrameworkPacks([CIS6, 'pci-dss-v4.0']);
    const rules = rulesOfPacks(chosen, await loadRules([BUILTIN_RULES_DIR], config));
    result = await evaluateSnapshot(await openDemoSnapshot(), { config, rules, frameworks: chosen });
  });

  it("gives each control the status its rules' verdicts call for", () => {
    for (const framework of result.frameworks!) {
      for (const c of framework.controls) {
        const behind = [...result.verdicts].filter((v) => c.rules.includes(v.ruleId));
        const open = behind.filter((v) => v.status === 'FAIL' && !v.suppressed);
        const expected = c.rules.length === 0 ? 'not-assessed'
          : open.length > 0 ? 'not-satisfied'
          : behind.some((v) => v.status === 'ERROR') ? 'not-assessed'
          : behind.some((v) => v.status === 'PASS' || v.status === 'FAIL') ? 'satisfied' : 'not-assessed';
        expect(`${c.controlId} ${c.status}`).toBe(`${c.controlId} ${expected}`);
        expect(c.failingAccounts).toEqual([...new Set(open.map((v) => v.resource.accountId))].sort());
      }
    }
    // The demo's stopped organization trail fails cloudtrail-multi-region in most accounts, and two
    // accounts are ERROR for it: the FAILs decide CIS 4.1, the ERROR accounts are listed too.
    const cis41 = result.frameworks![0]!.controls.find((c) => c.controlId === '4.1')!;
    expect(cis41.status).toBe('not-satisfied');
    expect(cis41.failingAccounts.length).toBeGreaterThan(0);
    expect(cis41.erroredAccounts.length).toBeGreaterThan(0);
    expect(result.frameworks![1]!.controls.find((c) => c.controlId === '10.2.2')).toMatchObject({ status: 'not-assessed', notAssessedReason: 'manual', rules: [] });
  });

  it('leaves a control not assessed where its only open question is an ERROR', async () => {
    const cis41 = result.frameworks![0]!.controls.find((c) => c.controlId === '4.1')!;
    const config = structuredClone(DEFAULT_CONFIG);
    const chosen = selectFrameworkPacks([CIS6]);
    const rules = rulesOfPacks(chosen, await loadRules([BUILTIN_RULES_DIR], config));
    const errored = await evaluateSnapshot(await openDemoSnapshot(), { config, rules, frameworks: chosen, only: { accountIds: cis41.erroredAccounts, skipped: [] } });
    expect(errored.frameworks![0]!.controls.find((c) => c.controlId === '4.1')).toMatchObject({ status: 'not-assessed', notAssessedReason: 'error', failingAccounts: [], erroredAccounts: cis41.erroredAccounts });
  });

  it('is recomputed over every shard when shard reports are merged', async () => {
    const config = structuredClone(DEFAULT_CONFIG);
    const chosen = selectFrameworkPacks([CIS6, 'pci-dss-v4.0']);
    const rules = rulesOfPacks(chosen, await loadRules([BUILTIN_RULES_DIR], config));
    const shards = [];
    for (const shard of ['1/2', '2/2']) shards.push(await evaluateSnapshot(await openDemoSnapshot(), { config, rules, frameworks: chosen, shard }));
    expect(shards[0]!.frameworks).not.toEqual(result.frameworks);
    expect(mergeShardResults(shards).frameworks).toEqual(result.frameworks);
  });

  it('evaluates only the rules of the selected packs', () => {
    const named = new Set(selectFrameworkPacks([CIS6, 'pci-dss-v4.0']).flatMap((p) => p.controls.flatMap((c) => c.rules ?? [])));
    expect(result.rules.map((r) => r.id).filter((id) => !named.has(id))).toEqual([]);
  });

  it('round-trips through the JSON report, valid against its schema', () => {
    const back = parseJsonReport(renderJsonReport(result), 'trailproof.json');
    expect(back.frameworks).toEqual(JSON.parse(JSON.stringify(result.frameworks)));
  });

  it('renders a compliance table per framework in Markdown', () => {
    const md = renderMarkdown(result);
    expect(md).toContain('### Compliance: CIS Amazon Web Services Foundations Benchmark 6.0.0');
    expect(md).toMatch(/\| 4\.1 \| Ensure CloudTrail is enabled in all regions \| ❌ not satisfied \| \d{12}, /);
    expect(md).toMatch(/\| 10\.2\.2 \| Audit logs record the details .* \| ⚠️ not assessed \(manual check\) \|  \| manual: CloudTrail records carry these details/);
    expect(md).toContain('### Compliance: Payment Card Industry Data Security Standard 4.0');
  });

  it('writes SARIF taxonomies valid against SARIF 2.1.0, rules related to their controls', () => {
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
    (addFormatsModule as unknown as (a: unknown) => void)(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/standard-schemas/sarif-2.1.0.schema.json', import.meta.url)), 'utf8')));
    const log: Json = JSON.parse(renderSarif(result));
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const taxonomy = log.runs[0].taxonomies.find((t: Json) => t.name === CIS6);
    expect(taxonomy.taxa.find((t: Json) => t.id === '4.1').properties).toMatchObject({ status: 'not-satisfied' });
    const pci = log.runs[0].taxonomies.find((t: Json) => t.name === 'pci-dss-v4.0');
    expect(pci.taxa.find((t: Json) => t.id === '10.2.2').properties).toMatchObject({ status: 'not-assessed', notAssessedReason: 'manual' });
    const rule = log.runs[0].tool.driver.rules.find((r: Json) => r.id === 'cloudtrail-multi-region');
    expect(rule.relationships).toContainEqual({ target: { id: '4.1', toolComponent: { name: CIS6 } }, kinds: ['relevant'] });
  });

  it("uses the pack's control ids in OSCAL assessment-results, valid against OSCAL 1.0.6", () => {
    const ajv = new Ajv({ allErrors: true });
    (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/standard-schemas/oscal-1.0.6-assessment-results.schema.json', import.meta.url)), 'utf8')));
    const doc: Json = JSON.parse(renderOscal(result));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const r = doc['assessment-results'].results[0];
    const ids = r['reviewed-controls']['control-selections'][0]['include-controls'].map((c: Json) => c['control-id']);
    expect(ids).toContain(`${CIS6}_4.1`);
    expect(ids).toContain('pci-dss-v4.0_10.5.1');
    const f41 = r.findings.find((f: Json) => f.target['target-id'] === `${CIS6}_4.1_smt`);
    expect(f41.target.status).toMatchObject({ state: 'not-satisfied', reason: 'fail' });
    expect(r.findings.find((f: Json) => f.target['target-id'] === 'pci-dss-v4.0_10.2.2_smt').target.status).toMatchObject({ state: 'not-satisfied', reason: 'other', remarks: 'not assessed (manual check)' });
    expect(f41.props).toContainEqual({ name: 'control-id', ns: 'urn:trailproof:oscal', value: '4.1' });
    // A failing control relates the risks (each a failing rule's remediation) of its rules, and every related risk is in the result.
    const risks = new Set(r.risks.map((k: Json) => k.uuid));
    expect(f41['related-risks'].length).toBeGreaterThan(0);
    for (const f of r.findings) for (const k of f['related-risks'] ?? []) expect(risks.has(k['risk-uuid'])).toBe(true);
  });

  it('adds a JUnit suite per framework, a test case per control', () => {
    const xml = renderJUnit(result);
    const cis = result.frameworks![0]!;
    const errors = cis.controls.filter((c) => c.notAssessedReason === 'error').length;
    const skipped = cis.summary.notAssessed - errors;
    expect(xml).toContain(`<testsuite name="framework:cis-aws-foundations-v6.0.0" tests="${cis.controls.length}" failures="${cis.summary.notSatisfied}" errors="${errors}" skipped="${skipped}"`);
    expect(cis.summary.notSatisfied).toBeGreaterThan(0);
  });
});

describe('the CLI', () => {
  it('exits 2 on an unknown pack id, listing the known ones', async () => {
    const run = await runCliAsync(['scan', '--demo', '--framework', 'cis-9', '-q']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--framework "cis-9": no such framework pack; known: aws-securityhub, cis-aws-foundations-v3\.0\.0/);
  });
  it('lists the packs', async () => {
    const run = await runCliAsync(['frameworks', 'list', '--format', 'json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).find((p: Json) => p.id === 'pci-dss-v4.0')).toMatchObject({ controls: 13, manual: 1 });
  });
});
