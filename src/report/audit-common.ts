/**
 * Helpers shared by the audit formats (html, md, junit, oscal, ocsf, asff, diff). All pure: the
 * same result gives the same output whatever order its arrays arrive in.
 */
import type { ApiError } from '../contracts/api-error.ts';
import type { ScanResult } from '../contracts/result.ts';
import type { RuleMeta, Severity, Verdict, VerdictStatus } from '../contracts/verdict.ts';
import { SEVERITIES } from '../contracts/verdict.ts';
import { compareErrors, compareStrings } from '../contracts/order.ts';
import { RecentCache } from '../shared/recent-cache.ts';

export function sortedRules(result: ScanResult): RuleMeta[] {
  return [...result.rules].sort((a, b) => compareStrings(a.id, b.id));
}

export function sortedErrors(result: ScanResult): ApiError[] {
  return [...result.errors].sort(compareErrors);
}

/** The identity of a verdict across scans: one verdict per rule × resource. */
export function verdictKey(v: Pick<Verdict, 'ruleId' | 'resource'>): string {
  return `${v.ruleId}\u0000${v.resource.id}`;
}

/** What a reader sees: a suppressed FAIL is shown apart from an open one. */
export type DisplayStatus = VerdictStatus | 'SUPPRESSED';

export function displayStatus(v: Pick<Verdict, 'status'> & { suppressed?: unknown }): DisplayStatus {
  return v.status === 'FAIL' && v.suppressed ? 'SUPPRESSED' : v.status;
}

export const DISPLAY_STATUSES: readonly DisplayStatus[] = ['FAIL', 'ERROR', 'SUPPRESSED', 'PASS', 'NOT_APPLICABLE'];

export const STATUS_LABEL: Record<DisplayStatus, string> = {
  FAIL: 'FAIL',
  ERROR: 'ERROR',
  SUPPRESSED: 'SUPPRESSED',
  PASS: 'PASS',
  NOT_APPLICABLE: 'N/A',
};

export type StatusCounts = Record<DisplayStatus, number>;

export function emptyCounts(): StatusCounts {
  return { FAIL: 0, ERROR: 0, SUPPRESSED: 0, PASS: 0, NOT_APPLICABLE: 0 };
}

export function countStatuses(verdicts: Iterable<Verdict>): StatusCounts {
  const counts = emptyCounts();
  for (const v of verdicts) counts[displayStatus(v)]++;
  return counts;
}

/** Severity order from most to least severe. */
export function severityIndex(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function ruleIndex(result: ScanResult): Map<string, RuleMeta> {
  return new Map(result.rules.map((r) => [r.id, r]));
}

/** The OU path of a verdict's account: from the resource, else from the account list. */
export function ouPathOf(v: Verdict, accounts: ReadonlyMap<string, { ouPath: string }>): string {
  return v.resource.ouPath ?? accounts.get(v.resource.accountId)?.ouPath ?? '(unknown OU)';
}

export function accountIndex(result: ScanResult): Map<string, ScanResult['accounts'][number]> {
  return new Map(result.accounts.map((a) => [a.id, a]));
}

/** "arn:… (name)" — the name only when it adds something. */
export function resourceLabel(v: Pick<Verdict, 'resource'>): string {
  const { id, name } = v.resource;
  return name && name !== id ? `${id} (${name})` : id;
}

/** JSON with object keys sorted, so hashes of evidence do not depend on key order. */
export function canonicalJson(value: unknown): string {
  let sorted: unknown;
  try {
    sorted = sortedPlainCopy(value, 0);
  } catch (err) {
    if (err !== NOT_PLAIN) throw err;
    return replacerCanonicalJson(value);
  }
  return JSON.stringify(sorted) ?? 'null';
}

const NOT_PLAIN = Symbol('not plain JSON data');
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;
const MAX_PLAIN_DEPTH = 64;

/**
 * Plain JSON data (what evidence read back from a spool or built by the rules is) with every
 * object's keys in order, for one JSON.stringify: V8 writes the text natively, where writing it
 * member by member here cost about half as much again (measured on org-1000's 3,369 evidence
 * objects: 0.33–0.43 s → 0.23–0.28 s for five passes). It is not the replacer form, which copies
 * every object through Object.fromEntries. An array or object whose members are already in order
 * is used as it is, not copied (most inner objects of the evidence are: sortedPlainCopy and
 * canonicalJson were 0.87 s of self time writing OSCAL at 10,000 accounts). Anything else (toJSON,
 * class instances, bigints, keys that are array indexes, which JSON.stringify would put first)
 * throws NOT_PLAIN and is left to the replacer form.
 */
export function sortedPlainCopy(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') throw NOT_PLAIN;
    return value;
  }
  if (depth > MAX_PLAIN_DEPTH) throw NOT_PLAIN;
  if (Array.isArray(value)) {
    // An array of its own toJSON is copied without it, as it always was.
    let items: unknown[] | undefined = typeof (value as { toJSON?: unknown }).toJSON === 'function' ? new Array(value.length) : undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as unknown;
      const sorted = sortedPlainCopy(item, depth + 1);
      if (items === undefined && sorted !== item) items = value.slice(0, i);
      if (items !== undefined) items[i] = sorted;
    }
    return items ?? value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw NOT_PLAIN;
  const o = value as Record<string, unknown>;
  if (typeof o.toJSON === 'function') throw NOT_PLAIN;
  const keys = Object.keys(o);
  let inOrder = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const first = k.charCodeAt(0);
    if (first >= 0x30 && first <= 0x39 && ARRAY_INDEX.test(k)) throw NOT_PLAIN;
    if (inOrder && i > 0 && keys[i - 1]! > k) inOrder = false;
  }
  if (!inOrder) sortKeys(keys);
  let copy: Record<string, unknown> | undefined = inOrder ? undefined : {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const member = o[k];
    const sorted = sortedPlainCopy(member, depth + 1);
    if (copy === undefined && sorted !== member) {
      copy = {};
      for (let j = 0; j < i; j++) setMember(copy, keys[j]!, o[keys[j]!]);
    }
    if (copy !== undefined) setMember(copy, k, sorted);
  }
  return copy ?? o;
}

/**
 * Up to this many keys are sorted by insertion, in place: Array.prototype.sort allocates work
 * arrays on every call, ~270 MB of them for one sort per out-of-order evidence object when JSON,
 * SARIF and HTML were written at 10,000 accounts (a sampling allocation profile), and made the
 * evidence's pretty texts ~30 % slower (org-1000's 3,369 evidence objects: 61–75 ms against 43–61);
 * OSCAL's canonical texts (sortedPlainCopy) allocated 244 MB of them at 10,000 accounts.
 */
const INSERTION_SORT_KEYS = 32;

/** keys.sort(compareStrings): UTF-16 code unit order; an object's keys are distinct, so stability does not matter. */
export function sortKeys(keys: string[]): void {
  if (keys.length > INSERTION_SORT_KEYS) {
    keys.sort(compareStrings);
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > key; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = key;
  }
}

function setMember(copy: Record<string, unknown>, key: string, member: unknown): void {
  // An own "__proto__" (JSON.parse makes one) would set the copy's prototype if assigned.
  if (key === '__proto__') Object.defineProperty(copy, key, { value: member, enumerable: true, writable: true, configurable: true });
  else copy[key] = member;
}

function replacerCanonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort(compareStrings).map((k) => [k, o[k]]));
    }
    return v;
  }) ?? 'null';
}

/** Objects oncePerObject remembers: the formats walk the verdicts in step (lockstep.ts), a few turns' worth. */
const REMEMBERED_OBJECTS = 1_024;

/**
 * Evidence objects (or spool places) remembered by a cache of texts that one format alone reads:
 * the verdicts that share evidence follow each other closely, so a few dozen make each text once,
 * while texts kept for thousands lived long enough to be promoted to V8's old generation. At
 * 10,000 accounts, remembering 128 instead of 1,024–2,048: JSON and SARIF made 60,384 texts
 * instead of 60,373 and promoted 580–584 MB per round instead of 718–728; HTML 33,425 of the
 * spool's 33,413 places, 34 MB promoted instead of 72; HTML, ASFF and OCSF of a list in memory
 * 155,067 texts instead of 155,040, 168–170 MB promoted instead of 289–296 (twenty-third round,
 * docs/operations/scale-measurements.md).
 */
export const ONE_FORMAT_REMEMBERED = 128;

/**
 * `render(value)` made once per object while the object is among the most recent ones: the
 * verdict cache hands the same evidence object to every account it was reused for, and the writer
 * hands the same object to every format (lockstep.ts). Only the most recent objects are kept (at
 * most `remembered`, RecentCache), so memory stays bounded (a WeakMap would keep every text until a
 * major collection). The objects must not change while the returned function is in use.
 */
export function oncePerObject<T>(render: (value: unknown) => T, remembered = REMEMBERED_OBJECTS): (value: unknown) => T {
  const made = new RecentCache<object, T>(Math.max(1, remembered >> 1));
  return (value) => (value === null || typeof value !== 'object' ? render(value) : made.get(value, render));
}

/** Once per key (a rule, usually): the parts of a report item that are the same for every verdict of a rule. */
export function oncePerKey<K, T>(make: (key: K) => T): (key: K) => T {
  const made = new Map<K, T>();
  return (key) => {
    let out = made.get(key);
    if (out === undefined) made.set(key, (out = make(key)));
    return out;
  };
}

/** Pretty JSON for people; `undefined` evidence is shown as null rather than vanishing. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value ?? null, null, 2);
}

/** Cut to at most `max` characters (code points kept whole), marking the cut with "…". */
export function truncate(text: string, max: number): string {
  // A string has at most as many code points as UTF-16 units: short enough without counting.
  if (text.length <= max) return text;
  // Counted in place, not split into an array of code points: long evidence is cut for every finding (ASFF).
  const keep = Math.max(0, max - 1);
  let points = 0;
  let cut = -1;
  for (let i = 0; i < text.length; i++) {
    if (points === keep) cut = i;
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point (as Array.from counts it).
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) i++;
    }
    if (++points > max) return text.slice(0, cut) + '…';
  }
  return text;
}

/**
 * An ARN's partition (its second field: "aws", "aws-cn", …), "aws" when there is none. Found
 * with indexOf: `arn.split(':')[1]` made an array of every field for each finding (OCSF, ASFF).
 */
export function arnPartition(arn: string | undefined): string {
  const first = arn ? arn.indexOf(':') : -1;
  if (first < 0) return 'aws';
  const second = arn!.indexOf(':', first + 1);
  return (second < 0 ? arn!.slice(first + 1) : arn!.slice(first + 1, second)) || 'aws';
}

/** Whitespace runs (newlines included) collapsed to one space, trimmed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}


export { TRAILPROOF_UUID_NAMESPACE, uuidV5 } from './uuid-v5.ts';

/** A control id as the OSCAL SP 800-53 r5 catalog spells it: "AU-9" → "au-9", "AC-2(1)" → "ac-2.1". */
export function oscalControlId(id: string): string {
  return id
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/\((\w+)\)/g, '.$1');
}

/** "au-2" < "au-9" < "au-12" < "au-12.1": families alphabetically, numbers numerically. */
export function compareControlIds(a: string, b: string): number {
  const pa = a.split(/[-.]/);
  const pb = b.split(/[-.]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const nx = Number(x);
    const ny = Number(y);
    const c = Number.isInteger(nx) && Number.isInteger(ny) ? nx - ny : compareStrings(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** NIST SP 800-53 r5 control ids of a rule, in OSCAL form, sorted. */
export function nistControls(rule: RuleMeta | undefined): string[] {
  const ids = rule?.frameworks['nist-800-53-r5'] ?? [];
  return [...new Set(ids.map(oscalControlId).filter((id) => id !== ''))].sort(compareControlIds);
}

/** "cis-aws-foundations-v3.0.0 3.2" style requirement labels, sorted by framework then id. */
export function frameworkRequirements(rule: RuleMeta | undefined): string[] {
  if (!rule) return [];
  return Object.keys(rule.frameworks)
    .sort(compareStrings)
    .flatMap((fw) => [...(rule.frameworks[fw] ?? [])].sort(compareStrings).map((id) => `${fw} ${id}`));
}

/** What the gate concluded, in words. */
export function gateSentence(result: ScanResult): string {
  const { summary, failOn } = result;
  if (summary.exitCode === 1) {
    const n = summary.gatingFailures;
    return `failed: ${n} unsuppressed FAIL verdict${n === 1 ? '' : 's'} at or above ${failOn}`;
  }
  if (summary.exitCode === 3) return `incomplete: no failures at or above ${failOn}, but the evidence is incomplete (ERROR verdicts or collection errors)`;
  return `passed: no unsuppressed FAIL at or above ${failOn}`;
}
