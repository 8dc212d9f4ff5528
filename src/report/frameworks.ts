/**
 * What every format says about a control (ScanResult.frameworks, computed by the evaluate stage):
 * one wording of its status, shared so JSON, Markdown, SARIF, JUnit, OCSF and OSCAL agree.
 */
import type { ControlAssessment, FrameworkAssessment } from '../contracts/frameworks.ts';

/** "satisfied", "not satisfied", "not assessed (ERROR)", "satisfied (2 FAILs by exception)"... */
export function controlStatusText(control: ControlAssessment): string {
  switch (control.status) {
    case 'satisfied':
      return control.counts.suppressed > 0 ? `satisfied (${control.counts.suppressed} FAIL${control.counts.suppressed === 1 ? '' : 's'} by exception)` : 'satisfied';
    case 'not-satisfied':
      return 'not satisfied';
    case 'not-assessed':
      return `not assessed (${NOT_ASSESSED_TEXT[control.notAssessedReason ?? 'no-verdicts']})`;
  }
}

const NOT_ASSESSED_TEXT: Record<NonNullable<ControlAssessment['notAssessedReason']>, string> = {
  manual: 'manual check',
  error: 'ERROR: evidence incomplete',
  'no-verdicts': 'no verdicts in scope',
};

/** "CIS Amazon Web Services Foundations Benchmark 6.0.0". */
export function frameworkName(framework: FrameworkAssessment): string {
  return `${framework.title} ${framework.version}`;
}

/** "3 satisfied, 2 not satisfied, 2 not assessed". */
export function frameworkSummaryText(framework: FrameworkAssessment): string {
  const s = framework.summary;
  return `${s.satisfied} satisfied, ${s.notSatisfied} not satisfied, ${s.notAssessed} not assessed`;
}

/** A list of account ids cut to `max`, "and N more" after. */
export function accountList(ids: readonly string[], max: number): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

/** Why a control is where it is, in one sentence: the basis an auditor reads. */
export function controlBasis(control: ControlAssessment): string {
  if (control.notAssessedReason === 'manual') return `Manual check: ${control.manualCheck ?? ''}`.trim();
  const c = control.counts;
  const tally = `rules ${control.rules.join(', ')}: ${c.PASS} PASS, ${c.FAIL - c.suppressed} FAIL, ${c.suppressed} suppressed, ${c.ERROR} ERROR, ${c.NOT_APPLICABLE} not applicable`;
  const failing = control.failingAccounts.length > 0 ? `; failing in ${accountList(control.failingAccounts, 10)}` : '';
  const errored = control.erroredAccounts.length > 0 ? `; undecided (ERROR) in ${accountList(control.erroredAccounts, 10)}` : '';
  return `${tally}${failing}${errored}`;
}
