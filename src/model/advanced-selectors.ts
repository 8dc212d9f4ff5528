import type { AdvancedEventSelector, AdvancedFieldSelector } from '../snapshot/types.ts';

/**
 * CloudTrail advanced event selector semantics: within a field selector, the values of one
 * operator are OR-ed and the operators are AND-ed; the field selectors of one advanced selector are
 * AND-ed; advanced selectors are OR-ed. A field the event lacks fails every positive operator.
 * Selector names are free labels and are never consulted.
 */
export type EventAttributes = Record<string, string | undefined>;

export function fieldSelectorAccepts(fs: AdvancedFieldSelector, value: string | undefined): boolean {
  if (fs.Equals && !fs.Equals.some((v) => value === v)) return false;
  if (fs.StartsWith && !fs.StartsWith.some((v) => value !== undefined && value.startsWith(v))) return false;
  if (fs.EndsWith && !fs.EndsWith.some((v) => value !== undefined && value.endsWith(v))) return false;
  if (fs.NotEquals && value !== undefined && fs.NotEquals.some((v) => value === v)) return false;
  if (fs.NotStartsWith && value !== undefined && fs.NotStartsWith.some((v) => value.startsWith(v))) return false;
  if (fs.NotEndsWith && value !== undefined && fs.NotEndsWith.some((v) => value.endsWith(v))) return false;
  return true;
}

export function selectorAccepts(selector: AdvancedEventSelector, event: EventAttributes): boolean {
  return selector.FieldSelectors.every((fs) => fieldSelectorAccepts(fs, event[fs.Field]));
}

/** A marker no selector value can contain, used to build strings no operator value pins down. */
export const FRESH = '\u0000trailproof\u0000';

/**
 * Every distinguishable case of one field, for values that begin with `base`: checking these
 * values decides whether the selectors accept ALL possible values of the field (an exhaustive,
 * finite check instead of sampling). A value's fate under Equals/StartsWith/EndsWith and their
 * negations depends only on the longest StartsWith constant it begins with, the longest EndsWith
 * constant it ends with, and whether it equals an Equals constant; `base + p + FRESH + s` realises
 * each (p, s) pair exactly, since no constant can reach across FRESH.
 * `undefined` (the event lacks the field) is included when `includeAbsent` is set.
 */
export function witnessValues(
  selectors: AdvancedEventSelector[],
  field: string,
  base: string,
  includeAbsent = false,
): (string | undefined)[] {
  const prefixes = new Set<string>(['']);
  const suffixes = new Set<string>(['']);
  const exact = new Set<string>();
  for (const selector of selectors) {
    for (const fs of selector.FieldSelectors) {
      if (fs.Field !== field) continue;
      for (const v of [...(fs.StartsWith ?? []), ...(fs.NotStartsWith ?? [])]) {
        if (v.startsWith(base)) prefixes.add(v.slice(base.length));
      }
      for (const v of [...(fs.EndsWith ?? []), ...(fs.NotEndsWith ?? [])]) suffixes.add(v);
      for (const v of [...(fs.Equals ?? []), ...(fs.NotEquals ?? [])]) {
        if (v.startsWith(base) && v.length > base.length) exact.add(v);
      }
    }
  }
  const values: (string | undefined)[] = [];
  for (const p of [...prefixes].sort()) for (const s of [...suffixes].sort()) values.push(base + p + FRESH + s);
  for (const e of [...exact].sort()) values.push(e);
  if (includeAbsent) values.push(undefined);
  return values;
}
