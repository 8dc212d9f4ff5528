/**
 * The HTML report. Small organizations get one self-contained file (inline CSS and JS, no external
 * resources) that works offline from disk; large ones a summary page plus a folder of pages (see
 * html/paged.ts), each small enough for a browser. Every page's Content-Security-Policy allows
 * only its own style and script, by hash, so even a value that escaped escaping could neither run
 * code nor fetch anything.
 */
import type { ScanResult } from '../contracts/result.ts';
import type { Verdict } from '../contracts/verdict.ts';
import { DISPLAY_STATUSES, STATUS_LABEL } from './audit-common.ts';
import { HtmlAggregate } from './html/aggregate.ts';
import { html, raw } from './html/escape.ts';
import { type EvidenceTexts, evidenceTexts } from './html/evidence.ts';
import { frameworkSections } from './html/frameworks.ts';
import { filterHash, filterHref, matrixChunks } from './html/matrix.ts';
import { pagedFiles, type PagedLayout } from './html/paged.ts';
import { errorsSection, exceptionsSection, pageEnd, pageStart, reportHeader, reportTitle, scopeSection, section } from './html/page.ts';
import { ouRollupTable, ruleRollupTable } from './html/rollups.ts';
import { controlKey, FINDINGS, verdictListChunks } from './html/verdict-list.ts';
import type { Formatter, RenderOptions, ReportFile } from './types.ts';

export interface HtmlLayout extends PagedLayout {
  /**
   * Up to this many verdicts the report is one page. Measured in Chromium on the 2-core machine
   * (docs/report-formats.md): a 1,200-verdict page (3.6 MB) loads in about 1.3 s, a 3,600-verdict one (10 MB) in 9 s.
   */
  singlePageMaxVerdicts: number;
}

export const HTML_LAYOUT: HtmlLayout = { singlePageMaxVerdicts: 2000, folder: 'trailproof-html', accountsPerPage: 200, verdictsPerPage: 500, accountsListed: 500 };

const ENTRY = 'trailproof.html';

const LEGEND = raw(DISPLAY_STATUSES.map((s) => html`<span class="badge s-${s}">${STATUS_LABEL[s]}</span>`.html).join(' '));

const TOC = (frameworks: boolean) =>
  html`<nav class="toc" aria-label="Sections"><ul>${frameworks ? html`<li><a href="#h-frameworks">Frameworks</a></li>` : ''}<li><a href="#h-matrix">Accounts × rules</a></li><li><a href="#h-rules">By rule</a></li><li><a href="#h-ous">By OU</a></li><li><a href="#h-verdicts">Verdicts</a></li><li><a href="#h-scope">Scope</a></li><li><a href="#h-errors">Errors</a></li><li><a href="#h-exceptions">Exceptions</a></li></ul></nav>`.html;

/** The one-page report, in chunks; holds the verdicts (at most singlePageMaxVerdicts of them). */
function* singlePageChunks(result: ScanResult, agg: HtmlAggregate, texts: EvidenceTexts = evidenceTexts()): Generator<string> {
  const verdicts: Verdict[] = [];
  for (const v of result.verdicts) verdicts.push(v);
  const frameworks = result.frameworks ?? [];
  yield* pageStart(reportTitle(result));
  yield reportHeader(result, agg.totals).html;
  yield TOC(frameworks.length > 0);
  yield '<main>\n';
  if (frameworks.length > 0) {
    yield section(
      'frameworks',
      'Compliance by framework',
      frameworkSections(frameworks, {
        control: (f, c) => (c.rules.length > 0 ? filterHash({ control: controlKey(f, c.controlId), status: '' }) : undefined),
        rule: (ruleId) => filterHash({ rule: ruleId, status: '' }),
      }),
    );
  }
  yield html`<section aria-labelledby="h-matrix"><h2 id="h-matrix">Accounts × rules</h2>
<p class="legend">${LEGEND}<span class="note">A cell counts the verdicts of the rule for the account (trail and bucket rules may have several). Select a cell to list exactly those verdicts, or an account to list all of its verdicts.</span></p>\n`.html;
  yield* matrixChunks(agg, agg.rows, {
    perStatus: false,
    row: (row) => (rule) => filterHref({ row: row.key, rule: agg.rules[rule]!.id, status: '' }).html,
    account: (row) => filterHash({ row: row.key, status: '' }),
  });
  yield '</section>\n';
  yield section('rules', 'Summary by rule', ruleRollupTable(agg, (r, status) => filterHash({ rule: r.rule.id, status })));
  yield section('ous', 'Summary by OU', ouRollupTable(agg, (o) => filterHash({ ou: o.ouPath, status: FINDINGS })));
  yield html`<section aria-labelledby="h-verdicts"><h2 id="h-verdicts">Verdicts</h2><p class="note">Failures first, then errors and suppressed failures; passing and not-applicable verdicts are listed when the status filter asks for them.</p>\n`.html;
  yield* verdictListChunks(verdicts, {
    rules: new Map(agg.rules.map((r) => [r.id, r])),
    rows: new Map(agg.rows.map((r) => [r.key, r])),
    frameworks,
    defaultStatus: FINDINGS,
    evidenceTexts: texts,
  });
  yield '</section>\n';
  yield section('scope', 'Scope', scopeSection(result));
  yield section('errors', `Collection errors (${result.errors.length})`, errorsSection(result));
  yield section('exceptions', 'Exceptions', exceptionsSection(result, agg.totals.SUPPRESSED));
  yield '</main>\n';
  yield pageEnd(result, ' This file is self-contained.');
}

/** The report's files: one page, or the paged layout when there are more verdicts than one page holds. */
export function* renderHtmlFiles(result: ScanResult, layout: HtmlLayout = HTML_LAYOUT, options: RenderOptions = {}): Generator<ReportFile> {
  const texts = htmlEvidenceTexts(options);
  if (result.verdicts.length <= layout.singlePageMaxVerdicts) {
    yield { path: ENTRY, chunks: singlePageChunks(result, new HtmlAggregate(result, layout.verdictsPerPage), texts) };
    return;
  }
  yield* pagedFiles(result, new HtmlAggregate(result, layout.verdictsPerPage), layout, ENTRY, texts);
}

/** Escaped evidence texts, from the run's shared compact JSON when the writer gives one. */
const htmlEvidenceTexts = (options: RenderOptions) => evidenceTexts(options.evidenceTexts?.compact);

/** The one-page report as a string, whatever the size (the evidence package and tests use it). */
export function renderHtml(result: ScanResult): string {
  return [...singlePageChunks(result, new HtmlAggregate(result, HTML_LAYOUT.verdictsPerPage))].join('');
}

export const htmlFormatter: Formatter = {
  name: 'html',
  fileName: ENTRY,
  description: 'HTML report: matrix, summaries, filters, evidence; one self-contained page, or a summary plus pages for large organizations',
  // writeReports of this format alone at 10,000 accounts: 2.37 / 2.44 s CPU (min / median of 3; types.ts).
  cost: 2.4,
  // A page of a rule's verdicts is gathered before it is written (HtmlAggregate).
  gathersVerdicts: HTML_LAYOUT.verdictsPerPage,
  render: (result) => renderHtml(result),
  renderChunks: (result, options) => singlePageChunks(result, new HtmlAggregate(result, HTML_LAYOUT.verdictsPerPage), htmlEvidenceTexts(options)),
  renderFiles: (result, options) => renderHtmlFiles(result, HTML_LAYOUT, options),
};
