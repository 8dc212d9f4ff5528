/** Figures every trend rendering shows, computed once from a Trend. */
import type { ControlStatus } from '../../contracts/frameworks.ts';
import type { FailureEpisode, Point, SeriesOf, Trend } from './compute.ts';

export const day = (at: string): string => at.slice(0, 10);

/** "87.5%" or "–" when nothing was decided. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line sparkline of pass rates (a space where nothing was decided). */
export function sparkline(points: readonly Point[], width = 30): string {
  if (points.length === 0) return '';
  const step = Math.max(1, Math.ceil(points.length / width));
  let out = '';
  for (let i = 0; i < points.length; i += step) {
    const rates = points.slice(i, i + step).map((p) => p.passRate).filter((r): r is number => r !== null);
    out += rates.length === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor(Math.min(...rates) * (BARS.length - 1) + 0.5))];
  }
  return out;
}

export interface SeriesRow {
  id: string;
  title?: string;
  first: number | null;
  last: number | null;
  lowest: number | null;
  lowestAt?: string;
  failingNow: number;
  spark: string;
}

export function seriesRow(s: SeriesOf): SeriesRow {
  let lowest: Point | undefined;
  for (const p of s.points) if (p.passRate !== null && (lowest === undefined || p.passRate < lowest.passRate!)) lowest = p;
  const last = s.points[s.points.length - 1];
  return {
    id: s.id,
    ...(s.title ? { title: s.title } : {}),
    first: s.points[0]?.passRate ?? null,
    last: last?.passRate ?? null,
    lowest: lowest?.passRate ?? null,
    ...(lowest ? { lowestAt: lowest.at } : {}),
    failingNow: last ? last.counts.FAIL : 0,
    spark: sparkline(s.points),
  };
}

/** Calendar days from a failure's first report to the report that fixed it (or the last report). */
export function daysOpen(f: FailureEpisode, trend: Trend): number {
  const end = f.fixed ?? trend.period.to;
  return Math.round((Date.parse(`${day(end)}T00:00:00Z`) - Date.parse(`${day(f.firstSeen)}T00:00:00Z`)) / 86_400_000);
}

export const STATUS_WORD: Record<ControlStatus, string> = { satisfied: 'satisfied', 'not-satisfied': 'not satisfied', 'not-assessed': 'not assessed' };
