/**
 * The accounts × rules matrix. A cell holds the verdicts of one rule for one account (several for
 * trail and bucket rules), coloured by the worst status and labelled with a count per status. A
 * cell is a link that filters the verdict list to exactly that account × rule; the row header is a
 * link to all of the account's verdicts.
 */
import type { RuleMeta } from '../../contracts/verdict.ts';
import { DISPLAY_STATUSES, STATUS_LABEL, type DisplayStatus, type StatusCounts } from '../audit-common.ts';
import { totalOf, worstStatus, type HtmlAggregate, type MatrixRow } from './aggregate.ts';
import { escapeHtml, html, raw, type Raw } from './escape.ts';

/** Characters URLSearchParams writes as they are (the application/x-www-form-urlencoded byte set). */
const FORM_SAFE = /^[A-Za-z0-9*._-]*$/;

/**
 * The fragment the page's script reads as a filter: "#v?row=…&rule=…&status=…", as URLSearchParams
 * writes it. The paged report makes one per status of every accounts × rules cell (hundreds of
 * thousands); their values (account ids, rule ids, statuses) seldom need encoding, so those are
 * joined directly and only the others go through URLSearchParams.
 */
export function filterHash(filter: Filter): string {
  return plainQuery(filter, '&') ?? `#v?${encodedQuery(filter)}`;
}

/**
 * filterHash escaped for an attribute value: its only markup is the "&" between parameters
 * (URLSearchParams encodes every other one), so the plain hash is joined with "&amp;" directly,
 * not escaped after: the paged report's matrices hold hundreds of thousands of these links.
 */
export function filterHref(filter: Filter): Raw {
  return raw(plainQuery(filter, '&amp;') ?? escapeHtml(`#v?${encodedQuery(filter)}`));
}

type Filter = { ou?: string; row?: string; rule?: string; status?: string; control?: string };

/** The hash with its values as they are, parameters joined by `and`; undefined when a value needs encoding. */
function plainQuery(filter: Filter, and: string): string | undefined {
  let query = '';
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value === undefined) continue;
    if (!FORM_SAFE.test(value)) return undefined;
    query += `${query ? and : ''}${key}=${value}`;
  }
  return `#v?${query}`;
}

const FILTER_KEYS = ['ou', 'row', 'rule', 'control', 'status'] as const;

function encodedQuery(filter: Partial<Record<(typeof FILTER_KEYS)[number], string>>): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined) params.set(key, value);
  }
  return params.toString();
}

/** Where a matrix's links go: one page (whole cells filter in place) or the paged layout (one link per status). */
export interface MatrixLinks {
  /** The cell's link, escaped (filterHref); with `status` when each status part links on its own. */
  cell(row: MatrixRow, rule: RuleMeta, status?: DisplayStatus): Raw;
  perStatus: boolean;
  /** All of an account's verdicts, when the page can show them. */
  account?(row: MatrixRow): string;
}

/** The status labels and data attributes are fixed texts with nothing to escape (audit-common.ts), and the links come escaped. */
function parts(counts: StatusCounts, total: number, link?: (s: DisplayStatus) => Raw): Raw {
  let out = '';
  for (const s of DISPLAY_STATUSES) {
    if (counts[s] === 0) continue;
    const label = total === 1 ? STATUS_LABEL[s] : `${counts[s]} ${STATUS_LABEL[s]}`;
    out += link ? `<a class="part" href="${link(s).html}" data-count-status="${s}">${label}</a>` : `<span class="part" data-count-status="${s}">${label}</span>`;
  }
  return raw(out);
}

/** `ruleId` and `rowKey` are the rule's id and the row's key, escaped (once per matrix and per row: a matrix of 10,000 accounts has 150,000 cells). */
function cell(agg: HtmlAggregate, row: MatrixRow, rowKey: string, rule: RuleMeta, ruleId: string, links: MatrixLinks): string {
  const counts = agg.cell(row.key, rule.id);
  const total = totalOf(counts);
  if (total === 0) return `<td class="cell empty" data-rule="${ruleId}" data-account="${rowKey}"><span aria-hidden="true">–</span><span class="sr-only">no verdict</span></td>`;
  const worst = worstStatus(counts)!;
  const open = `<td class="cell s-${worst}" data-rule="${ruleId}" data-account="${rowKey}" data-total="${total}">`;
  if (links.perStatus) return `${open}${parts(counts, total, (s) => links.cell(row, rule, s)).html}</td>`;
  return `${open}${html`<a href="${links.cell(row, rule)}" title="${rule.id} for ${row.label}: show these verdicts">${parts(counts, total)}</a>`.html}</td>`;
}

export function* matrixChunks(agg: HtmlAggregate, rows: readonly MatrixRow[], links: MatrixLinks): Generator<string> {
  yield html`<div class="matrix-wrap" tabindex="0" role="region" aria-label="Accounts × rules matrix, scrolls"><table id="matrix"><caption class="sr-only">Verdicts per account and rule</caption><thead><tr><th scope="col">Account</th>${agg.rules.map(
    (r) => html`<th scope="col" class="rule" title="${r.title}">${r.id}</th>`,
  )}</tr></thead><tbody>`.html;
  const ruleIds = agg.rules.map((rule) => escapeHtml(rule.id));
  for (const row of rows) {
    const name = links.account ? html`<a href="${links.account(row)}" title="All verdicts of ${row.label}">${row.label}</a>` : html`${row.label}`;
    const rowKey = escapeHtml(row.key);
    let cells = '';
    agg.rules.forEach((rule, i) => (cells += cell(agg, row, rowKey, rule, ruleIds[i]!, links)));
    yield `${html`<tr id="acct-${row.key}" data-ou="${row.ouPath}" data-account="${row.key}"><th scope="row">${name} <span class="sub">${row.sub} · ${row.ouPath}</span></th>`.html}${cells}</tr>`;
  }
  yield '</tbody></table></div>';
}
