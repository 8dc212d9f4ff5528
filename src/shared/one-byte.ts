/**
 * One-byte strings for the texts the reports write. V8 keeps a string at two bytes per character
 * when it holds a character beyond Latin-1, and also when it was made from such a string (a slice,
 * a concatenation with one, JSON.stringify of an object with one two-byte key or value, even an
 * ASCII one), and encodes a two-byte string to UTF-8 at 12–13 instructions a character against
 * 0.5–2.3 for a one-byte one (callgrind: Buffer.write alone, twelfth round; writing JSON, SARIF
 * and HTML at 1,000 accounts, thirteenth). A text made once and written many times, or joined
 * into many items, is worth copying into a one-byte string.
 */

/** A character V8 cannot store in a one-byte string. */
export const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

/** A Latin-1 text as a one-byte string (V8 keeps a slice of a two-byte string two-byte). */
export function oneByte(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

/** The text as a one-byte string when it holds nothing beyond Latin-1; otherwise as it is. */
export function oneByteWherePossible(text: string): string {
  return BEYOND_LATIN1.test(text) ? text : oneByte(text);
}
