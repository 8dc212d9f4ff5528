import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareVerdicts } from '../../src/contracts/order.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import type { RuleMeta } from '../../src/contracts/verdict.ts';
import { displayStatus } from '../../src/report/audit-common.ts';
import { HTML_LAYOUT, renderHtml, renderHtmlFiles, type HtmlLayout } from '../../src/report/html.ts';
import { rowKeyOf } from '../../src/report/html/aggregate.ts';
import { filterHash, filterHref, statusFilterHrefs } from '../../src/report/html/matrix.ts';
import { DISPLAY_STATUSES } from '../../src/report/audit-common.ts';
import { BEYOND_LATIN1 } from '../../src/shared/one-byte.ts';
import { escapeHtml } from '../../src/report/html/escape.ts';
import { sampleResult, shuffledResult } from '../fixtures/results/sample-result.ts';

const SMALL: HtmlLayout = { singlePageMaxVerdicts: 3, folder: 'trailproof-html', accountsPerPage: 2, verdictsPerPage: 2, accountsListed: 2 };

function render(result: ScanResult, layout: HtmlLayout): Map<string, string> {
  return new Map([...renderHtmlFiles(result, layout)].map((f) => [f.path, [...f.chunks].join('')]));
}

const rowsOf = (page: string) => [...page.matchAll(/<tr data-status="([A-Z_]+)" data-severity="\w+" data-ou="[^"]*" data-rule="([^"]+)" data-row="([^"]+)">/g)].map((m) => ({ status: m[1]!, rule: m[2]!, row: m[3]! }));
const hrefsOf = (page: string) => [...page.matchAll(/href="([^"#][^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

describe('HTML report layouts', () => {
  it('is one self-contained page up to the threshold, the same page renderHtml gives', () => {
    const result = sampleResult();
    const files = render(result, { ...SMALL, singlePageMaxVerdicts: result.verdicts.length });
    expect([...files.keys()]).toEqual(['trailproof.html']);
    expect(files.get('trailproof.html')).toBe(renderHtml(result));
    expect(HTML_LAYOUT.singlePageMaxVerdicts).toBeGreaterThan(1000);
  });

  it('above the threshold, splits into a summary, accounts pages and verdict pages holding every verdict once', () => {
    const result = sampleResult();
    const files = render(result, SMALL);
    const paths = [...files.keys()];
    expect(paths[0]).toBe('trailproof.html');
    const verdictPages = paths.filter((p) => /\.(fail|error|other)-\d{3}\.html$/.test(p));
    const accountPages = paths.filter((p) => /accounts-\d{3}\.html$/.test(p));
    expect(paths).toHaveLength(1 + verdictPages.length + accountPages.length);
    const listed = verdictPages.flatMap((p) => rowsOf(files.get(p)!));
    const expected = [...result.verdicts].map((v) => ({ status: displayStatus(v), rule: v.ruleId, row: rowKeyOf(v) }));
    const key = (r: { status: string; rule: string; row: string }) => `${r.rule}|${r.row}|${r.status}`;
    expect(listed.map(key).sort()).toEqual(expected.map(key).sort());
    for (const p of verdictPages) {
      const rows = rowsOf(files.get(p)!);
      expect(rows.length, p).toBeLessThanOrEqual(SMALL.verdictsPerPage);
      const pageClass = /\.(fail|error|other)-/.exec(p)![1];
      for (const r of rows) expect(r.status === 'FAIL' ? 'fail' : r.status === 'ERROR' ? 'error' : 'other', p).toBe(pageClass);
      expect(new Set(rows.map((r) => r.rule)).size, p).toBe(1);
    }
    // The summary holds no verdict rows: it is roll-ups and links.
    expect(rowsOf(files.get('trailproof.html')!)).toEqual([]);
  });

  it('links only to files it wrote, and a cell part opens the page holding that account × rule × status', () => {
    const files = render(sampleResult(), SMALL);
    for (const [path, page] of files) {
      for (const href of hrefsOf(page)) {
        if (/^https?:/.test(href)) continue;
        const target = posix.normalize(posix.join(posix.dirname(path), href.split('#')[0]!));
        expect(files.has(target), `${path} → ${href}`).toBe(true);
      }
    }
    let checked = 0;
    for (const [path, page] of files) {
      if (!/accounts-\d{3}\.html$/.test(path)) continue;
      for (const m of page.matchAll(/<a class="part" href="([^"]+)" data-count-status="([A-Z_]+)">/g)) {
        const [file, fragment] = m[1]!.replace(/&amp;/g, '&').split('#');
        const filter = new URLSearchParams(fragment!.slice(2));
        const target = rowsOf(files.get(posix.join(posix.dirname(path), file!))!);
        expect(target.some((r) => r.row === filter.get('row') && r.rule === filter.get('rule') && r.status === m[2]), m[1]).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('renders the same bytes twice, and refuses verdicts out of canonical order instead of paging them wrongly', () => {
    const once = render(sampleResult(), SMALL);
    expect(render(sampleResult(), SMALL)).toEqual(once);
    const shuffled = shuffledResult();
    expect([...shuffled.verdicts].map((v) => v.ruleId)).not.toEqual([...shuffled.verdicts].sort(compareVerdicts).map((v) => v.ruleId));
    expect(() => render(shuffled, SMALL)).toThrow(/not contiguous; the verdict list must be in canonical order/);
  });
});

describe('filterHash', () => {
  it('writes the query URLSearchParams writes, whatever the values hold', () => {
    const values = ['123456789012', 'cloudtrail-enabled', 'NOT_APPLICABLE', '', 'Root/Prod Workloads', 'a+b&c=d', 'x*y.z_w-v', "it's (ok)!~", 'é/ü 😀', '%20', '#frag?q'];
    const keys = ['ou', 'row', 'rule', 'control', 'status'] as const;
    for (const [i, value] of values.entries()) {
      for (const [k, key] of keys.entries()) {
        const filter: Partial<Record<(typeof keys)[number], string>> = { [key]: value, status: values[(i + k) % values.length]! };
        if (k % 2 === 0) filter.row = values[(i + 2 * k + 1) % values.length]!;
        const params = new URLSearchParams();
        for (const name of keys) if (filter[name] !== undefined) params.set(name, filter[name]);
        expect(filterHash(filter), JSON.stringify(filter)).toBe(`#v?${params.toString()}`);
        expect(filterHref(filter).html, JSON.stringify(filter)).toBe(escapeHtml(`#v?${params.toString()}`));
      }
    }
  });
});

describe('statusFilterHrefs', () => {
  it('gives the link filterHref gives for each row, rule and status, whatever the values hold', () => {
    const ids = ['123456789012', 'cloudtrail-enabled', 'Root/Prod Workloads', 'a+b&c=d', 'x*y.z_w-v', "it's (ok)!~", 'é/ü 😀', '%20', ''];
    const rules = ids.map((id) => ({ id }) as RuleMeta);
    const hrefs = statusFilterHrefs(rules);
    for (const rowKey of ids) {
      const ofRow = hrefs(rowKey);
      rules.forEach((rule, r) => DISPLAY_STATUSES.forEach((status, slot) => expect(ofRow(r, slot), `${rowKey} ${rule.id} ${status}`).toBe(filterHref({ row: rowKey, rule: rule.id, status }).html)));
    }
  });
});

/** V8 encodes a string that is all ASCII to UTF-8 as a copy, and one with any other character one character at a time. */
const BEYOND_ASCII = /[^\x00-\x7f]/;

describe('accounts × rules pages', () => {
  it('write each matrix row without a character beyond Latin-1 but the empty cells\' dashes, each a chunk of its own', () => {
    let dashes = 0;
    let rows = 0;
    for (const file of renderHtmlFiles(sampleResult(), SMALL)) {
      if (!/accounts-\d{3}\.html$/.test(file.path)) continue;
      for (const chunk of file.chunks) {
        if (chunk === '–') dashes++;
        else if (chunk.includes('class="cell') || chunk.includes('<tr id="acct-')) {
          rows += chunk.includes('<tr id="acct-') ? 1 : 0;
          // V8 keeps a string with one such character two-byte whole, and encodes it at several times the cost (one-byte.ts).
          expect(BEYOND_LATIN1.test(chunk), chunk).toBe(false);
        }
      }
    }
    expect(dashes).toBeGreaterThan(0);
    expect(rows).toBeGreaterThan(0);
  });

  it("write a matrix row's cells apart from its header and its \" · \": ASCII for ASCII names", () => {
    let cells = 0;
    for (const file of renderHtmlFiles(sampleResult(), SMALL)) {
      if (!/accounts-\d{3}\.html$/.test(file.path)) continue;
      for (const chunk of file.chunks) {
        if (!chunk.includes('class="cell')) continue;
        cells++;
        expect(BEYOND_ASCII.test(chunk), chunk).toBe(false);
      }
    }
    expect(cells).toBeGreaterThan(0);
  });
});

describe('verdict pages', () => {
  it("write a verdict row's account cell, with its \" · \", as a chunk of its own, and the rest of its row in ASCII chunks for ASCII texts", () => {
    let ends = 0;
    let heads = 0;
    let cells = 0;
    for (const file of renderHtmlFiles(sampleResult(), SMALL)) {
      if (/accounts-\d{3}\.html$/.test(file.path) || !file.path.includes('/')) continue;
      let afterHead = false;
      for (const chunk of file.chunks) {
        if (afterHead) {
          // The chunk after a row's head is its account cell, alone.
          expect(chunk, chunk).toMatch(/^<td>[^<]*<span class="sub">[^<]* · [^<]*<\/span><\/td>$/);
          cells++;
        }
        afterHead = chunk.includes('<tr data-status');
        if (!afterHead && !chunk.includes('<details class="evidence">')) continue;
        ends += chunk.includes('<details class="evidence">') ? 1 : 0;
        heads += afterHead ? 1 : 0;
        // A row's end and the next row's head, up to its account cell, are one chunk.
        expect(BEYOND_ASCII.test(chunk), chunk).toBe(false);
      }
    }
    expect(ends).toBeGreaterThan(0);
    expect(cells).toBe(heads);
    expect(heads).toBe(ends);
  });
});
