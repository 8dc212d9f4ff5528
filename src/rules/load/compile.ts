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

/** Returns undefined when any expression fails; problems are appended in file order. */
export function compileRule(source: YamlSource, document: RuleDocument, params: Record<string, unknown>, problems: string[]): CompiledRule | undefined {
  const before = problems.length;
  const paramTypes = paramCelTypes(document);
  const paramNames = Object.keys(paramTypes);
  const declared = document.variables ?? [];
  const variableNames = declared.map((v) => v.name);
  const runtime = ruleEnvironment(variableNames, paramNames);
  const variableTypes: Record<string, string> = {};
  // Rebuilt before each variable and before the rest, so each sees the variables declared above it.
  let checker: ReturnType<typeof typedRuleEnvironment>;

  const compile = (path: (string | number)[], expression: string, mustBe?: 'bool'): { compiled: CompiledExpression; type: string } => {
    const result = compileExpression(runtime, expression, checker);
    if ('compiled' in result) {
      if (mustBe && result.type !== mustBe && result.type !== 'dyn') {
        problems.push(atValue(source, path, `${describePath(path)} must be a ${mustBe} expression, but \`${oneLine(expression)}\` is ${article(result.type)} ${result.type}`));
      }
      return result;
    }
    const visible = path[0] === 'variables' ? Number(path[1]) : variableNames.length;
    problems.push(celProblem(source, path, result.error, { variables: variableNames, visibleVariables: visible, params: paramNames, resource: document.resource }));
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
    if (first !== undefined) problems.push(at(source, ['variables', i, 'name'], `variable "${v.name}" is already declared (variables[${first}])`));
    else seen.set(v.name, i);
    checker = typedRuleEnvironment(document.resource, paramTypes, variableTypes);
    const { compiled, type } = compile(['variables', i, 'expression'], v.expression);
    if (first === undefined) variableTypes[v.name] = type;
    variables.push({ name: v.name, expression: compiled });
  });
  checker = typedRuleEnvironment(document.resource, paramTypes, variableTypes);
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
  if (problems.length === before) return rule;
  // Listed top to bottom, as the file reads.
  problems.splice(before, problems.length - before, ...problems.slice(before).sort(byLine));
  return undefined;
}

function byLine(a: string, b: string): number {
  const pos = (s: string) => /^[^\n]*?:(\d+):(\d+):/.exec(s)?.slice(1).map(Number) ?? [0, 0];
  const [la, ca] = pos(a);
  const [lb, cb] = pos(b);
  return la! - lb! || ca! - cb!;
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
