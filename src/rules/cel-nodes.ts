/**
 * The nodes of an expression parsed by @marcbachmann/cel-js (parser.js ASTNode), found through
 * their arguments as the library nests them (lists, pairs, a comprehension's parts) and through a
 * macro's or an alternate's expansion. Modules that evaluate some nodes their own way
 * (cel-map-literal.ts, cel-overloads.ts) walk them here.
 */

/** What these modules need of a parsed node. */
export interface ExpressionNode {
  op: string;
  args: unknown;
  readonly meta: { evaluate?: unknown; macro?: unknown; alternate?: unknown };
  setMeta(key: 'evaluate', value: unknown): unknown;
}

/** Calls `visit` once for every node of `ast`. */
export function forEachExpressionNode(ast: unknown, visit: (node: ExpressionNode) => void): void {
  walk(ast, visit, new Set());
}

function walk(value: unknown, visit: (node: ExpressionNode) => void, seen: Set<object>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit, seen);
    return;
  }
  if (!isExpressionNode(value)) {
    // A comprehension's arguments are a plain object of nodes.
    for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], visit, seen);
    return;
  }
  visit(value);
  walk(value.args, visit, seen);
  walk(value.meta.macro, visit, seen);
  walk(value.meta.alternate, visit, seen);
}

function isExpressionNode(value: object): value is ExpressionNode {
  const node = value as Partial<ExpressionNode>;
  return typeof node.op === 'string' && typeof node.setMeta === 'function' && typeof node.meta === 'object';
}
