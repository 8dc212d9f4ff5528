/**
 * The activation roots of one rule's CEL, converted from the subject's facts (cel.ts toCel) only
 * as far as the rule can read them. An account's facts are tens of kilobytes (its trails, its
 * tamper-event rules, its GuardDuty regions...), and a rule whose outcome is distinct for each
 * account runs its CEL for each: converting every member for a rule that reads two of them was a
 * fifth of its cost.
 *
 * What a rule can read comes from the analysis the verdict cache makes (verdict-cache.ts
 * observedPaths): a root that is only navigated to named members gets a plain object holding
 * those members (each converted as convertRecord would, and cached per fact object, so the rules
 * that read the same member share it); a root read whole, iterated, or of a rule the analysis
 * does not recognise, is converted whole, as before. A member the rule cannot name cannot change
 * what CEL computes, so the verdicts are the same.
 */
import type { EvaluationSubject } from '../model/facts.ts';
import { toCelMember, toCel } from './cel.ts';
import type { CompiledRule } from './compiled-rule.ts';
import { observedPaths } from './verdict-cache.ts';

/**
 * By root the rule reads: `WHOLE`, or the names of the only members it can read. A list, walked by
 * index for every activation (a Map's iterator and its entry pairs were made per activation).
 */
type RootReads = readonly { root: string; read: typeof WHOLE | readonly string[] }[];

const WHOLE = 'whole';

/** Undefined: the rule could not be analysed, every root is converted whole. */
const readsByRule = new WeakMap<CompiledRule, RootReads | undefined>();

function rootReads(rule: CompiledRule): RootReads | undefined {
  if (readsByRule.has(rule)) return readsByRule.get(rule);
  const paths = observedPaths(rule);
  const reads: RootReads | undefined = paths && [...paths].map(([root, node]) => ({ root, read: node.whole || node.members || node.children.has('*') ? (WHOLE as typeof WHOLE) : [...node.children.keys()] }));
  readsByRule.set(rule, reads);
  return reads;
}

/** Converted members by fact object and member name: an account's trails once for all the rules that read them. */
const convertedMembers = new WeakMap<object, Map<string, unknown>>();

/** The CEL activation roots `rule` can read of `subject`'s facts (absent facts stay absent). */
export function celRootsFor(rule: CompiledRule, subject: EvaluationSubject): Record<string, unknown> {
  const facts = subject.activation as Record<string, unknown>;
  const reads = rootReads(rule);
  const roots: Record<string, unknown> = {};
  if (!reads) {
    for (const key of Object.keys(facts)) if (facts[key] !== undefined) roots[key] = toCel(facts[key]);
    return roots;
  }
  for (let i = 0; i < reads.length; i++) {
    const { root, read } = reads[i]!;
    const value = facts[root];
    if (value === undefined) continue;
    roots[root] = read === WHOLE || value === null || typeof value !== 'object' || Array.isArray(value) ? toCel(value) : someMembers(value as Record<string, unknown>, read);
  }
  return roots;
}

const isEnumerable = Object.prototype.propertyIsEnumerable;

/** A plain object of the named members of `record` that are present, as CEL values. */
function someMembers(record: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  let converted = convertedMembers.get(record);
  if (!converted) convertedMembers.set(record, (converted = new Map()));
  const out: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    // Own enumerable members only, as convertRecord copies them (`constructor` is no fact).
    const member = isEnumerable.call(record, name) ? record[name] : undefined;
    if (member === undefined) continue;
    let value = converted.get(name);
    if (value === undefined) converted.set(name, (value = toCelMember(member)));
    out[name] = value;
  }
  return out;
}
