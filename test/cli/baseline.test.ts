import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { miniOrg } from '../fixtures/mini-org.ts';
import { runCli } from './run-cli.ts';

interface JsonVerdict {
  ruleId: string;
  status: string;
  resource: { id: string };
  suppressed?: unknown;
}
interface SarifResult {
  ruleId: string;
  baselineState?: string;
  properties: { resourceId: string; verdict: string };
}

const dir = mkdtempSync(join(tmpdir(), 'trailproof-baseline-'));
const key = (ruleId: string, resourceId: string) => `${ruleId} ${resourceId}`;
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const failing = (file: string) =>
  new Set(readJson<{ verdicts: JsonVerdict[] }>(file).verdicts.filter((v) => v.status === 'FAIL' && !v.suppressed).map((v) => key(v.ruleId, v.resource.id)));

function configFile(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/**
 * Two configurations of the demo that differ in one FAIL each way: the baseline accepts any
 * validating trail (so account 101010101010 passes log-file-validation), the current run accepts
 * GOVERNANCE Object Lock (so 666666666666 passes bucket-object-lock).
 */
const baselineConfig = configFile('baseline.yaml', 'rules:\n  params:\n    cloudtrail-log-file-validation: { require: any }\n');
const currentConfig = configFile('current.yaml', 'rules:\n  params:\n    cloudtrail-bucket-object-lock: { modes: [COMPLIANCE, GOVERNANCE] }\n');
const NEW_FAILURE = key('cloudtrail-log-file-validation', '101010101010');
const FIXED_FAILURE = key('cloudtrail-bucket-object-lock', '666666666666');

// Each case runs the CLI two to five times, one run after another: 18 s measured for five runs with
// the machine's 2 cores at load 12 (one run alone up to 8.7 s there), against the default 30 s.
const CLI_RUNS = { timeout: 90_000 };

describe('scan --baseline on the demo organization', CLI_RUNS, () => {
  const oldDir = join(dir, 'old');
  const newDir = join(dir, 'new');
  let gated: ReturnType<typeof runCli>;

  beforeAll(() => {
    expect(runCli(['scan', '--demo', '--config', baselineConfig, '--out', oldDir, '--format', 'json', '-q']).stderr).toBe('');
    gated = runCli([
      'scan', '--demo', '--config', currentConfig, '--out', newDir, '--format', 'json,sarif', '-q',
      '--baseline', join(oldDir, 'trailproof.json'), '--fail-on', 'medium', '--fail-on-new',
    ]);
  }, 60_000); // two scans of the demo in child processes: seconds each on a busy machine

  it('the two configurations differ by exactly one new and one fixed failure', () => {
    const before = failing(join(oldDir, 'trailproof.json'));
    const after = failing(join(newDir, 'trailproof.json'));
    expect([...after].filter((k) => !before.has(k))).toEqual([NEW_FAILURE]);
    expect([...before].filter((k) => !after.has(k))).toEqual([FIXED_FAILURE]);
  });

  it('marks SARIF baselineState: new, absent, and unchanged for every failure both runs share', () => {
    const sarif = readJson<{ runs: { results: SarifResult[] }[] }>(join(newDir, 'trailproof.sarif'));
    const results = sarif.runs[0]!.results;
    const byState = (state: string) => results.filter((r) => r.baselineState === state).map((r) => key(r.ruleId, r.properties.resourceId));
    expect(byState('new')).toEqual([NEW_FAILURE]);
    expect(byState('absent')).toEqual([FIXED_FAILURE]);
    const shared = [...failing(join(newDir, 'trailproof.json'))].filter((k) => k !== NEW_FAILURE);
    expect(shared.length).toBeGreaterThan(10);
    for (const k of shared) expect(byState('unchanged'), k).toContain(k);
    expect(results.every((r) => r.baselineState !== undefined)).toBe(true);
  });

  it('--fail-on-new exits 1 for the one new failure at or above --fail-on', () => {
    expect(gated.stderr).toBe('');
    expect(gated.status).toBe(1);
    const summary = readJson<{ summary: { gatingFailures: number } }>(join(newDir, 'trailproof.json')).summary;
    expect(summary.gatingFailures).toBe(1);
  });

  it('--fail-on-new with nothing new no longer fails the gate (3: the demo is partial evidence), where the plain gate says 1', () => {
    const out = join(dir, 'same');
    const baseline = join(newDir, 'trailproof.json');
    const plain = runCli(['scan', '--demo', '--config', currentConfig, '--out', out, '--format', 'json', '-q', '--fail-on', 'medium']);
    expect(plain.status).toBe(1);
    const onlyNew = runCli(['scan', '--demo', '--config', currentConfig, '--out', out, '--format', 'json', '-q', '--fail-on', 'medium', '--baseline', baseline, '--fail-on-new']);
    expect(onlyNew.status).toBe(3);
  });

  it('report diff lists the new and the fixed failure and exits 1 because one is new', () => {
    const asJson = runCli(['report', 'diff', join(oldDir, 'trailproof.json'), join(newDir, 'trailproof.json'), '--format', 'json']);
    expect(asJson.status).toBe(1);
    const diff = JSON.parse(asJson.stdout) as Record<'new' | 'fixed' | 'unchanged', { ruleId: string; resourceId: string; newStatus: string }[]>;
    expect(diff.new.map((e) => key(e.ruleId, e.resourceId))).toEqual([NEW_FAILURE]);
    expect(diff.fixed.map((e) => [key(e.ruleId, e.resourceId), e.newStatus])).toEqual([[FIXED_FAILURE, 'PASS']]);
    expect(diff.unchanged.length).toBe(failing(join(newDir, 'trailproof.json')).size - 1);

    const text = runCli(['report', 'diff', join(oldDir, 'trailproof.json'), join(newDir, 'trailproof.json')]);
    expect(text.stdout).toMatch(/\n {2}medium +cloudtrail-log-file-validation +.*101010101010/);
    expect(runCli(['report', 'diff', join(newDir, 'trailproof.json'), join(newDir, 'trailproof.json')]).status).toBe(0);
  });
});

describe('scan --fail-on-new exit codes on complete evidence', CLI_RUNS, () => {
  // A small organization with no collection errors and one organization-level rule, so nothing
  // is partial and the exit code is the gate alone.
  const snapshot = join(dir, 'mini.snapshot.jsonl');
  const rules = join(dir, 'rules');
  const prefix = (p: string) => configFile(`prefix-${p}.yaml`, `rules:\n  params:\n    org-id-prefix: { prefix: "${p}" }\n`);
  const scan = (config: string, out: string, extra: string[] = []) =>
    runCli(['scan', '--snapshot', snapshot, '--rules', rules, '--config', config, '--out', join(dir, out), '--format', 'json', '-q', ...extra]);

  beforeAll(() => {
    const { header, accounts } = miniOrg().snapshot();
    writeFileSync(snapshot, [header, ...accounts].map((line) => JSON.stringify(line)).join('\n') + '\n');
    mkdirSync(rules, { recursive: true });
    writeFileSync(
      join(rules, 'org-id-prefix.yaml'),
      [
        'id: org-id-prefix',
        'title: The organization id has the expected prefix',
        'severity: high',
        'resource: organization',
        'params: { prefix: { type: string, default: "o-", description: expected start of the organization id } }',
        'validations:',
        '  - expression: organization.id.startsWith(params.prefix)',
        '    messageExpression: \'"organization " + organization.id + " does not start with " + params.prefix\'',
        'remediation: none',
      ].join('\n'),
    );
  });

  it('0 when the only failure was already in the baseline, 1 when it is new, 2 without a baseline', () => {
    expect(scan(prefix('o-'), 'pass').status).toBe(0);
    const failed = scan(prefix('x-'), 'fail');
    expect(failed.status).toBe(1);

    const known = scan(prefix('x-'), 'known', ['--baseline', join(dir, 'fail', 'trailproof.json'), '--fail-on-new']);
    expect(known.stderr).toBe('');
    expect(known.status).toBe(0);
    const regression = scan(prefix('x-'), 'regression', ['--baseline', join(dir, 'pass', 'trailproof.json'), '--fail-on-new']);
    expect(regression.status).toBe(1);

    const noBaseline = scan(prefix('x-'), 'none', ['--fail-on-new']);
    expect(noBaseline.status).toBe(2);
    expect(noBaseline.stderr).toMatch(/--fail-on-new needs --baseline/);
  });
});
