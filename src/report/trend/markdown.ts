/** `report trend` as Markdown: what changed over the period, for a job summary or an audit file. */
import { escapeMarkdownCell } from '../markdown.ts';
import type { Trend } from './compute.ts';
import { day, daysOpen, percent, seriesRow, STATUS_WORD, type SeriesRow } from './summary.ts';

/** Failure rows listed before "and N more" (the JSON output has them all). */
export const MAX_FAILURE_ROWS = 200;

export function renderTrendMarkdown(trend: Trend): string {
  const p = trend.period;
  const overall = seriesRow({ id: 'overall', points: trend.overall });
  const lines = [
    `## trailproof trend: ${escapeMarkdownCell(trend.organization)}, ${day(p.from)} to ${day(p.to)}`,
    '',
    `${p.reports} report${p.reports === 1 ? '' : 's'} over ${p.days} day${p.days === 1 ? '' : 's'}. Overall pass rate ${percent(overall.first)} → ${percent(overall.last)} (lowest ${percent(overall.lowest)}${overall.lowestAt ? ` on ${day(overall.lowestAt)}` : ''}). Pass rate = PASS / (PASS + FAIL + ERROR).`,
  ];
  if (trend.controls.length > 0) {
    lines.push('', '### Controls', '', '| Framework | Control | Title | Days out of compliance | Days not assessed | Now |', '|---|---|---|---:|---:|---|');
    for (const c of trend.controls) {
      const now = c.statuses[c.statuses.length - 1]!.status;
      lines.push(`| ${escapeMarkdownCell(c.framework)} | ${escapeMarkdownCell(c.controlId)} | ${escapeMarkdownCell(c.title)} | ${c.daysOutOfCompliance} of ${p.days} | ${c.daysNotAssessed} | ${STATUS_WORD[now]} |`);
    }
  }
  lines.push('', '### Pass rate per rule', '', ...seriesTable(trend.rules.map(seriesRow), 'Rule'));
  lines.push('', '### Pass rate per OU', '', ...seriesTable(trend.ous.map(seriesRow), 'OU'));
  const open = trend.failures.filter((f) => !f.fixed).length;
  lines.push('', `### Failures: first seen and fixed (${trend.failures.length}, ${open} still open)`);
  if (trend.failures.length > 0) {
    lines.push('', '| Rule | Resource | Account | First seen | Fixed | Days open |', '|---|---|---|---|---|---:|');
    for (const f of trend.failures.slice(0, MAX_FAILURE_ROWS)) {
      const fixed = f.fixed ? `${day(f.fixed)}${f.fixedAs === 'PASS' ? '' : ` (${f.fixedAs})`}` : 'open';
      lines.push(`| ${escapeMarkdownCell(f.ruleId)} | ${escapeMarkdownCell(f.resourceId)} | ${escapeMarkdownCell(f.accountId)} | ${day(f.firstSeen)} | ${escapeMarkdownCell(fixed)} | ${daysOpen(f, trend)} |`);
    }
    if (trend.failures.length > MAX_FAILURE_ROWS) lines.push('', `_…and ${trend.failures.length - MAX_FAILURE_ROWS} more; the JSON output lists every failure._`);
  }
  return `${lines.join('\n')}\n`;
}

function seriesTable(rows: SeriesRow[], what: string): string[] {
  return [
    `| ${what} | First | Last | Lowest | FAIL now | Over the period |`,
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${escapeMarkdownCell(r.id)} | ${percent(r.first)} | ${percent(r.last)} | ${percent(r.lowest)} | ${r.failingNow} | \`${r.spark}\` |`),
  ];
}
