/**
 * The accounts × rules matrix. A cell holds the verdicts of one rule for one account (several for
 * trail and bucket rules), coloured by the worst status and labelled with a count per status. A
 * cell is a link that filters the verdict list to exactly that account × rule; the row header is a
 * link to all of the account's verdicts.
 */
import type { RuleMeta } from '../../contracts/verdict.ts';
import { DISPLAY_STATUSES, STATUS_LABEL, type DisplayStatus, type StatusCounts } from '../audit-common.ts';
import { totalOf, worstStatus, type HtmlAggregate, type MatrixRow } from './aggregate.ts';
import { html, raw, type Raw } from './escape.ts';

/** The fragment the page's script reads as a filter: "#v?row=…&rule=…&status=…". */
export function filterHash(filter: { ou?: string; row?: string; rule?: string; status?: string; control?: string }): string {
  const params = new URLSearchParams();
  for (const key of ['ou', 'row', 'rule', 'control', 'status'] as const) {
    const value = filter[key];
    if (value !== undefined) params.set(key, value);
  }
  return `#v?${params.toString()}`;
}

/** Where a matrix's links go: one page (whole cells filter in place) or the paged layout (one link per status). */
export interface MatrixLinks {
  /** The cell's link; with `status` when each status part links on its own. */
  cell(row: MatrixRow, rule: RuleMeta, status?: DisplayStatus): string;
  perStatus: boolean;
  /** All of an account's verdicts, when the page can show them. */
  account?(row: MatrixRow): string;
}

function parts(counts: StatusCounts, total: number, link?: (s: DisplayStatus) => string): Raw {
  const label = (s: DisplayStatus) => (total === 1 ? STATUS_LABEL[s] : `${counts[s]} ${STATUS_LABEL[s]}`);
  return raw(
    DISPLAY_STATUSES.filter((s) => counts[s] > 0)
      .map((s) => (link ? html`<a class="part" href="${link(s)}" data-count-status="${s}">${label(s)}</a>` : html`<span class="part" data-count-status="${s}">${label(s)}</span>`).html)
      .join(''),
  );
}

function cell(agg: HtmlAggregate, row: MatrixRow, rule: RuleMeta, links: MatrixLinks): Raw {
  const counts = agg.cell(row.key, rule.id);
  const total = totalOf(counts);
  if (total === 0) return html`<td class="cell empty" data-rule="${rule.id}" data-account="${row.key}"><span aria-hidden="true">–</span><span class="sr-only">no verdict</span></td>`;
  const worst = worstStatus(counts)!;
  const open = `<td class="cell s-${worst}" data-rule="${html`${rule.id}`.html}" data-account="${html`${row.key}`.html}" data-total="${total}">`;
  if (links.perStatus) return raw(`${open}${parts(counts, total, (s) => links.cell(row, rule, s)).html}</td>`);
  return raw(`${open}${html`<a href="${links.cell(row, rule)}" title="${rule.id} for ${row.label}: show these verdicts">${parts(counts, total)}</a>`.html}</td>`);
}

export function* matrixChunks(agg: HtmlAggregate, rows: readonly MatrixRow[], links: MatrixLinks): Generator<string> {
  yield html`<div class="matrix-wrap" tabindex="0" role="region" aria-label="Accounts × rules matrix, scrolls"><table id="matrix"><caption class="sr-only">Verdicts per account and rule</caption><thead><tr><th scope="col">Account</th>${agg.rules.map(
    (r) => html`<th scope="col" class="rule" title="${r.title}">${r.id}</th>`,
  )}</tr></thead><tbody>`.html;
  for (const row of rows) {
    const name = links.account ? html`<a href="${links.account(row)}" title="All verdicts of ${row.label}">${row.label}</a>` : html`${row.label}`;
    yield html`<tr id="acct-${row.key}" data-ou="${row.ouPath}" data-account="${row.key}"><th scope="row">${name} <span class="sub">${row.sub} · ${row.ouPath}</span></th>${agg.rules.map((rule) => cell(agg, row, rule, links))}</tr>`.html;
  }
  yield '</tbody></table></div>';
}
