import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/contracts/result.ts';
import type { Verdict, VerdictStatus } from '../../src/contracts/verdict.ts';
import { assessFrameworks } from '../../src/evaluate/frameworks.ts';
import { summarize } from '../../src/evaluate/gate.ts';
import { jsonReportObject, renderJsonReport } from '../../src/report/json.ts';
import { buildTrend, renderTrend, type Trend } from '../../src/report/trend/index.ts';
import type { FrameworkPack } from '../../src/rules/framework-packs.ts';
import { sampleResult } from '../fixtures/results/sample-result.ts';
import { runCliAsync } from '../cli/run-cli.ts';

/*
 * 30 daily reports, 2026-11-01 to 2026-12-01 with no report on 2026-11-25, with known changes:
 * - r1 on A fails 11-05..11-09, passes from 11-10;
 * - r1 on B fails from 11-20 to the end (still open);
 * - r2 on C fails 11-03..11-04, is ERROR 11-05..11-06 (not a fix), passes from 11-07;
 * - r2 on B fails 11-12, is suppressed by an exception from 11-13;
 * - r2 on A fails 11-15, is absent 11-16..11-17, fails again 11-18..11-19, passes from 11-20.
 * Control X (rule r1) is not satisfied 11-05..11-09 (5 days) and 11-20..12-01 (12 days, 11-25
 * carried over from 11-24): 17 days. Control Y (rule r2) is not satisfied 11-03, 11-04, 11-12,
 * 11-15, 11-18, 11-19 (6 days) and not assessed (ERROR) 11-05, 11-06 (2 days).
 */
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const OU: Record<string, string> = { [A]: 'Root/Prod', [B]: 'Root/Dev', [C]: 'Root/Dev' };
const R1 = 'cloudtrail-log-file-validation';
const R2 = 'trail-kms-encryption';
const PACK: FrameworkPack = { id: 'test-pack', title: 'Test', version: '1', source: 'test', controls: [{ id: 'X', title: 'Control X', rules: [R1] }, { id: 'Y', title: 'Control Y', rules: [R2] }] };

const DAYS: string[] = [];
for (let t = Date.parse('2026-11-01T00:00:00Z'); t <= Date.parse('2026-12-01T00:00:00Z'); t += 86_400_000) {
  const day = new Date(t).toISOString().slice(0, 10);
  if (day !== '2026-11-25') DAYS.push(day);
}
const between = (day: string, from: string, to: string) => day >= from && day <= to;

function statusOn(day: string, rule: string, account: string): VerdictStatus | 'SUPPRESSED' | 'ABSENT' {
  if (rule === R1 && account === A) return between(day, '2026-11-05', '2026-11-09') ? 'FAIL' : 'PASS';
  if (rule === R1 && account === B) return day >= '2026-11-20' ? 'FAIL' : 'PASS';
  if (rule === R2 && account === C) return between(day, '2026-11-03', '2026-11-04') ? 'FAIL' : between(day, '2026-11-05', '2026-11-06') ? 'ERROR' : 'PASS';
  if (rule === R2 && account === B) return day === '2026-11-12' ? 'FAIL' : day > '2026-11-12' ? 'SUPPRESSED' : 'PASS';
  if (rule === R2 && account === A) return day === '2026-11-15' || between(day, '2026-11-18', '2026-11-19') ? 'FAIL' : between(day, '2026-11-16', '2026-11-17') ? 'ABSENT' : 'PASS';
  return 'PASS';
}

function reportOn(day: string): ScanResult {
  const base = sampleResult();
  const rules = base.rules.filter((r) => r.id === R1 || r.id === R2);
  const verdicts: Verdict[] = [];
  for (const rule of [R1, R2]) {
    for (const account of [A, B, C]) {
      const s = statusOn(day, rule, account);
      if (s === 'ABSENT') continue;
      verdicts.push({
        ruleId: rule,
        status: s === 'SUPPRESSED' ? 'FAIL' : s,
        severity: 'high',
        message: `${rule} on ${account}`,
        evidence: { day, id: 'not-the-resource', accountId: '999999999999', ouPath: 'Root/Elsewhere' },
        resource: { type: 'account', id: account, accountId: account, ouPath: OU[account]! },
        ...(s === 'SUPPRESSED' ? { suppressed: { reason: 'accepted', approver: 'ciso', expires: '2027-01-01', exceptionId: 'exceptions[0]' } } : {}),
      });
    }
  }
  return {
    ...base,
    snapshot: { ...base.snapshot, collectedAt: `${day}T06:00:00.000Z` },
    scope: { ...base.scope, accountIds: [A, B, C] },
    accounts: [A, B, C].map((id) => ({ id, name: id, ouPath: OU[id]!, status: 'ACTIVE' })),
    rules,
    verdicts,
    errors: [],
    exceptionNotes: [],
    summary: summarize(verdicts, [], base.failOn),
    frameworks: assessFrameworks([PACK], rules, verdicts),
  };
}

let dir: string;
let trend: Trend;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trend-'));
  mkdirSync(join(dir, 'history', 'nested'), { recursive: true });
  DAYS.forEach((day, i) => {
    // Names run against time, so an order by file name would be wrong; one report is minified
    // (not the canonical layout) and one sits in a sub-folder beside an OSCAL file.
    const name = `report-${String(DAYS.length - i).padStart(2, '0')}.json`;
    const text = day === '2026-11-18' ? JSON.stringify(jsonReportObject(reportOn(day))) : renderJsonReport(reportOn(day));
    writeFileSync(join(dir, 'history', day === '2026-11-10' ? 'nested' : '', name), text);
  });
  writeFileSync(join(dir, 'history', 'nested', 'trailproof.oscal.json'), '{}');
  trend = buildTrend([join(dir, 'history')]);
});

describe('report trend over 30 daily reports', () => {
  it('orders the reports by snapshot time and spans the calendar days', () => {
    expect(trend.reports.map((r) => r.at.slice(0, 10))).toEqual(DAYS);
    expect(trend.period).toMatchObject({ days: 31, reports: 30 });
  });

  it('gives each failure its first-seen and fixed dates', () => {
    const episodes = trend.failures.map((f) => `${f.ruleId} ${f.resourceId} ${f.firstSeen.slice(0, 10)} ${f.fixed?.slice(0, 10) ?? 'open'} ${f.fixedAs ?? ''}`.trim());
    expect(episodes).toEqual([
      `${R1} ${A} 2026-11-05 2026-11-10 PASS`,
      `${R1} ${B} 2026-11-20 open`,
      `${R2} ${A} 2026-11-15 2026-11-16 absent`,
      `${R2} ${A} 2026-11-18 2026-11-20 PASS`,
      `${R2} ${B} 2026-11-12 2026-11-13 suppressed`,
      `${R2} ${C} 2026-11-03 2026-11-07 PASS`,
    ]);
  });

  it('counts the days each control was out of compliance (and not assessed)', () => {
    expect(trend.controls.map((c) => [c.controlId, c.daysOutOfCompliance, c.daysNotAssessed])).toEqual([
      ['X', 17, 0],
      ['Y', 6, 2],
    ]);
  });

  it('gives the pass rate per rule and per OU at each report', () => {
    const r1 = trend.rules.find((r) => r.id === R1)!;
    expect(r1.points.find((p) => p.at.startsWith('2026-11-05'))!.passRate).toBeCloseTo(2 / 3);
    expect(r1.points.find((p) => p.at.startsWith('2026-11-01'))!.passRate).toBe(1);
    const dev = trend.ous.find((o) => o.id === 'Root/Dev')!;
    // 11-05 in Root/Dev: r1 B PASS, r1 C PASS, r2 B PASS, r2 C ERROR → 3 of 4.
    expect(dev.points.find((p) => p.at.startsWith('2026-11-05'))!.passRate).toBe(0.75);
  });

  it('renders Markdown, an SVG chart and an HTML page that embeds it, the same bytes twice', () => {
    const md = renderTrend(trend, 'md');
    expect(md).toContain(`| test-pack | X | Control X | 17 of 31 | 0 | not satisfied |`);
    expect(md).toContain(`| ${R1} | ${B} | ${B} | 2026-11-20 | open | 11 |`);
    const svg = renderTrend(trend, 'svg');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(svg).toContain('<polyline');
    const html = renderTrend(trend, 'html');
    expect(html).toContain(svg.trimEnd());
    expect(html).not.toMatch(/<script|<link|src=/);
    expect(renderTrend(buildTrend([join(dir, 'history')]), 'svg')).toBe(svg);
  });
});

describe('report trend on bad input', () => {
  const bad = (name: string, text: string) => {
    const folder = mkdtempSync(join(tmpdir(), 'trend-bad-'));
    writeFileSync(join(folder, 'a.json'), renderJsonReport(reportOn('2026-11-01')));
    writeFileSync(join(folder, name), text);
    return folder;
  };

  it('exits 2 naming a file that is not a trailproof JSON report', async () => {
    const folder = bad('notes.json', '{"hello": 1}');
    const run = await runCliAsync(['report', 'trend', folder]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${join(folder, 'notes.json')}: not a trailproof JSON report`);
  });

  it('exits 2 naming a report of another organization', async () => {
    const other = renderJsonReport(reportOn('2026-11-02')).replace(/"organizationId": "[^"]+"/, '"organizationId": "o-someoneelse"');
    const folder = bad('b.json', other);
    const run = await runCliAsync(['report', 'trend', folder]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/b\.json: a report of organization o-someoneelse, but .*a\.json is of organization/);
  });

  it('exits 2 naming a truncated report', async () => {
    const folder = bad('b.json', renderJsonReport(reportOn('2026-11-02')).slice(0, 3000));
    const run = await runCliAsync(['report', 'trend', folder]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${join(folder, 'b.json')}:`);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('names the line of the file for a mistake after the verdicts (not of the text read without them)', async () => {
    const text = renderJsonReport(reportOn('2026-11-02'));
    const errorsAt = text.indexOf('\n  "errors": ');
    expect(errorsAt).toBeGreaterThan(0);
    const broken = `${text.slice(0, errorsAt)}\n  "errors": ,${text.slice(errorsAt + '\n  "errors": '.length)}`;
    const line = text.slice(0, errorsAt).split('\n').length + 1;
    const folder = bad('b.json', broken);
    const run = await runCliAsync(['report', 'trend', folder]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${join(folder, 'b.json')}:${line}:13: not a trailproof JSON report: invalid JSON: expected a value`);
  });

  it('writes the four files with --out', async () => {
    const out = join(dir, 'out');
    const run = await runCliAsync(['report', 'trend', join(dir, 'history'), '--out', out, '-q']);
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'trailproof-trend.json'), 'utf8')).period.reports).toBe(30);
    expect(readFileSync(join(out, 'trailproof-trend.html'), 'utf8')).toContain('<svg');
  });
});
