/** Loading rules again in a worker thread, exactly as they were loaded in the main one. */
import { UserErrors } from '../../shared/errors.ts';
import { compileRule } from './compile.ts';
import { isFileLoaded, loadedRule, type LoadedRule } from './loaded.ts';
import { ruleMeta } from './pack.ts';
import { effectiveParams } from './params.ts';
import { parseRuleFile } from './parse.ts';

/** What another thread needs to load a rule exactly as it was loaded here (plain data). */
export interface RuleSpec {
  file: string;
  source: string;
  params: Record<string, unknown>;
  sha256: string;
}

/** The rule's spec, or undefined when it was not loaded from a file (built in code, or its evaluator replaced). */
export function ruleSpecOf(rule: LoadedRule): RuleSpec | undefined {
  if (!isFileLoaded(rule)) return undefined;
  return { file: rule.file, source: rule.meta.source, params: rule.meta.params, sha256: rule.meta.sha256 };
}

/**
 * Loads rules again from their specs, with the same params and report names. A file whose bytes
 * are no longer the ones loaded first is a UserError: both threads must judge by the same rules
 * (which is also why the CEL is not type-checked again).
 */
export function loadRuleSpecs(specs: RuleSpec[]): LoadedRule[] {
  const problems: string[] = [];
  const rules: LoadedRule[] = [];
  for (const spec of specs) {
    const parsed = parseRuleFile({ path: spec.file, source: spec.source }, problems);
    if (!parsed) continue;
    const { source, document, bytes } = parsed;
    const meta = ruleMeta(document, effectiveParams(document, spec.params, (name) => `${spec.source}: params.${name}`, problems), spec.source, bytes);
    if (meta.sha256 !== spec.sha256) {
      problems.push(`${spec.source}: the rule file changed while the scan was running; run it again`);
      continue;
    }
    // Same bytes, same params: the main thread type-checked exactly this rule; only parse here.
    const compiled = compileRule(source, document, meta.params, problems, { typeChecked: false });
    if (compiled) rules.push(loadedRule(compiled, meta, spec.file));
  }
  if (problems.length > 0) throw new UserErrors(problems);
  return rules;
}
