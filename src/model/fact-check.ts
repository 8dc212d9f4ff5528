/**
 * Checks hand-written facts (the `facts:` inputs of rule tests) against the declaration: a field
 * the model does not publish, or a value of the wrong type, would otherwise make a test prove
 * something about facts that never occur.
 */
import { closest } from '../shared/closest.ts';
import { isJsonObject } from '../shared/json-object.ts';
import { elementType, factObject, fieldsOf, type FactObject } from './fact-declarations.ts';

export interface FactProblem {
  /** Path from the value checked, e.g. ["trails", 0, "isLoging"]. */
  path: (string | number)[];
  message: string;
}

/**
 * Problems of `value` as an instance of the declared type `type` (e.g. "Account", "list<Trail>").
 * With `complete`, a field that cannot be unknown must be present (the model's own output);
 * without, any subset of the fields is fine (a test's hand-written facts).
 */
export function factProblems(value: unknown, type: string, path: (string | number)[] = [], complete = false): FactProblem[] {
  const problems: FactProblem[] = [];
  check(value, type, path, { problems, complete });
  return problems;
}

interface Checking {
  problems: FactProblem[];
  complete: boolean;
}

function check(value: unknown, type: string, path: (string | number)[], checking: Checking): void {
  const { problems } = checking;
  const mismatch = (expected: string): void => void problems.push({ path, message: `expected ${expected}, got ${describe(value)}` });
  const element = elementType(type);
  if (type.startsWith('list<')) {
    if (!Array.isArray(value)) return mismatch('a list');
    value.forEach((item, i) => check(item, element!, [...path, i], checking));
    return;
  }
  if (type.startsWith('map<')) {
    if (!isJsonObject(value)) return mismatch('a map');
    for (const [k, v] of Object.entries(value)) check(v, element!, [...path, k], checking);
    return;
  }
  switch (type) {
    case 'dyn':
      return;
    case 'string':
      if (typeof value !== 'string') mismatch('a string');
      return;
    case 'bool':
      if (typeof value !== 'boolean') mismatch('a bool');
      return;
    case 'int':
      if (!Number.isInteger(value)) mismatch('an int');
      return;
    case 'double':
      if (typeof value !== 'number') mismatch('a number');
      return;
  }
  const object = factObject(type);
  if (!object) throw new Error(`fact type ${type} is not declared`);
  if (!isJsonObject(value)) return mismatch(`a ${type} map`);
  checkObject(value, object, path, checking);
}

function checkObject(value: Record<string, unknown>, object: FactObject, path: (string | number)[], checking: Checking): void {
  const { problems } = checking;
  const fields = new Map(fieldsOf(object).map((f) => [f.name, f]));
  const names = [...fields.keys()];
  for (const [key, v] of Object.entries(value)) {
    const field = fields.get(key);
    if (!field) {
      problems.push({ path: [...path, key], message: `no such fact "${key}" in ${object.name}${hint(key, names)}` });
      continue;
    }
    if (v === null && field.nullable) continue;
    check(v, field.type, [...path, key], checking);
  }
  if (checking.complete) {
    for (const field of object.fields) {
      if (!field.unknowable && value[field.name] === undefined) problems.push({ path: [...path, field.name], message: `${object.name}.${field.name} is missing, and is not declared as one that can be unknown` });
    }
  }
  const unknown = value.unknown;
  if (isJsonObject(unknown)) {
    const unknowable = fieldsOf(object).filter((f) => f.unknowable).map((f) => f.name);
    for (const key of Object.keys(unknown)) {
      if (!unknowable.includes(key)) {
        problems.push({ path: [...path, 'unknown', key], message: `"${key}" is not a fact of ${object.name} that can be unknown${hint(key, unknowable)}` });
      }
    }
  }
}

function hint(key: string, names: string[]): string {
  const close = closest(key, names);
  return close ? `; did you mean "${close}"?` : '';
}


function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}
