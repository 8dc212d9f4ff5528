/**
 * Facts that repeat between accounts (every account's view of the organization trail, the same
 * region list, the same empty detective answers), made once per index for each distinct content
 * and deep-frozen, so every account that holds that content holds the same object. The verdict
 * cache projects a frozen object once per path and then writes one token for it (verdict-cache.ts
 * `project`), and CEL's conversion keeps frozen values by identity (rules/cel.ts): a shared object
 * is neither projected nor converted again per account.
 *
 * Only content is keyed, never an account: an account whose answer is missing or denied builds its
 * own facts with its own reasons (callers share only what holds no account's error).
 */
import type { AccountRecord } from '../snapshot/types.ts';
import { deepFreeze } from './frozen.ts';
import { memo, type ModelIndex } from './model-index.ts';
import { mapped } from '../shared/lists.ts';

/**
 * The frozen object made for `key` among the facts of this `kind`, built (and frozen) the first
 * time. `key` must determine the whole of what `build` makes.
 */
export function sharedFacts<T>(index: ModelIndex, kind: string, key: string, build: () => T): T {
  // Stryker disable next-line StringLiteral: any key no other memo uses is the same cache.
  const kinds = memo(index, 'shared-facts', () => new Map<string, Map<string, unknown>>());
  let byKey = kinds.get(kind);
  if (!byKey) kinds.set(kind, (byKey = new Map()));
  let shared = byKey.get(key) as T | undefined;
  if (shared === undefined) byKey.set(key, (shared = deepFreeze(build())));
  return shared;
}

/**
 * One frozen list per distinct list of names (region names, ARNs: never holding a newline).
 * Most accounts are read in the same regions: their `regions`, their trails' `regions` and their
 * event history's `regionsRead` are then one list.
 */
export function sharedNames(index: ModelIndex, names: readonly string[]): string[] {
  return sharedFacts(index, 'names', names.join('\n'), () => [...names]);
}

/**
 * The names of the regions the account was read in, sorted: a shared list (sharedNames), made once
 * per account record (its facts, its trails' regions and its event history read it).
 */
export function accountRegionNames(index: ModelIndex, record: AccountRecord): string[] {
  // Stryker disable next-line StringLiteral: any key no other memo uses is the same cache.
  const byRecord = memo(index, 'account-region-names', () => new WeakMap<AccountRecord, string[]>());
  let names = byRecord.get(record);
  if (!names) byRecord.set(record, (names = sharedNames(index, readRegionNames(record))));
  return names;
}

/** The names of the regions the account was read in, sorted (a new list; accountRegionNames shares one per record). */
export function readRegionNames(record: AccountRecord): string[] {
  const names = mapped(record.regions, (r) => r.region);
  // Most records list their regions in order already; sort() copies a list of strings to sort it even then.
  for (let i = 1; i < names.length; i++) if (names[i - 1]! > names[i]!) return names.sort();
  return names;
}

/**
 * The distinct names of `sorted` (an account's region names, sorted as accountRegionNames makes
 * them) and of `extra`, sorted: `[...new Set([...sorted, ...extra])].sort()`. Most accounts need
 * no region they were not read in: their list is then a copy of `sorted`, made without a set, the
 * spreads and a sort (the GuardDuty and event-rule facts made it for every account, 1.3 % of judging).
 */
export function regionNamesWith(sorted: readonly string[], extra: readonly string[]): string[] {
  const names = distinctNames(sorted);
  if (names === undefined) return [...new Set([...sorted, ...extra])].sort();
  for (let i = 0; i < extra.length; i++) if (!names.has(extra[i]!)) return [...new Set([...sorted, ...extra])].sort();
  return sorted.slice();
}

/**
 * The names of `sorted` as a set, undefined when one repeats. A frozen list (a shared one,
 * sharedNames: a handful per evaluation) keeps its set: each account's regions were looked for with
 * `includes`, ~17 names against ~17, each a comparison of strings that are equal but not the same
 * (every record parses its own), 1–3 % of the model stage (twenty-second round).
 */
function distinctNames(sorted: readonly string[]): ReadonlySet<string> | undefined {
  const kept = namesOfFrozenLists.get(sorted);
  if (kept !== undefined) return kept ?? undefined;
  const names = new Set(sorted);
  const distinct = names.size === sorted.length ? names : null;
  if (Object.isFrozen(sorted)) namesOfFrozenLists.set(sorted, distinct);
  return distinct ?? undefined;
}

const namesOfFrozenLists = new WeakMap<readonly string[], ReadonlySet<string> | null>();
