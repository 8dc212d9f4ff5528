import type { ApiError } from '../contracts/api-error.ts';
import { parsedWithoutErrorMember } from '../snapshot/error-free.ts';

/**
 * Every collection error recorded anywhere in a snapshot fragment: a Fetched `{ error }` or an
 * account's `access.error`. The snapshot keeps errors where they happened; reports list them all.
 */
export function collectErrors(fragment: unknown): ApiError[] {
  const found: ApiError[] = [];
  if (parsedWithoutErrorMember(fragment)) return found;
  walk(fragment, found);
  return found;
}

/**
 * A function of the module, not a closure made per call, and arrays walked by index: every line
 * of the snapshot is walked (in both passes), and the closure made per line was deoptimized and
 * optimized again over and over; while unoptimized, its `for...of` allocated an iterator and a
 * result per element (~20 MB per 1,000 accounts in a sampling heap profile, nothing now).
 */
function walk(node: unknown, found: ApiError[]): void {
  // Stryker disable next-line ConditionalExpression,BlockStatement: for...in over an array gives its indices, so the walk below finds the same errors; this branch only saves time.
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) walk(node[i], found);
    return;
  }
  // Stryker disable next-line ConditionalExpression: a primitive has no `error` and no object members (only null must stop here); returning early saves time.
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (isApiError(obj.error)) found.push(obj.error);
  // for...in rather than Object.entries: entries() would allocate a pair per field. Parsed JSON
  // has no inherited enumerable keys.
  for (const key in obj) {
    const value = obj[key];
    // Stryker disable next-line ConditionalExpression: walk() returns at once for a primitive; testing here saves the call.
    if (key !== 'error' && value && typeof value === 'object') walk(value, found);
  }
}

function isApiError(x: unknown): x is ApiError {
  // Stryker disable next-line ConditionalExpression: a primitive's `operation` is undefined, so only null must stop here.
  if (!x || typeof x !== 'object') return false;
  const e = x as Record<string, unknown>;
  return typeof e.operation === 'string' && typeof e.code === 'string';
}
