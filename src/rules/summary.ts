/**
 * The evaluate stage's result helpers: the canonical order of verdicts and the summary (counts,
 * gate, exit code) of a set of verdicts. Shared by the pipeline and by the merge of shard results.
 */
import type { TrailproofConfig } from '../config/types.ts';
import type { ApiError } from '../snapshot/types.ts';
import type { ScanSummary } from './result.ts';
import { SEVERITY_RANK, type Severity, type Verdict } from './types.ts';

export function summarize(verdicts: Verdict[], errors: ApiError[], failOn: TrailproofConfig['output']['failOn']): ScanSummary {
  const counts = { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0, suppressed: 0 };
  let gatingFailures = 0;
  for (const v of verdicts) {
    counts[v.status]++;
    if (v.suppressed) counts.suppressed++;
    else if (v.status === 'FAIL' && isGating(v.severity, failOn)) gatingFailures++;
  }
  const partial = counts.ERROR > 0 || errors.length > 0;
  return { counts, gatingFailures, partial, exitCode: gateExitCode(gatingFailures, partial) };
}

/** A failure of this severity fails the gate at this threshold. */
export function isGating(severity: Severity, failOn: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

/** DESIGN.md's exit codes: 1 for gating failures, else 3 when the evidence is incomplete, else 0. */
export function gateExitCode(gatingFailures: number, partial: boolean): 0 | 1 | 3 {
  return gatingFailures > 0 ? 1 : partial ? 3 : 0;
}

export function compareVerdicts(a: Verdict, b: Verdict): number {
  return cmp(a.ruleId, b.ruleId) || cmp(a.resource.id, b.resource.id) || cmp(a.resource.type, b.resource.type);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
