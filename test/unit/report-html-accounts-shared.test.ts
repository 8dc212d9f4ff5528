/**
 * HTML's accounts pages shared with a report worker (html/paged.ts AccountsPagesShared,
 * report/write-threads.ts, issue 16, twenty-seventh round): whichever thread claims a page writes
 * it, and the report is the files one thread writes, put in place in its order; a worker that dies
 * holding claimed pages costs HTML nothing, and a share that fails fails HTML whole, leaving no file.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compareVerdicts } from '../../src/contracts/order.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import type { Verdict, VerdictStatus } from '../../src/contracts/verdict.ts';
import { VerdictSpool } from '../../src/evaluate/verdict-spool.ts';
import { HTML_LAYOUT, htmlAccountsPagePath, htmlAccountsPagesFormatter, renderHtmlFiles } from '../../src/report/html.ts';
import type { MatrixShare } from '../../src/report/html/aggregate.ts';
import { ReportsIncomplete, writeReports } from '../../src/report/write.ts';
import { filesUnder, relativeTo } from '../fixtures/report-files.ts';
import { sampleResult } from '../fixtures/results/sample-result.ts';

const fixtureWorker = (name: string) => new URL(`../fixtures/report-workers/${name}`, import.meta.url);
const STATUSES: VerdictStatus[] = ['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE'];

/** 450 accounts, 5 verdicts each: a paged HTML report (more than one page of verdicts) with 3 accounts pages. */
function largeResult(): ScanResult {
  const base = sampleResult();
  const rules = base.rules.slice(0, 5);
  const accounts = Array.from({ length: 450 }, (_, i) => ({ id: String(100000000000 + i), name: `account ${i}`, ouPath: `/r-root/ou-${i % 7}`, status: 'ACTIVE' as const }));
  const verdicts: Verdict[] = accounts.flatMap((a, i) =>
    rules.map((r, k) => ({ ruleId: r.id, status: STATUSES[(i + k) % 4]!, severity: r.severity, message: `${r.id} on ${a.id}`, evidence: { account: a.id, n: (i * k) % 11 }, resource: { type: 'account', id: a.id, accountId: a.id, ouPath: a.ouPath } })),
  );
  verdicts.sort(compareVerdicts);
  return { ...base, rules, accounts, verdicts };
}

function spooled(result: ScanResult): ScanResult {
  const spool = new VerdictSpool(undefined, 500);
  for (const v of result.verdicts) spool.add(v);
  const verdicts = spool.finish();
  expect(Array.isArray(verdicts)).toBe(false);
  return { ...result, verdicts };
}


describe('HTML accounts pages shared between two threads', () => {
  let result: ScanResult;
  let dir: string;
  beforeAll(() => {
    result = spooled(largeResult());
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailproof-accounts-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('any split of the pages between the threads gives the pages one thread writes', () => {
    const alone = new Map([...renderHtmlFiles(result)].map((f) => [f.path, [...f.chunks].join('')]));
    const pages = [...alone.keys()].filter((p) => /accounts-\d{3}\.html$/.test(p)).length;
    expect(pages).toBe(3);
    for (let taken = 0; taken <= pages; taken++) {
      const claims = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
      const there = new Map<string, string>();
      // The other thread takes `taken` pages as soon as the matrix comes; this one claims the rest last.
      const share = (matrix: MatrixShare, n: number) => {
        expect(n).toBe(pages);
        const files = htmlAccountsPagesFormatter(matrix, n, { claims }).renderFiles!(result, {})[Symbol.iterator]();
        for (let k = 0; k < taken; k++) {
          const file = files.next();
          if (!file.done) there.set(file.value.path, [...file.value.chunks].join(''));
        }
      };
      const here = new Map([...renderHtmlFiles(result, HTML_LAYOUT, { htmlAccountsPages: { claims, share } })].map((f) => [f.path, [...f.chunks].join('')]));
      expect(there.size).toBe(taken);
      expect([...here.keys()].filter((p) => there.has(p))).toEqual([]);
      expect(new Map([...here, ...there].sort()), `${taken} taken`).toEqual(new Map([...alone].sort()));
    }
  });

  it('written on two threads: the files and their order are those of one thread', async () => {
    const one = join(dir, 'one');
    const alone = await writeReports(result, ['json', 'sarif', 'html'], one, {}, { threads: 1 });
    const two = join(dir, 'two');
    const both = await writeReports(result, ['json', 'sarif', 'html'], two, {}, { threads: 2 });
    expect(relativeTo(two, both)).toEqual(relativeTo(one, alone));
    const expected = filesUnder(one);
    const actual = filesUnder(two);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, bytes] of expected) expect(actual.get(path)!.equals(bytes), path).toBe(true);
  }, 60_000);

  it('a worker that dies holding claimed pages costs HTML nothing: this thread writes them, in the same order', async () => {
    const one = join(dir, 'one');
    const alone = await writeReports(result, ['json', 'sarif', 'html'], one, {}, { threads: 1 });
    const two = join(dir, 'two');
    const err = await writeReports(result, ['json', 'sarif', 'html'], two, {}, { threads: 2, worker: fixtureWorker('claiming-exiting-worker.ts'), shareAccountsPages: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportsIncomplete);
    expect((err as Error).message).toContain('format json failed: the worker thread writing json, sarif exited with code 3 before it answered');
    const html = (err as ReportsIncomplete).written;
    expect(relativeTo(two, html)).toEqual(relativeTo(one, alone.filter((w) => w.format === 'html')));
    for (const w of html) expect(readFileSync(w.file).equals(readFileSync(join(one, relative(two, w.file)))), w.file).toBe(true);
    expect(readdirSync(two, { recursive: true }).filter((f) => String(f).endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('a share that fails fails HTML whole: none of its files is put in place, no temporary file is left', async () => {
    const err = await writeReports(result, ['json', 'sarif', 'html'], dir, {}, { threads: 2, worker: fixtureWorker('failing-pages-worker.ts'), shareAccountsPages: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportsIncomplete);
    expect((err as Error).message).toContain('format html failed: html broke in a worker');
    expect((err as ReportsIncomplete).written).toEqual([]);
    expect(readdirSync(dir, { recursive: true }).filter((f) => !String(f).endsWith('/') && String(f) !== 'trailproof-html')).toEqual([]);
    expect(htmlAccountsPagePath(0)).toBe('trailproof-html/accounts-001.html');
  }, 60_000);
});
