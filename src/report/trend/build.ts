/** `report trend`: the reports given, read in snapshot-time order, one at a time, into a Trend. */
import { TrendBuilder, type Trend } from './compute.ts';
import { orderReports, reportFiles } from './inputs.ts';
import { readReportDigest } from './read-report.ts';

export function buildTrend(inputs: readonly string[]): Trend {
  const ordered = orderReports(reportFiles(inputs));
  const builder = new TrendBuilder(ordered[0]!.organization);
  for (const { file } of ordered) builder.add(file, readReportDigest(file));
  return builder.finish();
}
