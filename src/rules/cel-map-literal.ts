/**
 * CEL map literals (`{"trail": t.arn, "bucket": t.bucket.name}`) built straight into their object.
 * The library evaluates one into a list of `[key, value]` pairs and then copies the pairs into an
 * object (operators.js `map.evaluate` and `safeFromEntries`): per literal a list, a pair per entry
 * and the object. The rules' evidence makes one such map per trail or region of every account whose
 * evidence is its own (guardduty-enabled: one per region), and the pairs were the largest single
 * allocation of judging at 10,000 accounts.
 *
 * This evaluation does what the library's does, in the same order: each entry's key, then its
 * value, entry after entry (so the same error is thrown first), the keys `__proto__`, `constructor`
 * and `prototype` left out, a later equal key replacing an earlier one's value in its place. A
 * key or value that is a promise (an async function, which no rule registers) is left to the
 * library's evaluation, which awaits them: it evaluates the literal again, and CEL is pure.
 */

/** What this module needs of the library's parsed expression nodes (parser.js ASTNode). */
interface ExpressionNode {
  op: string;
  args: unknown;
  readonly meta: { evaluate?: MapEvaluate; macro?: unknown; alternate?: unknown };
  setMeta(key: 'evaluate', value: MapEvaluate): unknown;
}

interface Evaluator {
  run(node: unknown, context: unknown): unknown;
}

type MapEvaluate = (ev: Evaluator, node: ExpressionNode, context: unknown) => unknown;

const LEFT_OUT = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Every non-empty map literal of a parsed expression is evaluated by mapLiteral instead of the
 * library's code; nodes are found through their arguments as the library nests them (lists, pairs,
 * a comprehension's parts). An empty literal is left alone: the type check gives it its own.
 */
export function buildMapLiteralsDirectly(ast: unknown): void {
  visit(ast, new Set());
}

function visit(value: unknown, seen: Set<object>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const item of value) visit(item, seen);
    return;
  }
  if (!isExpressionNode(value)) {
    // A comprehension's arguments are a plain object of nodes.
    for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], seen);
    return;
  }
  const libraryEvaluate = value.meta.evaluate;
  if (value.op === 'map' && Array.isArray(value.args) && value.args.length > 0 && libraryEvaluate) {
    value.setMeta('evaluate', (ev, node, context) => mapLiteral(ev, node, context, libraryEvaluate));
  }
  visit(value.args, seen);
  visit(value.meta.macro, seen);
  visit(value.meta.alternate, seen);
}

function isExpressionNode(value: object): value is ExpressionNode {
  const node = value as Partial<ExpressionNode>;
  return typeof node.op === 'string' && typeof node.setMeta === 'function' && typeof node.meta === 'object';
}

function mapLiteral(ev: Evaluator, node: ExpressionNode, context: unknown, libraryEvaluate: MapEvaluate): unknown {
  const entries = node.args as [unknown, unknown][];
  const out: Record<string, unknown> = {};
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const key = ev.run(entry[0], context);
    const value = ev.run(entry[1], context);
    if (key instanceof Promise || value instanceof Promise) return libraryEvaluate(ev, node, context);
    const name = key as string;
    if (!LEFT_OUT.has(name)) out[name] = value;
  }
  return out;
}
