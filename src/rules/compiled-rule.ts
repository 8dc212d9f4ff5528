/** A rule compiled for evaluation (rules/load/compile.ts makes it, evaluate.ts runs it). */
import type { Verdict } from '../contracts/verdict.ts';
import type { CompiledExpression } from './cel.ts';
import type { RuleDocument } from './types.ts';

export interface CompiledValidation {
  text: string;
  expression: CompiledExpression;
  message?: string;
  messageExpression?: CompiledExpression;
}

/** A rule whose expressions all parsed and type-checked. */
export interface CompiledRule {
  document: RuleDocument;
  /** Effective params, already converted to CEL values. */
  celParams: unknown;
  match?: CompiledExpression;
  variables: { name: string; expression: CompiledExpression }[];
  validations: CompiledValidation[];
  passMessage?: CompiledExpression;
  notApplicableMessage?: CompiledExpression;
  evidence?: CompiledExpression;
}

export type RuleVerdict = Omit<Verdict, 'suppressed'>;
