/**
 * The canonical order of everything in a ScanResult: the pipeline sorts with it, the merge of
 * shards sorts with it, and every report format that promises byte-identical output re-sorts
 * with it. One order, so a merged or re-rendered report cannot differ from a fresh one.
 *
 * Strings compare by UTF-16 code unit, never localeCompare: the host's locale must not change
 * the bytes of a report.
 */
import type { ApiError } from './api-error.ts';
import type { ScanResult, VerdictList } from './result.ts';
import type { Verdict } from './verdict.ts';

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

/**
 * Rule, then resource id: one verdict per rule × resource. Resource type, status and message are
 * tie-breakers only, so that even a (buggy) duplicate pair sorts the same everywhere.
 */
export const compareVerdicts = byKeys<Verdict>(
  (v) => v.ruleId,
  (v) => v.resource.id,
  (v) => v.resource.type,
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

export const compareAccounts = byKeys<{ id: string }>((a) => a.id);

const sorted = <T>(items: readonly T[], compare: (a: T, b: T) => number): T[] => [...items].sort(compare);
const sortedStrings = (items: readonly string[]): string[] => sorted(items, compareStrings);

/**
 * An array of verdicts is sorted (a copy); any other list is a spooled one, which is written in
 * canonical order by construction and is never copied into memory.
 */
function canonicalVerdicts(verdicts: VerdictList): VerdictList {
  return Array.isArray(verdicts) ? sorted(verdicts as readonly Verdict[], compareVerdicts) : verdicts;
}

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
    accounts: sorted(result.accounts, compareAccounts),
    rules: sorted(result.rules, byKeys((r) => r.id)),
    verdicts: canonicalVerdicts(result.verdicts),
    errors: sorted(result.errors, compareErrors),
    exceptionNotes: sorted(result.exceptionNotes, byKeys((n) => n.exceptionId, (n) => n.rule, (n) => n.resource, (n) => n.kind)),
  };
}
