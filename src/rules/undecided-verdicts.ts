/**
 * How an ERROR verdict's message is told for another subject. An ERROR's decision (the error and
 * where it was raised) follows from the facts its rule observes, as any other outcome's does, so
 * it is reused between subjects that project alike (verdict-cache.ts, outcome-parts.ts); but its
 * explanation searches all of the subject's facts for why the missing one is unknown
 * (evaluate.ts explain), so each subject's message is explained again from its own facts.
 */
import type { EvaluationSubject } from '../model/facts.ts';
import type { RuleVerdict } from './compiled-rule.ts';

const explanations = new WeakMap<RuleVerdict, (subject: EvaluationSubject) => string>();

/** Remembers how the message of `verdict` (an ERROR) is told for any subject. */
export function noteExplanation(verdict: RuleVerdict, explain: (subject: EvaluationSubject) => string): void {
  explanations.set(verdict, explain);
}

/** How the message of an ERROR made by evaluate.ts is told for another subject; undefined for any other verdict. */
export function explanationOf(verdict: RuleVerdict): ((subject: EvaluationSubject) => string) | undefined {
  return explanations.get(verdict);
}
