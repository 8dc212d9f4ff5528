/**
 * A trend over reports in snapshot-time order: pass rate per rule, per OU and per control at each
 * report; each failure (rule + resource) from the report it was first seen in to the report it was
 * fixed in; and, per control, the days of the period it was out of compliance.
 *
 * Definitions (docs/report-formats.md, "report trend"):
 * - pass rate = PASS / (PASS + FAIL + ERROR); NOT_APPLICABLE is left out, a suppressed FAIL and an
 *   ERROR count as not passing (null when nothing was decided);
 * - a failure is open from the first report with an unsuppressed FAIL of that rule on that
 *   resource, and fixed at the first later report where that verdict is PASS, NOT_APPLICABLE,
 *   suppressed, or absent (resource gone); an ERROR does not fix it (fail closed: not known fixed);
 * - the period is the calendar days from the first report's day to the last's, inclusive; a day
 *   takes the status of the reports made on it (out of compliance if any of them says
 *   not-satisfied), or else of the last report before it.
 */
import type { ControlStatus } from '../../contracts/frameworks.ts';
import { compareStrings } from '../../contracts/order.ts';
import type { ReportDigest, VerdictDigest } from './read-report.ts';

export interface Tally {
  PASS: number;
  FAIL: number;
  ERROR: number;
  NOT_APPLICABLE: number;
}

export interface Point {
  /** The snapshot's collection time (ISO 8601). */
  at: string;
  passRate: number | null;
  counts: Tally;
}

export interface SeriesOf {
  id: string;
  title?: string;
  points: Point[];
}

export interface ControlSeries {
  framework: string;
  controlId: string;
  title: string;
  statuses: { at: string; status: ControlStatus }[];
  daysOutOfCompliance: number;
  /** Days whose status was not-assessed (an ERROR, a manual control, no verdicts). */
  daysNotAssessed: number;
}

export interface FailureEpisode {
  ruleId: string;
  resourceId: string;
  accountId: string;
  firstSeen: string;
  /** The collection time of the report that no longer shows it; absent while it is still open. */
  fixed?: string;
  /** What the verdict was when it stopped failing: PASS, NOT_APPLICABLE, suppressed or absent. */
  fixedAs?: 'PASS' | 'NOT_APPLICABLE' | 'suppressed' | 'absent';
}

export interface Trend {
  organization: string;
  period: { from: string; to: string; days: number; reports: number };
  reports: { at: string; file: string }[];
  overall: Point[];
  rules: SeriesOf[];
  ous: SeriesOf[];
  controls: ControlSeries[];
  failures: FailureEpisode[];
}

const emptyTally = (): Tally => ({ PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 });

function passRate(t: Tally): number | null {
  const decided = t.PASS + t.FAIL + t.ERROR;
  return decided === 0 ? null : t.PASS / decided;
}

const ORGANIZATION_LEVEL = '(organization)';

/** Builds a trend one report at a time; only the open failures are kept between reports. */
export class TrendBuilder {
  private readonly reports: Trend['reports'] = [];
  private readonly overall: Point[] = [];
  private readonly rules = new Map<string, SeriesOf>();
  private readonly ous = new Map<string, SeriesOf>();
  private readonly controls = new Map<string, ControlSeries>();
  private readonly open = new Map<string, FailureEpisode>();
  private readonly closed: FailureEpisode[] = [];

  constructor(private readonly organization: string) {}

  add(file: string, digest: ReportDigest): void {
    const at = digest.report.snapshot.collectedAt;
    this.reports.push({ at, file });
    for (const r of digest.report.rules) if (!this.rules.has(r.id)) this.rules.set(r.id, { id: r.id, title: r.title, points: [] });

    const total = emptyTally();
    const byRule = new Map<string, Tally>();
    const byOu = new Map<string, Tally>();
    const stillFailing = new Map<string, VerdictDigest | undefined>();
    for (const key of this.open.keys()) stillFailing.set(key, undefined);
    for (const v of digest.verdicts) {
      const counted = v.status === 'FAIL' && v.suppressed ? 'FAIL' : v.status;
      total[counted]++;
      tallyOf(byRule, v.ruleId)[counted]++;
      tallyOf(byOu, v.ouPath ?? ORGANIZATION_LEVEL)[counted]++;
      const key = `${v.ruleId}\u0000${v.resourceId}`;
      if (stillFailing.has(key)) stillFailing.set(key, v);
      else if (v.status === 'FAIL' && !v.suppressed) this.open.set(key, { ruleId: v.ruleId, resourceId: v.resourceId, accountId: v.accountId, firstSeen: at });
    }
    for (const [key, now] of stillFailing) {
      const fixedAs = !now ? 'absent' : now.status === 'FAIL' ? (now.suppressed ? 'suppressed' : undefined) : now.status === 'ERROR' ? undefined : now.status;
      if (!fixedAs) continue;
      this.closed.push({ ...this.open.get(key)!, fixed: at, fixedAs });
      this.open.delete(key);
    }

    this.overall.push({ at, passRate: passRate(total), counts: total });
    for (const [id, counts] of byRule) this.series(this.rules, id).points.push({ at, passRate: passRate(counts), counts });
    for (const [id, counts] of byOu) this.series(this.ous, id).points.push({ at, passRate: passRate(counts), counts });
    for (const framework of digest.report.frameworks ?? []) {
      for (const c of framework.controls) {
        const key = `${framework.id}\u0000${c.controlId}`;
        const series = this.controls.get(key) ?? { framework: framework.id, controlId: c.controlId, title: c.title, statuses: [], daysOutOfCompliance: 0, daysNotAssessed: 0 };
        series.statuses.push({ at, status: c.status });
        this.controls.set(key, series);
      }
    }
  }

  private series(map: Map<string, SeriesOf>, id: string): SeriesOf {
    let s = map.get(id);
    if (!s) map.set(id, (s = { id, points: [] }));
    return s;
  }

  finish(): Trend {
    const from = this.reports[0]!.at;
    const to = this.reports[this.reports.length - 1]!.at;
    const days = calendarDays(from, to);
    const controls = [...this.controls.values()];
    for (const c of controls) {
      c.daysOutOfCompliance = daysWith(c.statuses, days, 'not-satisfied');
      c.daysNotAssessed = daysWith(c.statuses, days, 'not-assessed');
    }
    const failures = [...this.closed, ...this.open.values()].sort(
      (a, b) => compareStrings(a.ruleId, b.ruleId) || compareStrings(a.resourceId, b.resourceId) || compareStrings(a.firstSeen, b.firstSeen),
    );
    const byId = (a: SeriesOf, b: SeriesOf) => compareStrings(a.id, b.id);
    return {
      organization: this.organization,
      period: { from, to, days: days.length, reports: this.reports.length },
      reports: this.reports,
      overall: this.overall,
      rules: [...this.rules.values()].filter((s) => s.points.length > 0).sort(byId),
      ous: [...this.ous.values()].sort(byId),
      controls,
      failures,
    };
  }
}

function tallyOf(map: Map<string, Tally>, key: string): Tally {
  let t = map.get(key);
  if (!t) map.set(key, (t = emptyTally()));
  return t;
}

/** "YYYY-MM-DD" of every day from `from`'s day to `to`'s, inclusive (UTC). */
function calendarDays(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to.slice(0, 10)}T00:00:00Z`);
  for (let t = Date.parse(`${from.slice(0, 10)}T00:00:00Z`); t <= end; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * Days with `status`: a day with reports has it when any of them does; a day without takes the
 * status of the last report before it. Statuses are in time order.
 */
function daysWith(statuses: readonly { at: string; status: ControlStatus }[], days: readonly string[], status: ControlStatus): number {
  let count = 0;
  let i = 0;
  let carried: ControlStatus | undefined;
  for (const day of days) {
    let sameDay = false;
    let hit = false;
    while (i < statuses.length && statuses[i]!.at.slice(0, 10) === day) {
      sameDay = true;
      hit ||= statuses[i]!.status === status;
      carried = statuses[i]!.status;
      i++;
    }
    if (sameDay ? hit : carried === status) count++;
  }
  return count;
}
