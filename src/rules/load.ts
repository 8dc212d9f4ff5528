/**
 * Loads rule files: finds them (load/files.ts), reads and validates each (load/parse.ts), checks
 * its parameters (load/params.ts), compiles its CEL against the declared facts (load/compile.ts),
 * and checks config.yaml's `rules.params` and `rules.disabled` against the rules found. Every
 * problem of every file is reported at once as "file:line:col: message".
 */
import type { TrailproofConfig } from '../config/types.ts';
import { closest } from '../shared/closest.ts';
import { located, UserErrors } from '../shared/errors.ts';
import { compileRule } from './load/compile.ts';
import { resolveRuleFiles } from './load/files.ts';
import { loadedRule, type LoadedRule } from './load/loaded.ts';
import { ruleMeta } from './load/pack.ts';
import { checkParamDeclarations, effectiveParams } from './load/params.ts';
import { at, parseRuleFile } from './load/parse.ts';

export { BUILTIN_RULES_DIR, resolveRuleFiles, type RuleFile } from './load/files.ts';
export { compiledRuleOf, withParams, type LoadedRule } from './load/loaded.ts';
export { rulePackVersion } from './load/pack.ts';
export { loadRuleSpecs, ruleSpecOf, type RuleSpec } from './load/specs.ts';

export interface LoadOptions {
  /** Keep the rules config.yaml disables (`rules validate`, `rules test`: a disabled rule is still checked). */
  keepDisabled?: boolean;
}

/** Loads, validates and compiles rules; throws one UserErrors listing every problem found. */
export async function loadRules(paths: string[], config: TrailproofConfig, options: LoadOptions = {}): Promise<LoadedRule[]> {
  const problems: string[] = [];
  const rules: LoadedRule[] = [];
  const firstFileOfId = new Map<string, string>();
  for (const file of resolveRuleFiles(paths)) {
    const parsed = parseRuleFile(file, problems);
    if (!parsed) continue;
    const { source, document, bytes } = parsed;
    const previous = firstFileOfId.get(document.id);
    if (previous) {
      problems.push(at(source, ['id'], `duplicate rule id "${document.id}" (already defined in ${previous})`));
      continue;
    }
    firstFileOfId.set(document.id, file.source);
    const before = problems.length;
    checkParamDeclarations(source, document, problems);
    if (problems.length > before) continue;
    const overrides = config.rules.params[document.id] ?? {};
    const params = effectiveParams(document, overrides, (name) => configAt(config, ['rules', 'params', document.id, name]), problems);
    const compiled = compileRule(source, document, params, problems);
    if (!compiled) continue;
    rules.push(loadedRule(compiled, ruleMeta(document, params, file.source, bytes), file.path));
  }
  if (sameList(paths, config.rules.paths)) problems.push(...configNamesNotLoaded(config, new Set(firstFileOfId.keys())));
  if (problems.length > 0) throw new UserErrors(problems);
  const disabled = new Set(options.keepDisabled ? [] : config.rules.disabled);
  return rules.filter((r) => !disabled.has(r.meta.id)).sort((a, b) => a.meta.id.localeCompare(b.meta.id));
}

/**
 * config.yaml entries naming a rule that is not among the rules of its own `rules.paths`: a typo
 * there would otherwise silently leave a rule enabled or at its defaults. (Rules loaded from other
 * paths, as in `rules test ./mine`, are not checked against the config's names.)
 */
function configNamesNotLoaded(config: TrailproofConfig, loaded: Set<string>): string[] {
  const problems: string[] = [];
  const known = [...loaded].sort();
  const hint = (id: string) => `no rule "${id}" is loaded from rules.paths (${config.rules.paths.join(', ')})${nearest(id, known)}`;
  for (const id of Object.keys(config.rules.params).sort()) {
    if (!loaded.has(id)) problems.push(`${configAt(config, ['rules', 'params', id])}: ${hint(id)}`);
  }
  config.rules.disabled.forEach((id, i) => {
    if (!loaded.has(id)) problems.push(`${configAt(config, ['rules', 'disabled', i])}: ${hint(id)}`);
  });
  return problems;
}

function nearest(id: string, known: string[]): string {
  const close = closest(id, known);
  return close ? `; did you mean "${close}"?` : '';
}

/** "config.yaml:12:7: rules.params.<id>.<name>": where an entry of config.yaml was written. */
function configAt(config: TrailproofConfig, path: (string | number)[]): string {
  const dotted = path.join('.');
  const pos = config.positions?.[dotted];
  return located(config.source, pos?.line, pos?.column, dotted);
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
