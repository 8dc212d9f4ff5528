/**
 * The verdict spool's line keys (verdict-spool.ts): the canonical order as text, so that the merge
 * of sorted runs (run-merge.ts) compares strings and copies lines without parsing them.
 */
import type { Verdict, VerdictStatus } from '../contracts/verdict.ts';

/**
 * The canonical order's keys (contracts/order.ts compareVerdicts) as one string that compares, as
 * a string, the way compareVerdicts compares the verdicts: each field in turn, by UTF-16 code
 * units, a field that is a prefix of another first. Each field ends with U+0000; code units that
 * would break the line or the text are escaped by a prefix code that keeps their order: those
 * below U+000C (U+0000, tab, newline) as U+0001 and one character, and U+D7FF and every surrogate
 * (a lone one would not survive UTF-8) as U+D7FF and one character between U+0FFF and U+17FF.
 */
export function sortKey(v: Verdict): string {
  return RULE_FIELD.of(v.ruleId) + keyField(v.resource.id) + TYPE_FIELD.of(v.resource.type) + (STATUS_FIELDS.get(v.status) ?? keyField(v.status)) + MESSAGE_FIELD.of(v.message);
}

/**
 * A field as the last key made had it: keys are made in canonical order (a run or list as it is
 * written), so consecutive verdicts mostly share their rule, their resource type and, among a
 * rule's passes, their message (one string the verdict cache hands on).
 */
class LastField {
  private text: string | undefined = '';
  private field = '\u0000';

  of(text: string | undefined): string {
    if (text !== this.text) {
      this.field = keyField(text);
      this.text = text;
    }
    return this.field;
  }
}

const RULE_FIELD = new LastField();
const TYPE_FIELD = new LastField();
const MESSAGE_FIELD = new LastField();

/** The statuses' fields, which need no escape: one string each, not a test and a new string per verdict. */
const STATUS_FIELDS = new Map<string, string>((['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE'] satisfies VerdictStatus[]).map((status) => [status, `${status}\u0000`]));

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
