/**
 * Roll-ups by rule, by OU and by account, failures first (most FAIL, then most ERROR). Counts come
 * from the aggregate; links are the page layout's business.
 */
import { compareStrings } from '../../contracts/order.ts';
import { DISPLAY_STATUSES, STATUS_LABEL, type StatusCounts } from '../audit-common.ts';
import { byFindings, type HtmlAggregate, type MatrixRow, type OuRollup, type RuleRollup } from './aggregate.ts';
import { html, raw, type Raw } from './escape.ts';

function countCells(counts: StatusCounts, link?: (status: (typeof DISPLAY_STATUSES)[number]) => string | undefined): Raw[] {
  return DISPLAY_STATUSES.map((s) => {
    const href = counts[s] > 0 ? link?.(s) : undefined;
    return html`<td class="num${counts[s] > 0 ? ` s-${s}` : ''}">${href ? html`<a href="${href}">${counts[s]}</a>` : counts[s]}</td>`;
  });
}

const COUNT_HEADERS = raw(DISPLAY_STATUSES.map((s) => html`<th scope="col" class="num">${STATUS_LABEL[s]}</th>`.html).join(''));

export type CountLink<T> = (item: T, status: (typeof DISPLAY_STATUSES)[number]) => string | undefined;

export function ruleRollupTable(agg: HtmlAggregate, link?: CountLink<RuleRollup>): Raw {
  const rollups = agg.ruleRollups().sort(byFindings((r) => r.counts, (r) => r.rule.id));
  const body = rollups.map(({ rule, counts }, i) => {
    const frameworks = Object.keys(rule.frameworks)
      .sort(compareStrings)
      .map((fw) => `${fw}: ${(rule.frameworks[fw] ?? []).join(', ')}`)
      .join('; ');
    return html`<tr><th scope="row"><code>${rule.id}</code><span class="sub">${rule.title}</span></th><td>${rule.severity}</td>${countCells(counts, link && ((s) => link(rollups[i]!, s)))}<td><span class="sub">${frameworks}</span></td></tr>`;
  });
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="Summary by rule, scrolls"><table id="by-rule"><thead><tr><th scope="col">Rule</th><th scope="col">Severity</th>${COUNT_HEADERS}<th scope="col">Frameworks</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

export function ouRollupTable(agg: HtmlAggregate, ouLink?: (ou: OuRollup) => string | undefined): Raw {
  const rollups = agg.ouRollups().sort(byFindings((o) => o.counts, (o) => o.ouPath));
  const body = rollups.map((o) => {
    const href = ouLink?.(o);
    return html`<tr><th scope="row">${href ? html`<a href="${href}">${o.ouPath}</a>` : o.ouPath}</th><td class="num">${o.accounts}</td>${countCells(o.counts)}</tr>`;
  });
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="Summary by OU, scrolls"><table id="by-ou"><thead><tr><th scope="col">OU</th><th scope="col" class="num">Accounts</th>${COUNT_HEADERS}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** Accounts with a FAIL or ERROR, most failures first, at most `limit` rows. */
export function accountRollupTable(agg: HtmlAggregate, limit: number, rowLink: (row: MatrixRow) => string): Raw {
  const withFindings = agg.rows.map((row) => ({ row, counts: agg.rowCounts(row.key) })).filter((r) => r.counts.FAIL + r.counts.ERROR > 0);
  withFindings.sort(byFindings((r) => r.counts, (r) => r.row.key));
  const shown = withFindings.slice(0, limit);
  const body = shown.map(({ row, counts }) => html`<tr><th scope="row"><a href="${rowLink(row)}">${row.label}</a><span class="sub">${row.sub} · ${row.ouPath}</span></th>${countCells(counts)}</tr>`);
  return html`<p>${withFindings.length} account${withFindings.length === 1 ? ' has' : 's have'} a FAIL or ERROR verdict${withFindings.length > shown.length ? `; the ${shown.length} with the most are listed` : ''}. Each links to its row of the accounts × rules pages.</p>${
    shown.length > 0 ? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Accounts with findings, scrolls"><table id="by-account"><thead><tr><th scope="col">Account</th>${COUNT_HEADERS}</tr></thead><tbody>${body}</tbody></table></div>` : ''
  }`;
}
