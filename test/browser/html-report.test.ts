/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core, with axe-core
 * injected for the accessibility check. Screenshots of the demo report (wide, 400 px, print) are
 * kept in test/artifacts/ (committed, so a reviewer sees what the page looks like).
 * Install the browser with: apt-get update && apt-get install -y chromium
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launch } from './chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVerdicts } from '../../src/contracts/order.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { countStatuses, DISPLAY_STATUSES, displayStatus, severityIndex, STATUS_LABEL } from '../../src/report/audit-common.ts';
import { renderHtml } from '../../src/report/html.ts';
import { ORGANIZATION_ROW, rowKeyOf } from '../../src/report/html/aggregate.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { loadRules } from '../../src/rules/load.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { openDemoSnapshot } from '../../src/snapshot/demo.ts';
import { PROD_ACCOUNT, SANDBOX_ACCOUNT, sampleResult } from '../fixtures/results/sample-result.ts';
import { assessFramework } from '../fixtures/results/framework-assessment.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** Where a page reports problems: console errors and warnings, page errors, requests. */
function watch(page: Page) {
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  return { problems, requests };
}

const VISIBLE = '#verdicts > tbody > tr:not([hidden])';
const ALL_ROWS = '#verdicts > tbody > tr';

/** The visible rows' identities: row key, rule, status. */
async function visibleRows(page: Page): Promise<{ row: string; rule: string; status: string }[]> {
  return page.$$eval(VISIBLE, (trs) => trs.map((tr) => ({ row: tr.getAttribute('data-row')!, rule: tr.getAttribute('data-rule')!, status: tr.getAttribute('data-status')! })));
}

const identity = (v: Verdict) => ({ row: rowKeyOf(v), rule: v.ruleId, status: displayStatus(v) });
const byIdentity = (a: { row: string; rule: string; status: string }, b: { row: string; rule: string; status: string }) =>
  `${a.row}|${a.rule}|${a.status}`.localeCompare(`${b.row}|${b.rule}|${b.status}`);

/** The reading order the list promises: status (FAIL, ERROR, SUPPRESSED, PASS, N/A), then severity, then canonical. */
const readingOrder = (a: Verdict, b: Verdict) =>
  DISPLAY_STATUSES.indexOf(displayStatus(a)) - DISPLAY_STATUSES.indexOf(displayStatus(b)) || severityIndex(a.severity) - severityIndex(b.severity) || compareVerdicts(a, b);

/** The sample plus a second trail in the prod account (one cell, two verdicts) and a framework. */
function richSample(): ScanResult {
  const base = sampleResult();
  const kmsFail = [...base.verdicts].find((v) => v.ruleId === 'trail-kms-encryption' && v.resource.accountId === PROD_ACCOUNT)!;
  const second: Verdict = {
    ...kmsFail,
    status: 'PASS',
    message: 'the trail encrypts with a customer managed key',
    resource: { ...kmsFail.resource, id: `arn:aws:cloudtrail:us-east-1:${PROD_ACCOUNT}:trail/second`, arn: `arn:aws:cloudtrail:us-east-1:${PROD_ACCOUNT}:trail/second`, name: 'second' },
  };
  const result = sampleResult({ verdicts: [...base.verdicts, second].sort(compareVerdicts) });
  return { ...result, frameworks: [assessFramework(result, 'cis-aws-foundations-v3.0.0', { controlId: '3.10', title: 'Ensure logs are reviewed', check: 'a person reviews the CloudTrail logs weekly' })] };
}

describe('HTML report in Chromium', () => {
  const result = richSample();
  const verdicts = [...result.verdicts];
  const findings = verdicts.filter((v) => ['FAIL', 'ERROR', 'SUPPRESSED'].includes(displayStatus(v)));
  let browser: Browser;
  let page: Page;
  let watched: ReturnType<typeof watch>;
  let fileUrl: string;

  beforeAll(async () => {
    browser = await launch();
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = `${ARTIFACTS}html-report.html`;
    writeFileSync(file, renderHtml(result));
    fileUrl = pathToFileURL(file).href;
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    watched = watch(page);
    await page.goto(fileUrl, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads from a file:// URL without console errors or network requests, showing the findings', async () => {
    expect(await page.title()).toContain('trailproof report');
    expect(watched.problems).toEqual([]);
    expect(watched.requests).toEqual([fileUrl]);
    // The inline script ran (the CSP hash matched): it filled in the live count.
    expect(await page.textContent('#shown')).toBe(`${findings.length} of ${verdicts.length} verdicts shown`);
  });

  it('lists failures first, then errors, then suppressed failures; passing rows only when asked', async () => {
    const expected = [...findings].sort(readingOrder).map(identity);
    expect(await visibleRows(page)).toEqual(expected);
    await page.selectOption('select[name=status]', '');
    expect(await visibleRows(page)).toEqual([...verdicts].sort(readingOrder).map(identity));
    await page.click('button[type=reset]');
    await expect.poll(() => page.locator(VISIBLE).count()).toBe(findings.length);
  });

  it('shows the right counts in every matrix cell', async () => {
    const groups = new Map<string, Verdict[]>();
    for (const v of verdicts) {
      const key = `${rowKeyOf(v)}|${v.ruleId}`;
      groups.set(key, [...(groups.get(key) ?? []), v]);
    }
    const cells = page.locator('#matrix td.cell:not(.empty)');
    expect(await cells.count()).toBe(groups.size);
    for (const [key, list] of groups) {
      const [row, rule] = key.split('|') as [string, string];
      const cell = page.locator(`#matrix tr[data-account="${row}"] td[data-rule="${rule}"]`);
      const counts = countStatuses(list);
      const expected = list.length === 1 ? [STATUS_LABEL[DISPLAY_STATUSES.find((s) => counts[s] > 0)!]] : DISPLAY_STATUSES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${STATUS_LABEL[s]}`);
      expect(await cell.locator('.part').allTextContents(), key).toEqual(expected);
    }
    const shared = page.locator(`#matrix tr[data-account="${PROD_ACCOUNT}"] td[data-rule="trail-kms-encryption"]`);
    expect(await shared.locator('.part').allTextContents()).toEqual(['1 FAIL', '1 PASS']);
    expect(await shared.getAttribute('class')).toContain('s-FAIL');
    expect(await page.locator(`#matrix tr[data-account="${ORGANIZATION_ROW}"] td[data-rule="organization-trail-exists"] .part`).textContent()).toBe('FAIL');
  });

  it('filters verdict rows by status, text and OU, and resets', async () => {
    const openFails = verdicts.filter((v) => v.status === 'FAIL' && !v.suppressed).length;
    await page.selectOption('select[name=status]', 'FAIL');
    expect(await page.locator(VISIBLE).count()).toBe(openFails);
    expect(await page.locator(ALL_ROWS).count()).toBe(verdicts.length);
    expect(await page.textContent('#shown')).toBe(`${openFails} of ${verdicts.length} verdicts shown`);
    await page.fill('input[name=q]', 'customer-data');
    expect(await page.locator(VISIBLE).count()).toBe(1);
    expect(await page.locator(VISIBLE).first().getAttribute('data-rule')).toBe('s3-pii-data-events');
    await page.click('button[type=reset]');
    await expect.poll(() => page.locator(VISIBLE).count()).toBe(findings.length);
    await page.selectOption('select[name=status]', '');
    await page.selectOption('select[name=ou]', 'Root/Sandbox');
    expect(await page.locator(VISIBLE).count()).toBe(verdicts.filter((v) => v.resource.ouPath === 'Root/Sandbox').length);
    expect(await page.locator('#matrix > tbody > tr:not([hidden])').count()).toBe(1);
    await page.click('button[type=reset]');
  });

  it('filters to exactly the account × rule of a matrix cell, for every cell', async () => {
    const cells = await page.$$eval('#matrix td.cell:not(.empty)', (tds) => tds.map((td) => ({ row: td.getAttribute('data-account')!, rule: td.getAttribute('data-rule')! })));
    expect(cells.length).toBeGreaterThan(5);
    for (const { row, rule } of cells) {
      await page.click(`#matrix tr[data-account="${row}"] td[data-rule="${rule}"] a`);
      const expected = verdicts.filter((v) => rowKeyOf(v) === row && v.ruleId === rule).map(identity).sort(byIdentity);
      expect((await visibleRows(page)).sort(byIdentity), `${row} × ${rule}`).toEqual(expected);
    }
    await page.click(`#matrix tr[data-account="${PROD_ACCOUNT}"] td[data-rule="trail-kms-encryption"] a`);
    expect(await page.locator(VISIBLE).count()).toBe(2);
    expect(await page.inputValue('select[name=rule]')).toBe('trail-kms-encryption');
    expect(await page.inputValue('select[name=row]')).toBe(PROD_ACCOUNT);
    await page.click('button[type=reset]');
  });

  it('drills down to all verdicts of an account, and to the rules of a framework control', async () => {
    await page.click(`#matrix tr[data-account="${SANDBOX_ACCOUNT}"] th a`);
    expect((await visibleRows(page)).sort(byIdentity)).toEqual(verdicts.filter((v) => rowKeyOf(v) === SANDBOX_ACCOUNT).map(identity).sort(byIdentity));
    const framework = result.frameworks![0]!;
    const control = framework.controls.find((c) => c.rules.length > 1) ?? framework.controls.find((c) => c.rules.length > 0)!;
    const row = page.locator(`[id="fw-${framework.id}"] + ul + .table-wrap tr[data-control="${control.controlId}"]`);
    expect(await row.locator('.badge').textContent()).toBe({ satisfied: 'Satisfied', 'not-satisfied': 'Not satisfied', 'not-assessed': 'Not assessed' }[control.status]);
    await row.locator('th a').click();
    expect((await visibleRows(page)).sort(byIdentity)).toEqual(verdicts.filter((v) => control.rules.includes(v.ruleId)).map(identity).sort(byIdentity));
    const manual = page.locator('table.controls tr[data-control-status="not-assessed"]', { hasText: 'Ensure logs are reviewed' });
    expect(await manual.textContent()).toContain('manual check');
    await page.click('button[type=reset]');
  });

  it('shows evidence as key/value tables with the raw JSON behind a toggle', async () => {
    await page.click('button[type=reset]');
    await page.selectOption('select[name=rule]', 's3-pii-data-events');
    const row = page.locator(VISIBLE).first();
    const evidence = verdicts.find((v) => v.ruleId === 's3-pii-data-events' && displayStatus(v) === 'FAIL')!.evidence;
    // The page carries the evidence once, as compact JSON; the tables are built when the toggle opens.
    expect(JSON.parse((await row.locator('details.evidence pre.ev-data').textContent())!)).toEqual(evidence);
    expect(await row.locator('details.evidence table.kv').count()).toBe(0);
    await row.locator('details.evidence > summary').click();
    const table = row.locator('details.evidence table.kv').first();
    await table.waitFor({ timeout: 10_000 });
    expect(await row.locator('details.evidence pre.ev-data').count()).toBe(0);
    expect(await table.isVisible()).toBe(true);
    const raw = row.locator('details.raw pre');
    expect(await raw.isVisible()).toBe(false);
    await row.locator('details.raw > summary').click();
    expect(JSON.parse((await raw.textContent())!)).toEqual(evidence);
    for (const key of Object.keys(evidence as object)) expect(await table.locator(`th:text-is("${key}")`).count(), key).toBeGreaterThan(0);
    await page.click('button[type=reset]');
  });

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('section[aria-labelledby="h-frameworks"]').screenshot({ path: `${ARTIFACTS}html-report-frameworks.png` });
  });
});

describe('HTML report of the demo organization in Chromium', () => {
  let browser: Browser;
  let demo: ScanResult;
  let fileUrl: string;

  beforeAll(async () => {
    browser = await launch();
    const config = structuredClone(DEFAULT_CONFIG);
    demo = await evaluateSnapshot(await openDemoSnapshot(), { config, rules: await loadRules(['builtin'], config) });
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = `${ARTIFACTS}html-report-demo.html`;
    writeFileSync(file, renderHtml(demo));
    fileUrl = pathToFileURL(file).href;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders the demo scan with its counts and one matrix row per account, and a wide screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const { problems } = watch(page);
    await page.goto(fileUrl, { waitUntil: 'load' });
    expect(problems).toEqual([]);
    const tile = (status: string) => page.locator(`ul.counts li.s-${status} strong`).textContent();
    expect(await tile('FAIL')).toBe(String(demo.summary.counts.FAIL - demo.summary.counts.suppressed));
    expect(await tile('PASS')).toBe(String(demo.summary.counts.PASS));
    expect(await tile('ERROR')).toBe(String(demo.summary.counts.ERROR));
    const rows = new Set([...demo.verdicts].map(rowKeyOf));
    expect(await page.locator('#matrix > tbody > tr').count()).toBe(rows.size);
    expect(await page.locator(ALL_ROWS).count()).toBe(demo.verdicts.length);
    await page.screenshot({ path: `${ARTIFACTS}html-report-wide.png` });
    await page.close();
  });

  it('a cell click lists exactly that account × rule: management × cloudtrail-bucket-access-logging is one verdict, not every message naming the trail', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(fileUrl, { waitUntil: 'load' });
    const management = demo.snapshot.managementAccountId!;
    await page.click(`#matrix tr[data-account="${management}"] td[data-rule="cloudtrail-bucket-access-logging"] a`);
    const expected = [...demo.verdicts].filter((v) => rowKeyOf(v) === management && v.ruleId === 'cloudtrail-bucket-access-logging');
    expect(expected).toHaveLength(1);
    expect(await page.locator(VISIBLE).count()).toBe(1);
    expect(await visibleRows(page)).toEqual(expected.map(identity));
    const cells = await page.$$eval('#matrix td.cell:not(.empty)', (tds) => tds.map((td) => ({ row: td.getAttribute('data-account')!, rule: td.getAttribute('data-rule')! })));
    for (const { row, rule } of cells) {
      await page.click(`#matrix tr[data-account="${row}"] td[data-rule="${rule}"] a`);
      const want = [...demo.verdicts].filter((v) => rowKeyOf(v) === row && v.ruleId === rule).map(identity).sort(byIdentity);
      expect((await visibleRows(page)).sort(byIdentity), `${row} × ${rule}`).toEqual(want);
    }
    await page.close();
  }, 120_000);

  it('is usable at 400 px: no sideways scrolling of the page, one card per verdict, no serious axe violation', async () => {
    const page = await browser.newPage({ viewport: { width: 400, height: 900 } });
    await page.goto(fileUrl, { waitUntil: 'load' });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(400);
    const card = page.locator(VISIBLE).first();
    expect(await card.evaluate((tr) => tr.ownerDocument.defaultView!.getComputedStyle(tr).display)).toBe('block');
    const box = (await card.locator('td.msg').boundingBox())!;
    // The message takes the card's width (the old table left it ~90 px).
    expect(box.width).toBeGreaterThan(300);
    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate("document.getElementById('h-verdicts').scrollIntoView()");
    await page.screenshot({ path: `${ARTIFACTS}html-report-400.png` });
    await page.close();
  });

  it('prints: no controls, the matrix unclipped, evidence opened, rows kept whole', async () => {
    const page = await browser.newPage({ viewport: { width: 794, height: 1123 } });
    await page.goto(fileUrl, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    await page.evaluate("window.dispatchEvent(new Event('beforeprint'))");
    const style = (selector: string, property: string) => page.locator(selector).first().evaluate((el, p) => el.ownerDocument.defaultView!.getComputedStyle(el).getPropertyValue(p), property);
    expect(await style('form#filters label', 'display')).toBe('none');
    expect(await style('nav.toc', 'display')).toBe('none');
    expect(await style('.matrix-wrap', 'overflow-y')).toBe('visible');
    expect(await style('.matrix-wrap', 'max-height')).toBe('none');
    expect(await style('#matrix thead th', 'position')).toBe('static');
    expect(await style(`${VISIBLE}`, 'break-inside')).toBe('avoid');
    expect(await style('details.raw', 'display')).toBe('none');
    // Account names in the narrowed matrix wrap between words, never inside one.
    const lines = await page.$$eval('#matrix th[scope=row] > a', (links) => links.map((a) => [a.textContent, a.getClientRects().length] as const));
    for (const [name, count] of lines) expect(count, `${name} is on one line`).toBe(1);
    // The matrix fits the paper's width instead of being cut at the right edge.
    expect((await page.locator('#matrix').boundingBox())!.width).toBeLessThanOrEqual(794);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(794);
    expect(await page.locator(`${VISIBLE} details.evidence:not([open])`).count()).toBe(0);
    // Every piece of evidence is printed as tables, not as the compact JSON it arrives in.
    expect(await page.locator('pre.ev-data').count()).toBe(0);
    expect(await page.locator(`${VISIBLE} details.evidence table.kv`).count()).toBeGreaterThan(0);
    // What is printed is what the filter shows, and the page says so.
    expect(await page.locator('#shown').isVisible()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}html-report-print.png` });
    await page.close();
  });
});
