/**
 * A compliance framework's view of one scan: per control, whether the rules behind it were
 * satisfied in scope. Computed once by the evaluate stage (from the verdicts and the framework
 * pack); every report format renders it, none recomputes it.
 */

/**
 * satisfied: every in-scope verdict of the control's rules passed (and there was at least one);
 * not-satisfied: at least one unsuppressed FAIL;
 * not-assessed: a manual control, an ERROR that leaves the answer open, or no verdict in scope.
 */
export type ControlStatus = 'satisfied' | 'not-satisfied' | 'not-assessed';

export type NotAssessedReason = 'manual' | 'error' | 'no-verdicts';

export interface ControlAssessment {
  /** The framework's own control id, e.g. "4.5" (CIS), "AU-9" (NIST), "10.5.1" (PCI DSS). */
  controlId: string;
  title: string;
  status: ControlStatus;
  notAssessedReason?: NotAssessedReason;
  /** For a manual control: what an auditor checks by hand. */
  manualCheck?: string;
  /** Rule ids that satisfy this control, sorted. Empty for a manual control. */
  rules: string[];
  /** Accounts with an unsuppressed FAIL of one of the rules, sorted. */
  failingAccounts: string[];
  /** Accounts with an ERROR of one of the rules, sorted. */
  erroredAccounts: string[];
  counts: { PASS: number; FAIL: number; ERROR: number; NOT_APPLICABLE: number; suppressed: number };
}

export interface FrameworkAssessment {
  /** The pack id used with --framework, e.g. "cis-aws-foundations-v6.0.0". */
  id: string;
  /** e.g. "CIS Amazon Web Services Foundations Benchmark". */
  title: string;
  version: string;
  /** In the pack's control order. */
  controls: ControlAssessment[];
  summary: { satisfied: number; notSatisfied: number; notAssessed: number };
}
