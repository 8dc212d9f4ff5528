/**
 * The verdict list of a page: a filter form and one row per verdict, failures first (FAIL, ERROR,
 * SUPPRESSED, PASS, N/A; then by severity, then in canonical order). Every row carries its
 * account row key, rule, status, severity and OU as data attributes, so the page's script filters
 * exactly — a matrix cell selects one account × one rule, never a text search.
 */
import { SEVERITIES } from '../../contracts/verdict.ts';
import type { FrameworkAssessment } from '../../contracts/frameworks.ts';
import type { RuleMeta, Verdict } from '../../contracts/verdict.ts';
import { compareStrings, compareVerdicts } from '../../contracts/order.ts';
import { DISPLAY_STATUSES, displayStatus, severityIndex, STATUS_LABEL } from '../audit-common.ts';
import { ORGANIZATION_ROW, rowKeyOf, type MatrixRow } from './aggregate.ts';
import { escapeHtml, html, type Raw } from './escape.ts';
import { type EvidenceTexts, PageEvidence } from './evidence.ts';

/** The status filter's first choice, and the default of the full report: what needs attention. */
export const FINDINGS = 'findings';

export function compareForReading(a: Verdict, b: Verdict): number {
  return DISPLAY_STATUSES.indexOf(displayStatus(a)) - DISPLAY_STATUSES.indexOf(displayStatus(b)) || severityIndex(a.severity) - severityIndex(b.severity) || compareVerdicts(a, b);
}

export function controlKey(framework: FrameworkAssessment, controlId: string): string {
  return `${framework.id} ${controlId}`;
}

function option(value: string, label: string, selected = false): Raw {
  return selected ? html`<option value="${value}" selected>${label}</option>` : html`<option value="${value}">${label}</option>`;
}

export interface ListContext {
  rules: ReadonlyMap<string, RuleMeta>;
  /** Account rows by key, for names and OU paths. */
  rows: ReadonlyMap<string, MatrixRow>;
  frameworks: readonly FrameworkAssessment[];
  /** The status filter's initial value: FINDINGS, '' (all) or one status. */
  defaultStatus: string;
  /** Evidence texts, shared by every page of the report. */
  evidenceTexts: EvidenceTexts;
  /** The page lists one rule, named in its header with its remediation: rows leave out the rule's title and remediation. */
  oneRule?: boolean;
}

const UNKNOWN_OU = '(unknown OU)';

function rowOf(v: Verdict, ctx: ListContext): MatrixRow {
  const key = rowKeyOf(v);
  return ctx.rows.get(key) ?? { key, label: key, sub: key, ouPath: v.resource.ouPath ?? UNKNOWN_OU };
}

/** The account filter's choice of a row. */
function rowOption(r: MatrixRow): Raw {
  return option(r.key, r.key === r.label ? r.key : `${r.label} (${r.sub})`);
}

/** The filter form up to its text field (FILTER_FORM_END). */
function filterFormStart(verdicts: readonly Verdict[], ctx: ListContext): Raw {
  // One pass over the page's verdicts (up to verdictsPerPage of them, on hundreds of pages).
  const rowKeys = new Set<string>();
  const rows: MatrixRow[] = [];
  const ouSet = new Set<string>();
  const ruleSet = new Set<string>();
  for (const v of verdicts) {
    const key = rowKeyOf(v);
    const known = ctx.rows.get(key);
    if (!rowKeys.has(key)) {
      rowKeys.add(key);
      rows.push(known ?? { key, label: key, sub: key, ouPath: '' });
    }
    ouSet.add(known ? known.ouPath : (v.resource.ouPath ?? UNKNOWN_OU));
    ruleSet.add(v.ruleId);
  }
  rows.sort((a, b) => (a.key === ORGANIZATION_ROW ? -1 : b.key === ORGANIZATION_ROW ? 1 : compareStrings(a.label, b.label) || compareStrings(a.key, b.key)));
  const ous = [...ouSet].sort(compareStrings);
  const rules = [...ruleSet].sort(compareStrings);
  const controls = ctx.frameworks.flatMap((f) => f.controls.filter((c) => c.rules.length > 0).map((c) => ({ key: controlKey(f, c.controlId), label: `${f.id} ${c.controlId}`, rules: c.rules.join(' ') })));
  const rowOptions = rows.map((r) => (ctx.rows.get(r.key) === r ? piecesOf(r).option : rowOption(r)));
  return html`<form id="filters" role="search" aria-label="Filter verdicts">
<label>Status<select name="status">${option(FINDINGS, 'Findings: FAIL, ERROR, suppressed', ctx.defaultStatus === FINDINGS)}${option('', 'All statuses', ctx.defaultStatus === '')}${DISPLAY_STATUSES.map((s) => option(s, STATUS_LABEL[s], ctx.defaultStatus === s))}</select></label>
<label>Severity<select name="severity">${option('', 'All')}${SEVERITIES.map((s) => option(s, s))}</select></label>
<label>OU<select name="ou">${option('', 'All')}${ous.map((o) => option(o, o))}</select></label>
<label>Account<select name="row">${option('', 'All')}${rowOptions}</select></label>
<label>Rule<select name="rule">${option('', 'All')}${rules.map((r) => option(r, r))}</select></label>
${controls.length > 0 ? html`<label>Control<select name="control">${option('', 'All')}${controls.map((c) => html`<option value="${c.key}" data-rules="${c.rules}">${c.label}</option>`)}</select></label>` : ''}
`;
}

/**
 * The filter form's end, a piece of its own: its "…" would make the form's whole text two-byte,
 * with its list of accounts (up to a page's thousand), on every verdict page (one-byte.ts).
 */
const FILTER_FORM_END = `<label>Text<input type="search" name="q" placeholder="ARN, message…"></label>
<button type="reset">Reset</button>
<p id="shown" aria-live="polite"></p>
</form>`;

/** An account row's escaped pieces, the same in every verdict row of the account: made once per row object. */
interface RowPieces {
  ouPath: string;
  key: string;
  /** The verdict row's account cell. */
  cell: string;
  /** The account filter's choice (rowOption): an account is listed on every verdict page it has verdicts on. */
  option: Raw;
}

const rowPieces = new WeakMap<MatrixRow, RowPieces>();

function piecesOf(row: MatrixRow): RowPieces {
  let pieces = rowPieces.get(row);
  if (!pieces) rowPieces.set(row, (pieces = { ouPath: escapeHtml(row.ouPath), key: escapeHtml(row.key), cell: html`<td>${row.label}<span class="sub">${row.sub} · ${row.ouPath}</span></td>`.html, option: rowOption(row) }));
  return pieces;
}

/** Written out rather than as one html`` template: 150,000 rows at 10,000 accounts, each with an account cell made once per account (piecesOf). */
function verdictRow(v: Verdict, index: number, ctx: ListContext, evidence: PageEvidence): string {
  const rule = ctx.rules.get(v.ruleId);
  const row = piecesOf(rowOf(v, ctx));
  const status = displayStatus(v);
  const s = v.suppressed;
  const remediation = ctx.oneRule ? undefined : rule?.remediation.trim();
  const resource = v.resource;
  const severity = escapeHtml(v.severity);
  const ruleId = escapeHtml(v.ruleId);
  const title = ctx.oneRule ? '' : `<span class="sub">${escapeHtml(rule?.title ?? '')}</span>`;
  const region = resource.region ? ` (${escapeHtml(resource.region)})` : '';
  const suppression = s ? html`<p class="note">Suppressed by ${s.exceptionId} until ${s.expires}, approved by ${s.approver}: ${s.reason}</p>`.html : '';
  return `<tr data-status="${status}" data-severity="${severity}" data-ou="${row.ouPath}" data-rule="${ruleId}" data-row="${row.key}">
<td><span class="badge s-${status}">${STATUS_LABEL[status]}</span></td><td>${severity}</td>
<td><code>${ruleId}</code>${title}</td>
${row.cell}
<td>${escapeHtml(resource.name ?? resource.type)}<span class="sub token">${escapeHtml(resource.type)}: ${escapeHtml(resource.id)}${region}</span></td>
<td class="msg">${escapeHtml(v.message)}${suppression}
<details class="evidence"><summary>Evidence</summary>${evidence.forVerdict(index).html}</details>${remediation ? remediationBlock(remediation, rule?.helpUri).html : ''}</td>
</tr>`;
}

/** A rule's remediation behind a toggle: in each row of a page of many rules, once on a page of one rule. */
export function remediationBlock(remediation: string, helpUri: string | undefined): Raw {
  return html`<details><summary>Remediation</summary><pre>${remediation}</pre>${helpUri ? html`<p class="sub token">More: ${helpUri}</p>` : ''}</details>`;
}

/**
 * The filter form, the table (in reading order) and the page's shared evidence, as chunks: the
 * caller holds the verdicts of one page, the chunks are one row each.
 */
export function* verdictListChunks(verdicts: readonly Verdict[], ctx: ListContext): Generator<string> {
  const ordered = [...verdicts].sort(compareForReading);
  const evidence = new PageEvidence(ordered, ctx.evidenceTexts);
  yield filterFormStart(ordered, ctx).html;
  yield FILTER_FORM_END;
  yield '\n<table id="verdicts"><thead><tr><th scope="col">Status</th><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Account</th><th scope="col">Resource</th><th scope="col">Message, evidence, remediation</th></tr></thead>\n<tbody>';
  for (let i = 0; i < ordered.length; i++) yield verdictRow(ordered[i]!, i, ctx, evidence);
  yield '</tbody></table>';
  if (ordered.length === 0) yield '<p class="note">No verdicts.</p>';
  yield evidence.section().html;
}
