/**
 * Exceptions from config.yaml: a FAIL they match is kept but marked suppressed, so it no longer
 * fails the gate. Only FAIL is ever suppressed — an ERROR means "unknown", and an exception cannot
 * vouch for what nobody could see.
 */
import type { ExceptionEntry } from '../config/types.ts';
import type { ExceptionNote } from '../contracts/result.ts';
import type { ResourceRef, Verdict } from '../contracts/verdict.ts';
import { globToRegExp } from '../shared/glob.ts';

/**
 * @param asOf the day exceptions are judged against (YYYY-MM-DD), normally the snapshot's
 *   collection day: never the clock, so a re-run of an old snapshot gives the same result.
 */
export function applyExceptions<V extends Omit<Verdict, 'suppressed'>>(
  verdicts: Iterable<V>,
  exceptions: ExceptionEntry[],
  asOf: string,
): { verdicts: (V & Pick<Verdict, 'suppressed'>)[]; notes: ExceptionNote[] } {
  const matcher = new ExceptionMatcher(exceptions, asOf);
  const out = Array.from(verdicts, (v) => matcher.apply(v));
  return { verdicts: out, notes: matcher.notes() };
}

/**
 * The exceptions applied one verdict at a time, as verdicts are decided (a large scan never holds
 * them all); notes() says, once every verdict has been seen, which exceptions expired or matched nothing.
 */
export class ExceptionMatcher {
  private readonly compiled;

  constructor(exceptions: ExceptionEntry[], asOf: string) {
    this.compiled = exceptions.map((entry, index) => ({
      entry,
      exceptionId: `exceptions[${index}]`,
      pattern: globToRegExp(entry.resource),
      // ISO dates compare correctly as strings; the exception still holds on its expiry day.
      expired: asOf > entry.expires,
      matched: false,
    }));
  }

  apply<V extends Omit<Verdict, 'suppressed'>>(verdict: V): V & Pick<Verdict, 'suppressed'> {
    // Every matching exception is marked used (so none is reported stale); the first live one suppresses.
    let suppressedBy: (typeof this.compiled)[number] | undefined;
    for (const ex of this.compiled) {
      if (ex.entry.rule !== verdict.ruleId || !resourceMatches(ex.pattern, verdict.resource)) continue;
      ex.matched = true;
      if (!ex.expired && verdict.status === 'FAIL') suppressedBy ??= ex;
    }
    // Unmatched, the verdict goes on as it is (nothing changes it later): one copy fewer per verdict.
    if (!suppressedBy) return verdict;
    const { reason, approver, expires } = suppressedBy.entry;
    return { ...verdict, suppressed: { reason, approver, expires, exceptionId: suppressedBy.exceptionId } };
  }

  /** The exceptions that matched a verdict so far (by position), for another thread's matcher to adopt. */
  matchedSoFar(): number[] {
    return this.compiled.flatMap((ex, index) => (ex.matched ? [index] : []));
  }

  /** Marks used the exceptions another thread's matcher of the same list saw match (its matchedSoFar()). */
  adoptMatched(indexes: readonly number[]): void {
    for (const index of indexes) this.compiled[index]!.matched = true;
  }

  notes(): ExceptionNote[] {
    const notes: ExceptionNote[] = [];
    for (const ex of this.compiled) {
      const kind = ex.expired ? 'expired' : ex.matched ? undefined : 'stale';
      if (kind) notes.push({ exceptionId: ex.exceptionId, rule: ex.entry.rule, resource: ex.entry.resource, kind, expires: ex.entry.expires });
    }
    return notes;
  }
}

function resourceMatches(pattern: RegExp, resource: ResourceRef): boolean {
  return [resource.id, resource.arn, resource.accountId, resource.name].some((v) => v !== undefined && v !== '' && pattern.test(v));
}

/** Re-exported: exception resources use the project's one glob syntax. */
