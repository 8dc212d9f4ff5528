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
import { escapeHtml, html, raw, type Raw } from './escape.ts';
import { type EvidenceTexts, PageEvidence } from './evidence.ts';

/** The status filter's first choice, and the default of the full report: what needs attention. */
export const FINDINGS = 'findings';

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

/** A row missing from the context's rows has no rank. */
const UNRANKED = -1;

/**
 * A verdict's account row as the page uses it, from one lookup of its key: the row, its rank
 * (RankedRows) and its escaped pieces once made. A row missing from the context's rows is made for
 * each of its verdicts, with the verdict's own OU path.
 */
function entryOf(v: Verdict, ranked: RankedRows): RowEntry {
  const key = rowKeyOf(v);
  return ranked.byKey.get(key) ?? { row: { key, label: key, sub: key, ouPath: v.resource.ouPath ?? UNKNOWN_OU }, rank: UNRANKED, pieces: undefined };
}

/** The account filter's choice of a row. */
function rowOption(r: MatrixRow): Raw {
  return option(r.key, r.key === r.label ? r.key : `${r.label} (${r.sub})`);
}

function compareRows(a: MatrixRow, b: MatrixRow): number {
  return a.key === ORGANIZATION_ROW ? -1 : b.key === ORGANIZATION_ROW ? 1 : compareStrings(a.label, b.label) || compareStrings(a.key, b.key);
}

/**
 * The known rows in compareRows's order, with each one's place in it, made once per context's
 * rows: a verdict page sorts up to hundreds of accounts, and comparing their names again on each
 * of hundreds of pages cost more than the rest of the filter form. `listedOn` marks the rows a
 * page has listed (with the page's number), in place of a set per page.
 */
interface RankedRows {
  byRank: RowEntry[];
  /**
   * The entries by row key: a page's verdict finds its row, rank and pieces with one lookup (each
   * was a lookup of its own in a map of every account, ~5 % of writing HTML at 35,000 accounts).
   */
  byKey: Map<string, RowEntry>;
  listedOn: Int32Array;
  pages: number;
}

interface RowEntry {
  row: MatrixRow;
  /** Its place in compareRows's order of the context's rows, or UNRANKED. */
  rank: number;
  /** Made when a verdict row first shows the account (piecesOf). */
  pieces: RowPieces | undefined;
}

const rankedRowsOf = new WeakMap<ReadonlyMap<string, MatrixRow>, RankedRows>();

function rankedRows(rows: ReadonlyMap<string, MatrixRow>): RankedRows {
  let ranked = rankedRowsOf.get(rows);
  if (!ranked) {
    const byRank = [...rows.values()].sort(compareRows).map((row, rank): RowEntry => ({ row, rank, pieces: undefined }));
    const entryOfRow = new Map(byRank.map((entry) => [entry.row, entry]));
    const byKey = new Map([...rows].map(([key, row]) => [key, entryOfRow.get(row)!]));
    rankedRowsOf.set(rows, (ranked = { byRank, byKey, listedOn: new Int32Array(byRank.length), pages: 0 }));
  }
  return ranked;
}

/** The status and severity choices, the same on every page of a report (one per default status). */
const fixedChoices = new Map<string, string>();

function statusAndSeverityChoices(defaultStatus: string): string {
  let choices = fixedChoices.get(defaultStatus);
  if (choices === undefined) {
    choices = html`<label>Status<select name="status">${option(FINDINGS, 'Findings: FAIL, ERROR, suppressed', defaultStatus === FINDINGS)}${option('', 'All statuses', defaultStatus === '')}${DISPLAY_STATUSES.map((s) => option(s, STATUS_LABEL[s], defaultStatus === s))}</select></label>
<label>Severity<select name="severity">${option('', 'All')}${SEVERITIES.map((s) => option(s, s))}</select></label>`.html;
    fixedChoices.set(defaultStatus, choices);
  }
  return choices;
}

/** The filter form up to its text field (FILTER_FORM_END); `rows[i]` is the row of `verdicts[i]` (entryOf). */
function filterFormStart(verdicts: readonly Verdict[], rows: readonly RowEntry[], ranked: RankedRows, ctx: ListContext): Raw {
  // One pass over the page's verdicts (up to verdictsPerPage of them, on hundreds of pages).
  const page = ++ranked.pages;
  const ranks: number[] = [];
  const unknownKeys = new Set<string>();
  const unknown: RowEntry[] = [];
  const ouSet = new Set<string>();
  const ruleSet = new Set<string>();
  // A verdict page lists one rule, and a row's verdicts often follow each other: each set is
  // added to only when the rule or the row changes.
  let lastRule: string | undefined;
  let lastRow: RowEntry | undefined;
  for (let i = 0; i < verdicts.length; i++) {
    const ruleId = verdicts[i]!.ruleId;
    if (ruleId !== lastRule) ruleSet.add((lastRule = ruleId));
    const entry = rows[i]!;
    if (entry === lastRow) continue;
    lastRow = entry;
    const row = entry.row;
    const rank = entry.rank;
    if (rank !== UNRANKED) {
      // A known row is one object for all its verdicts, its OU path the same each time.
      if (ranked.listedOn[rank] === page) continue;
      ranked.listedOn[rank] = page;
      ranks.push(rank);
    } else if (!unknownKeys.has(row.key)) {
      // An unknown row is made for each of its verdicts (entryOf), with the verdict's own OU path.
      unknownKeys.add(row.key);
      unknown.push(entry);
    }
    ouSet.add(row.ouPath);
  }
  const known = Int32Array.from(ranks).sort();
  const choices = Array.from(known, (rank) => ranked.byRank[rank]!);
  if (unknown.length > 0) {
    choices.push(...unknown);
    choices.sort((a, b) => compareRows(a.row, b.row));
  }
  const ous = [...ouSet].sort(compareStrings);
  const rules = [...ruleSet].sort(compareStrings);
  const controls = ctx.frameworks.flatMap((f) => f.controls.filter((c) => c.rules.length > 0).map((c) => ({ key: controlKey(f, c.controlId), label: `${f.id} ${c.controlId}`, rules: c.rules.join(' ') })));
  const rowOptions = choices.map((entry) => (entry.rank !== UNRANKED ? piecesOf(entry).option : rowOption(entry.row)));
  return html`<form id="filters" role="search" aria-label="Filter verdicts">
${raw(statusAndSeverityChoices(ctx.defaultStatus))}
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

function piecesOf(entry: RowEntry): RowPieces {
  const row = entry.row;
  return (entry.pieces ??= { ouPath: escapeHtml(row.ouPath), key: escapeHtml(row.key), cell: html`<td>${row.label}<span class="sub">${row.sub} · ${row.ouPath}</span></td>`.html, option: rowOption(row) });
}

/**
 * A verdict's reading key: its status's place in DISPLAY_STATUSES, then its severity's in
 * SEVERITIES (each -1 when not there, as indexOf gives), in one number ordered as the pair.
 */
function readingKey(v: Verdict): number {
  return DISPLAY_STATUSES.indexOf(displayStatus(v)) * 8 + severityIndex(v.severity);
}

const UNKNOWN_KEY = -1;

/**
 * The verdicts in reading order: failures first (by status, then severity: readingKey), then in
 * canonical order; each key made once rather than in each comparison.
 */
function inReadingOrder(verdicts: readonly Verdict[]): { ordered: Verdict[]; keys: number[] } {
  const keys = verdicts.map(readingKey);
  const order = verdicts.map((_, i) => i);
  order.sort((a, b) => keys[a]! - keys[b]! || compareVerdicts(verdicts[a]!, verdicts[b]!));
  return { ordered: order.map((i) => verdicts[i]!), keys: order.map((i) => keys[i]!) };
}

/**
 * A verdict row's texts before and between its account's pieces, the same for every verdict of a
 * rule with one status and severity: made once per (rule, status, severity) of a list context.
 */
interface RowHead {
  /** `<tr data-status=… data-severity=… data-ou="` */
  open: string;
  /** `" data-rule=… data-row="` */
  rule: string;
  /** From the end of the tr tag to the account cell. */
  cells: string;
  /** The rule's remediation toggle, or ''. */
  remediation: string;
}

/** Per rule id, per reading key. */
type RowHeads = Map<string, Map<number, RowHead>>;

const rowHeadsOfContext = new WeakMap<ListContext, RowHeads>();

function rowHeadsOf(ctx: ListContext): RowHeads {
  let heads = rowHeadsOfContext.get(ctx);
  if (!heads) rowHeadsOfContext.set(ctx, (heads = new Map()));
  return heads;
}

function rowHead(v: Verdict, readingKey: number, ctx: ListContext, byRule: RowHeads): RowHead {
  // A status or severity outside the lists (-1 in readingKey) gets its texts made each time.
  const known = readingKey >= 0 && readingKey % 8 !== 7 ? readingKey : UNKNOWN_KEY;
  let byKey = byRule.get(v.ruleId);
  if (!byKey) byRule.set(v.ruleId, (byKey = new Map()));
  let head = known === UNKNOWN_KEY ? undefined : byKey.get(known);
  if (!head) {
    head = makeRowHead(v, ctx);
    if (known !== UNKNOWN_KEY) byKey.set(known, head);
  }
  return head;
}

function makeRowHead(v: Verdict, ctx: ListContext): RowHead {
  const rule = ctx.rules.get(v.ruleId);
  const status = displayStatus(v);
  const remediation = ctx.oneRule ? undefined : rule?.remediation.trim();
  const severity = escapeHtml(v.severity);
  const ruleId = escapeHtml(v.ruleId);
  const title = ctx.oneRule ? '' : `<span class="sub">${escapeHtml(rule?.title ?? '')}</span>`;
  return {
    open: `<tr data-status="${status}" data-severity="${severity}" data-ou="`,
    rule: `" data-rule="${ruleId}" data-row="`,
    cells: `">
<td><span class="badge s-${status}">${STATUS_LABEL[status]}</span></td><td>${severity}</td>
<td><code>${ruleId}</code>${title}</td>
`,
    remediation: remediation ? remediationBlock(remediation, rule?.helpUri).html : '',
  };
}

/**
 * A verdict row's start, up to its account cell: every piece of it ASCII as a rule (the account's
 * OU path and key, the rule's texts), so V8 copies it to UTF-8 rather than encoding it character
 * by character. Written out rather than as one html`` template: 150,000 rows at 10,000 accounts,
 * the account's pieces made once per account (piecesOf) and the rule's once per rule, status and
 * severity (rowHead).
 */
function verdictRowHead(head: RowHead, row: RowPieces): string {
  return `${head.open}${row.ouPath}${head.rule}${row.key}${head.cells}`;
}

/** The rest of a verdict row: resource, message, evidence and the rule's remediation toggle. */
function verdictRowEnd(v: Verdict, index: number, head: RowHead, evidence: PageEvidence): string {
  const s = v.suppressed;
  const resource = v.resource;
  // A resource without a name shows its type twice: escaped once. Each member read once (a
  // resource's hidden class is one of many: every read is a megamorphic lookup).
  const resourceType = resource.type;
  const type = escapeHtml(resourceType);
  const shown = resource.name ?? resourceType;
  const name = shown === resourceType ? type : escapeHtml(shown);
  const resourceRegion = resource.region;
  const region = resourceRegion ? ` (${escapeHtml(resourceRegion)})` : '';
  const suppression = s ? html`<p class="note">Suppressed by ${s.exceptionId} until ${s.expires}, approved by ${s.approver}: ${s.reason}</p>`.html : '';
  return `
<td>${name}<span class="sub token">${type}: ${escapeHtml(resource.id)}${region}</span></td>
<td class="msg">${escapeHtml(v.message)}${suppression}
<details class="evidence"><summary>Evidence</summary>${evidence.forVerdict(index)}</details>${head.remediation}</td>
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
  const { ordered, keys } = inReadingOrder(verdicts);
  const ranked = rankedRows(ctx.rows);
  const rows = ordered.map((v) => entryOf(v, ranked));
  const evidence = new PageEvidence(ordered, ctx.evidenceTexts);
  yield filterFormStart(ordered, rows, ranked, ctx).html;
  yield FILTER_FORM_END;
  const heads = rowHeadsOf(ctx);
  // Two chunks a row: the account cell, with its " · " (and any name beyond ASCII), which sends
  // its whole string through V8's slow UTF-8 path, one character at a time, and the rest, joined
  // across rows: a row's end (resource, message, evidence: most of its bytes) with the next row's
  // head, ASCII as a rule and copied to UTF-8 whole. The cell is one string per account, made
  // once (piecesOf): flattened by its first write, never again (the head and end are new strings).
  let ascii = '\n<table id="verdicts"><thead><tr><th scope="col">Status</th><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Account</th><th scope="col">Resource</th><th scope="col">Message, evidence, remediation</th></tr></thead>\n<tbody>';
  for (let i = 0; i < ordered.length; i++) {
    const v = ordered[i]!;
    const head = rowHead(v, keys[i]!, ctx, heads);
    const row = piecesOf(rows[i]!);
    yield ascii + verdictRowHead(head, row);
    yield row.cell;
    ascii = verdictRowEnd(v, i, head, evidence);
  }
  yield ascii + '</tbody></table>';
  if (ordered.length === 0) yield '<p class="note">No verdicts.</p>';
  yield evidence.section().html;
}
