/**
 * Loads rule files. Validation runs in the order ESLint and Cloud Custodian use — YAML syntax,
 * then the JSON Schema, then semantics (ids, variables, CEL) — and reports every problem of
 * every file at once as "file:line:col: message".
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Environment } from '@marcbachmann/cel-js';
import type { TrailproofConfig } from '../config/types.ts';
import type { EvaluationSubject } from '../model/facts.ts';
import { located, UserError, UserErrors } from '../shared/errors.ts';
import { assertValid, parseYamlText, type YamlSource } from '../shared/yaml-source.ts';
import { compileExpression, ruleEnvironment, toCel, missingKeyOf, type CelErrorInfo, type CompiledExpression } from './cel.ts';
import { evaluateCompiledRule, type CompiledRule, type CompiledValidation, type RuleVerdict } from './evaluate.ts';
import { fileOffsetInScalar } from './scalar-offsets.ts';
import { withVerdictCache } from './verdict-cache.ts';
import type { RuleDocument, RuleMeta } from './types.ts';

export interface LoadedRule {
  meta: RuleMeta;
  document: RuleDocument;
  /** Absolute path of the rule file (its tests live beside it as <id>.test.yaml). */
  file: string;
  evaluate(subject: EvaluationSubject): RuleVerdict;
}

/** The bundled rule pack, found from this file so it works from any working directory. */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

const require = createRequire(import.meta.url);
const Ajv = AjvModule as unknown as typeof AjvModule.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
let ruleValidator: ReturnType<InstanceType<typeof Ajv>['compile']> | undefined;

function validateRuleSchema() {
  if (!ruleValidator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    ruleValidator = ajv.compile(require('../../schemas/rule.schema.json') as object);
  }
  return ruleValidator;
}

/** A rule file on disk, and how reports should name it. */
export interface RuleFile {
  path: string;
  source: string;
}

/** "builtin", folders (their *.yaml minus *.test.yaml) and files → rule files, sorted, each once. */
export function resolveRuleFiles(paths: string[]): RuleFile[] {
  const files = new Map<string, RuleFile>();
  const problems: string[] = [];
  for (const given of paths) {
    const builtin = given === 'builtin';
    const path = builtin ? BUILTIN_RULES_DIR : resolve(given);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      problems.push(`${given}: no such rule file or folder`);
      continue;
    }
    const found = isDir
      ? readdirSync(path)
          .filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'))
          .sort()
          .map((f) => join(path, f))
      : [path];
    for (const file of found) {
      const source = builtin ? `rules/${basename(file)}` : relative(process.cwd(), file) || file;
      if (!files.has(file)) files.set(file, { path: file, source });
    }
  }
  if (problems.length > 0) throw new UserErrors(problems);
  return [...files.values()].sort((a, b) => a.source.localeCompare(b.source));
}

/** Loads, validates and compiles rules; throws one UserErrors listing every problem found. */
export async function loadRules(paths: string[], config: TrailproofConfig): Promise<LoadedRule[]> {
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
    const params = effectiveParams(document, config.rules.params[document.id] ?? {}, `${config.source}: rules.params.${document.id}`, problems);
    const compiled = compileRule(source, document, params, problems);
    if (!compiled) continue;
    rules.push(loadedRule(compiled, ruleMeta(document, params, file.source, bytes), file.path));
  }
  if (problems.length > 0) throw new UserErrors(problems);
  const disabled = new Set(config.rules.disabled);
  return rules.filter((r) => !disabled.has(r.meta.id)).sort((a, b) => a.meta.id.localeCompare(b.meta.id));
}

const compiledRules = new WeakMap<LoadedRule, CompiledRule>();
/** Evaluators made here: a rule that still has one (even copied with other meta) can be loaded again from its file. */
const fileEvaluators = new WeakSet<LoadedRule['evaluate']>();

function loadedRule(compiled: CompiledRule, meta: RuleMeta, file: string): LoadedRule {
  const rule: LoadedRule = { meta, document: compiled.document, file, evaluate: withVerdictCache(compiled, (subject) => evaluateCompiledRule(compiled, subject)) };
  compiledRules.set(rule, compiled);
  fileEvaluators.add(rule.evaluate);
  return rule;
}

/** What another thread needs to load a rule exactly as it was loaded here (plain data). */
export interface RuleSpec {
  file: string;
  source: string;
  params: Record<string, unknown>;
  sha256: string;
}

/** The rule's spec, or undefined when it was not loaded from a file (built in code, or its evaluator replaced). */
export function ruleSpecOf(rule: LoadedRule): RuleSpec | undefined {
  if (!fileEvaluators.has(rule.evaluate)) return undefined;
  return { file: rule.file, source: rule.meta.source, params: rule.meta.params, sha256: rule.meta.sha256 };
}

/**
 * Loads rules again from their specs, with the same params and report names. A file whose bytes
 * are no longer the ones loaded first is a UserError: both threads must judge by the same rules.
 */
export function loadRuleSpecs(specs: RuleSpec[]): LoadedRule[] {
  const problems: string[] = [];
  const rules: LoadedRule[] = [];
  for (const spec of specs) {
    const parsed = parseRuleFile({ path: spec.file, source: spec.source }, problems);
    if (!parsed) continue;
    const { source, document, bytes } = parsed;
    const meta = ruleMeta(document, effectiveParams(document, spec.params, spec.source, problems), spec.source, bytes);
    if (meta.sha256 !== spec.sha256) {
      problems.push(`${spec.source}: the rule file changed while the scan was running; run it again`);
      continue;
    }
    const compiled = compileRule(source, document, meta.params, problems);
    if (compiled) rules.push(loadedRule(compiled, meta, spec.file));
  }
  if (problems.length > 0) throw new UserErrors(problems);
  return rules;
}

/**
 * The same rule with other parameters (the rule's defaults overlaid with `overrides`), without
 * recompiling: expressions read params from the activation. Unknown names are a UserError
 * prefixed with `origin` (see effectiveParams).
 */
export function withParams(rule: LoadedRule, overrides: Record<string, unknown>, origin: string): LoadedRule {
  const compiled = compiledRules.get(rule);
  if (!compiled) throw new Error(`rule ${rule.meta.id} was not produced by loadRules`);
  const problems: string[] = [];
  const params = effectiveParams(rule.document, overrides, origin, problems);
  if (problems.length > 0) throw new UserErrors(problems);
  return loadedRule({ ...compiled, celParams: toCel(params) }, { ...rule.meta, params }, rule.file);
}

/** The compiled form of a rule loadRules produced, for analyses of what it reads (verdict-cache.ts observedPaths). */
export function compiledRuleOf(rule: LoadedRule): CompiledRule | undefined {
  return compiledRules.get(rule);
}

/** The rule pack's identity for reports: the tool version and a hash over every rule's hash. */
export function rulePackVersion(rules: LoadedRule[]): { version: string; sha256: string } {
  const pkg = require('../../package.json') as { version: string };
  const hash = createHash('sha256');
  for (const h of rules.map((r) => r.meta.sha256).sort()) hash.update(`${h}\n`);
  return { version: pkg.version, sha256: hash.digest('hex') };
}

/** YAML syntax, then schema, then the file-name convention; problems are appended. */
function parseRuleFile(file: RuleFile, problems: string[]): { source: YamlSource; document: RuleDocument; bytes: Buffer } | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.path);
  } catch (err) {
    problems.push(`${file.source}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    return undefined;
  }
  let source: YamlSource;
  let document: RuleDocument;
  try {
    source = parseYamlText(file.source, bytes.toString('utf8'));
    document = assertValid<RuleDocument>(source, validateRuleSchema(), 'rule');
  } catch (err) {
    if (err instanceof UserErrors) problems.push(...err.problems);
    else if (err instanceof UserError) problems.push(err.message);
    else throw err;
    return undefined;
  }
  const expected = basename(file.path).replace(/\.yaml$/, '');
  if (document.id !== expected) {
    problems.push(at(source, ['id'], `rule id "${document.id}" must match its file name (${expected}.yaml)`));
    return undefined;
  }
  return { source, document, bytes };
}

/**
 * The rule's default params overlaid with `overrides`. `origin` prefixes problems: where the
 * overrides were written ("config.yaml: rules.params.<id>", or a test case's location).
 */
function effectiveParams(document: RuleDocument, overrides: Record<string, unknown>, origin: string, problems: string[]): Record<string, unknown> {
  const defaults = document.params ?? {};
  for (const name of Object.keys(overrides).sort()) {
    if (!(name in defaults)) {
      const declared = Object.keys(defaults);
      problems.push(
        `${origin}.${name}: unknown parameter "${name}" for rule ${document.id} ` +
          `(${declared.length ? `it declares: ${declared.join(', ')}` : 'it declares no parameters'})`,
      );
    }
  }
  return { ...defaults, ...overrides };
}

/** Compiles every expression against the scope it may see; returns undefined when any fails. */
function compileRule(source: YamlSource, document: RuleDocument, params: Record<string, unknown>, problems: string[]): CompiledRule | undefined {
  const before = problems.length;
  const paramNames = Object.keys(document.params ?? {});
  const declared = document.variables ?? [];
  const allNames = declared.map((v) => v.name);
  const fullEnv = ruleEnvironment(allNames, paramNames);
  const compile = (path: (string | number)[], expression: string, env: Environment = fullEnv): CompiledExpression => {
    const result = compileExpression(env, expression);
    if ('compiled' in result) return result.compiled;
    problems.push(celProblem(source, path, result.error, allNames, path[0] === 'variables' ? Number(path[1]) : allNames.length));
    return () => undefined;
  };

  const optional = (key: keyof RuleDocument) => {
    const text = document[key];
    return typeof text === 'string' ? compile([key], text) : undefined;
  };
  // Compiled in file order, so problems are listed top to bottom.
  const match = optional('match');
  const notApplicableMessage = optional('notApplicableMessageExpression');
  const variables: CompiledRule['variables'] = [];
  const seen = new Map<string, number>();
  declared.forEach((v, i) => {
    const first = seen.get(v.name);
    if (first !== undefined) problems.push(at(source, ['variables', i, 'name'], `variable "${v.name}" is already declared (variables[${first}])`));
    else seen.set(v.name, i);
    const scope = ruleEnvironment(allNames.slice(0, i), paramNames);
    variables.push({ name: v.name, expression: compile(['variables', i, 'expression'], v.expression, scope) });
  });
  const validations: CompiledValidation[] = document.validations.map((v, i) => ({
    text: v.expression,
    expression: compile(['validations', i, 'expression'], v.expression),
    ...(v.message !== undefined ? { message: v.message } : {}),
    ...(v.messageExpression !== undefined ? { messageExpression: compile(['validations', i, 'messageExpression'], v.messageExpression) } : {}),
  }));
  const rule: CompiledRule = {
    document,
    celParams: toCel(params),
    match,
    variables,
    validations,
    passMessage: optional('passMessageExpression'),
    notApplicableMessage,
    evidence: optional('evidence'),
  };
  return problems.length === before ? rule : undefined;
}

/**
 * A CEL error located at the offending character inside the YAML scalar. A reference to a
 * variable declared further down gets a message saying so rather than "No such key".
 */
function celProblem(source: YamlSource, path: (string | number)[], error: CelErrorInfo, allNames: string[], visibleCount: number): string {
  const node = source.nodeAt(path);
  const offset = error.range ? fileOffsetInScalar(source.text, node, error.range.start) : undefined;
  const pos = offset !== undefined ? source.linePos(offset) : source.positionOf(path);
  const key = missingKeyOf(error);
  const later = key !== undefined ? allNames.indexOf(key) : -1;
  let message: string;
  if (later >= visibleCount) message = `variable "${key}" is used before its declaration (variables[${later}])`;
  else message = `invalid CEL in ${describePath(path)}: ${error.summary}`;
  const snippet = error.snippet.slice(0, 2).map((l) => `    ${l}`);
  return [located(source.file, pos.line, pos.column, message), ...snippet].join('\n');
}

function describePath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function at(source: YamlSource, path: (string | number)[], message: string): string {
  const pos = source.positionOf(path);
  return located(source.file, pos.line, pos.column, message);
}

function ruleMeta(document: RuleDocument, params: Record<string, unknown>, source: string, bytes: Buffer): RuleMeta {
  return {
    id: document.id,
    title: document.title,
    description: document.description ?? '',
    ...(document.rationale !== undefined ? { rationale: document.rationale } : {}),
    severity: document.severity,
    resource: document.resource,
    remediation: document.remediation,
    frameworks: document.frameworks ?? {},
    tags: document.tags ?? [],
    ...(document.helpUri !== undefined ? { helpUri: document.helpUri } : {}),
    params,
    source,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
