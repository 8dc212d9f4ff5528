/**
 * Compiling a rule's CEL: each expression is parsed for evaluation and type-checked against the
 * declared facts, the parameters' schemas and the types of the variables declared above it.
 * `match` and each validation must be bool.
 */
import { located } from '../../shared/errors.ts';
import type { YamlSource } from '../../shared/yaml-source.ts';
import { compileExpression, ruleEnvironment, toCel, type CompiledExpression } from '../cel.ts';
import { typedRuleEnvironment } from '../cel-types.ts';
import type { CompiledRule, CompiledValidation } from '../evaluate.ts';
import type { RuleDocument } from '../types.ts';
import { celProblem, describePath } from './cel-problems.ts';
import { paramCelTypes } from './params.ts';
import { at } from './parse.ts';

/**
 * Returns undefined when any expression fails; problems are appended in file order.
 * `typeChecked: false` skips the type check (the costly part: one typed environment per variable):
 * only for a rule whose bytes and params were already compiled with it (a worker thread
 * reloading the main thread's rules, see specs.ts); what runs is the same either way.
 */
export function compileRule(
  source: YamlSource,
  document: RuleDocument,
  params: Record<string, unknown>,
  problems: string[],
  { typeChecked = true }: { typeChecked?: boolean } = {},
): CompiledRule | undefined {
  const found: FoundProblem[] = [];
  const report = (path: (string | number)[], text: string) => found.push({ offset: source.nodeAt(path)?.range?.[0] ?? 0, text });
  const paramTypes = paramCelTypes(document);
  const paramNames = Object.keys(paramTypes);
  const declared = document.variables ?? [];
  const variableNames = declared.map((v) => v.name);
  const runtime = ruleEnvironment(variableNames, paramNames);
  const variableTypes: Record<string, string> = {};
  // Rebuilt before each variable and before the rest, so each sees the variables declared above it.
  let checker: ReturnType<typeof typedRuleEnvironment> | 'unchecked';
  const typedScope = () => (typeChecked ? typedRuleEnvironment(document.resource, paramTypes, variableTypes) : 'unchecked');

  const compile = (path: (string | number)[], expression: string, mustBe?: 'bool'): { compiled: CompiledExpression; type: string } => {
    const result = compileExpression(runtime, expression, checker);
    if ('compiled' in result) {
      if (mustBe && result.type !== mustBe && result.type !== 'dyn') {
        report(path, atValue(source, path, `${describePath(path)} must be a ${mustBe} expression, but \`${oneLine(expression)}\` is ${article(result.type)} ${result.type}`));
      }
      return result;
    }
    const visible = path[0] === 'variables' ? Number(path[1]) : variableNames.length;
    report(path, celProblem(source, path, result.error, { variables: variableNames, visibleVariables: visible, params: paramNames, resource: document.resource }));
    return { compiled: () => undefined, type: 'dyn' };
  };
  const optional = (key: keyof RuleDocument, mustBe?: 'bool') => {
    const text = document[key];
    return typeof text === 'string' ? compile([key], text, mustBe).compiled : undefined;
  };

  // Variables first, each in the scope of those above it, so later expressions know their types.
  const variables: CompiledRule['variables'] = [];
  const seen = new Map<string, number>();
  declared.forEach((v, i) => {
    const first = seen.get(v.name);
    if (first !== undefined) report(['variables', i, 'name'], at(source, ['variables', i, 'name'], `variable "${v.name}" is already declared (variables[${first}])`));
    else seen.set(v.name, i);
    checker = typedScope();
    const { compiled, type } = compile(['variables', i, 'expression'], v.expression);
    if (first === undefined) variableTypes[v.name] = type;
    variables.push({ name: v.name, expression: compiled });
  });
  checker = typedScope();
  const match = optional('match', 'bool');
  const notApplicableMessage = optional('notApplicableMessageExpression');
  const validations: CompiledValidation[] = document.validations.map((v, i) => ({
    text: v.expression,
    expression: compile(['validations', i, 'expression'], v.expression, 'bool').compiled,
    ...(v.message !== undefined ? { message: v.message } : {}),
    ...(v.messageExpression !== undefined ? { messageExpression: compile(['validations', i, 'messageExpression'], v.messageExpression).compiled } : {}),
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
  if (found.length === 0) return rule;
  // Listed top to bottom, as the file reads (each problem is about a different node).
  problems.push(...found.sort((a, b) => a.offset - b.offset).map((p) => p.text));
  return undefined;
}

/** A problem and where its node starts in the file. */
interface FoundProblem {
  offset: number;
  text: string;
}

/** At the start of the value (not its key): where the expression is written. */
function atValue(source: YamlSource, path: (string | number)[], message: string): string {
  const start = source.nodeAt(path)?.range?.[0];
  if (start === undefined) return at(source, path, message);
  const pos = source.linePos(start);
  return located(source.file, pos.line, pos.column, message);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? 'an' : 'a';
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
