/**
 * Rule parameters. A rule declares each one with a small JSON Schema, a default and a
 * description (as ESLint's meta.schema); defaults and overrides (config.yaml, a test case) are
 * validated against it, and the type checker learns each parameter's CEL type from it.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import { mostSpecific } from '../../shared/yaml-source.ts';
import type { YamlSource } from '../../shared/yaml-source.ts';
import type { ParamDeclaration, RuleDocument } from '../types.ts';
import { at } from './parse.ts';
import { isTamperAction, TAMPER_ACTIONS } from '../../model/tamper-events.ts';

const Ajv = AjvModule as unknown as typeof AjvModule.default;
// No meta-schema (neither checked nor added): rule.schema.json admits only a closed subset of
// draft-07 keywords, each with the type the meta-schema asks, and no $schema; every declaration
// that passed it is a valid schema already. This keeps `rules list` quick to start.
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, meta: false });
/** By the schema's text: many rules declare the same parameter shape (an `all`/`any` enum). */
const validators = new Map<string, ValidateFunction>();

/** Where an override of parameter `name` was written, as a message prefix ("config.yaml:12:7: rules.params.<id>.<name>"). */
export type LocateParam = (name: string) => string;

/** Why `value` does not fit the declaration, or undefined when it does. */
export function paramValueProblem(declaration: ParamDeclaration, value: unknown): string | undefined {
  const { description: _d, default: _v, ...schema } = declaration;
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) validators.set(key, (validate = ajv.compile(schema)));
  if (validate(value)) return undefined;
  const error = mostSpecific(validate.errors ?? [])[0]!;
  const where = error.instancePath ? error.instancePath.slice(1).split('/').map((i) => `[${i}]`).join('') : '';
  return `${where ? `${where}: ` : ''}${expectation(error)}, got ${JSON.stringify(valueAt(value, error.instancePath))}`;
}

function expectation(e: ErrorObject): string {
  switch (e.keyword) {
    case 'type':
      return `expected ${(e.params as { type: string }).type}`;
    case 'enum':
      return `expected one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return e.message ?? e.keyword;
  }
}

function valueAt(value: unknown, pointer: string): unknown {
  let cursor = value;
  for (const seg of pointer.split('/').slice(1)) cursor = (cursor as Record<string, unknown> | undefined)?.[seg];
  return cursor;
}

/** Each default fits its own schema, and what the rule asks of the model names a suitable parameter. */
export function checkParamDeclarations(source: YamlSource, document: RuleDocument, problems: string[]): void {
  for (const [name, declaration] of Object.entries(document.params ?? {})) {
    const problem = paramValueProblem(declaration, declaration.default);
    if (problem) problems.push(at(source, ['params', name, 'default'], `default of parameter "${name}" does not fit its schema: ${problem}`));
  }
  const scpParam = document.model?.scpActionsParam;
  if (scpParam !== undefined) {
    const declaration = document.params?.[scpParam];
    if (!declaration || declaration.type !== 'array' || declaration.items?.type !== 'string') {
      problems.push(at(source, ['model', 'scpActionsParam'], `model.scpActionsParam names "${scpParam}", which is not a parameter of type array of strings`));
    }
  }
  const tamperParam = document.model?.tamperActionsParam;
  if (tamperParam !== undefined) {
    const declaration = document.params?.[tamperParam];
    const allowed = declaration?.items?.enum;
    if (!declaration || declaration.type !== 'array' || declaration.items?.type !== 'string' || !allowed || allowed.some((a) => typeof a !== 'string' || !isTamperAction(a))) {
      problems.push(
        at(source, ['model', 'tamperActionsParam'], `model.tamperActionsParam names "${tamperParam}", which is not an array of strings whose items are enumerated among ${TAMPER_ACTIONS.join(', ')}`),
      );
    }
  }
}

function paramDefaults(document: RuleDocument): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document.params ?? {}).map(([name, d]) => [name, d.default]));
}

/**
 * The rule's defaults overlaid with `overrides`, each override checked against its schema. An
 * unknown name or a value that does not fit is a problem placed by `locate`.
 */
export function effectiveParams(document: RuleDocument, overrides: Record<string, unknown>, locate: LocateParam, problems: string[]): Record<string, unknown> {
  const declarations = document.params ?? {};
  for (const name of Object.keys(overrides).sort()) {
    const declaration = declarations[name];
    if (!declaration) {
      const declared = Object.keys(declarations);
      problems.push(
        `${locate(name)}: unknown parameter "${name}" for rule ${document.id} ` +
          `(${declared.length ? `it declares: ${declared.join(', ')}` : 'it declares no parameters'})`,
      );
      continue;
    }
    const problem = paramValueProblem(declaration, overrides[name]);
    if (problem) problems.push(`${locate(name)}: invalid value for parameter "${name}" of rule ${document.id}: ${problem}`);
  }
  return { ...paramDefaults(document), ...overrides };
}

const CEL_TYPES: Record<string, string> = { string: 'string', boolean: 'bool', integer: 'int', number: 'dyn' };

/** Each parameter's CEL type. A `number` is dyn: its whole values reach CEL as int, the others as double. */
export function paramCelTypes(document: RuleDocument): Record<string, string> {
  const types: Record<string, string> = {};
  for (const [name, d] of Object.entries(document.params ?? {})) {
    types[name] = d.type === 'array' ? `list<${CEL_TYPES[d.items?.type ?? ''] ?? 'dyn'}>` : (CEL_TYPES[d.type] ?? 'dyn');
  }
  return types;
}
