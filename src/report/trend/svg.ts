/**
 * The trend chart, drawn here as plain SVG (no library, no network, no script): pass rate over
 * time, overall and per rule, and below it one strip per control, a cell per report coloured by
 * its status. Coordinates are rounded to 0.1 so the same trend gives the same bytes.
 */
import { escapeXmlAttr, escapeXmlText } from '../junit.ts';
import type { ControlStatus } from '../../contracts/frameworks.ts';
import type { Point, Trend } from './compute.ts';
import { day, percent } from './summary.ts';

const WIDTH = 960;
const PLOT = { left: 56, top: 40, width: 600, height: 240 };
const LEGEND_X = PLOT.left + PLOT.width + 24;
const STRIP_HEIGHT = 14;
const STRIP_GAP = 4;

/** Colour-blind-safe palette (Okabe–Ito, then Tol's muted); past it, dashes tell lines apart. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499'];
const DASHES = ['', '6 3', '2 2'];
const STATUS_FILL: Record<ControlStatus, string> = { satisfied: '#1a7f37', 'not-satisfied': '#cf222e', 'not-assessed': '#9a6700' };

const r1 = (n: number) => (Math.round(n * 10) / 10).toString();

export function renderTrendSvg(trend: Trend): string {
  const t0 = Date.parse(trend.period.from);
  const span = Math.max(1, Date.parse(trend.period.to) - t0);
  const x = (at: string) => PLOT.left + (trend.reports.length === 1 ? PLOT.width / 2 : ((Date.parse(at) - t0) / span) * PLOT.width);
  const y = (rate: number) => PLOT.top + (1 - rate) * PLOT.height;

  const legendRows = trend.rules.length + 1;
  const chartBottom = Math.max(PLOT.top + PLOT.height + 40, PLOT.top + legendRows * 18 + 10);
  const stripsTop = chartBottom + (trend.controls.length > 0 ? 28 : 0);
  const height = stripsTop + trend.controls.length * (STRIP_HEIGHT + STRIP_GAP) + 16;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${r1(height)}" viewBox="0 0 ${WIDTH} ${r1(height)}" role="img" aria-labelledby="trend-title" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<title id="trend-title">${escapeXmlText(`Pass rate of ${trend.organization}, ${day(trend.period.from)} to ${day(trend.period.to)}`)}</title>`,
    `<rect width="${WIDTH}" height="${r1(height)}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="22" font-size="15" font-weight="600" fill="#1f2328">${escapeXmlText(`Pass rate, ${day(trend.period.from)} to ${day(trend.period.to)} (${trend.period.reports} reports)`)}</text>`,
  ];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(`<line x1="${PLOT.left}" x2="${PLOT.left + PLOT.width}" y1="${r1(y(tick))}" y2="${r1(y(tick))}" stroke="#d0d7de" stroke-width="1"/>`);
    out.push(`<text x="${PLOT.left - 8}" y="${r1(y(tick) + 4)}" text-anchor="end" fill="#57606a">${tick * 100}%</text>`);
  }
  for (const at of dateTicks(trend)) {
    out.push(`<text x="${r1(x(at))}" y="${PLOT.top + PLOT.height + 18}" text-anchor="middle" fill="#57606a">${day(at)}</text>`);
  }
  trend.rules.forEach((rule, i) => {
    out.push(line(rule.points, x, y, PALETTE[i % PALETTE.length]!, DASHES[Math.floor(i / PALETTE.length) % DASHES.length]!, 1.5, rule.id));
  });
  out.push(line(trend.overall, x, y, '#1f2328', '', 3, 'overall'));

  out.push(legendEntry(0, '#1f2328', '', 3, `overall (${percent(trend.overall[trend.overall.length - 1]?.passRate)})`));
  trend.rules.forEach((rule, i) => {
    const last = rule.points[rule.points.length - 1]?.passRate;
    out.push(legendEntry(i + 1, PALETTE[i % PALETTE.length]!, DASHES[Math.floor(i / PALETTE.length) % DASHES.length]!, 1.5, `${rule.id} (${percent(last)})`));
  });

  if (trend.controls.length > 0) {
    out.push(`<text x="${PLOT.left}" y="${stripsTop - 10}" font-weight="600" fill="#1f2328">Controls per report: <tspan fill="${STATUS_FILL.satisfied}">■ satisfied</tspan> <tspan fill="${STATUS_FILL['not-satisfied']}">■ not satisfied</tspan> <tspan fill="${STATUS_FILL['not-assessed']}">■ not assessed</tspan></text>`);
    const cell = trend.reports.length === 1 ? PLOT.width : PLOT.width / trend.reports.length;
    trend.controls.forEach((control, row) => {
      const top = stripsTop + row * (STRIP_HEIGHT + STRIP_GAP);
      out.push(`<text x="${LEGEND_X}" y="${r1(top + STRIP_HEIGHT - 3)}" fill="#1f2328">${escapeXmlText(`${control.framework} ${control.controlId}: ${control.daysOutOfCompliance} days out`)}</text>`);
      // Adjacent reports of one status are drawn as one rectangle; a report without this control leaves a gap.
      const byReport = new Map(control.statuses.map((st) => [st.at, st.status]));
      const statuses = trend.reports.map((r) => byReport.get(r.at));
      let runStart = 0;
      for (let k = 1; k <= statuses.length; k++) {
        if (k < statuses.length && statuses[k] === statuses[runStart]) continue;
        const status = statuses[runStart];
        if (status) {
          const label = `${control.controlId} ${status} from ${day(trend.reports[runStart]!.at)} to ${day(trend.reports[k - 1]!.at)}`;
          out.push(`<rect x="${r1(PLOT.left + runStart * cell)}" y="${r1(top)}" width="${r1(Math.max((k - runStart) * cell, 0.5))}" height="${STRIP_HEIGHT}" fill="${STATUS_FILL[status]}"><title>${escapeXmlText(label)}</title></rect>`);
        }
        runStart = k;
      }
    });
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function line(points: readonly Point[], x: (at: string) => number, y: (r: number) => number, colour: string, dash: string, width: number, label: string): string {
  // A report where nothing was decided breaks the line instead of dropping it to zero.
  const segments: string[] = [];
  let current: string[] = [];
  for (const p of points) {
    if (p.passRate === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
    } else current.push(`${r1(x(p.at))},${r1(y(p.passRate))}`);
  }
  if (current.length) segments.push(current.join(' '));
  const dashAttr = dash ? ` stroke-dasharray="${dash}"` : '';
  return segments
    .map((pts) => (pts.includes(' ') ? `<polyline points="${pts}" fill="none" stroke="${colour}" stroke-width="${width}"${dashAttr} stroke-linejoin="round"><title>${escapeXmlText(label)}</title></polyline>` : `<circle cx="${pts.split(',')[0]}" cy="${pts.split(',')[1]}" r="${width + 1}" fill="${colour}"><title>${escapeXmlText(label)}</title></circle>`))
    .join('\n');
}

function legendEntry(row: number, colour: string, dash: string, width: number, label: string): string {
  const top = PLOT.top + row * 18;
  const dashAttr = dash ? ` stroke-dasharray="${dash}"` : '';
  return `<line x1="${LEGEND_X}" x2="${LEGEND_X + 24}" y1="${top + 4}" y2="${top + 4}" stroke="${colour}" stroke-width="${width}"${dashAttr}/><text x="${LEGEND_X + 30}" y="${top + 8}" fill="#1f2328">${escapeXmlAttr(label)}</text>`;
}

/** Up to six report times, evenly spread, first and last included. */
function dateTicks(trend: Trend): string[] {
  const n = trend.reports.length;
  const count = Math.min(6, n);
  const picks = new Set<number>();
  for (let i = 0; i < count; i++) picks.add(count === 1 ? 0 : Math.round((i * (n - 1)) / (count - 1)));
  return [...picks].sort((a, b) => a - b).map((i) => trend.reports[i]!.at);
}
