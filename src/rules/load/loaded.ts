/**
 * A loaded rule: its report metadata, its document and an evaluator (behind the verdict cache,
 * which evaluates in parts, each reused on its own, what it does not reuse whole).
 * Rules made here are remembered, so they can be given other parameters without recompiling and
 * be loaded again in a worker thread from plain data.
 */
import type { EvaluationSubject } from '../../model/facts.ts';
import { UserErrors } from '../../shared/errors.ts';
import { toCel } from '../cel.ts';
import { evaluateCompiledRule, type CompiledRule, type RuleVerdict } from '../evaluate.ts';
import { evaluateInParts } from '../outcome-parts.ts';
import type { RuleMeta } from '../../contracts/verdict.ts';
import type { RuleDocument } from '../types.ts';
import { withVerdictCache } from '../verdict-cache.ts';
import { effectiveParams, type LocateParam } from './params.ts';

export interface LoadedRule {
  meta: RuleMeta;
  document: RuleDocument;
  /** Absolute path of the rule file (its tests live beside it as <id>.test.yaml). */
  file: string;
  evaluate(subject: EvaluationSubject): RuleVerdict;
}

const compiledRules = new WeakMap<LoadedRule, CompiledRule>();
/** Evaluators made here: a rule that still has one (even copied with other meta) can be loaded again from its file. */
const fileEvaluators = new WeakSet<LoadedRule['evaluate']>();

export function loadedRule(compiled: CompiledRule, meta: RuleMeta, file: string): LoadedRule {
  const rule: LoadedRule = { meta, document: compiled.document, file, evaluate: withVerdictCache(compiled, (subject) => evaluateCompiledRule(compiled, subject), evaluateInParts(compiled)) };
  compiledRules.set(rule, compiled);
  fileEvaluators.add(rule.evaluate);
  return rule;
}

/** The compiled form of a rule loadRules produced, for analyses of what it reads (verdict-cache.ts observedPaths). */
export function compiledRuleOf(rule: LoadedRule): CompiledRule | undefined {
  return compiledRules.get(rule);
}

/** The same file-loaded rule could be loaded again in another thread. */
export function isFileLoaded(rule: LoadedRule): boolean {
  return fileEvaluators.has(rule.evaluate);
}

/**
 * The same rule with other parameters (the rule's defaults overlaid with `overrides`), without
 * recompiling: expressions read params from the activation. Unknown names and values that do not
 * fit their schema are a UserError, each placed by `locate` (or prefixed with `locate` when it is
 * a string).
 */
export function withParams(rule: LoadedRule, overrides: Record<string, unknown>, locate: LocateParam | string): LoadedRule {
  const compiled = compiledRules.get(rule);
  if (!compiled) throw new Error(`rule ${rule.meta.id} was not produced by loadRules`);
  const problems: string[] = [];
  const where = typeof locate === 'string' ? (name: string) => `${locate}.${name}` : locate;
  const params = effectiveParams(rule.document, overrides, where, problems);
  if (problems.length > 0) throw new UserErrors(problems);
  return loadedRule({ ...compiled, celParams: toCel(params) }, { ...rule.meta, params }, rule.file);
}
