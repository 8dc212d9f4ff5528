import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { located, UserError, UserErrors } from './errors.ts';
import { oneByteWherePossible } from './one-byte.ts';

/** A parsed YAML file that can say where any value in it came from. */
export interface YamlSource {
  file: string;
  text: string;
  value: unknown;
  /** 1-based line/column of the node at a JSON path (nearest existing ancestor when missing). */
  positionOf(path: (string | number)[]): { line: number; column: number };
  /** The YAML node at a path, for callers that need the raw scalar (e.g. to map CEL offsets). */
  nodeAt(path: (string | number)[]): Node | undefined;
  /** Text offset → 1-based line/column. */
  linePos(offset: number): { line: number; column: number };
}

export function readYamlFile(file: string): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseYamlText(file, text);
}

export function parseYamlText(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    throw new UserErrors(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return located(file, pos.line, pos.col, `invalid YAML: ${firstLine(e.message)}`);
      }),
    );
  }
  const linePos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const nodeAt = (path: (string | number)[]): Node | undefined => {
    const n = doc.getIn(path, true);
    return n && typeof n === 'object' && 'range' in (n as object) ? (n as Node) : undefined;
  };
  const positionOf = (path: (string | number)[]) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const sub = path.slice(0, depth);
      const node = depth === 0 ? doc.contents : nodeAt(sub);
      const keyNode = depth > 0 ? keyNodeAt(doc, sub) : undefined;
      const target = keyNode ?? node;
      if (target && (target as Node).range) return linePos((target as Node).range![0]);
    }
    return { line: 1, column: 1 };
  };
  return { file, text, value: toPlainValue(doc, file), positionOf, nodeAt, linePos };
}

/** Aliases may repeat a node at most this many times in all: more is a "billion laughs" bomb. */
const MAX_ALIAS_COUNT = 100;

function toPlainValue(doc: Document, file: string): unknown {
  try {
    return withOneByteStrings(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
  } catch (err) {
    // The yaml library's guard against exponential alias expansion: an input error, not a crash.
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new UserError(`${file}: invalid YAML: its aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias expansions); write the values out instead of nesting aliases`);
    }
    throw err;
  }
}

/**
 * The value with its strings, keys included, one-byte where their characters allow it. The yaml
 * library cuts them out of the file's text, which is two-byte as soon as the file holds one
 * character beyond Latin-1 (a dash in a rule's description): a rule's expressions and the keys
 * their CEL map literals make (evidence keys) then stayed two-byte, and every report encoded them
 * at V8's two-byte rate (one-byte.ts). Plain objects and arrays are rebuilt, in the same order.
 */
function withOneByteStrings(value: unknown): unknown {
  if (typeof value === 'string') return oneByteWherePossible(value);
  if (Array.isArray(value)) return value.map(withOneByteStrings);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [oneByteWherePossible(key), withOneByteStrings(item)]));
}

/** The key node of a map entry, so "unknown field" points at the key, not its value. */
function keyNodeAt(doc: Document, path: (string | number)[]): Node | undefined {
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
    if (pair && isScalar(pair.key)) return pair.key;
  }
  if (isSeq(parent) && typeof last === 'number') return parent.items[last] as Node | undefined;
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

/** JSON Pointer ("/a/0/b") → path segments. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}

/** One readable sentence for an Ajv error. */
export function describeAjvError(e: ErrorObject): { path: (string | number)[]; message: string } {
  const path = pointerToPath(e.instancePath);
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return { path: [...path, extra], message: `unknown field "${extra}" in ${where}` };
    }
    case 'required':
      return { path, message: `${where}: missing required field "${(e.params as { missingProperty: string }).missingProperty}"` };
    case 'enum':
      return { path, message: `${where}: expected one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'type':
      return { path, message: `${where}: expected ${(e.params as { type: string }).type}` };
    default:
      return { path, message: `${where}: ${e.message ?? e.keyword}` };
  }
}

/**
 * Validates a parsed YAML value against a compiled JSON Schema; on failure throws one UserErrors
 * listing every problem as "file:line:col: message".
 */
export function assertValid<T>(source: YamlSource, validate: ValidateFunction, what: string): T {
  if (validate(source.value)) return source.value as T;
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const e of mostSpecific(validate.errors ?? [])) {
    const { path, message } = describeAjvError(e);
    const pos = source.positionOf(path);
    const line = located(source.file, pos.line, pos.column, `invalid ${what}: ${message}`);
    if (!seen.has(line)) {
      seen.add(line);
      problems.push(line);
    }
  }
  throw new UserErrors(problems);
}

/** Drops the noise of oneOf/anyOf branches when a more specific error exists at a deeper path. */
export function mostSpecific(errors: ErrorObject[]): ErrorObject[] {
  const filtered = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  return filtered.length > 0 ? filtered : errors;
}
