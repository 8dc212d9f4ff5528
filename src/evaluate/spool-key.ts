/**
 * The verdict spool's line keys (verdict-spool.ts): the canonical order as text, so that the merge
 * of sorted runs (run-merge.ts) compares strings and copies lines without parsing them.
 */
import type { Verdict } from '../contracts/verdict.ts';

/**
 * The canonical order's keys (contracts/order.ts compareVerdicts) as one string that compares, as
 * a string, the way compareVerdicts compares the verdicts: each field in turn, by UTF-16 code
 * units, a field that is a prefix of another first. Each field ends with U+0000; code units that
 * would break the line or the text are escaped by a prefix code that keeps their order: those
 * below U+000C (U+0000, tab, newline) as U+0001 and one character, and U+D7FF and every surrogate
 * (a lone one would not survive UTF-8) as U+D7FF and one character between U+0FFF and U+17FF.
 */
export function sortKey(v: Verdict): string {
  return keyField(v.ruleId) + keyField(v.resource.id) + keyField(v.resource.type) + keyField(v.status) + keyField(v.message);
}

const ESCAPED = /[\u0000-\u000b\ud7ff-\udfff]/;
const ESCAPED_ALL = /[\u0000-\u000b\ud7ff-\udfff]/g;

function keyField(text: string | undefined): string {
  const value = text ?? '';
  return `${ESCAPED.test(value) ? value.replace(ESCAPED_ALL, escapeUnit) : value}\u0000`;
}

function escapeUnit(unit: string): string {
  const code = unit.charCodeAt(0);
  return code < 0x0c ? `\u0001${String.fromCharCode(0x20 + code)}` : `\ud7ff${String.fromCharCode(0x0fff + code - 0xd7ff)}`;
}

/** The rule id of a sort key. */
export function ruleOfKey(key: string): string {
  return unescapeField(key.slice(0, key.indexOf('\u0000')));
}

export function unescapeField(field: string): string {
  return field.indexOf('\u0001') < 0 && field.indexOf('\ud7ff') < 0 ? field : field.replace(ESCAPES, unescapeUnit);
}

const ESCAPES = /\u0001([\s\S])|\ud7ff([\s\S])/g;

function unescapeUnit(_: string, low: string | undefined, high: string | undefined): string {
  return low !== undefined ? String.fromCharCode(low.charCodeAt(0) - 0x20) : String.fromCharCode(high!.charCodeAt(0) - 0x0fff + 0xd7ff);
}
