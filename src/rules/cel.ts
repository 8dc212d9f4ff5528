/**
 * The CEL dialect rules are written in, on top of @marcbachmann/cel-js: which variables exist,
 * how facts become CEL values and how CEL values become JSON again.
 */
import { Environment } from '@marcbachmann/cel-js';
import { buildMapLiteralsDirectly } from './cel-map-literal.ts';
import { withClosures } from './cel-closures.ts';
import { resolveOverloadsOnce } from './cel-overloads.ts';

/** Activation roots every rule may read (absent ones fail with "Unknown variable" at run time). */
export const ACTIVATION_ROOTS = ['organization', 'account', 'trail', 'bucket'] as const;

/** A compiled expression: call with an activation to evaluate. `ast` is the parsed form, for analysis (verdict-cache.ts). */
export type CompiledExpression = ((activation: Record<string, unknown>) => unknown) & { ast?: unknown };

/** What a CEL library error tells us, independent of its class. */
export interface CelErrorInfo {
  code: string;
  summary: string;
  /** Offset range into the expression text, when known. */
  range?: { start: number; end: number };
  /** The caret snippet the library prints under the summary. */
  snippet: string[];
  /** A field access the type checker found no such field for (`receiver.key`). */
  access?: { receiver: string; key: string; receiverType?: string };
}

/**
 * One environment per variable scope. `variables` and `params` are declared as schemas so a
 * misspelt `variables.lacknig` or `params.requre` is a type error at load, not an ERROR at scan time.
 */
export function ruleEnvironment(variableNames: string[], paramNames: string[]): Environment {
  const env = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false });
  for (const root of ACTIVATION_ROOTS) env.registerVariable(root, 'dyn');
  env.registerVariable({ name: 'params', schema: Object.fromEntries(paramNames.map((n) => [n, 'dyn'])) });
  env.registerVariable({ name: 'variables', schema: Object.fromEntries(variableNames.map((n) => [n, 'dyn'])) });
  return env;
}

/**
 * Parses in `env` (the untyped run-time environment) and type-checks in `checker` (the facts'
 * types, see cel-types.ts), or in `env` when there is none. Returns the compiled expression and
 * its checked type, or the library's error. 'unchecked' parses only (type `dyn`): for an
 * expression already checked, byte for byte, in the same environments.
 */
export function compileExpression(
  env: Environment,
  expression: string,
  checker: Environment | 'unchecked' = env,
): { compiled: CompiledExpression; type: string } | { error: CelErrorInfo } {
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(expression);
  } catch (err) {
    return { error: celErrorInfo(err) };
  }
  buildMapLiteralsDirectly(parsed.ast);
  resolveOverloadsOnce(parsed.ast);
  const library: CompiledExpression = (activation) => parsed(activation);
  const ast = parsed.ast as { checkedType?: unknown };
  const compiled: CompiledExpression = withClosures(ast, library, () => ast.checkedType !== undefined) ?? library;
  compiled.ast = parsed.ast;
  if (checker === 'unchecked') return { compiled, type: 'dyn' };
  const checked = checker.check(expression);
  if (!checked.valid) return { error: celErrorInfo(checked.error) };
  return { compiled, type: String(checked.type) };
}

export function celErrorInfo(err: unknown): CelErrorInfo {
  const e = err as { code?: unknown; summary?: unknown; range?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const lines = message.split('\n');
  const summary = typeof e?.summary === 'string' && e.summary ? e.summary : (lines[0] ?? message);
  const r = e?.range as { start?: unknown; end?: unknown } | undefined;
  const range = r && typeof r.start === 'number' && typeof r.end === 'number' ? { start: r.start, end: r.end } : undefined;
  const access = fieldAccessOf(err);
  return {
    code: typeof e?.code === 'string' ? e.code : 'error',
    summary: summary.trim(),
    ...(range ? { range } : {}),
    snippet: lines.slice(1).filter((l) => l.trim() !== ''),
    ...(access ? { access } : {}),
  };
}

/** For a "No such key" found by the checker: the access as written, and the type it was made on. */
function fieldAccessOf(err: unknown): CelErrorInfo['access'] {
  const node = (err as { node?: unknown })?.node as { op?: unknown; args?: unknown[]; start?: unknown; end?: unknown; input?: unknown } | undefined;
  if ((err as { code?: unknown })?.code !== 'no_such_key' || !node || !Array.isArray(node.args)) return undefined;
  const receiver = node.args[0] as { checkedType?: { name?: unknown }; start?: unknown; end?: unknown } | undefined;
  const key = node.op === '.' ? node.args[1] : (node.args[1] as { args?: unknown } | undefined)?.args;
  const input = typeof node.input === 'string' ? node.input : undefined;
  if (typeof key !== 'string' || !receiver || typeof receiver.start !== 'number' || typeof receiver.end !== 'number' || !input) return undefined;
  const receiverType = receiver.checkedType?.name;
  return { receiver: input.slice(receiver.start, receiver.end), key, ...(typeof receiverType === 'string' ? { receiverType } : {}) };
}

/** The key a "No such key" error is about. */
export function missingKeyOf(info: CelErrorInfo): string | undefined {
  if (info.code !== 'no_such_key') return undefined;
  return /No such key: (.+)$/.exec(info.summary)?.[1]?.trim();
}

const celValues = new WeakMap<object, unknown>();

/**
 * Facts → CEL values. CEL keeps int and double apart and `double + int` has no overload, so every
 * integral JS number becomes a BigInt (`retentionDays >= 365` then compares int with int).
 * `undefined` members are dropped: to CEL a key is either present or absent.
 * The converted value of an object is cached, so facts shared by many subjects (the organization,
 * an account) are converted once per scan. Only the object passed in is cached, not each object
 * inside it: a WeakMap entry for every nested fact would cost more garbage collection than the
 * conversion it saves.
 */
export function toCel(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return convert(value);
  const cached = celValues.get(value);
  if (cached !== undefined) return cached;
  const converted = convert(value);
  celValues.set(value, converted);
  return converted;
}

/**
 * A list or plain object whose members all convert to themselves (strings, booleans, lists of
 * names...) is its own CEL value: CEL only reads it. A copy is made from the first member that
 * changes, so the facts of every account are not copied whole for each evaluation.
 */
function convert(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return convertList(value);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, toCelMember(v)]));
  if (value instanceof Date || value instanceof Uint8Array) return value;
  return convertRecord(value as Record<string, unknown>);
}

function convertList(list: readonly unknown[]): unknown[] {
  return convertedList(list, toCelMember, false);
}

/**
 * `list` with each item converted: the list itself when no item changes, else a copy from the
 * first item that does (the items before it unchanged). `mapsHoles`: a list with a hole is
 * converted by map(), which keeps the hole, as fromCel always converted lists.
 */
function convertedList(list: readonly unknown[], convertItem: (item: unknown) => unknown, mapsHoles: boolean): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (mapsHoles && item === undefined && !(i in list)) return list.map(convertItem);
    const converted = convertItem(item);
    if (out === undefined && converted !== item) out = list.slice(0, i);
    out?.push(converted);
  }
  return out ?? (list as unknown[]);
}

function convertRecord(record: Record<string, unknown>): Record<string, unknown> {
  // An undefined member is dropped (absent to CEL), which also takes a copy.
  return convertedRecord(record, memberToCel, false);
}

const memberToCel = (v: unknown): unknown => (v === undefined ? undefined : toCelMember(v));

/**
 * `record` with each member converted (`convertMember`; undefined drops the member): the record
 * itself when no member changes, else a copy from the first member that does (the members before
 * it unchanged and present). Keys are walked with for...in, not Object.keys (an array per record):
 * on an object whose prototype is Object's, for...in visits the own enumerable keys in
 * Object.keys' order. Another prototype (a class, a null-prototype map) is copied into a plain
 * object, as CEL and JSON expect. `copiesAtProto`: a `__proto__` member takes a copy, in which it
 * is no member (the assignment sets the copy's prototype), as fromCel always copied.
 */
function convertedRecord(record: Record<string, unknown>, convertMember: (member: unknown) => unknown, copiesAtProto: boolean): Record<string, unknown> {
  if (Object.getPrototypeOf(record) !== Object.prototype) return copiedRecord(record, convertMember);
  let out: Record<string, unknown> | undefined;
  for (const key in record) {
    const member = record[key];
    const converted = convertMember(member);
    if (out === undefined) {
      if (converted === member && member !== undefined && !(copiesAtProto && key === '__proto__')) continue;
      out = membersBefore(record, key);
    }
    if (converted !== undefined) out[key] = converted;
  }
  return out ?? record;
}

/** A plain object of the members of `record` before `key` (each its own converted value). */
function membersBefore(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const before in record) {
    if (before === key) break;
    out[before] = record[before];
  }
  return out;
}

function copiedRecord(record: Record<string, unknown>, convertMember: (member: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const converted = convertMember(record[keys[i]!]);
    if (converted !== undefined) out[keys[i]!] = converted;
  }
  return out;
}

/** A nested fact; a frozen one is shared between subjects by the model (SCP facts of an OU), so its conversion is cached too. */
export function toCelMember(value: unknown): unknown {
  return value !== null && typeof value === 'object' && Object.isFrozen(value) ? toCel(value) : convert(value);
}

/**
 * CEL values → JSON for evidence and messages: BigInt → number, Map → object, bytes → base64.
 * A list or plain object whose members all convert to themselves (the strings and booleans most
 * evidence is made of) is its own JSON value, as in toCel: a copy is made from the first member
 * that changes. Evidence is only read once made (the verdict cache already hands one evidence
 * object to many verdicts), so sharing it with the CEL value is safe; copying every map a rule's
 * evidence built was a tenth of what judging allocated.
 */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  if (Array.isArray(value)) return listFromCel(value);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(fromCel(k))] = fromCel(v);
    return out;
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return recordFromCel(value as Record<string, unknown>);
}

function listFromCel(list: readonly unknown[]): unknown[] {
  return convertedList(list, fromCel, true);
}

function recordFromCel(record: Record<string, unknown>): Record<string, unknown> {
  return convertedRecord(record, fromCel, true);
}

/** A CEL result as message text: strings as they are, anything else as JSON. */
export function celToText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(fromCel(value));
}
