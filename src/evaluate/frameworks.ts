/**
 * The control-level view of a scan: per control of each selected framework pack, whether the
 * rules behind it were satisfied in scope. One walk over the verdicts (for..of only, so it works
 * when they are streamed from disk), whatever the number of packs.
 *
 * How a control's status is decided (docs/frameworks.md):
 * - not-satisfied: at least one unsuppressed FAIL of one of its rules (an ERROR elsewhere does not
 *   hide a FAIL);
 * - not-assessed (error): no unsuppressed FAIL, but an ERROR: the answer is open;
 * - satisfied: every other verdict of its rules PASS (NOT_APPLICABLE ones aside) or is a FAIL
 *   suppressed by a live exception, and there was at least one such verdict. A suppressed FAIL is
 *   an approved, dated deviation: like the gate, it does not fail the control, but it is counted
 *   (counts.suppressed) and every format shows it beside the status;
 * - not-assessed (no-verdicts): no PASS, FAIL or ERROR of its rules in scope (the rules were not
 *   loaded, were disabled, or matched nothing);
 * - not-assessed (manual): no rule decides it; the pack says what an auditor checks by hand.
 *
 * A control's rules are the pack's, plus any loaded rule whose own `frameworks:` mapping names the
 * control (a user's rule can add evidence to a control; for the bundled rules the two agree, a
 * test keeps it so).
 */
import type { ControlAssessment, FrameworkAssessment } from '../contracts/frameworks.ts';
import type { ScanResult } from '../contracts/result.ts';
import type { RuleMeta, Verdict } from '../contracts/verdict.ts';
import { compareStrings } from '../contracts/order.ts';
import type { FrameworkPack, FrameworkControl } from '../rules/framework-packs.ts';

interface Tally {
  control: FrameworkControl;
  rules: string[];
  counts: ControlAssessment['counts'];
  failing: Set<string>;
  errored: Set<string>;
}

/** The result with its control-level view when packs were selected; unchanged otherwise. */
export function withFrameworks<R extends Pick<ScanResult, 'rules' | 'verdicts'>>(result: R, packs: readonly FrameworkPack[] | undefined): R {
  if (!packs || packs.length === 0) return result;
  return { ...result, frameworks: assessFrameworks(packs, result.rules, result.verdicts) };
}

export function assessFrameworks(packs: readonly FrameworkPack[], rules: readonly RuleMeta[], verdicts: Iterable<Verdict>): FrameworkAssessment[] {
  const talliesOfRule = new Map<string, Tally[]>();
  const tallies = packs.map((pack) =>
    pack.controls.map((control) => {
      const mapped = rules.filter((r) => r.frameworks[pack.id]?.includes(control.id)).map((r) => r.id);
      const tally: Tally = {
        control,
        rules: [...new Set([...(control.rules ?? []), ...mapped])].sort(compareStrings),
        counts: { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0, suppressed: 0 },
        failing: new Set(),
        errored: new Set(),
      };
      for (const rule of tally.rules) talliesOfRule.set(rule, [...(talliesOfRule.get(rule) ?? []), tally]);
      return tally;
    }),
  );
  for (const verdict of verdicts) {
    for (const tally of talliesOfRule.get(verdict.ruleId) ?? []) count(tally, verdict);
  }
  return packs.map((pack, i) => {
    const controls = tallies[i]!.map(assessment);
    return {
      id: pack.id,
      title: pack.title,
      version: pack.version,
      controls,
      summary: {
        satisfied: controls.filter((c) => c.status === 'satisfied').length,
        notSatisfied: controls.filter((c) => c.status === 'not-satisfied').length,
        notAssessed: controls.filter((c) => c.status === 'not-assessed').length,
      },
    };
  });
}

function count(tally: Tally, verdict: Verdict): void {
  tally.counts[verdict.status]++;
  if (verdict.status === 'FAIL' && verdict.suppressed) tally.counts.suppressed++;
  else if (verdict.status === 'FAIL') tally.failing.add(verdict.resource.accountId);
  else if (verdict.status === 'ERROR') tally.errored.add(verdict.resource.accountId);
}

function assessment(tally: Tally): ControlAssessment {
  const { control, rules, counts } = tally;
  return {
    controlId: control.id,
    title: control.title,
    ...statusOf(tally),
    ...(control.manual ? { manualCheck: control.manual } : {}),
    rules,
    failingAccounts: [...tally.failing].sort(compareStrings),
    erroredAccounts: [...tally.errored].sort(compareStrings),
    counts,
  };
}

function statusOf(tally: Tally): Pick<ControlAssessment, 'status' | 'notAssessedReason'> {
  const { counts } = tally;
  if (tally.rules.length === 0) return { status: 'not-assessed', notAssessedReason: 'manual' };
  if (tally.failing.size > 0) return { status: 'not-satisfied' };
  if (counts.ERROR > 0) return { status: 'not-assessed', notAssessedReason: 'error' };
  if (counts.PASS + counts.FAIL === 0) return { status: 'not-assessed', notAssessedReason: 'no-verdicts' };
  return { status: 'satisfied' };
}
