/**
 * A CEL expression as one generated JavaScript function, in front of the closures of
 * cel-closures.ts and behind the same contract: the same values, the same giving up (`giveUp`,
 * after which the library evaluates the expression from its start), the library's first evaluation
 * still the one that type-checks the tree. Through the closures one shared set of functions
 * served every expression, so their property reads (an activation's variable, a member, a value's
 * `constructor`) met every shape of every rule and V8 looked them up megamorphically; here each
 * read is a line of its expression's own function, with an inline cache of its own.
 *
 * The generated text is only the tree's shape: the member and variable names go in JSON-quoted (a
 * JSON string is a JavaScript string literal, and `v["k"]` is a named read), literals as constants
 * closed over (`K[i]`), and every operator is a call of the closures' own helper (equality,
 * ordering, `+`, `-`, `in`, `size`, `string`, `join`). A node this generator does not cover
 * (`[]`, a map literal with a computed key) leaves the whole expression to the closures.
 */
import {
  celJoin,
  celString,
  contains,
  DECLARED_ROOTS,
  equal,
  type Frame,
  giveUp,
  type Closure,
  LEFT_OUT,
  minus,
  type Node,
  ordered,
  plus,
  type Scope,
  size,
} from './cel-closures.ts';

/** Thrown while generating where the closures compile the tree instead. */
const NOT_GENERATED: unique symbol = Symbol('left to the closures');

/** The helpers the generated text calls, by these names. */
const HELPERS = {
  giveUp,
  hasOwn: Object.prototype.hasOwnProperty,
  equal,
  ordered,
  plus,
  minus,
  contains,
  size,
  celString,
  celJoin,
  LESS: (x: never, y: never) => x < y,
  AT_MOST: (x: never, y: never) => x <= y,
  MORE: (x: never, y: never) => x > y,
  AT_LEAST: (x: never, y: never) => x >= y,
};
const HELPER_NAMES = Object.keys(HELPERS);

/** One generated function's text state: its temporaries (declared in it, so an inner loop's are its own). */
class Body {
  temps = 0;
  temp(): string {
    return `t${this.temps++}`;
  }
  declarations(): string {
    const names = ['c'];
    for (let i = 0; i < this.temps; i++) names.push(`t${i}`);
    return `let ${names.join(', ')};`;
  }
}

interface Generation {
  frame: Frame;
  constants: unknown[];
}

/** The expression as one generated function, or undefined: the closures compile it. Errors of the tree are `compile`'s to meet. */
export function generated(ast: unknown, frame: Frame): Closure | undefined {
  const generation: Generation = { frame, constants: [] };
  const slotsBefore = frame.slots;
  const body = new Body();
  let text: string;
  try {
    text = expression(ast as Node, new Map(), generation, body);
  } catch (err) {
    if (err === NOT_GENERATED) {
      frame.slots = slotsBefore;
      return undefined;
    }
    throw err;
  }
  const source = `return function celExpression(a, l) {\n${body.declarations()}\nreturn ${text};\n};\n//# sourceURL=cel-expression`;
  const make = new Function('K', ...HELPER_NAMES, source) as (...args: unknown[]) => Closure;
  return make(generation.constants, ...HELPER_NAMES.map((name) => HELPERS[name as keyof typeof HELPERS]));
}

function notGenerated(): never {
  throw NOT_GENERATED;
}

function expression(node: Node, scope: Scope, g: Generation, body: Body): string {
  if (node === null || typeof node !== 'object' || typeof node.op !== 'string') return notGenerated();
  switch (node.op) {
    case 'value':
      return literal(node.args, g);
    case 'id':
      return identifier(node.args as string, scope, body);
    case '.':
      return field(node.args as [Node, string], scope, g, body);
    case 'list':
      return `[${(node.args as Node[]).map((item) => expression(item, scope, g, body)).join(', ')}]`;
    case 'map':
      return mapLiteral(node.args as [Node, Node][], scope, g, body);
    case '?:': {
      const [condition, then, otherwise] = (node.args as Node[]).map((part) => expression(part, scope, g, body));
      return `(${bool(condition!, body)} ? ${then} : ${otherwise})`;
    }
    case '&&':
    case '||': {
      const [left, right] = (node.args as Node[]).map((part) => bool(expression(part, scope, g, body), body));
      return `(${left} ${node.op} ${right})`;
    }
    case '!_':
      return `!${bool(expression(node.args as Node, scope, g, body), body)}`;
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '+':
    case '-':
    case 'in':
      return binary(node.op, node.args as [Node, Node], scope, g, body);
    case 'call':
      return call(node, scope, g, body);
    case 'rcall':
      return receiverCall(node, scope, g, body);
    default:
      return notGenerated();
  }
}

function literal(value: unknown, g: Generation): string {
  const kind = typeof value;
  if (value !== null && kind !== 'string' && kind !== 'bigint' && kind !== 'boolean' && kind !== 'number') giveUp();
  g.constants.push(value);
  return `K[${g.constants.length - 1}]`;
}

function identifier(name: string, scope: Scope, body: Body): string {
  const slot = scope.get(name);
  if (slot !== undefined) return `l[${slot}]`;
  // Whole, the library hands a declared object out as its own wrapper of it: only its members are read (field).
  if (DECLARED_ROOTS.has(name)) giveUp();
  const t = body.temp();
  return `((${t} = a[${JSON.stringify(name)}]) === undefined ? giveUp() : ${t})`;
}

function field([receiverNode, key]: [Node, string], scope: Scope, g: Generation, body: Body): string {
  if (typeof key !== 'string') giveUp();
  const quoted = JSON.stringify(key);
  if (receiverNode.op === 'id' && DECLARED_ROOTS.has(receiverNode.args as string) && !scope.has(receiverNode.args as string)) {
    // The library reads a declared object's member by name (a getter of `variables` included).
    return celValue(`a[${JSON.stringify(receiverNode.args)}][${quoted}]`, body);
  }
  const t = body.temp();
  return `(${t} = ${expression(receiverNode, scope, g, body)}, ${notPlainObject(t)} || !hasOwn.call(${t}, ${quoted}) ? giveUp() : ${celValue(`${t}[${quoted}]`, body)})`;
}

/** `!isPlainObject(t)` (cel-closures.ts), with its own `constructor` read. */
function notPlainObject(t: string): string {
  return `(${t} === null || typeof ${t} !== "object" || Array.isArray(${t}) || ((c = ${t}.constructor) !== Object && c !== undefined))`;
}

/** `celValue(text)` (cel-closures.ts): the value when the closures handle it, else giving up. */
function celValue(text: string, body: Body): string {
  const t = body.temp();
  return (
    `(${t} = ${text}, typeof ${t} === "object" ? (${t} === null || Array.isArray(${t}) || (c = ${t}.constructor) === Object || c === undefined ? ${t} : giveUp())` +
    ` : typeof ${t} === "string" || typeof ${t} === "boolean" || typeof ${t} === "bigint" || typeof ${t} === "number" ? ${t} : giveUp())`
  );
}

/** `bool(text)` (cel-closures.ts): a boolean, else giving up. */
function bool(text: string, body: Body): string {
  const t = body.temp();
  return `((${t} = ${text}) === true || ${t} === false ? ${t} : giveUp())`;
}

/**
 * A literal whose keys are all written as strings, as an object literal of them: a repeated key
 * keeps its first place and its last value, as the library's stores do; a key the library leaves
 * out is not in it, its value still evaluated (before the object: CEL is pure, so the order is not seen).
 */
function mapLiteral(entries: [Node, Node][], scope: Scope, g: Generation, body: Body): string {
  if (entries.length === 0) giveUp(); // the type check gives an empty literal its own evaluation
  const leftOut: string[] = [];
  const members: string[] = [];
  for (const [key, value] of entries) {
    if (key.op !== 'value' || typeof key.args !== 'string') return notGenerated();
    const text = expression(value, scope, g, body);
    if (LEFT_OUT.has(key.args)) leftOut.push(text);
    else members.push(`${JSON.stringify(key.args)}: ${text}`);
  }
  return `(${[...leftOut, `{ ${members.join(', ')} }`].join(', ')})`;
}

const ORDERINGS: Record<string, string> = { '<': 'LESS', '<=': 'AT_MOST', '>': 'MORE', '>=': 'AT_LEAST' };

function binary(op: string, [leftNode, rightNode]: [Node, Node], scope: Scope, g: Generation, body: Body): string {
  const left = expression(leftNode, scope, g, body);
  const right = expression(rightNode, scope, g, body);
  switch (op) {
    case '==':
      return `equal(${left}, ${right})`;
    case '!=':
      return `!equal(${left}, ${right})`;
    case '+':
      return `plus(${left}, ${right})`;
    case '-':
      return `minus(${left}, ${right})`;
    case 'in':
      return `contains(${right}, ${left})`;
    default:
      return `ordered(${left}, ${right}, ${ORDERINGS[op]})`;
  }
}

function call(node: Node, scope: Scope, g: Generation, body: Body): string {
  const [name, argNodes] = node.args as [string, Node[]];
  if (name === 'has' && node.meta.macro && argNodes.length === 1) return has(argNodes[0]!, scope, g, body);
  if (argNodes.length !== 1) giveUp();
  const arg = expression(argNodes[0]!, scope, g, body);
  switch (name) {
    case 'string':
      return `celString(${arg})`;
    case 'size':
      return `size(${arg})`;
    case 'dyn':
      return arg;
    default:
      return giveUp();
  }
}

/** `has(x.a.b)` (cel-closures.ts has): whether the last member is present; a missing member before it is the library's error. */
function has(fieldNode: Node, scope: Scope, g: Generation, body: Body): string {
  const keys: string[] = [];
  let node = fieldNode;
  while (node.op === '.') {
    const [receiver, key] = node.args as [Node, string];
    if (typeof key !== 'string') giveUp();
    keys.unshift(key);
    node = receiver;
  }
  if (node.op !== 'id' || (DECLARED_ROOTS.has(node.args as string) && !scope.has(node.args as string))) giveUp();
  const root = expression(node, scope, g, body);
  // From the last member back: each step reads one member of the value before it.
  let rest = 'true';
  const temps = keys.map(() => body.temp());
  for (let i = keys.length - 1; i >= 0; i--) {
    const t = temps[i]!;
    const quoted = JSON.stringify(keys[i]);
    const member = body.temp();
    const absent = i === keys.length - 1 ? 'false' : 'giveUp()';
    const next = i === keys.length - 1 ? rest : `(${temps[i + 1]} = ${celValue(member, body)}, ${rest})`;
    rest = `(${notPlainObject(t)} ? giveUp() : (${member} = hasOwn.call(${t}, ${quoted}) ? ${t}[${quoted}] : undefined) === undefined ? ${absent} : ${next})`;
  }
  return `(${temps[0]} = ${root}, ${rest})`;
}

function receiverCall(node: Node, scope: Scope, g: Generation, body: Body): string {
  const [name, receiverNode, argNodes] = node.args as [string, Node, Node[]];
  if (node.meta.alternate && argNodes.length >= 2 && argNodes[0]!.op === 'id') return macro(name, receiverNode, argNodes, scope, g, body);
  const receiver = expression(receiverNode, scope, g, body);
  if (name === 'size' && argNodes.length === 0) return `size(${receiver})`;
  if (name === 'join' && argNodes.length <= 1) return `celJoin(${receiver}, ${argNodes.length === 1 ? expression(argNodes[0]!, scope, g, body) : '""'})`;
  return giveUp();
}

/**
 * The comprehension macros over a list (cel-closures.ts macro), each a loop in an inner function
 * called at once, with its own temporaries; its variable in the locals' slot as the closures keep it.
 */
function macro(name: string, receiverNode: Node, argNodes: Node[], scope: Scope, g: Generation, body: Body): string {
  const receiver = expression(receiverNode, scope, g, body);
  const slot = g.frame.slots++;
  const inner = new Map(scope).set(argNodes[0]!.args as string, slot);
  const loop = new Body();
  const parts = argNodes.slice(1).map((part) => expression(part, inner, g, loop));
  const item = `l[${slot}] = ${celValue('list[i]', loop)};`;
  let statements: string;
  if (name === 'map' && parts.length === 1) {
    statements = `const out = []; for (let i = 0; i < list.length; i++) { ${item} out.push(${parts[0]}); } return out;`;
  } else if (name === 'map' && parts.length === 2) {
    statements = `const out = []; for (let i = 0; i < list.length; i++) { ${item} if (${bool(parts[0]!, loop)}) out.push(${parts[1]}); } return out;`;
  } else if (parts.length !== 1) {
    return giveUp();
  } else if (name === 'filter') {
    statements = `const out = []; for (let i = 0; i < list.length; i++) { ${item} if (${bool(parts[0]!, loop)}) out.push(list[i]); } return out;`;
  } else if (name === 'all' || name === 'exists') {
    // all: decided at the first false; exists: at the first true.
    const decisive = name === 'exists';
    statements = `for (let i = 0; i < list.length; i++) { ${item} if (${bool(parts[0]!, loop)} === ${decisive}) return ${decisive}; } return ${!decisive};`;
  } else {
    return giveUp();
  }
  const t = body.temp();
  return `((list) => { ${loop.declarations()} ${statements} })(Array.isArray(${t} = ${receiver}) ? ${t} : giveUp())`;
}
