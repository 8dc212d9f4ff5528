/**
 * CEL expressions evaluated through a tree of JavaScript closures made once at load, in front of
 * the library's interpreter. @marcbachmann/cel-js evaluates a parsed expression by walking it for
 * each evaluation: per node a dispatch, and for every operator and function the values' run-time
 * types worked out and an overload looked up (the rules run in an environment where every fact is
 * `dyn`). At 10,000 accounts the rules make ~100,000 evaluations after the verdict cache, ~14 % of
 * the run's main thread.
 *
 * The closures cover the part of CEL the bundled rules are written in, for the values facts are
 * made of (strings, booleans, ints as BigInt, doubles, null, lists, plain objects), and nothing
 * else: an expression holding any other node is not compiled, and a value or a case off that path
 * — any error, a type the closures do not handle, an overflow — makes the closure give up
 * (`GAVE_UP`) and the library evaluates the expression instead, from its start. CEL is pure, so
 * the library's evaluation is what the expression gives; where the closures return a value, it is
 * the value the library returns (cel-closures.test.ts compares them). A variable read twice that
 * way is evaluated once (evaluate.ts keeps its value or error).
 */
/** An expression's evaluation (cel.ts CompiledExpression, not imported: cel.ts imports this module). */
type Evaluation = (activation: Record<string, unknown>) => unknown;

/** Thrown (not an Error: no stack is captured) where the closures leave the expression to the library. */
const GAVE_UP: unique symbol = Symbol('left to the library');

type Locals = unknown[];
type Closure = (activation: Record<string, unknown>, locals: Locals) => unknown;

interface Node {
  op: string;
  args: unknown;
  meta: { macro?: unknown; alternate?: unknown };
}

/** Where a name is bound while compiling: a comprehension's variable in `locals`. */
type Scope = ReadonlyMap<string, number>;

/** The closures' compiler state: how many local slots the expression needs. */
interface Frame {
  slots: number;
}

/** Declared as objects of named members (cel.ts ruleEnvironment): read by name, getters included. */
const DECLARED_ROOTS = new Set(['params', 'variables']);

/** Map literal keys the library leaves out (cel-map-literal.ts). */
const LEFT_OUT = new Set(['__proto__', 'constructor', 'prototype']);

const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The expression as closures, with the library's evaluation behind them; undefined when it holds
 * a node the closures do not cover. `library` is only asked once it has evaluated the expression
 * once itself (its first evaluation type-checks the tree: an error there is the library's to give).
 */
export function withClosures(ast: unknown, library: Evaluation, checked: () => boolean): Evaluation | undefined {
  const frame: Frame = { slots: 0 };
  let closure: Closure | undefined;
  try {
    closure = compile(ast as Node, new Map(), frame);
  } catch (err) {
    if (err === GAVE_UP) return undefined;
    throw err;
  }
  const body = closure;
  const slots = frame.slots;
  let ready = false;
  return (activation) => {
    if (ready || (ready = checked())) {
      try {
        return body(activation, slots === 0 ? NO_LOCALS : new Array<unknown>(slots));
      } catch {
        // GAVE_UP, or an error the library gives its own way (or absorbs: `||`, `exists`).
      }
    }
    return library(activation);
  };
}

const NO_LOCALS: Locals = [];

function giveUp(): never {
  throw GAVE_UP;
}

function compile(node: Node, scope: Scope, frame: Frame): Closure {
  if (node === null || typeof node !== 'object' || typeof node.op !== 'string') giveUp();
  switch (node.op) {
    case 'value':
      return literal(node.args);
    case 'id':
      return identifier(node.args as string, scope);
    case '.':
      return field(node.args as [Node, string], scope, frame);
    case '[]':
      return index(node.args as [Node, Node], scope, frame);
    case 'list':
      return list(node.args as Node[], scope, frame);
    case 'map':
      return mapLiteral(node.args as [Node, Node][], scope, frame);
    case '?:':
      return ternary(node.args as [Node, Node, Node], scope, frame);
    case '&&':
    case '||':
      return logical(node.op, node.args as [Node, Node], scope, frame);
    case '!_': {
      const operand = compile(node.args as Node, scope, frame);
      return (a, l) => !bool(operand(a, l));
    }
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '+':
    case '-':
    case 'in':
      return binary(node.op, node.args as [Node, Node], scope, frame);
    case 'call':
      return call(node, scope, frame);
    case 'rcall':
      return receiverCall(node, scope, frame);
    default:
      return giveUp();
  }
}

function literal(value: unknown): Closure {
  const kind = typeof value;
  if (value !== null && kind !== 'string' && kind !== 'bigint' && kind !== 'boolean' && kind !== 'number') giveUp();
  return () => value;
}

function identifier(name: string, scope: Scope): Closure {
  const slot = scope.get(name);
  if (slot !== undefined) return (_a, l) => l[slot];
  // Whole, the library hands a declared object out as its own wrapper of it: only its members are read here (field).
  if (DECLARED_ROOTS.has(name)) giveUp();
  return (a) => {
    const value = a[name];
    return value === undefined ? giveUp() : value;
  };
}

function field([receiverNode, key]: [Node, string], scope: Scope, frame: Frame): Closure {
  if (typeof key !== 'string') giveUp();
  if (receiverNode.op === 'id' && DECLARED_ROOTS.has(receiverNode.args as string) && !scope.has(receiverNode.args as string)) {
    // The library reads a declared object's member by name (a getter of `variables` included).
    const root = receiverNode.args as string;
    return (a) => celValue((a[root] as Record<string, unknown>)[key]);
  }
  const receiver = compile(receiverNode, scope, frame);
  return (a, l) => memberOf(receiver(a, l), key);
}

/** A plain object's own member, as the library's `dyn` field access finds it. */
function memberOf(value: unknown, key: string): unknown {
  if (!isPlainObject(value) || !hasOwn.call(value, key)) return giveUp();
  return celValue(value[key]);
}

function index([receiverNode, keyNode]: [Node, Node], scope: Scope, frame: Frame): Closure {
  const receiver = compile(receiverNode, scope, frame);
  const key = compile(keyNode, scope, frame);
  return (a, l) => {
    const value = receiver(a, l);
    const at = key(a, l);
    if (Array.isArray(value)) {
      if (typeof at !== 'bigint' || at < 0n || at >= BigInt(value.length)) return giveUp();
      return celValue(value[Number(at)]);
    }
    if (typeof at !== 'string') return giveUp();
    return memberOf(value, at);
  };
}

function list(items: Node[], scope: Scope, frame: Frame): Closure {
  const closures = items.map((item) => compile(item, scope, frame));
  return (a, l) => {
    const out: unknown[] = [];
    for (let i = 0; i < closures.length; i++) out.push(closures[i]!(a, l));
    return out;
  };
}

function mapLiteral(entries: [Node, Node][], scope: Scope, frame: Frame): Closure {
  if (entries.length === 0) giveUp(); // the type check gives an empty literal its own evaluation
  const keys = entries.map(([key]) => compile(key, scope, frame));
  const values = entries.map(([, value]) => compile(value, scope, frame));
  const names = entries.map(([key]) => (key.op === 'value' && typeof key.args === 'string' ? key.args : undefined));
  if (names.every((name) => name !== undefined)) return namedMapLiteral(names as string[], values);
  return (a, l) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const name = keys[i]!(a, l);
      const value = values[i]!(a, l);
      if (typeof name !== 'string') return giveUp();
      if (!LEFT_OUT.has(name)) out[name] = value;
    }
    return out;
  };
}

/**
 * A literal whose keys are all written as strings (every one in the rules): its object made by an
 * object literal of those keys, which V8 builds from one template, where a store per key of the
 * data went through its generic keyed store (a tenth of the closures' time). The keys are
 * JSON-quoted into the literal's text (a JSON string is a JavaScript string); a key the library
 * leaves out is not in it, its value still evaluated; a repeated key keeps its first place and its
 * last value, as the library's stores do.
 */
function namedMapLiteral(names: readonly string[], values: readonly Closure[]): Closure {
  const kept = [...new Set(names.filter((name) => !LEFT_OUT.has(name)))];
  const make = objectOf(kept);
  const slotOf = names.map((name) => kept.indexOf(name));
  return (a, l) => {
    const parts: unknown[] = new Array<unknown>(kept.length);
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!(a, l);
      if (slotOf[i]! >= 0) parts[slotOf[i]!] = value;
    }
    return make(parts);
  };
}

const objectMakers = new Map<string, (parts: unknown[]) => Record<string, unknown>>();

/** A function making an object of `keys` (in that order) from a list of their values, shared by the literals of one key list. */
function objectOf(keys: readonly string[]): (parts: unknown[]) => Record<string, unknown> {
  const id = JSON.stringify(keys);
  let make = objectMakers.get(id);
  if (!make) {
    const members = keys.map((key, i) => `${JSON.stringify(key)}: p[${i}]`).join(', ');
    objectMakers.set(id, (make = new Function('p', `return { ${members} };`) as (parts: unknown[]) => Record<string, unknown>));
  }
  return make;
}

function ternary([conditionNode, thenNode, elseNode]: [Node, Node, Node], scope: Scope, frame: Frame): Closure {
  const condition = compile(conditionNode, scope, frame);
  const then = compile(thenNode, scope, frame);
  const otherwise = compile(elseNode, scope, frame);
  return (a, l) => (bool(condition(a, l)) ? then(a, l) : otherwise(a, l));
}

function logical(op: '&&' | '||', [leftNode, rightNode]: [Node, Node], scope: Scope, frame: Frame): Closure {
  const left = compile(leftNode, scope, frame);
  const right = compile(rightNode, scope, frame);
  if (op === '&&') return (a, l) => bool(left(a, l)) && bool(right(a, l));
  return (a, l) => bool(left(a, l)) || bool(right(a, l));
}

function bool(value: unknown): boolean {
  return typeof value === 'boolean' ? value : giveUp();
}

function binary(op: string, [leftNode, rightNode]: [Node, Node], scope: Scope, frame: Frame): Closure {
  const left = compile(leftNode, scope, frame);
  const right = compile(rightNode, scope, frame);
  switch (op) {
    case '==':
      return (a, l) => equal(left(a, l), right(a, l));
    case '!=':
      return (a, l) => !equal(left(a, l), right(a, l));
    case '<':
      return (a, l) => ordered(left(a, l), right(a, l), (x, y) => x < y);
    case '<=':
      return (a, l) => ordered(left(a, l), right(a, l), (x, y) => x <= y);
    case '>':
      return (a, l) => ordered(left(a, l), right(a, l), (x, y) => x > y);
    case '>=':
      return (a, l) => ordered(left(a, l), right(a, l), (x, y) => x >= y);
    case '+':
      return (a, l) => plus(left(a, l), right(a, l));
    case '-':
      return (a, l) => minus(left(a, l), right(a, l));
    default:
      return (a, l) => contains(right(a, l), left(a, l));
  }
}

/** CEL's equality as the library's (overloads.js isEqual): values of different types are unequal, an int equals a double of its value, lists and maps by their members. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  switch (typeof a) {
    case 'string':
    case 'boolean':
      return false;
    case 'bigint':
      return typeof b === 'number' ? (a as unknown) == b : false; // an int equals a double of its value
    case 'number':
      return typeof b === 'bigint' ? (a as unknown) == b : false;
    case 'object': {
      if (typeof b !== 'object') return false;
      if (a === null || b === null) return isCelObject(a) && isCelObject(b) ? false : giveUp();
      if (Array.isArray(a) && Array.isArray(b)) return equalLists(a, b);
      if (isPlainObject(a) && isPlainObject(b)) return equalRecords(a, b);
      if ((Array.isArray(a) && isPlainObject(b)) || (isPlainObject(a) && Array.isArray(b))) return false;
      return giveUp();
    }
    default:
      return giveUp();
  }
}

function equalLists(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
  return true;
}

function equalRecords(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i]!;
    // The library asks `key in b`: an inherited name (`toString`) it would compare, these give up.
    if (!hasOwn.call(b, key)) return key in b ? giveUp() : false;
    if (!equal(a[key], b[key])) return false;
  }
  return true;
}

/** The orderings the library defines between these values: strings, ints and doubles (ints and doubles with each other). */
function ordered(a: unknown, b: unknown, compare: (x: never, y: never) => boolean): boolean {
  const ta = typeof a;
  const tb = typeof b;
  const numeric = (ta === 'bigint' || ta === 'number') && (tb === 'bigint' || tb === 'number');
  if (!numeric && !(ta === 'string' && tb === 'string')) return giveUp();
  return compare(a as never, b as never);
}

function plus(a: unknown, b: unknown): unknown {
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (typeof a === 'bigint' && typeof b === 'bigint') return int(a + b);
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  return giveUp();
}

function minus(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return int(a - b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return giveUp();
}

/** An int within CEL's 64 bits (the library raises an overflow error otherwise). */
function int(value: bigint): bigint {
  return value < INT_MIN || value > INT_MAX ? giveUp() : value;
}

/** `item in collection`: a list's member, or a map's key (overloads.js listMembership, mapIncludes). */
function contains(collection: unknown, item: unknown): boolean {
  if (Array.isArray(collection)) {
    for (let i = 0; i < collection.length; i++) if (equal(item, collection[i])) return true;
    return false;
  }
  if (isPlainObject(collection) && typeof item === 'string') return hasOwn.call(collection, item) ? collection[item] !== undefined : false;
  return giveUp();
}

function call(node: Node, scope: Scope, frame: Frame): Closure {
  const [name, argNodes] = node.args as [string, Node[]];
  if (name === 'has' && node.meta.macro && argNodes.length === 1) return has(argNodes[0]!, scope, frame);
  if (argNodes.length !== 1) giveUp();
  const arg = compile(argNodes[0]!, scope, frame);
  switch (name) {
    case 'string':
      return (a, l) => {
        const value = arg(a, l);
        if (typeof value === 'string') return value;
        return typeof value === 'boolean' || typeof value === 'bigint' ? `${value}` : giveUp();
      };
    case 'size':
      return (a, l) => size(arg(a, l));
    case 'dyn':
      return arg;
    default:
      return giveUp();
  }
}

/** `has(x.a.b)`: whether the last member is present; a missing member before it is the library's error. */
function has(fieldNode: Node, scope: Scope, frame: Frame): Closure {
  const keys: string[] = [];
  let node = fieldNode;
  while (node.op === '.') {
    const [receiver, key] = node.args as [Node, string];
    if (typeof key !== 'string') giveUp();
    keys.unshift(key);
    node = receiver;
  }
  if (node.op !== 'id' || (DECLARED_ROOTS.has(node.args as string) && !scope.has(node.args as string))) giveUp();
  const root = compile(node, scope, frame);
  const last = keys.length - 1;
  return (a, l) => {
    let value = root(a, l);
    for (let i = 0; i <= last; i++) {
      if (!isPlainObject(value)) return giveUp();
      const key = keys[i]!;
      const member = hasOwn.call(value, key) ? value[key] : undefined;
      if (member === undefined) return i === last ? false : giveUp();
      value = celValue(member);
    }
    return true;
  };
}

function size(value: unknown): bigint {
  return Array.isArray(value) ? BigInt(value.length) : giveUp();
}

function receiverCall(node: Node, scope: Scope, frame: Frame): Closure {
  const [name, receiverNode, argNodes] = node.args as [string, Node, Node[]];
  if (node.meta.alternate && argNodes.length >= 2 && argNodes[0]!.op === 'id') return macro(name, receiverNode, argNodes, scope, frame);
  const receiver = compile(receiverNode, scope, frame);
  if (name === 'size' && argNodes.length === 0) return (a, l) => size(receiver(a, l));
  if (name === 'join' && argNodes.length <= 1) {
    const separator = argNodes.length === 1 ? compile(argNodes[0]!, scope, frame) : () => '';
    return (a, l) => {
      const items = receiver(a, l);
      const sep = separator(a, l);
      if (!Array.isArray(items) || typeof sep !== 'string') return giveUp();
      for (let i = 0; i < items.length; i++) if (typeof items[i] !== 'string') return giveUp();
      return items.join(sep);
    };
  }
  return giveUp();
}

/** The comprehension macros over a list: map (with or without a filter), filter, all, exists. */
function macro(name: string, receiverNode: Node, argNodes: Node[], scope: Scope, frame: Frame): Closure {
  const receiver = compile(receiverNode, scope, frame);
  const slot = frame.slots++;
  const inner = new Map(scope).set(argNodes[0]!.args as string, slot);
  const parts = argNodes.slice(1).map((part) => compile(part, inner, frame));
  const items = (a: Record<string, unknown>, l: Locals): readonly unknown[] => {
    const value = receiver(a, l);
    return Array.isArray(value) ? value : giveUp();
  };
  if (name === 'map' && parts.length === 1) {
    const [transform] = parts as [Closure];
    return (a, l) => {
      const list = items(a, l);
      const out: unknown[] = [];
      for (let i = 0; i < list.length; i++) {
        l[slot] = celValue(list[i]);
        out.push(transform(a, l));
      }
      return out;
    };
  }
  if (name === 'map' && parts.length === 2) {
    const [keep, transform] = parts as [Closure, Closure];
    return (a, l) => {
      const list = items(a, l);
      const out: unknown[] = [];
      for (let i = 0; i < list.length; i++) {
        l[slot] = celValue(list[i]);
        if (bool(keep(a, l))) out.push(transform(a, l));
      }
      return out;
    };
  }
  if (parts.length !== 1) giveUp();
  const [predicate] = parts as [Closure];
  switch (name) {
    case 'filter':
      return (a, l) => {
        const list = items(a, l);
        const out: unknown[] = [];
        for (let i = 0; i < list.length; i++) {
          l[slot] = celValue(list[i]);
          if (bool(predicate(a, l))) out.push(list[i]);
        }
        return out;
      };
    case 'all':
    case 'exists': {
      // all: decided at the first false; exists: at the first true.
      const decisive = name === 'exists';
      return (a, l) => {
        const list = items(a, l);
        for (let i = 0; i < list.length; i++) {
          l[slot] = celValue(list[i]);
          if (bool(predicate(a, l)) === decisive) return decisive;
        }
        return !decisive;
      };
    }
    default:
      return giveUp();
  }
}

/** A value the library's type of a `dyn` value accepts as these closures handle it; anything else is the library's. */
function celValue(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
    case 'number':
      return value;
    case 'object':
      return value === null || Array.isArray(value) || isPlainObject(value) ? value : giveUp();
    default:
      return giveUp();
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const constructor = (value as { constructor?: unknown }).constructor;
  return constructor === Object || constructor === undefined;
}

/** Null, a list or a plain object: the values `equal` tells apart by type alone. */
function isCelObject(value: unknown): boolean {
  return value === null || Array.isArray(value) || isPlainObject(value);
}
