/**
 * Pretty JSON made from compact JSON text without parsing it. OSCAL prints each distinct evidence
 * as a string holding its pretty JSON, and the evidence it reads from a spool is JSON.stringify's
 * compact text: parsing that text only to print it again (JSON.parse, JSON.stringify with
 * indentation, JSON.stringify of the result as a string) was ~0.5 s of writing OSCAL alone at
 * 10,000 accounts, and the objects parsed were garbage to collect.
 *
 * The text must be JSON.stringify's own output (no whitespace between tokens, strings escaped as
 * it escapes them): JSON.stringify of what JSON.parse makes of such a text gives the text again,
 * so indenting it where JSON.stringify would gives JSON.stringify(JSON.parse(text), null, 2).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const LETTER_N = 0x6e;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LAST_LATIN1 = 0xff;

/** At most this many bytes written per character read, besides indentation: `,` becomes `,\n`. */
const MOST_BYTES_PER_CHARACTER = 3;

let output = Buffer.allocUnsafe(1 << 16);

/**
 * JSON.stringify(`${before}${JSON.stringify(JSON.parse(compact), null, 2)}${after}`): the JSON
 * text of a string that holds the value's pretty JSON, `before` and `after` being Latin-1 text;
 * undefined when `compact` holds a character beyond Latin-1 (JSON.stringify decides those: lone
 * surrogates), which the caller writes the slow way.
 */
export function quotedPrettyJson(compact: string, before: string, after: string): string | undefined {
  const head = JSON.stringify(before).slice(0, -1);
  const tail = JSON.stringify(after).slice(1);
  const length = compact.length;
  const room = head.length + tail.length + MOST_BYTES_PER_CHARACTER * length;
  if (output.length < room) output = Buffer.allocUnsafe(Math.max(room, output.length * 2));
  let out = output;
  let at = out.write(head, 0, 'latin1');
  let indent = 0;
  let inString = false;
  for (let i = 0; i < length; i++) {
    const c = compact.charCodeAt(i);
    if (inString) {
      // A string's plain characters up to its closing quote or an escape, in one loop: most of the
      // text. Outside strings JSON.stringify writes ASCII only.
      let d = c;
      while (d !== QUOTE && d !== BACKSLASH) {
        if (d > LAST_LATIN1 || i >= length) return undefined;
        out[at++] = d;
        d = compact.charCodeAt(++i);
      }
      if (d === QUOTE) {
        out[at++] = BACKSLASH;
        out[at++] = QUOTE;
        inString = false;
      } else {
        // An escape's second character: a quote or backslash is escaped once more, anything else copied.
        const next = compact.charCodeAt(++i);
        out[at++] = BACKSLASH;
        out[at++] = BACKSLASH;
        if (next === QUOTE || next === BACKSLASH) out[at++] = BACKSLASH;
        out[at++] = next;
      }
      continue;
    }
    let newline = false;
    if (c === QUOTE) {
      out[at++] = BACKSLASH;
      out[at++] = QUOTE;
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      out[at++] = c;
      const next = compact.charCodeAt(i + 1);
      if (next === c + 2) {
        // Empty: "{}" and "[]" stay on one line.
        out[at++] = next;
        i++;
      } else {
        indent += 2;
        newline = true;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      indent -= 2;
      at = lineBreak(at, indent, length - i, tail.length);
      out = output;
      out[at++] = c;
    } else if (c === COMMA) {
      out[at++] = c;
      newline = true;
    } else if (c === COLON) {
      out[at++] = c;
      out[at++] = SPACE;
    } else out[at++] = c;
    if (newline) {
      at = lineBreak(at, indent, length - i, tail.length);
      out = output;
    }
  }
  at += out.write(tail, at, 'latin1');
  return out.toString('latin1', 0, at);
}

/**
 * Writes an escaped newline and `indent` spaces at `written` and returns where they end; first
 * grows the output if what is left could then overflow it (`left` characters still to read,
 * MOST_BYTES_PER_CHARACTER each, and the tail).
 */
function lineBreak(written: number, indent: number, left: number, tail: number): number {
  const needed = written + 2 + indent + MOST_BYTES_PER_CHARACTER * left + tail;
  if (needed > output.length) {
    const grown = Buffer.allocUnsafe(Math.max(needed, output.length * 2));
    output.copy(grown, 0, 0, written);
    output = grown;
  }
  const out = output;
  let at = written;
  out[at++] = BACKSLASH;
  out[at++] = LETTER_N;
  for (let k = 0; k < indent; k++) out[at++] = SPACE;
  return at;
}
