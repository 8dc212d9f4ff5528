import type { ApiError } from '../contracts/api-error.ts';

/**
 * Every collection error recorded anywhere in a snapshot fragment: a Fetched `{ error }` or an
 * account's `access.error`. The snapshot keeps errors where they happened; reports list them all.
 */
export function collectErrors(fragment: unknown): ApiError[] {
  const found: ApiError[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (isApiError(obj.error)) found.push(obj.error);
    // for...in rather than Object.entries: every line of the snapshot is walked, and entries()
    // would allocate a pair per field. Parsed JSON has no inherited enumerable keys.
    for (const key in obj) {
      const value = obj[key];
      if (key !== 'error' && value && typeof value === 'object') walk(value);
    }
  };
  walk(fragment);
  return found;
}

function isApiError(x: unknown): x is ApiError {
  if (!x || typeof x !== 'object') return false;
  const e = x as Record<string, unknown>;
  return typeof e.operation === 'string' && typeof e.code === 'string';
}

