/**
 * A function call's overload found once per node and argument types, not per evaluation. In the
 * rules' run-time environment every fact root is `dyn` (cel.ts ruleEnvironment), so the library
 * resolves a call such as `string(r.enabled)` or a method such as `.join(", ")` on a fact at each
 * evaluation: it types the arguments at run time and tries the function's declarations in turn
 * (`Candidates.findFunction`), each try making a closure, and one with a type parameter a Map and a
 * result object. guardduty-enabled's evidence calls `string()` once per region of every account:
 * the search was the largest allocation left in CEL at 10,000 accounts.
 *
 * The search is a function of the argument types alone (the library's types are made once per
 * environment and compared by identity; its own operator overloads are cached the same way,
 * `findBinaryOverload`), so each call node keeps what it found for the types it met. The node's
 * candidates are set by the library's type check at the node's first evaluation; the node is
 * given them through a setter that keeps the library's object and hands out one that remembers
 * its searches (everything else read from the library's object).
 */
import { forEachExpressionNode } from './cel-nodes.ts';

/** What this module needs of the library's candidate declarations of one function (registry.js Candidates). */
interface Candidates {
  findFunction(argTypes: readonly unknown[], receiverType?: unknown): unknown;
}

/** Every function and method call of a parsed expression searches its overloads once per argument types. */
export function resolveOverloadsOnce(ast: unknown): void {
  forEachExpressionNode(ast, (node) => {
    if (node.op !== 'call' && node.op !== 'rcall') return;
    let remembering: Candidates | undefined;
    Object.defineProperty(node, 'candidates', {
      configurable: true,
      enumerable: true,
      get: () => remembering,
      set: (candidates: Candidates | undefined) => {
        remembering = candidates && rememberingSearches(candidates);
      },
    });
  });
}

/** `candidates` whose findFunction answers again what it found for the same types (by identity). */
function rememberingSearches(candidates: Candidates): Candidates {
  const found = new Map<unknown, unknown>();
  const remembering = Object.create(candidates) as Candidates;
  // The library's own method, on its own object: it reads private members.
  remembering.findFunction = (argTypes, receiverType = null) => {
    let level = found;
    let key: unknown = receiverType;
    for (let i = 0; i < argTypes.length; i++) {
      let next = level.get(key) as Map<unknown, unknown> | undefined;
      if (!next) level.set(key, (next = new Map()));
      level = next;
      key = argTypes[i];
    }
    let declaration = level.get(key);
    if (declaration === undefined) level.set(key, (declaration = candidates.findFunction(argTypes, receiverType)));
    return declaration;
  };
  return remembering;
}
