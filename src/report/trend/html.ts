/**
 * The trend as one self-contained HTML page: the SVG chart inline, the tables of the Markdown
 * rendering, no script, no network, no external stylesheet. (The scan's own HTML report is
 * report/html.ts; this page is only the trend's.)
 */
import { escapeXmlText as esc } from '../junit.ts';
import type { Trend } from './compute.ts';
import { MAX_FAILURE_ROWS } from './markdown.ts';
import { renderTrendSvg } from './svg.ts';
import { day, daysOpen, percent, seriesRow, STATUS_WORD } from './summary.ts';

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2328; margin: 24px; max-width: 1100px; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart { overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; }
code { font-size: 13px; }
@media print { .chart svg { max-width: 100%; } body { margin: 0; } }
`;

export function renderTrendHtml(trend: Trend): string {
  const p = trend.period;
  const overall = seriesRow({ id: 'overall', points: trend.overall });
  const title = `trailproof trend: ${trend.organization}, ${day(p.from)} to ${day(p.to)}`;
  const parts = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${esc(title)}</h1>`,
    `<p>${p.reports} reports over ${p.days} days. Overall pass rate ${percent(overall.first)} → ${percent(overall.last)} (lowest ${percent(overall.lowest)}${overall.lowestAt ? ` on ${day(overall.lowestAt)}` : ''}). Pass rate = PASS / (PASS + FAIL + ERROR).</p>`,
    `<div class="chart">${renderTrendSvg(trend)}</div>`,
  ];
  if (trend.controls.length > 0) {
    parts.push('<h2>Controls</h2>', table(['Framework', 'Control', 'Title', 'Days out of compliance', 'Days not assessed', 'Now'], trend.controls.map((c) => [c.framework, c.controlId, c.title, num(`${c.daysOutOfCompliance} of ${p.days}`), num(String(c.daysNotAssessed)), STATUS_WORD[c.statuses[c.statuses.length - 1]!.status]])));
  }
  const seriesHead = (what: string) => [what, 'First', 'Last', 'Lowest', 'FAIL now'];
  parts.push('<h2>Pass rate per rule</h2>', table(seriesHead('Rule'), trend.rules.map(seriesRow).map((r) => [r.id, num(percent(r.first)), num(percent(r.last)), num(percent(r.lowest)), num(String(r.failingNow))])));
  parts.push('<h2>Pass rate per OU</h2>', table(seriesHead('OU'), trend.ous.map(seriesRow).map((r) => [r.id, num(percent(r.first)), num(percent(r.last)), num(percent(r.lowest)), num(String(r.failingNow))])));
  const open = trend.failures.filter((f) => !f.fixed).length;
  parts.push(`<h2>Failures: first seen and fixed (${trend.failures.length}, ${open} still open)</h2>`);
  parts.push(
    table(
      ['Rule', 'Resource', 'Account', 'First seen', 'Fixed', 'Days open'],
      trend.failures.slice(0, MAX_FAILURE_ROWS).map((f) => [f.ruleId, f.resourceId, f.accountId, day(f.firstSeen), f.fixed ? `${day(f.fixed)}${f.fixedAs === 'PASS' ? '' : ` (${f.fixedAs})`}` : 'open', num(String(daysOpen(f, trend)))]),
    ),
  );
  if (trend.failures.length > MAX_FAILURE_ROWS) parts.push(`<p>…and ${trend.failures.length - MAX_FAILURE_ROWS} more; the JSON output lists every failure.</p>`);
  parts.push('</body>', '</html>', '');
  return parts.join('\n');
}

interface NumberCell {
  n: string;
}
const num = (n: string): NumberCell => ({ n });

function table(head: string[], rows: (string | NumberCell)[][]): string {
  const cell = (c: string | NumberCell) => (typeof c === 'string' ? `<td>${esc(c)}</td>` : `<td class="n">${esc(c.n)}</td>`);
  return `<table>\n<thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')}\n</tbody>\n</table>`;
}
