/**
 * The evaluate stage's result helpers: the canonical order of verdicts and the summary (counts,
 * gate, exit code) of a set of verdicts. Shared by the pipeline and by the merge of shard results.
 */
import type { TrailproofConfig } from '../config/types.ts';
import type { ApiError } from '../snapshot/types.ts';
import type { ScanSummary } from './result.ts';
import { SEVERITY_RANK, type Verdict } from './types.ts';

export function summarize(verdicts: Verdict[], errors: ApiError[], failOn: TrailproofConfig['output']['failOn']): ScanSummary {
  const counts = { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0, suppressed: 0 };
  let gatingFailures = 0;
  for (const v of verdicts) {
    counts[v.status]++;
    if (v.suppressed) counts.suppressed++;
    else if (v.status === 'FAIL' && SEVERITY_RANK[v.severity] >= SEVERITY_RANK[failOn]) gatingFailures++;
  }
  const partial = counts.ERROR > 0 || errors.length > 0;
  return { counts, gatingFailures, partial, exitCode: gatingFailures > 0 ? 1 : partial ? 3 : 0 };
}

export function compareVerdicts(a: Verdict, b: Verdict): number {
  return cmp(a.ruleId, b.ruleId) || cmp(a.resource.id, b.resource.id) || cmp(a.resource.type, b.resource.type);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
