/**
 * Re-iterable views over a verdict list that may live on disk (ScanResult.verdicts): filtered and
 * mapped without copying, so a formatter walks the list instead of holding it.
 */

import type { VerdictList } from '../contracts/result.ts';
import type { Verdict } from '../contracts/verdict.ts';
import type { VerdictOutline } from '../evaluate/verdict-outline.ts';

/** A list that can be walked again and again. */
export type Walkable<T> = Iterable<T>;

/** The items that `keep` accepts, each walk walking `items` again. */
export function filtered<T>(items: Iterable<T>, keep: (item: T) => boolean): Walkable<T> {
  return {
    *[Symbol.iterator]() {
      for (const item of items) if (keep(item)) yield item;
    },
  };
}

export function mapped<T, U>(items: Iterable<T>, convert: (item: T) => U): Walkable<U> {
  return {
    *[Symbol.iterator]() {
      for (const item of items) yield convert(item);
    },
  };
}

/** Two lists sorted by `compare`, as one sorted list (a stable merge: `a` first on ties). */
export function mergedSorted<T>(a: Iterable<T>, b: Iterable<T>, compare: (x: T, y: T) => number): Walkable<T> {
  return {
    *[Symbol.iterator]() {
      const left = a[Symbol.iterator]();
      const right = b[Symbol.iterator]();
      let x = left.next();
      let y = right.next();
      while (!x.done || !y.done) {
        if (y.done || (!x.done && compare(x.value, y.value) <= 0)) {
          yield x.value as T;
          x = left.next();
        } else {
          yield y.value;
          y = right.next();
        }
      }
    },
  };
}

/** A spooled verdict list keeps its verdicts' outlines in memory (evaluate/verdict-outline.ts). */
interface Outlined {
  outlines(): Iterable<VerdictOutline>;
}

/**
 * What a counting walk needs of each verdict, in canonical order: the outlines a spooled list
 * keeps (no read of its file), else the verdicts themselves (an array in memory).
 */
export function outlinesOf(verdicts: VerdictList): Iterable<VerdictOutline> {
  const outlined = verdicts as Partial<Outlined>;
  return typeof outlined.outlines === 'function' ? outlined.outlines() : verdicts;
}

/** A spooled verdict list can read just the verdicts of some rules (they are contiguous in canonical order). */
interface NarrowsByRule {
  ofRules(ruleIds: ReadonlySet<string>): Iterable<Verdict>;
  /** The rules that have verdicts in the list, known without reading it. */
  ruleIds(): ReadonlySet<string>;
}

/** The rules that have verdicts in the list when the list knows them without a walk (a spooled list), else undefined. */
export function knownRuleIds(verdicts: VerdictList): ReadonlySet<string> | undefined {
  const narrowing = verdicts as Partial<NarrowsByRule>;
  return typeof narrowing.ruleIds === 'function' ? narrowing.ruleIds() : undefined;
}

/** The verdicts of these rules, in canonical order: read directly when the list allows it, else filtered from a walk. */
export function verdictsOfRules(verdicts: VerdictList, ruleIds: ReadonlySet<string>): Walkable<Verdict> {
  const narrowing = verdicts as Partial<NarrowsByRule>;
  if (typeof narrowing.ofRules === 'function') return { [Symbol.iterator]: () => narrowing.ofRules!(ruleIds)[Symbol.iterator]() };
  return filtered(verdicts, (v) => ruleIds.has(v.ruleId));
}
