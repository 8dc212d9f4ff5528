/**
 * The CI gate, decided here only: the counts of a set of verdicts, how many failures gate at the
 * threshold, whether the evidence is incomplete, and the exit code DESIGN.md gives for that.
 * The pipeline, the merge of shard results and `--fail-on-new` all call summarize().
 */
import type { ApiError } from '../contracts/api-error.ts';
import type { ScanSummary } from '../contracts/result.ts';
import { SEVERITY_RANK, type Severity, type Verdict } from '../contracts/verdict.ts';

/**
 * @param gates which unsuppressed FAILs may fail the gate (default: all); `--fail-on-new` passes
 *   "absent from the baseline". The severity threshold applies either way.
 */
export function summarize(verdicts: Iterable<Verdict>, errors: readonly ApiError[], failOn: Severity, gates: (v: Verdict) => boolean = () => true): ScanSummary {
  const tally = new GateTally(failOn, gates);
  for (const v of verdicts) tally.add(v);
  return tally.summary(errors);
}

export interface TallyState {
  counts: ScanSummary['counts'];
  gatingFailures: number;
}

/** summarize() one verdict at a time, as they are decided, so the summary costs no extra walk of a spooled list. */
export class GateTally {
  private readonly counts = { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0, suppressed: 0 };
  private gatingFailures = 0;

  constructor(
    private readonly failOn: Severity,
    private readonly gates: (v: Verdict) => boolean = () => true,
  ) {}

  add(v: Verdict): void {
    this.counts[v.status]++;
    if (v.suppressed) this.counts.suppressed++;
    else if (v.status === 'FAIL' && isGating(v.severity, this.failOn) && this.gates(v)) this.gatingFailures++;
  }

  /** The counts so far (plain data), for the tally of another thread to absorb. */
  state(): TallyState {
    return { counts: { ...this.counts }, gatingFailures: this.gatingFailures };
  }

  /** Adds the counts of another tally with the same threshold and gate (its state()). */
  absorb(other: TallyState): void {
    for (const key of Object.keys(this.counts) as (keyof TallyState['counts'])[]) this.counts[key] += other.counts[key];
    this.gatingFailures += other.gatingFailures;
  }

  summary(errors: readonly ApiError[]): ScanSummary {
    const partial = this.counts.ERROR > 0 || errors.length > 0;
    return { counts: { ...this.counts }, gatingFailures: this.gatingFailures, partial, exitCode: gateExitCode(this.gatingFailures, partial) };
  }
}

/** A failure of this severity fails the gate at this threshold. */
function isGating(severity: Severity, failOn: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

/** DESIGN.md's exit codes: 1 for gating failures, else 3 when the evidence is incomplete, else 0. */
function gateExitCode(gatingFailures: number, partial: boolean): 0 | 1 | 3 {
  return gatingFailures > 0 ? 1 : partial ? 3 : 0;
}
