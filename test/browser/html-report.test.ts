/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core.
 * Install the browser with: apt-get update && apt-get install -y chromium
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStatuses, DISPLAY_STATUSES, STATUS_LABEL } from '../../src/report/audit-common.ts';
import { renderHtml } from '../../src/report/html.ts';
import { ORGANIZATION_ROW, rowKeyOf } from '../../src/report/html/matrix.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { PROD_ACCOUNT, sampleResult } from '../fixtures/results/sample-result.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { loadRules } from '../../src/rules/load.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { openDemoSnapshot } from '../../src/snapshot/demo.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** The sample plus a second trail in the prod account, so one cell holds several verdicts. */
function resultWithSharedCell() {
  const base = sampleResult();
  const kmsFail = [...base.verdicts].find((v) => v.ruleId === 'trail-kms-encryption' && v.resource.accountId === PROD_ACCOUNT)!;
  const second: Verdict = {
    ...kmsFail,
    status: 'PASS',
    message: 'the trail encrypts with a customer managed key',
    resource: { ...kmsFail.resource, id: `arn:aws:cloudtrail:us-east-1:${PROD_ACCOUNT}:trail/second`, arn: `arn:aws:cloudtrail:us-east-1:${PROD_ACCOUNT}:trail/second`, name: 'second' },
  };
  return sampleResult({ verdicts: [...base.verdicts, second] });
}

describe('HTML report in Chromium', () => {
  const result = resultWithSharedCell();
  let browser: Browser;
  let page: Page;
  const consoleProblems: string[] = [];
  const requests: string[] = [];
  let fileUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: the HTML report test needs Debian's chromium. Install it with: apt-get update && apt-get install -y chromium`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = `${ARTIFACTS}html-report.html`;
    writeFileSync(file, renderHtml(result));
    fileUrl = pathToFileURL(file).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(fileUrl, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads from a file:// URL without console errors or network requests', async () => {
    expect(await page.title()).toContain('trailproof report');
    expect(consoleProblems).toEqual([]);
    expect(requests).toEqual([fileUrl]);
    // The inline script ran (the CSP hash matched): it filled in the live count.
    expect(await page.textContent('#shown')).toBe(`${result.verdicts.length} of ${result.verdicts.length} verdicts shown`);
  });

  it('shows the right counts in every matrix cell', async () => {
    const groups = new Map<string, Verdict[]>();
    for (const v of result.verdicts) {
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
    const rows = page.locator('#verdicts tbody tr');
    const visible = page.locator('#verdicts tbody tr:not([hidden])');
    const openFails = [...result.verdicts].filter((v) => v.status === 'FAIL' && !v.suppressed).length;
    await page.selectOption('select[name=status]', 'FAIL');
    expect(await visible.count()).toBe(openFails);
    expect(await rows.count()).toBe(result.verdicts.length);
    expect(await page.textContent('#shown')).toBe(`${openFails} of ${result.verdicts.length} verdicts shown`);
    await page.fill('input[name=q]', 'customer-data');
    expect(await visible.count()).toBe(1);
    expect(await visible.first().getAttribute('data-rule')).toBe('s3-pii-data-events');
    await page.click('button[type=reset]');
    await expect.poll(() => visible.count()).toBe(result.verdicts.length);
    await page.selectOption('select[name=ou]', 'Root/Sandbox');
    expect(await visible.count()).toBe([...result.verdicts].filter((v) => v.resource.ouPath === 'Root/Sandbox').length);
    expect(await page.locator('#matrix tbody tr:not([hidden])').count()).toBe(1);
    await page.click('button[type=reset]');
  });

  it('filters to a matrix cell when it is clicked', async () => {
    await page.click(`#matrix tr[data-account="${PROD_ACCOUNT}"] td[data-rule="trail-kms-encryption"] a`);
    const visible = page.locator('#verdicts tbody tr:not([hidden])');
    expect(await visible.count()).toBe(2);
    expect(await page.inputValue('select[name=rule]')).toBe('trail-kms-encryption');
    await page.click('button[type=reset]');
  });

  it('saves a screenshot as a test artifact', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    const path = `${ARTIFACTS}html-report.png`;
    await page.screenshot({ path, fullPage: true });
    expect(existsSync(path)).toBe(true);
  });
});

describe('HTML report of the demo organization in Chromium', () => {
  let browser: Browser;

  afterAll(async () => {
    await browser?.close();
  });

  it('renders the demo scan with its counts, one matrix row per account, no console error, and a screenshot', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
    const config = structuredClone(DEFAULT_CONFIG);
    const demo = await evaluateSnapshot(await openDemoSnapshot(), { config, rules: await loadRules(['builtin'], config) });
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = `${ARTIFACTS}html-report-demo.html`;
    writeFileSync(file, renderHtml(demo));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(problems).toEqual([]);
    const tile = (status: string) => page.locator(`ul.counts li.s-${status} strong`).textContent();
    expect(await tile('FAIL')).toBe(String(demo.summary.counts.FAIL - demo.summary.counts.suppressed));
    expect(await tile('PASS')).toBe(String(demo.summary.counts.PASS));
    expect(await tile('ERROR')).toBe(String(demo.summary.counts.ERROR));
    const accountsWithVerdicts = new Set([...demo.verdicts].filter((v) => v.resource.type !== 'organization').map((v) => v.resource.accountId));
    expect(await page.locator('#matrix tbody tr').count()).toBe(accountsWithVerdicts.size);
    expect(await page.locator('#verdicts tbody tr').count()).toBe(demo.verdicts.length);
    await page.screenshot({ path: `${ARTIFACTS}html-report-demo.png`, fullPage: false });
    expect(existsSync(`${ARTIFACTS}html-report-demo.png`)).toBe(true);
  }, 60_000);
});
