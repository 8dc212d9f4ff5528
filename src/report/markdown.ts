/**
 * Markdown summary for a CI job summary ($GITHUB_STEP_SUMMARY) or a pull-request comment.
 * Tables are capped so the output stays far below GitHub's 65,536-character comment limit.
 */
import type { ScanResult } from '../contracts/result.ts';
import { SEVERITIES } from '../contracts/verdict.ts';
import type { Severity, Verdict } from '../contracts/verdict.ts';
import { canonicalOrder, compareStrings } from '../contracts/order.ts';
import { gateSentence, oneLine, resourceLabel, sortedErrors, truncate } from './audit-common.ts';
import { accountList, controlStatusText, frameworkName, frameworkSummaryText } from './frameworks.ts';
import type { Formatter } from './types.ts';
import { emptyList } from '../shared/lists.ts';

/** Failing verdicts listed before "and N more". */
export const MAX_FAILURE_ROWS = 50;
/** ERROR verdicts and collection-error groups listed before "and N more". */
export const MAX_ERROR_ROWS = 20;
const MAX_MESSAGE_CHARS = 300;

/**
 * Text safe inside a Markdown table cell: HTML is shown, not rendered; Markdown punctuation is
 * literal; pipes do not split the cell; newlines become <br>.
 */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~#!])/g, '\\$1')
    .replace(/\r\n|\r|\n/g, '<br>');
}

function cellMessage(text: string): string {
  return escapeMarkdownCell(truncate(oneLine(text), MAX_MESSAGE_CHARS));
}

function gateIcon(result: ScanResult): string {
  return result.summary.exitCode === 1 ? '❌' : result.summary.exitCode === 3 ? '⚠️' : '✅';
}

function more(n: number, what: string): string[] {
  return n > 0 ? ['', `_…and ${n} more ${what}; see the full report._`] : [];
}

function countsTable(result: ScanResult): string[] {
  const c = result.summary.counts;
  return ['| PASS | FAIL | ERROR | N/A | Suppressed |', '|---:|---:|---:|---:|---:|', `| ${c.PASS} | ${c.FAIL - c.suppressed} | ${c.ERROR} | ${c.NOT_APPLICABLE} | ${c.suppressed} |`];
}

function context(result: ScanResult): string {
  const s = result.snapshot;
  const parts = [
    s.organizationId ? `organization \`${s.organizationId}\`` : undefined,
    `snapshot collected ${s.collectedAt} (${escapeMarkdownCell(s.source)})`,
    s.sha256 ? `sha256 \`${s.sha256}\`` : undefined,
    `${result.rules.length} rules (pack ${escapeMarkdownCell(result.rulePack.version)})`,
    `${result.scope.accountIds.length} accounts, ${result.scope.regions.length} regions`,
    result.scope.shard ? `shard ${escapeMarkdownCell(result.scope.shard)}` : undefined,
    `${escapeMarkdownCell(result.tool.name)} ${escapeMarkdownCell(result.tool.version)}`,
  ];
  return parts.filter((p) => p !== undefined).join(' · ');
}

/** The first `limit` items seen, and how many there were: a table of a few rows from a walk of every verdict. */
class FirstRows<T> {
  // A list of objects from the start (shared/lists.ts): add() is not met by a second hidden class per group.
  readonly rows = emptyList<T>();
  count = 0;

  constructor(private readonly limit: number) {}

  add(item: T): void {
    if (this.count++ < this.limit) this.rows.push(item);
  }
}

type FailingBySeverity = Map<Severity, FirstRows<Verdict>>;

function failureSection(failing: FailingBySeverity): string[] {
  const total = [...failing.values()].reduce((n, group) => n + group.count, 0);
  if (total === 0) return [];
  const lines = ['', `### Failing verdicts (${total})`];
  let budget = MAX_FAILURE_ROWS;
  for (const severity of SEVERITIES) {
    const group = failing.get(severity)!;
    if (group.count === 0 || budget === 0) continue;
    const shown = group.rows.slice(0, budget);
    budget -= shown.length;
    lines.push('', `#### ${severity} (${group.count})`, '', '| Rule | Resource | Account | Message |', '|---|---|---|---|');
    for (const v of shown) {
      lines.push(`| ${escapeMarkdownCell(v.ruleId)} | ${escapeMarkdownCell(resourceLabel(v))} | ${escapeMarkdownCell(v.resource.accountId)} | ${cellMessage(v.message)} |`);
    }
  }
  return [...lines, ...more(total - (MAX_FAILURE_ROWS - budget), 'failing verdicts')];
}

function errorSection(result: ScanResult, errored: FirstRows<Verdict>): string[] {
  const errors = sortedErrors(result);
  if (errored.count === 0 && errors.length === 0) return [];
  const lines = ['', '### Errors'];
  if (errored.count > 0) {
    lines.push('', `${errored.count} verdict${errored.count === 1 ? '' : 's'} could not be decided (ERROR):`, '', '| Rule | Resource | Reason |', '|---|---|---|');
    for (const v of errored.rows) {
      lines.push(`| ${escapeMarkdownCell(v.ruleId)} | ${escapeMarkdownCell(resourceLabel(v))} | ${cellMessage(v.message)} |`);
    }
    lines.push(...more(errored.count - MAX_ERROR_ROWS, 'ERROR verdicts'));
  }
  if (errors.length > 0) {
    const groups = new Map<string, { operation: string; code: string; scopes: Set<string> }>();
    for (const e of errors) {
      const key = `${e.operation}\u0000${e.code}`;
      const g = groups.get(key) ?? { operation: e.operation, code: e.code, scopes: new Set<string>() };
      g.scopes.add([e.accountId ?? 'organization', e.region].filter(Boolean).join(' '));
      groups.set(key, g);
    }
    const rows = [...groups.values()].sort((a, b) => compareStrings(a.operation, b.operation) || compareStrings(a.code, b.code));
    lines.push('', `${errors.length} collection error${errors.length === 1 ? '' : 's'}:`, '', '| Operation | Code | Where |', '|---|---|---|');
    for (const g of rows.slice(0, MAX_ERROR_ROWS)) {
      const where = [...g.scopes].sort(compareStrings);
      const shown = where.slice(0, 5).join(', ') + (where.length > 5 ? ` and ${where.length - 5} more` : '');
      lines.push(`| ${escapeMarkdownCell(g.operation)} | ${escapeMarkdownCell(g.code)} | ${escapeMarkdownCell(shown)} |`);
    }
    lines.push(...more(rows.length - MAX_ERROR_ROWS, 'kinds of collection error'));
  }
  return lines;
}

function exceptionSection(result: ScanResult): string[] {
  const notes = [...result.exceptionNotes].sort((a, b) => compareStrings(a.exceptionId, b.exceptionId));
  const suppressed = result.summary.counts.suppressed;
  if (notes.length === 0 && suppressed === 0) return [];
  const lines = ['', '### Exceptions', ''];
  if (suppressed > 0) lines.push(`${suppressed} FAIL verdict${suppressed === 1 ? ' is' : 's are'} suppressed by an exception (kept in the full report).`);
  if (notes.length > 0) {
    lines.push('', '| Exception | Problem | Rule | Resource | Expires |', '|---|---|---|---|---|');
    for (const n of notes) {
      lines.push(`| ${escapeMarkdownCell(n.exceptionId)} | ${n.kind} | ${escapeMarkdownCell(n.rule)} | ${escapeMarkdownCell(n.resource)} | ${escapeMarkdownCell(n.expires)} |`);
    }
  }
  return lines;
}

/** Failing accounts shown in a control's row before "and N more". */
const MAX_CONTROL_ACCOUNTS = 5;

/** One compliance table per framework selected with --framework. */
function frameworkSections(result: ScanResult): string[] {
  const lines: string[] = [];
  for (const framework of result.frameworks ?? []) {
    lines.push('', `### Compliance: ${escapeMarkdownCell(frameworkName(framework))}`, '', `${frameworkSummaryText(framework)} (pack \`${escapeMarkdownCell(framework.id)}\`).`);
    lines.push('', '| Control | Title | Status | Failing accounts | Rules or manual check |', '|---|---|---|---|---|');
    for (const c of framework.controls) {
      const accounts = accountList(c.failingAccounts, MAX_CONTROL_ACCOUNTS) || (c.erroredAccounts.length ? `ERROR in ${accountList(c.erroredAccounts, MAX_CONTROL_ACCOUNTS)}` : '');
      const basis = c.rules.length > 0 ? c.rules.join(', ') : `manual: ${c.manualCheck ?? ''}`;
      lines.push(`| ${escapeMarkdownCell(c.controlId)} | ${cellMessage(c.title)} | ${STATUS_ICON[c.status]} ${escapeMarkdownCell(controlStatusText(c))} | ${escapeMarkdownCell(accounts)} | ${cellMessage(basis)} |`);
    }
  }
  return lines;
}

const STATUS_ICON = { satisfied: '✅', 'not-satisfied': '❌', 'not-assessed': '⚠️' } as const;

export function renderMarkdown(result: ScanResult): string {
  return [...markdownChunks(result)].join('');
}

/** Verdicts read between two empty chunks (markdownChunks). */
const PACE_VERDICTS = 64;

/**
 * The summary is one piece of text written after one walk of the verdicts. The walk yields an
 * empty chunk every PACE_VERDICTS verdicts: the report writer takes turns between the formats
 * chunk by chunk (write-formats.ts), so this walk keeps in step with theirs and reads their
 * verdicts (lockstep.ts) instead of reading and parsing a spooled list once more on its own.
 */
function* markdownChunks(result: ScanResult): Generator<string> {
  const failing: FailingBySeverity = new Map(SEVERITIES.map((s) => [s, new FirstRows<Verdict>(MAX_FAILURE_ROWS)]));
  const errored = new FirstRows<Verdict>(MAX_ERROR_ROWS);
  let read = 0;
  for (const v of canonicalOrder(result).verdicts) {
    if (v.status === 'FAIL' && !v.suppressed) failing.get(v.severity)!.add(v);
    else if (v.status === 'ERROR') errored.add(v);
    if (++read % PACE_VERDICTS === 0) yield '';
  }
  yield markdownText(result, failing, errored);
}

function markdownText(result: ScanResult, failing: FailingBySeverity, errored: FirstRows<Verdict>): string {
  const lines = [
    `## ${gateIcon(result)} trailproof: ${escapeMarkdownCell(gateSentence(result))}`,
    '',
    ...countsTable(result),
    '',
    context(result),
    ...frameworkSections(result),
    ...failureSection(failing),
    ...errorSection(result, errored),
    ...exceptionSection(result),
  ];
  return lines.join('\n') + '\n';
}

export const markdownFormatter: Formatter = {
  name: 'md',
  fileName: 'trailproof.md',
  description: 'Markdown summary for a CI job summary or a pull-request comment',
  // writeReports of this format alone at 10,000 accounts: 0.40 / 0.43 s CPU (min / median of 3; types.ts).
  cost: 0.4,
  render: (result) => renderMarkdown(result),
  renderChunks: (result) => markdownChunks(result),
};
