/**
 * A 10,000-account organization's HTML report in Chromium: the paged layout (summary, accounts
 * pages, verdict pages) loads and filters. Waits have timeouts of a few seconds; nothing is timed.
 * The organization comes from the benchmark's generator, evaluated like `trailproof scan`.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { HTML_LAYOUT } from '../../src/report/html.ts';
import { writeReports } from '../../src/report/write.ts';
import { loadRules } from '../../src/rules/load.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import { generateOrg } from '../bench/generate-org.ts';
import { writeSyntheticSnapshot } from '../bench/org-snapshot.ts';
import { axeViolations, launch } from './chromium.ts';
import { rowKeyOf } from '../../src/report/html/aggregate.ts';

const ACCOUNTS = 10_000;
/** "Within a few seconds": every wait gives up after this long. */
const FEW_SECONDS = 10_000;

describe(`HTML report of a ${ACCOUNTS}-account organization in Chromium`, () => {
  let dir: string;
  let result: ScanResult;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trailproof-html-10k-'));
    const snapshot = join(dir, 'org.snapshot.jsonl.gz');
    await writeSyntheticSnapshot(generateOrg({ accounts: ACCOUNTS }), snapshot);
    result = await evaluateSnapshot(await openSnapshot(snapshot), { config: DEFAULT_CONFIG, rules: await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG) });
    await writeReports(result, ['html'], join(dir, 'reports'));
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const url = (path: string) => pathToFileURL(join(dir, 'reports', path)).href;
  const visible = () => page.locator('#verdicts > tbody > tr:not([hidden])');

  it('is paged: a summary page plus pages no larger than the layout allows', () => {
    expect(result.verdicts.length).toBeGreaterThan(HTML_LAYOUT.singlePageMaxVerdicts);
    const pages = readdirSync(join(dir, 'reports', HTML_LAYOUT.folder));
    const rows = new Set([...result.verdicts].map(rowKeyOf)).size;
    expect(rows).toBeGreaterThan(ACCOUNTS * 0.9);
    expect(pages.filter((p) => p.startsWith('accounts-'))).toHaveLength(Math.ceil(rows / HTML_LAYOUT.accountsPerPage));
    expect(pages.some((p) => /\.fail-001\.html$/.test(p))).toBe(true);
    expect(existsSync(join(dir, 'reports', 'trailproof.html'))).toBe(true);
  });

  it('loads the summary with the counts and the rules failures first', async () => {
    await page.goto(url('trailproof.html'), { waitUntil: 'load', timeout: FEW_SECONDS });
    expect(problems).toEqual([]);
    expect(await page.locator('ul.counts li.s-FAIL strong').textContent()).toBe(String(result.summary.counts.FAIL - result.summary.counts.suppressed));
    const fails = await page.$$eval('#by-rule > tbody > tr > td:nth-child(3)', (tds) => tds.map((td) => Number(td.textContent)));
    expect(fails).toEqual([...fails].sort((a, b) => b - a));
    expect(fails[0]).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
  }, 90_000);

  it("opens a rule's FAIL page from the summary and filters it to one account", async () => {
    await Promise.all([page.waitForURL(/\.fail-001\.html/, { timeout: FEW_SECONDS }), page.click('#by-rule > tbody > tr:first-child td.s-FAIL a')]);
    await page.waitForFunction("document.getElementById('shown')?.textContent?.includes('verdicts shown')", undefined, { timeout: FEW_SECONDS });
    const rows = await visible().count();
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThanOrEqual(HTML_LAYOUT.verdictsPerPage);
    const account = await visible().nth(Math.floor(rows / 2)).getAttribute('data-row');
    await page.selectOption('select[name=row]', account!);
    await page.waitForFunction(`document.querySelectorAll('#verdicts > tbody > tr:not([hidden])').length < ${rows}`, undefined, { timeout: FEW_SECONDS });
    const shown = await page.$$eval('#verdicts > tbody > tr:not([hidden])', (trs) => trs.map((tr) => tr.getAttribute('data-row')));
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set([account]));
  });

  it('a cell of an accounts page opens the verdict page filtered to exactly that account × rule × status', async () => {
    await page.goto(url(`${HTML_LAYOUT.folder}/accounts-002.html`), { waitUntil: 'load', timeout: FEW_SECONDS });
    expect(await axeViolations(page)).toEqual([]);
    const part = page.locator('#matrix a.part[data-count-status="FAIL"]').first();
    const cell = part.locator('xpath=ancestor::td[1]');
    const account = await cell.getAttribute('data-account');
    const rule = await cell.getAttribute('data-rule');
    await Promise.all([page.waitForURL(/\.fail-\d{3}\.html#v\?/, { timeout: FEW_SECONDS }), part.click()]);
    await page.waitForFunction("document.querySelectorAll('#verdicts > tbody > tr[hidden]').length > 0", undefined, { timeout: FEW_SECONDS });
    const shown = await page.$$eval('#verdicts > tbody > tr:not([hidden])', (trs) => trs.map((tr) => `${tr.getAttribute('data-row')}|${tr.getAttribute('data-rule')}|${tr.getAttribute('data-status')}`));
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set([`${account}|${rule}|FAIL`]));
    expect(problems).toEqual([]);
  }, 90_000);
});
