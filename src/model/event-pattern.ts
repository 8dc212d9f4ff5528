/**
 * EventBridge event patterns ("Event patterns", "Content filtering"), matched offline so a snapshot
 * can be re-judged without AWS's TestEventPattern.
 *
 * Every field of the pattern must match (AND); a field's array lists alternatives (OR); `$or` lists
 * alternative sub-patterns; an object in the pattern descends into the event. A leaf matches an
 * event array when any element matches. Operators: exact values (string, number, boolean, null),
 * `prefix` / `suffix` (also with `equals-ignore-case`), `anything-but` (value, list, `prefix`,
 * `suffix`, `equals-ignore-case`, `wildcard`), `equals-ignore-case`, `wildcard`, `exists`,
 * `numeric`, `cidr`.
 *
 * An operator or shape we do not know is an unknown with the reason, never a guess.
 */
import { BlockList, isIP } from 'node:net';
import { known, unknownBecause, type Known } from './known.ts';
import type { JsonObject, JsonValue } from './tamper-events.ts';

class PatternError extends Error {}

const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const show = (value: JsonValue) => JSON.stringify(value);

/**
 * Whether `event` matches `pattern` (the rule's EventPattern, as text or parsed JSON). Unknown,
 * quoting the part, when the pattern is not JSON or uses something this matcher does not know.
 */
export function matchEventPattern(pattern: string | JsonValue, event: JsonValue): Known<boolean> {
  let parsed: JsonValue;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern) as JsonValue;
    } catch {
      return unknownBecause(`event pattern ${JSON.stringify(pattern)} is not JSON`);
    }
  } else {
    parsed = pattern;
  }
  if (!isObject(parsed)) return unknownBecause(`event pattern ${show(parsed)} is not a JSON object`);
  try {
    return known(matchObject(parsed, isObject(event) ? event : {}, '$'));
  } catch (error) {
    if (error instanceof PatternError) return unknownBecause(`event pattern ${show(parsed)} is not understood: ${error.message}`);
    throw error;
  }
}

function matchObject(pattern: JsonObject, event: JsonObject, path: string): boolean {
  // Evaluate every field (no early exit), so an unknown operator anywhere is reported rather than
  // hidden behind whichever field happened to fail first.
  let all = true;
  for (const [key, expected] of Object.entries(pattern)) {
    const here = `${path}.${key}`;
    const ok = key === '$or' ? matchOr(expected, event, here) : matchField(expected, Object.hasOwn(event, key) ? event[key] : undefined, here);
    all &&= ok;
  }
  return all;
}

function matchOr(alternatives: JsonValue, event: JsonObject, path: string): boolean {
  if (!Array.isArray(alternatives) || alternatives.length === 0 || !alternatives.every(isObject)) {
    throw new PatternError(`${path} must be a non-empty array of objects`);
  }
  return alternatives.map((alternative, i) => matchObject(alternative, event, `${path}[${i}]`)).some(Boolean);
}

function matchField(expected: JsonValue, actual: JsonValue | undefined, path: string): boolean {
  if (isObject(expected)) {
    if (isObject(actual)) return matchObject(expected, actual, path);
    // An object pattern over an array of objects: EventBridge flattens the array, so any element may match.
    const elements = Array.isArray(actual) ? actual.filter(isObject) : [];
    if (elements.length > 0) return elements.map((element) => matchObject(expected, element, path)).some(Boolean);
    return matchObject(expected, {}, path);
  }
  if (!Array.isArray(expected)) throw new PatternError(`${path} is ${show(expected)}; a leaf must be an array of values or operators`);
  if (expected.length === 0) throw new PatternError(`${path} is an empty array`);
  // Leaves are scalars (null included); an object where a leaf is expected is not a leaf, so for
  // `exists` the leaf is absent (the "Exists matching" example in the EventBridge guide).
  const leaves = (Array.isArray(actual) ? actual : [actual]).filter((v): v is JsonValue => v !== undefined && (v === null || typeof v !== 'object'));
  const present = leaves.length > 0;
  const candidates: (JsonValue | undefined)[] = present ? leaves : [undefined];
  return expected.map((alternative) => candidates.some((value) => matchLeaf(alternative, value, present, path))).some(Boolean);
}

function matchLeaf(alternative: JsonValue, value: JsonValue | undefined, present: boolean, path: string): boolean {
  if (!isObject(alternative)) return value !== undefined && sameValue(alternative, value);
  const operators = Object.keys(alternative);
  if (operators.length !== 1) throw new PatternError(`${path} has ${show(alternative)}; an operator object has exactly one key`);
  const operator = operators[0]!;
  // Build the test before looking at the value, so a malformed argument is reported even where
  // the event lacks the field.
  const test = leafTest(operator, alternative[operator]!, `${path} ${operator}`, path);
  return test(value, present);
}

type LeafTest = (value: JsonValue | undefined, present: boolean) => boolean;
const onString = (test: (value: string) => boolean): LeafTest => (value) => typeof value === 'string' && test(value);

function leafTest(operator: string, argument: JsonValue, where: string, path: string): LeafTest {
  switch (operator) {
    case 'exists':
      if (typeof argument !== 'boolean') throw new PatternError(`${where} needs true or false, not ${show(argument)}`);
      return (_value, present) => argument === present;
    case 'prefix':
      return onString(affix(argument, where, (text, needle) => text.startsWith(needle)));
    case 'suffix':
      return onString(affix(argument, where, (text, needle) => text.endsWith(needle)));
    case 'equals-ignore-case': {
      const expected = stringArgument(argument, where).toLowerCase();
      return onString((value) => value.toLowerCase() === expected);
    }
    case 'wildcard': {
      const regexp = wildcard(stringArgument(argument, where), where);
      return onString((value) => regexp.test(value));
    }
    case 'numeric': {
      const test = numeric(argument, where);
      return (value) => typeof value === 'number' && test(value);
    }
    case 'cidr':
      return onString(cidr(argument, where));
    case 'anything-but': {
      const isExcluded = exclusion(argument, where);
      return (value) => value !== undefined && !isExcluded(value);
    }
    default:
      throw new PatternError(`${path} uses the operator ${show(operator)}, which this matcher does not know`);
  }
}

/** Exact matching: strings and booleans by value, numbers numerically (300 equals 3.0e2), null only null. */
function sameValue(expected: JsonValue, actual: JsonValue): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && expected === actual;
  return expected === actual;
}

function stringArgument(argument: JsonValue, where: string): string {
  if (typeof argument !== 'string') throw new PatternError(`${where} needs a string, not ${show(argument)}`);
  return argument;
}

/** `prefix` / `suffix` take a string, or `{ "equals-ignore-case": string }`. */
function affix(argument: JsonValue, where: string, test: (text: string, needle: string) => boolean): (value: string) => boolean {
  if (typeof argument === 'string') return (value) => test(value, argument);
  if (isObject(argument) && Object.keys(argument).length === 1 && typeof argument['equals-ignore-case'] === 'string') {
    const needle = argument['equals-ignore-case'].toLowerCase();
    return (value) => test(value.toLowerCase(), needle);
  }
  throw new PatternError(`${where} needs a string or {"equals-ignore-case": string}, not ${show(argument)}`);
}

/** `*` matches any run of characters; `\*` and `\\` are a literal star and backslash; `**` is refused by AWS. */
function wildcard(pattern: string, where: string): RegExp {
  if (pattern.includes('**')) throw new PatternError(`${where} ${show(pattern)} has consecutive wildcards, which AWS refuses`);
  let body = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[++i];
      if (next !== '*' && next !== '\\') throw new PatternError(`${where} ${show(pattern)} escapes ${show(next ?? '')}; only \\* and \\\\ are escapes`);
      body += `\\${next}`;
    } else {
      body += c === '*' ? '.*' : c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${body}$`, 's');
}

/** `numeric`: one `=`, or up to one lower bound (`>`, `>=`) and one upper bound (`<`, `<=`). */
function numeric(argument: JsonValue, where: string): (value: number) => boolean {
  if (!Array.isArray(argument) || argument.length === 0 || argument.length % 2 !== 0 || argument.length > 4) {
    throw new PatternError(`${where} needs [operator, number] or [lower, n, upper, m], not ${show(argument)}`);
  }
  const tests: ((value: number) => boolean)[] = [];
  for (let i = 0; i < argument.length; i += 2) {
    const op = argument[i];
    const limit = argument[i + 1];
    if (typeof limit !== 'number') throw new PatternError(`${where} compares with ${show(limit ?? null)}, not a number`);
    const test = { '=': (v: number) => v === limit, '<': (v: number) => v < limit, '<=': (v: number) => v <= limit, '>': (v: number) => v > limit, '>=': (v: number) => v >= limit }[String(op)];
    if (typeof op !== 'string' || test === undefined) throw new PatternError(`${where} has the operator ${show(op ?? null)}; expected =, <, <=, > or >=`);
    tests.push(test);
  }
  return (value) => tests.every((test) => test(value));
}

function cidr(argument: JsonValue, where: string): (value: string) => boolean {
  const text = stringArgument(argument, where);
  const [address, bits, extra] = text.split('/');
  const family = isIP(address ?? '');
  const length = Number(bits);
  const max = family === 4 ? 32 : 128;
  if (family === 0 || extra !== undefined || !/^\d+$/.test(bits ?? '') || length > max) throw new PatternError(`${where} ${show(text)} is not an IPv4 or IPv6 CIDR block`);
  const block = new BlockList();
  block.addSubnet(address!, length, family === 4 ? 'ipv4' : 'ipv6');
  return (value) => {
    const valueFamily = isIP(value);
    return valueFamily === family && block.check(value, valueFamily === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * What `anything-but` excludes: a value or a list of values (strings or numbers), or one of
 * `prefix`, `suffix`, `equals-ignore-case` (string or list), `wildcard` (string or list).
 */
function exclusion(argument: JsonValue, where: string): (value: JsonValue) => boolean {
  if (Array.isArray(argument)) {
    if (argument.length === 0 || !argument.every((a) => typeof a === 'string' || typeof a === 'number')) {
      throw new PatternError(`${where} needs a non-empty list of strings or numbers, not ${show(argument)}`);
    }
    return (value) => argument.some((a) => sameValue(a, value));
  }
  if (typeof argument === 'string' || typeof argument === 'number') return (value) => sameValue(argument, value);
  if (!isObject(argument) || Object.keys(argument).length !== 1) throw new PatternError(`${where} has ${show(argument)}, which this matcher does not know`);
  const [operator, inner] = Object.entries(argument)[0]!;
  const nested = `${where} ${operator}`;
  const list = (x: JsonValue): string[] => (Array.isArray(x) && x.length > 0 ? x.map((s) => stringArgument(s, nested)) : [stringArgument(x, nested)]);
  const onText = (test: (value: string) => boolean) => (value: JsonValue) => typeof value === 'string' && test(value);
  switch (operator) {
    case 'prefix': {
      const prefix = stringArgument(inner, nested);
      return onText((value) => value.startsWith(prefix));
    }
    case 'suffix': {
      const suffix = stringArgument(inner, nested);
      return onText((value) => value.endsWith(suffix));
    }
    case 'equals-ignore-case': {
      const values = list(inner).map((s) => s.toLowerCase());
      return onText((value) => values.includes(value.toLowerCase()));
    }
    case 'wildcard': {
      const regexps = list(inner).map((s) => wildcard(s, nested));
      return onText((value) => regexps.some((r) => r.test(value)));
    }
    default:
      throw new PatternError(`${where} uses ${show(operator)}, which this matcher does not know inside anything-but`);
  }
}
