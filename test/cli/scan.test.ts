import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli } from './run-cli.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'trailproof-cli-'));

describe('trailproof scan --demo', () => {
  it('writes JSON and SARIF, exits with the documented code, and repeats byte for byte', () => {
    const a = tmp();
    const b = tmp();
    const first = runCli(['scan', '--demo', '--out', a, '--format', 'json,sarif']);
    const second = runCli(['scan', '--demo', '--out', b, '--format', 'json,sarif']);
    expect(first.stderr).toBe('');
    const report = JSON.parse(readFileSync(join(a, 'trailproof.json'), 'utf8'));
    // The demo is built to fail: a gating FAIL means exit 1 (1 wins over partial evidence's 3).
    expect(report.summary.gatingFailures).toBeGreaterThan(0);
    expect(first.status).toBe(1);
    expect(report.summary.exitCode).toBe(1);
    for (const f of ['trailproof.json', 'trailproof.sarif']) {
      expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f)))).toBe(true);
    }
    expect(second.stdout.replace(/in [\d.]+ s/, '')).toBe(first.stdout.replace(/in [\d.]+ s/, '').replaceAll(a, b));
    // Every verdict status and every builtin rule is represented in the demo.
    const statuses = new Set(report.verdicts.map((v: { status: string }) => v.status));
    expect([...statuses].sort()).toEqual(['ERROR', 'FAIL', 'NOT_APPLICABLE', 'PASS']);
    expect(report.snapshot.collectedAt).toBe('2026-11-02T09:00:00.000Z');
  });

  it('exits 0 when nothing at or above --fail-on fails and the evidence is complete', () => {
    const out = tmp();
    // Only the organization-level facts of a tiny snapshot: a rule pack with one rule that passes.
    const rules = join(out, 'rules');
    mkdirSync(rules);
    writeFileSync(
      join(rules, 'org-has-id.yaml'),
      ['id: org-has-id', 'title: The organization is known', 'severity: low', 'resource: organization', 'validations:', '  - expression: organization.id.startsWith("o-")', 'remediation: none'].join('\n'),
    );
    // A config of its own: the shipped config.yaml sets params of built-in rules, which this pack does not load.
    writeFileSync(join(out, 'config.yaml'), 'output:\n  failOn: high\n');
    const r = runCli(['scan', '--demo', '--rules', rules, '--config', join(out, 'config.yaml'), '--out', out, '--format', 'json']);
    const report = JSON.parse(readFileSync(join(out, 'trailproof.json'), 'utf8'));
    expect(report.verdicts.map((v: { status: string }) => v.status)).toEqual(['PASS']);
    // The demo records collection errors (a denied AssumeRole), so the evidence is partial: 3.
    expect(report.errors.length).toBeGreaterThan(0);
    expect(r.status).toBe(3);
  });

  it('--fail-on critical lets high failures through (exit 3: partial evidence remains)', () => {
    const out = tmp();
    const r = runCli(['scan', '--demo', '--out', out, '--format', 'json', '--fail-on', 'critical']);
    expect(r.status).toBe(3);
  });
});

describe('bad input: exit 2, the file and position, no stack trace', () => {
  const expectUserError = (r: { status: number; stderr: string }, ...fragments: (string | RegExp)[]) => {
    expect(r.status).toBe(2);
    for (const f of fragments) expect(r.stderr).toMatch(f);
    expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  };

  it('a rule with invalid YAML', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.yaml'), 'id: bad\ntitle: [unclosed\n');
    expectUserError(runCli(['scan', '--demo', '--rules', dir, '--out', dir]), /bad\.yaml:\d+:\d+: invalid YAML/);
  });

  it('a rule with an unknown field', () => {
    const dir = tmp();
    copyFileSync(join(REPO, 'rules/cloudtrail-log-file-validation.yaml'), join(dir, 'cloudtrail-log-file-validation.yaml'));
    writeFileSync(join(dir, 'cloudtrail-log-file-validation.yaml'), `${readFileSync(join(dir, 'cloudtrail-log-file-validation.yaml'), 'utf8')}\nseverty: high\n`);
    expectUserError(runCli(['rules', 'validate', dir]), /cloudtrail-log-file-validation\.yaml:\d+:1: .*unknown field "severty"/);
  });

  it('a rule with a CEL syntax error names line and column inside the expression', () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'cel-broken.yaml'),
      ['id: cel-broken', 'title: t', 'severity: low', 'resource: account', 'validations:', '  - expression: account.trails.exists(t, t.isLogging &&)', 'remediation: r'].join('\n'),
    );
    expectUserError(runCli(['rules', 'validate', dir]), /cel-broken\.yaml:6:\d+: invalid CEL/);
  });

  it('a rule whose CEL references a variable it never declared', () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'cel-undeclared.yaml'),
      ['id: cel-undeclared', 'title: t', 'severity: low', 'resource: account', 'validations:', '  - expression: variables.lacking.size() == 0', 'remediation: r'].join('\n'),
    );
    expectUserError(runCli(['scan', '--demo', '--rules', dir, '--out', dir]), /cel-undeclared\.yaml:6:\d+:.*lacking/);
  });

  it('a malformed config', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.yaml'), 'output:\n  failOn: severe\nscope:\n  regions: [us-east-1]\n');
    expectUserError(runCli(['scan', '--demo', '--config', join(dir, 'config.yaml'), '--out', dir]), /config\.yaml:2:\d+: invalid config: output\.failOn: expected one of/);
  });

  it('a config with an unknown field', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.yaml'), 'organisation:\n  memberRoleName: x\n');
    expectUserError(runCli(['scan', '--demo', '--config', join(dir, 'config.yaml'), '--out', dir]), /config\.yaml:1:1: invalid config: unknown field "organisation"/);
  });

  it('a malformed snapshot names the file, line and JSON path', () => {
    const dir = tmp();
    const lines = readFileSync(join(REPO, 'examples/demo-org.snapshot.jsonl'), 'utf8').split('\n');
    const record = JSON.parse(lines[2]!);
    record.regions[0].trails = { value: 'not a list' };
    lines[2] = JSON.stringify(record);
    writeFileSync(join(dir, 'snap.jsonl'), lines.join('\n'));
    expectUserError(runCli(['scan', '--snapshot', join(dir, 'snap.jsonl'), '--out', dir]), /snap\.jsonl:3: \/regions\/0\/trails/);
  });

  it('an unknown format and a missing snapshot file', () => {
    const dir = tmp();
    expectUserError(runCli(['scan', '--demo', '--out', dir, '--format', 'pdf']), /unknown format "pdf"/);
    expectUserError(runCli(['evaluate', join(dir, 'missing.jsonl')]), /missing\.jsonl/);
  });
});
