/**
 * A rule's outcome reused in parts, for the subjects whose whole outcome is not reused
 * (verdict-cache.ts). A rule whose message or evidence names something of each account — its log
 * prefix, its detectors — has an outcome of its own in every account, yet the same decision
 * (which validation fails, if any) and often the same message as thousands of others. So the
 * decision, the message of each branch and the evidence are each keyed on the facts their own
 * expressions observe (with the variables they read), and each part that repeats is reused while
 * the others are evaluated. Each part has its own trial: one whose values do not repeat stops
 * being keyed, and is evaluated without the cost of its key.
 *
 * CEL is pure, so a part evaluated in an activation of its own equals the part evaluated with the
 * rest: a variable read by two parts has the same value (or error) in both.
 */
import type { EvaluationSubject } from '../model/facts.ts';
import type { CompiledExpression } from './cel.ts';
import { buildActivation, decide, evidenceOf, messageExpressionOf, messageFor, refuseOtherResources, undecidedVerdict, verdictOf, type Decision } from './evaluate.ts';
import type { CompiledRule, RuleVerdict } from './compiled-rule.ts';
import { observedPaths, ReusedValues } from './verdict-cache.ts';

type Decided = Exclude<Decision, { status: 'ERROR' }>;

/** The rule's evaluator that reuses each part of its outcomes on its own. */
export function evaluateInParts(rule: CompiledRule): (subject: EvaluationSubject) => RuleVerdict {
  const keyedOn = (...expressions: (CompiledExpression | undefined)[]) => () => observedPaths(rule, expressions);
  const always = () => true;
  // An ERROR's decision too: only its explanation is each subject's own (undecided-verdicts.ts).
  const decisions = new ReusedValues<Decision>(keyedOn(rule.match, ...rule.validations.map((v) => v.expression)), always);
  // By the decision's branch: the not-applicable message, each validation's, the pass message
  // (a branch, not an expression: branches without one say different fixed texts).
  const messages: ReusedValues<string>[] = [];
  const messagesOf = (decision: Decided) => {
    const branch = decision.status === 'NOT_APPLICABLE' ? 0 : decision.status === 'FAIL' ? 1 + decision.validation : 1 + rule.validations.length;
    return (messages[branch] ??= new ReusedValues<string>(keyedOn(messageExpressionOf(rule, decision)), always));
  };
  const evidence = new ReusedValues<unknown>(keyedOn(rule.evidence), always);

  return (subject) => {
    refuseOtherResources(rule, subject);
    let activation: Record<string, unknown> | undefined;
    const activationOf = () => (activation ??= buildActivation(rule, subject));
    const decision = decisions.get(subject, () => decide(rule, activationOf()));
    const evidenceOfSubject = () => evidence.get(subject, () => evidenceOf(rule, activationOf()));
    if (decision.status === 'ERROR') return undecidedVerdict(rule, subject, decision, evidenceOfSubject());
    const message = messagesOf(decision).get(subject, () => messageFor(rule, decision, activationOf()));
    return verdictOf(rule, subject, decision.status, message, decision.status === 'NOT_APPLICABLE' ? null : evidenceOfSubject());
  };
}
