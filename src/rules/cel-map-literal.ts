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
import { forEachExpressionNode, type ExpressionNode } from './cel-nodes.ts';

/** A map literal's node, as this module evaluates it. */
interface MapNode extends ExpressionNode {
  readonly meta: ExpressionNode['meta'] & { evaluate?: MapEvaluate };
  setMeta(key: 'evaluate', value: MapEvaluate): unknown;
}

interface Evaluator {
  run(node: unknown, context: unknown): unknown;
}

type MapEvaluate = (ev: Evaluator, node: MapNode, context: unknown) => unknown;

const LEFT_OUT = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Every non-empty map literal of a parsed expression is evaluated by mapLiteral instead of the
 * library's code (cel-nodes.ts finds them). An empty literal is left alone: the type check gives
 * it its own.
 */
export function buildMapLiteralsDirectly(ast: unknown): void {
  forEachExpressionNode(ast, (node) => {
    const literal = node as MapNode;
    const libraryEvaluate = literal.meta.evaluate;
    if (literal.op === 'map' && Array.isArray(literal.args) && literal.args.length > 0 && libraryEvaluate) {
      literal.setMeta('evaluate', (ev, at, context) => mapLiteral(ev, at, context, libraryEvaluate));
    }
  });
}

function mapLiteral(ev: Evaluator, node: MapNode, context: unknown, libraryEvaluate: MapEvaluate): unknown {
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
