/**
 * Lists of names and facts made so that an empty one has the same hidden class (V8 "map") as a
 * full one.
 *
 * `Array.prototype.map` makes an empty result a list of small integers in V8's terms (elements
 * kind PACKED_SMI_ELEMENTS) and a result of strings or objects a list of anything
 * (PACKED_ELEMENTS): two maps. Code that V8 optimized while it had met only full lists is thrown
 * away at the first empty one ("wrong map") and compiled again; JSON.parse's empty lists are the
 * same. The lists below are made from one array literal each, and V8 remembers what a literal's
 * lists came to hold (allocation-site feedback): once one of them held a string or an object, the
 * literal makes lists of anything, empty or not. Measured in the log's "V8's compiler and inline
 * caches in judging" section (issue 16, twenty-eighth round).
 */

/**
 * A new empty list to push into, of the kind the lists below are. The one array literal every list
 * of this module comes from: a `[]` written elsewhere that nothing is pushed into in most runs
 * (reasons, exposure) stays a list of small integers for good.
 */
export function emptyList<T>(): T[] {
  return [];
}

/** `list.map(as)`, as a list of one kind whether empty or not. */
export function mapped<T, U>(list: readonly T[], as: (item: T, index: number) => U): U[] {
  const out = emptyList<U>();
  for (let i = 0; i < list.length; i++) out.push(as(list[i]!, i));
  return out;
}

/** `list.filter(keep).map(as)` in one pass, as a list of one kind whether empty or not. */
export function mappedWhere<T, U>(list: readonly T[], keep: (item: T) => boolean, as: (item: T) => U): U[] {
  const out = emptyList<U>();
  for (let i = 0; i < list.length; i++) if (keep(list[i]!)) out.push(as(list[i]!));
  return out;
}
