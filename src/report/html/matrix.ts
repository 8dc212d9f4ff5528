/**
 * The accounts × rules matrix and the summaries by rule and by OU. A cell holds the verdicts of
 * one rule for one account (several for trail and bucket rules), coloured by the worst status
 * and labelled with a count per status.
 */
import type { ScanResult } from '../../contracts/result.ts';
import type { RuleMeta, Verdict } from '../../contracts/verdict.ts';
import {
  accountIndex,
  countStatuses,
  DISPLAY_STATUSES,
  ouPathOf,
  STATUS_LABEL,
  type DisplayStatus,
  type StatusCounts,
} from '../audit-common.ts';
import { compareStrings } from '../../contracts/order.ts';
import { html, raw, type Raw } from './escape.ts';

/** Matrix row for verdicts about the organization itself rather than one account. */
export const ORGANIZATION_ROW = '(organization)';

export interface MatrixRow {
  key: string;
  label: string;
  sub: string;
  ouPath: string;
}

export function worstStatus(counts: StatusCounts): DisplayStatus | undefined {
  return DISPLAY_STATUSES.find((s) => counts[s] > 0);
}

export function rowKeyOf(v: Verdict): string {
  return v.resource.type === 'organization' ? ORGANIZATION_ROW : v.resource.accountId;
}

export function matrixRows(result: ScanResult, verdicts: Verdict[]): MatrixRow[] {
  const accounts = accountIndex(result);
  const rows = new Map<string, MatrixRow>();
  if (verdicts.some((v) => v.resource.type === 'organization')) {
    rows.set(ORGANIZATION_ROW, { key: ORGANIZATION_ROW, label: 'Organization', sub: result.snapshot.organizationId ?? '', ouPath: ORGANIZATION_ROW });
  }
  const ids = new Set([...result.accounts.map((a) => a.id), ...verdicts.filter((v) => v.resource.type !== 'organization').map((v) => v.resource.accountId)]);
  const accountRows = [...ids].map((id) => {
    const a = accounts.get(id);
    if (a) return { key: id, label: a.name, sub: id, ouPath: a.ouPath };
    const fromVerdict = verdicts.find((v) => v.resource.accountId === id);
    return { key: id, label: id, sub: id, ouPath: fromVerdict ? ouPathOf(fromVerdict, accounts) : '(unknown OU)' };
  });
  accountRows.sort((a, b) => compareStrings(a.ouPath, b.ouPath) || compareStrings(a.label, b.label) || compareStrings(a.key, b.key));
  for (const r of accountRows) rows.set(r.key, r);
  return [...rows.values()];
}

function cellLabel(counts: StatusCounts, total: number): Raw {
  if (total === 1) {
    const only = worstStatus(counts)!;
    return html`<span class="part">${STATUS_LABEL[only]}</span>`;
  }
  return raw(
    DISPLAY_STATUSES.filter((s) => counts[s] > 0)
      .map((s) => html`<span class="part" data-count-status="${s}">${counts[s]} ${STATUS_LABEL[s]}</span>`.html)
      .join(''),
  );
}

export function renderMatrix(result: ScanResult, rules: RuleMeta[], verdicts: Verdict[]): Raw {
  const rows = matrixRows(result, verdicts);
  const cells = new Map<string, Verdict[]>();
  for (const v of verdicts) {
    const key = `${rowKeyOf(v)}\u0000${v.ruleId}`;
    cells.set(key, [...(cells.get(key) ?? []), v]);
  }
  const head = rules.map((r) => html`<th scope="col" class="rule" title="${r.title}">${r.id}</th>`);
  const body = rows.map((row) => {
    const tds = rules.map((rule) => {
      const list = cells.get(`${row.key}\u0000${rule.id}`) ?? [];
      if (list.length === 0) return html`<td class="cell empty" data-rule="${rule.id}" data-account="${row.key}"><span aria-hidden="true">–</span><span class="sr-only">no verdict</span></td>`;
      const counts = countStatuses(list);
      const worst = worstStatus(counts)!;
      const filterText = row.key === ORGANIZATION_ROW ? row.sub : row.key;
      return html`<td class="cell s-${worst}" data-rule="${rule.id}" data-account="${row.key}" data-total="${list.length}"><a href="#verdicts" data-rule="${rule.id}" data-account="${filterText}" title="${rule.id} for ${row.label}: show these verdicts">${cellLabel(counts, list.length)}</a></td>`;
    });
    return html`<tr data-ou="${row.ouPath}" data-account="${row.key}"><th scope="row">${row.label} <span class="sub">${row.sub} · ${row.ouPath}</span></th>${tds}</tr>`;
  });
  return html`<div class="matrix-wrap"><table id="matrix"><caption class="sr-only">Verdicts per account and rule</caption><thead><tr><th scope="col">Account</th>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function countCells(counts: StatusCounts): Raw[] {
  return DISPLAY_STATUSES.map((s) => html`<td class="num${counts[s] > 0 ? ` s-${s}` : ''}">${counts[s]}</td>`);
}

const COUNT_HEADERS = raw(DISPLAY_STATUSES.map((s) => html`<th scope="col" class="num">${STATUS_LABEL[s]}</th>`.html).join(''));

export function renderRuleSummary(rules: RuleMeta[], verdicts: Verdict[]): Raw {
  const body = rules.map((r) => {
    const counts = countStatuses(verdicts.filter((v) => v.ruleId === r.id));
    const frameworks = Object.keys(r.frameworks)
      .sort(compareStrings)
      .map((fw) => `${fw}: ${(r.frameworks[fw] ?? []).join(', ')}`)
      .join('; ');
    return html`<tr><th scope="row"><code>${r.id}</code><span class="sub">${r.title}</span></th><td>${r.severity}</td>${countCells(counts)}<td><span class="sub">${frameworks}</span></td></tr>`;
  });
  return html`<table id="by-rule"><thead><tr><th scope="col">Rule</th><th scope="col">Severity</th>${COUNT_HEADERS}<th scope="col">Frameworks</th></tr></thead><tbody>${body}</tbody></table>`;
}

export function renderOuSummary(result: ScanResult, verdicts: Verdict[]): Raw {
  const accounts = accountIndex(result);
  const byOu = new Map<string, { accounts: Set<string>; verdicts: Verdict[] }>();
  for (const a of result.accounts) {
    const g = byOu.get(a.ouPath) ?? { accounts: new Set<string>(), verdicts: [] };
    g.accounts.add(a.id);
    byOu.set(a.ouPath, g);
  }
  for (const v of verdicts) {
    const ou = v.resource.type === 'organization' ? ORGANIZATION_ROW : ouPathOf(v, accounts);
    const g = byOu.get(ou) ?? { accounts: new Set<string>(), verdicts: [] };
    if (v.resource.type !== 'organization') g.accounts.add(v.resource.accountId);
    g.verdicts.push(v);
    byOu.set(ou, g);
  }
  const body = [...byOu.keys()].sort(compareStrings).map((ou) => {
    const g = byOu.get(ou)!;
    return html`<tr><th scope="row">${ou}</th><td class="num">${g.accounts.size}</td>${countCells(countStatuses(g.verdicts))}</tr>`;
  });
  return html`<table id="by-ou"><thead><tr><th scope="col">OU</th><th scope="col" class="num">Accounts</th>${COUNT_HEADERS}</tr></thead><tbody>${body}</tbody></table>`;
}
