/**
 * Reading rule files up to, not including, their CEL: find them, parse and schema-check each,
 * reject duplicate ids, check parameters (declarations and config.yaml overrides), and check
 * config.yaml's `rules.params`, `rules.disabled` and `rules.disabledTags` against the rules found. `rules list` stops
 * here (it shows metadata only, so it never loads the CEL library); loadRules goes on to compile.
 * Every problem of every file is reported at once as "file:line:col: message".
 */
import { compareStrings } from '../../contracts/order.ts';
import type { TrailproofConfig } from '../../config/types.ts';
import { closest } from '../../shared/closest.ts';
import { located, UserError, UserErrors } from '../../shared/errors.ts';
import type { YamlSource } from '../../shared/yaml-source.ts';
import type { RuleMeta } from '../../contracts/verdict.ts';
import type { RuleDocument } from '../types.ts';
import { resolveRuleFiles, type RuleFile } from './files.ts';
import { ruleMeta } from './pack.ts';
import { checkParamDeclarations, effectiveParams } from './params.ts';
import { at, parseRuleFile } from './parse.ts';

export interface LoadOptions {
  /** Keep the rules config.yaml disables (`rules validate`, `rules test`: a disabled rule is still checked). */
  keepDisabled?: boolean;
}

/** A rule file read and checked, with its effective parameters and report metadata. */
export interface ReadRule {
  file: RuleFile;
  source: YamlSource;
  document: RuleDocument;
  params: Record<string, unknown>;
  meta: RuleMeta;
}

/**
 * Reads every rule file and hands each sound one to `finish` (which may add problems and return
 * undefined). Throws one UserErrors listing every problem; returns the finished rules sorted by id,
 * without the ones config.yaml disables unless `keepDisabled`.
 */
export function readRules<T extends { meta: RuleMeta }>(
  paths: string[],
  config: TrailproofConfig,
  options: LoadOptions,
  finish: (rule: ReadRule, problems: string[]) => T | undefined,
): T[] {
  const problems: string[] = [];
  const rules: T[] = [];
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
    const finished = finish({ file, source, document, params, meta: ruleMeta(document, params, file.source, bytes) }, problems);
    if (finished) rules.push(finished);
  }
  if (sameList(paths, config.rules.paths)) problems.push(...configNamesNotLoaded(config, new Set(firstFileOfId.keys()), new Set(rules.flatMap((r) => r.meta.tags))));
  if (problems.length > 0) throw new UserErrors(problems);
  return rules.filter((r) => options.keepDisabled || !isDisabled(r.meta, config)).sort((a, b) => compareStrings(a.meta.id, b.meta.id));
}

/** Disabled by id (`rules.disabled`) or by one of its tags (`rules.disabledTags`). */
export function isDisabled(meta: Pick<RuleMeta, 'id' | 'tags'>, config: TrailproofConfig): boolean {
  return config.rules.disabled.includes(meta.id) || meta.tags.some((t) => config.rules.disabledTags.includes(t));
}

/** Every rules command works on at least one rule: an empty pack is a wrong path, never a pass. */
export function atLeastOneRule<T>(rules: T[], paths: string[]): T[] {
  if (rules.length === 0) throw new UserError(`no rule files found in ${paths.join(', ')} (rule files are <id>.yaml, searched recursively)`);
  return rules;
}

/**
 * config.yaml entries naming a rule that is not among the rules of its own `rules.paths`: a typo
 * there would otherwise silently leave a rule enabled or at its defaults. (Rules loaded from other
 * paths, as in `rules test ./mine`, are not checked against the config's names.)
 */
function configNamesNotLoaded(config: TrailproofConfig, loaded: Set<string>, tags: Set<string>): string[] {
  const problems: string[] = [];
  const known = [...loaded].sort();
  const hint = (id: string) => `no rule "${id}" is loaded from rules.paths (${config.rules.paths.join(', ')})${nearest(id, known)}`;
  for (const id of Object.keys(config.rules.params).sort()) {
    if (!loaded.has(id)) problems.push(`${configAt(config, ['rules', 'params', id])}: ${hint(id)}`);
  }
  config.rules.disabled.forEach((id, i) => {
    if (!loaded.has(id)) problems.push(`${configAt(config, ['rules', 'disabled', i])}: ${hint(id)}`);
  });
  const knownTags = [...tags].sort();
  config.rules.disabledTags.forEach((tag, i) => {
    if (!tags.has(tag)) problems.push(`${configAt(config, ['rules', 'disabledTags', i])}: no rule loaded from rules.paths (${config.rules.paths.join(', ')}) has the tag "${tag}"${nearest(tag, knownTags)}`);
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
