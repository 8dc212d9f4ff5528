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
 *
 * Written out rather than made by byKeys: every verdict list is sorted or checked in order with it
 * (hundreds of thousands of calls at 10,000 accounts), and byKeys' loop calls five key closures
 * from one call site, which V8 cannot inline (~80 ms of a 10,000-account run, twenty-second round).
 * The same order as `byKeys` over the same keys (test/unit/contracts-order.test.ts).
 */
export function compareVerdicts(a: Verdict, b: Verdict): number {
  return (
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.resource.id, b.resource.id) ||
    compareStrings(a.resource.type, b.resource.type) ||
    compareStrings(a.status, b.status) ||
    compareStrings(a.message, b.message)
  );
}

/** Account, region, operation, code, message (written out as compareVerdicts is). */
export function compareErrors(a: ApiError, b: ApiError): number {
  return (
    compareStrings(a.accountId, b.accountId) ||
    compareStrings(a.region, b.region) ||
    compareStrings(a.operation, b.operation) ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.message, b.message)
  );
}

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
