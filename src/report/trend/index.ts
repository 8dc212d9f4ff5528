/** `report trend`: reports over time → Markdown, JSON, an SVG chart and an HTML page embedding it. */
import type { Trend } from './compute.ts';
import { renderTrendHtml } from './html.ts';
import { renderTrendMarkdown } from './markdown.ts';
import { renderTrendSvg } from './svg.ts';

export { buildTrend } from './build.ts';
export type { Trend } from './compute.ts';
export { TREND_FILE_STEM } from './names.ts';

export const TREND_FORMATS = ['md', 'json', 'svg', 'html'] as const;
export type TrendFormat = (typeof TREND_FORMATS)[number];

export function renderTrend(trend: Trend, format: TrendFormat): string {
  switch (format) {
    case 'md':
      return renderTrendMarkdown(trend);
    case 'json':
      return `${JSON.stringify(trend, null, 2)}\n`;
    case 'svg':
      return renderTrendSvg(trend);
    case 'html':
      return renderTrendHtml(trend);
  }
}
