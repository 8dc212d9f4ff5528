/**
 * Records parsed from a line whose text cannot hold a member named `error`, the only place a
 * collection error is recorded (model/errors.ts collectErrors walks every validated record for
 * them). Most lines hold none (96.6 % of org-10000's): testing the text for `"error"` costs about
 * half of walking the parsed record, whose references (same-as.ts) are walked once per region that
 * shares them.
 *
 * A member named `error` is written `"error"`, or with an escape: JSON escapes a letter only as
 * `\uXXXX`, so a line with no backslash and no `"error"` has no such member, wherever it nests.
 * Only what the line's own text gave is marked (a record built in memory never is), and a marked
 * record is never modified (nothing above the snapshot modifies a record: the deep-frozen test in
 * test/unit/snapshot-same-as.test.ts), so the mark stays true.
 */
const withoutErrorMember = new WeakSet<object>();

/** Marks `record`, parsed (and resolved) from `text`, when that text cannot hold a member named `error`. */
export function noteLineText(record: object, text: string): void {
  if (!text.includes('\\') && !holdsQuotedError(text)) withoutErrorMember.add(record);
}

/**
 * `text.includes('"error"')`, looked for from its `rror`: the runtime finds a pattern by its first
 * character, and a quote is every few characters of a JSON line, a letter r seldom (a quarter
 * fewer instructions on an account line). Each `rror` is tried, overlapping ones too.
 */
export function holdsQuotedError(text: string): boolean {
  for (let at = text.indexOf('rror'); at !== -1; at = text.indexOf('rror', at + 1)) {
    if (at >= 2 && text.startsWith('"error"', at - 2)) return true;
  }
  return false;
}

/** Whether `value` is a record whose line had no member named `error` (noteLineText): it holds no collection error. */
export function parsedWithoutErrorMember(value: unknown): boolean {
  return typeof value === 'object' && value !== null && withoutErrorMember.has(value);
}
