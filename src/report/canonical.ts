/**
 * Canonical ordering of a ScanResult, shared by every format that promises byte-identical output
 * for the same result regardless of the order the engine produced things in.
 *
 * Strings compare by UTF-16 code unit, never localeCompare: the host's locale must not change
 * the bytes of a report.
 */
import type { ApiError } from '../snapshot/types.ts';
import type { ScanResult } from '../rules/result.ts';
import type { Verdict } from '../rules/types.ts';

export function compareStrings(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compares by each key in turn; the first difference decides. */
export function byKeys<T>(...keys: ((item: T) => string | undefined)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const c = compareStrings(key(a), key(b));
      if (c !== 0) return c;
    }
    return 0;
  };
}

// Status and message are tie-breakers only, so that even a (buggy) duplicate pair sorts stably.
export const compareVerdicts = byKeys<Verdict>(
  (v) => v.ruleId,
  (v) => v.resource.id,
  (v) => v.status,
  (v) => v.message,
);

export const compareErrors = byKeys<ApiError>(
  (e) => e.accountId,
  (e) => e.region,
  (e) => e.operation,
  (e) => e.code,
  (e) => e.message,
);

const sorted = <T>(items: readonly T[], compare: (a: T, b: T) => number): T[] => [...items].sort(compare);
const sortedStrings = (items: readonly string[]): string[] => sorted(items, compareStrings);

/** A copy of the result with every list in its canonical order. The input is not modified. */
export function canonicalOrder(result: ScanResult): ScanResult {
  return {
    ...result,
    scope: {
      ...result.scope,
      regions: sortedStrings(result.scope.regions),
      accountIds: sortedStrings(result.scope.accountIds),
      skipped: sorted(result.scope.skipped, byKeys((s) => s.accountId, (s) => s.reason)),
    },
    accounts: sorted(result.accounts, byKeys((a) => a.id)),
    rules: sorted(result.rules, byKeys((r) => r.id)),
    verdicts: sorted(result.verdicts, compareVerdicts),
    errors: sorted(result.errors, compareErrors),
    exceptionNotes: sorted(result.exceptionNotes, byKeys((n) => n.exceptionId, (n) => n.rule, (n) => n.resource, (n) => n.kind)),
  };
}

/**
 * A copy of a JSON-like value with the keys of every plain object sorted, for free-form values
 * (evidence, params) whose key order would otherwise depend on how they were built.
 * Array order is meaning, so arrays keep theirs.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of sortedStrings(Object.keys(value))) out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * The object's `order` keys first, in that order, then any other keys sorted: a field added to a
 * contract later still comes out, in a stable place. Undefined values are dropped.
 */
export function orderedKeys<T extends object>(value: T, order: readonly (keyof T & string)[]): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of order) if (source[key] !== undefined) out[key] = source[key];
  const known = new Set<string>(order);
  for (const key of sortedStrings(Object.keys(source))) {
    if (!known.has(key) && source[key] !== undefined) out[key] = sortKeysDeep(source[key]);
  }
  return out;
}

/** 2-space JSON with a trailing newline: the byte form of every JSON-based report. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
