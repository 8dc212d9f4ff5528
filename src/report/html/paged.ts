/**
 * The paged layout for large organizations: a summary page (gate, counts, frameworks, roll-ups by
 * rule, OU and account, failures first) plus, in a folder beside it, accounts × rules pages of a
 * few hundred accounts and verdict pages of one rule and one status class (FAIL, ERROR, the rest)
 * of at most a thousand verdicts each. Every page is self-contained and small enough for a
 * browser; links between them are relative, so the folder works from disk.
 *
 * The verdicts are walked in canonical order (by rule, then resource) for the pages, holding at
 * most one page of each status class at a time; the counts come first, from the verdicts'
 * outlines (HtmlAggregate), so a spooled list's file is read once.
 */
import type { ScanResult } from '../../contracts/result.ts';
import type { RuleMeta, Verdict } from '../../contracts/verdict.ts';
import { DISPLAY_STATUSES, displayStatus } from '../audit-common.ts';
import type { ReportFile } from '../types.ts';
import { PAGE_CLASS_TITLE, PAGE_CLASSES, pageClassOf, type HtmlAggregate, type MatrixRow, type PageClass } from './aggregate.ts';
import { html, type Raw } from './escape.ts';
import { frameworkSections } from './frameworks.ts';
import { matrixChunks, statusFilterHrefs, type MatrixLinks } from './matrix.ts';
import { accountRollupTable, ouRollupTable, ruleRollupTable } from './rollups.ts';
import { errorsSection, exceptionsSection, pageEnd, pageStart, reportHeader, reportTitle, scopeSection, section } from './page.ts';
import { ChunkChain } from './chunk-chain.ts';
import { type EvidenceTexts, evidenceTexts } from './evidence.ts';
import { remediationBlock, verdictListChunks, type ListContext } from './verdict-list.ts';

export interface PagedLayout {
  /** Folder of the pages, beside the summary page. */
  folder: string;
  accountsPerPage: number;
  verdictsPerPage: number;
  /** The summary lists at most this many accounts with findings. */
  accountsListed: number;
}

const pad = (n: number) => String(n + 1).padStart(3, '0');

class PageNames {
  private readonly ruleFile = new Map<string, string>();

  constructor(
    agg: HtmlAggregate,
    readonly layout: PagedLayout,
  ) {
    agg.rules.forEach((r, i) => this.ruleFile.set(r.id, /^[A-Za-z0-9._-]{1,100}$/.test(r.id) ? r.id : `rule-${i + 1}`));
  }

  /** Paths relative to the folder. */
  verdicts(ruleId: string, pageClass: PageClass, page: number): string {
    return `${this.ruleFile.get(ruleId)}.${pageClass}-${pad(page)}.html`;
  }

  accounts(page: number): string {
    return `accounts-${pad(page)}.html`;
  }

  fromSummary(path: string): string {
    return `${this.layout.folder}/${path}`;
  }
}

/**
 * The class a status's verdicts are paged under, and the page of the rule where the cell's first
 * one is. Page names are file-name characters ([A-Za-z0-9._-]): nothing to escape; each is made
 * once per rule, class and page.
 */
function cellLinks(agg: HtmlAggregate, names: PageNames): MatrixLinks {
  const filters = statusFilterHrefs(agg.rules);
  const classSlots = DISPLAY_STATUSES.map((s) => PAGE_CLASSES.indexOf(pageClassOf(s)));
  const files = agg.rules.map(() => PAGE_CLASSES.map((): string[] => []));
  return {
    perStatus: true,
    row(row: MatrixRow, rowIndex: number) {
      const filter = filters(row.key);
      return (rule, slot) => {
        const classSlot = classSlots[slot!]!;
        const page = agg.firstPageAt(rowIndex, rule, classSlot);
        const ofClass = files[rule]![classSlot]!;
        const file = (ofClass[page] ??= names.verdicts(agg.rules[rule]!.id, PAGE_CLASSES[classSlot]!, page));
        return file + filter(rule, slot!);
      };
    },
  };
}

function accountPageOf(agg: HtmlAggregate, layout: PagedLayout): Map<string, number> {
  return new Map(agg.rows.map((r, i) => [r.key, Math.floor(i / layout.accountsPerPage)]));
}

function* summaryChunks(result: ScanResult, agg: HtmlAggregate, names: PageNames): Generator<string> {
  const layout = names.layout;
  const accountPage = accountPageOf(agg, layout);
  const pagesOfAccounts = Math.ceil(agg.rows.length / layout.accountsPerPage);
  const firstRowOfOu = new Map<string, MatrixRow>();
  for (const row of agg.rows) if (!firstRowOfOu.has(row.ouPath)) firstRowOfOu.set(row.ouPath, row);
  const rollups = new Map(agg.ruleRollups().map((r) => [r.rule.id, r]));
  const firstRuleLink = (ruleId: string) => {
    const rollup = rollups.get(ruleId);
    const pageClass = rollup && PAGE_CLASSES.find((c) => rollup.pages[c] > 0);
    return pageClass ? names.fromSummary(names.verdicts(ruleId, pageClass, 0)) : undefined;
  };
  yield* pageStart(reportTitle(result));
  yield reportHeader(result, agg.totals).html;
  yield html`<p class="note layout-note">This organization's report is split into pages: ${agg.verdictCount} verdicts of ${agg.rows.length} accounts and rows. This summary links to the accounts × rules pages (${layout.accountsPerPage} accounts each) and to the verdict pages of each rule (${layout.verdictsPerPage} verdicts each, FAIL first, then ERROR, then the rest). Keep the folder <code>${layout.folder}</code> beside this file.</p>\n<main>\n`.html;
  if (result.frameworks && result.frameworks.length > 0) {
    yield section('frameworks', 'Compliance by framework', frameworkSections(result.frameworks, { control: () => undefined, rule: firstRuleLink }));
  }
  yield section(
    'rules',
    'Summary by rule',
    ruleRollupTable(agg, (r, status) => {
      const pageClass = pageClassOf(status);
      return r.pages[pageClass] > 0 ? names.fromSummary(names.verdicts(r.rule.id, pageClass, 0)) : undefined;
    }),
  );
  yield section(
    'ous',
    'Summary by OU',
    ouRollupTable(agg, (o) => {
      const first = firstRowOfOu.get(o.ouPath);
      return first ? names.fromSummary(names.accounts(accountPage.get(first.key)!)) + `#acct-${first.key}` : undefined;
    }),
  );
  yield section('accounts', 'Accounts with findings', accountRollupTable(agg, layout.accountsListed, (row) => names.fromSummary(names.accounts(accountPage.get(row.key)!)) + `#acct-${row.key}`));
  const pageList = Array.from({ length: pagesOfAccounts }, (_, p) => {
    const first = agg.rows[p * layout.accountsPerPage]!;
    const last = agg.rows[Math.min(agg.rows.length, (p + 1) * layout.accountsPerPage) - 1]!;
    return html`<li><a href="${names.fromSummary(names.accounts(p))}">Accounts page ${p + 1}</a> <span class="sub">${first.ouPath} ${first.label} … ${last.ouPath} ${last.label}</span></li>`;
  });
  yield section('pages', 'Accounts × rules pages', html`<ol class="pages">${pageList}</ol>`);
  yield section('scope', 'Scope', scopeSection(result));
  yield section('errors', `Collection errors (${result.errors.length})`, errorsSection(result));
  yield section('exceptions', 'Exceptions', exceptionsSection(result, agg.totals.SUPPRESSED));
  yield '</main>\n';
  yield pageEnd(result);
}

function pageNav(links: { href: string; label: string }[]): Raw {
  return html`<nav class="pager" aria-label="Pages">${links.map((l) => html`<a href="${l.href}">${l.label}</a>`)}</nav>`;
}

/** An accounts × rules page: its head and foot around the matrix's chunks, which are handed on as they are (ChunkChain). */
function accountsPageChunks(result: ScanResult, agg: HtmlAggregate, names: PageNames, page: number, pages: number): Iterable<string> {
  const rows = agg.rows.slice(page * names.layout.accountsPerPage, (page + 1) * names.layout.accountsPerPage);
  let nav: Raw | undefined;
  function* head(): Generator<string> {
    nav = pageNav([
      { href: '../trailproof.html', label: 'Summary' },
      ...(page > 0 ? [{ href: names.accounts(page - 1), label: 'Previous accounts' }] : []),
      ...(page + 1 < pages ? [{ href: names.accounts(page + 1), label: 'Next accounts' }] : []),
    ]);
    yield* pageStart(`${reportTitle(result)} — accounts page ${page + 1} of ${pages}`);
    yield html`<header><h1>Accounts × rules, page ${page + 1} of ${pages}</h1>${nav}<p class="note">Each status in a cell links to those verdicts of the rule for the account.</p></header>\n<main>\n`.html;
  }
  function* foot(): Generator<string> {
    yield html`</main>${nav!}`.html;
    yield pageEnd(result);
  }
  return new ChunkChain([head(), matrixChunks(agg, rows, cellLinks(agg, names)), foot()]);
}

/** A verdict page: its head and foot around the verdict list's chunks, which are handed on as they are (ChunkChain). */
function verdictPageChunks(result: ScanResult, ctx: ListContext, names: PageNames, rule: RuleMeta, pageClass: PageClass, page: number, pages: Record<PageClass, number>, verdicts: Verdict[]): Iterable<string> {
  const of = pages[pageClass];
  let nav: Raw | undefined;
  function* head(): Generator<string> {
    nav = pageNav([
      { href: '../trailproof.html', label: 'Summary' },
      ...(page > 0 ? [{ href: names.verdicts(rule.id, pageClass, page - 1), label: 'Previous page' }] : []),
      ...(page + 1 < of ? [{ href: names.verdicts(rule.id, pageClass, page + 1), label: 'Next page' }] : []),
      ...PAGE_CLASSES.filter((c) => c !== pageClass && pages[c] > 0).map((c) => ({ href: names.verdicts(rule.id, c, 0), label: `This rule's ${PAGE_CLASS_TITLE[c]}` })),
    ]);
    yield* pageStart(`${reportTitle(result)} — ${rule.id} — ${PAGE_CLASS_TITLE[pageClass]} ${page + 1} of ${of}`);
    yield html`<header><h1><code>${rule.id}</code>: ${PAGE_CLASS_TITLE[pageClass]}, page ${page + 1} of ${of}</h1><p>${rule.title}</p>${rule.remediation.trim() ? remediationBlock(rule.remediation.trim(), rule.helpUri) : ''}${nav}</header>\n<main>\n<section aria-labelledby="h-verdicts"><h2 id="h-verdicts">Verdicts</h2>\n`.html;
  }
  function* foot(): Generator<string> {
    yield html`</section></main>${nav!}`.html;
    yield pageEnd(result);
  }
  return new ChunkChain([head(), verdictListChunks(verdicts, ctx), foot()]);
}

/**
 * The verdict pages, in one walk: the current rule's verdicts of each status class gather in their
 * own buffer, and a buffer becomes a page when it is full or the rule ends, so at most three
 * pages of verdicts are held at a time.
 */
function* verdictPages(result: ScanResult, agg: HtmlAggregate, names: PageNames, ctx: ListContext): Generator<ReportFile> {
  const rollups = new Map(agg.ruleRollups().map((r) => [r.rule.id, r]));
  const done = new Set<string>();
  const buffers = new Map<PageClass, { verdicts: Verdict[]; page: number }>(PAGE_CLASSES.map((c) => [c, { verdicts: [], page: 0 }]));
  let ruleId: string | undefined;
  const page = (pageClass: PageClass): ReportFile => {
    const r = rollups.get(ruleId!)!;
    const buffer = buffers.get(pageClass)!;
    const file = { path: `${names.layout.folder}/${names.verdicts(ruleId!, pageClass, buffer.page)}`, chunks: verdictPageChunks(result, ctx, names, r.rule, pageClass, buffer.page, r.pages, buffer.verdicts) };
    buffer.verdicts = [];
    buffer.page++;
    return file;
  };
  function* endOfRule(): Generator<ReportFile> {
    for (const pageClass of PAGE_CLASSES) {
      if (buffers.get(pageClass)!.verdicts.length > 0) yield page(pageClass);
      buffers.get(pageClass)!.page = 0;
    }
  }
  for (const v of result.verdicts) {
    if (v.ruleId !== ruleId) {
      yield* endOfRule();
      if (done.has(v.ruleId)) throw new Error(`HTML report: verdicts of rule ${v.ruleId} are not contiguous; the verdict list must be in canonical order`);
      if (ruleId !== undefined) done.add(ruleId);
      ruleId = v.ruleId;
    }
    const pageClass = pageClassOf(displayStatus(v));
    const buffer = buffers.get(pageClass)!;
    if (buffer.verdicts.length === names.layout.verdictsPerPage) yield page(pageClass);
    buffer.verdicts.push(v);
  }
  yield* endOfRule();
}

export function* pagedFiles(result: ScanResult, agg: HtmlAggregate, layout: PagedLayout, entry: string, texts: EvidenceTexts = evidenceTexts()): Generator<ReportFile> {
  const names = new PageNames(agg, layout);
  yield { path: entry, chunks: summaryChunks(result, agg, names) };
  const pages = Math.ceil(agg.rows.length / layout.accountsPerPage);
  for (let p = 0; p < pages; p++) yield { path: `${layout.folder}/${names.accounts(p)}`, chunks: accountsPageChunks(result, agg, names, p, pages) };
  const ctx: ListContext = { rules: new Map(agg.rules.map((r) => [r.id, r])), rows: new Map(agg.rows.map((r) => [r.key, r])), frameworks: [], defaultStatus: '', evidenceTexts: texts, oneRule: true };
  yield* verdictPages(result, agg, names, ctx);
}

