/**
 * Loads rule files: reads and checks each (load/read.ts: files, YAML, schema, parameters, config
 * names), then compiles its CEL against the declared facts (load/compile.ts). Every problem of
 * every file is reported at once as "file:line:col: message".
 */
import type { TrailproofConfig } from '../config/types.ts';
import { compileRule } from './load/compile.ts';
import { loadedRule, type LoadedRule } from './load/loaded.ts';
import { readRules, type LoadOptions } from './load/read.ts';

export { BUILTIN_RULES_DIR } from './load/files.ts';
export { compiledRuleOf, withParams, type LoadedRule } from './load/loaded.ts';
export { rulePackVersion } from './load/pack.ts';
export { loadRuleSpecs, ruleSpecOf, type RuleSpec } from './load/specs.ts';

/** Loads, validates and compiles rules; throws one UserErrors listing every problem found. */
export async function loadRules(paths: string[], config: TrailproofConfig, options: LoadOptions = {}): Promise<LoadedRule[]> {
  return readRules(paths, config, options, (rule, problems) => {
    const compiled = compileRule(rule.source, rule.document, rule.params, problems);
    return compiled && loadedRule(compiled, rule.meta, rule.file.path);
  });
}
