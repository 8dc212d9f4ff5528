/**
 * The one reader of the spool's compact JSON text, for the formats that print evidence again from
 * that text without parsing it: JSON and SARIF (key-sorted and indented, sortedPrettyJson),
 * OSCAL (key-sorted and compact, canonicalJsonText; indented in the text's order, then quoted,
 * quotedPrettyJson), JUnit (indented in the text's order, prettyJsonText). Parsing the text only to print it again (JSON.parse, sorted copies,
 * JSON.stringify) was their largest cost, and the objects parsed were garbage to collect.
 *
 * The text must be JSON.stringify's own output (no whitespace between tokens, strings escaped as
 * it escapes them, no repeated keys): JSON.stringify of what JSON.parse makes of such a text gives
 * the text again, so laying it out where JSON.stringify would, and putting each object's members in
 * sortKeysDeep's order where asked, gives what parsing and printing would. Members are written in
 * the text's order and moved afterwards, in the objects whose keys were not in order.
 *
 * One loop over the text's UTF-8 bytes with its state in locals (a function per kind of value,
 * sharing the offsets through module variables, took twice as long), and a stack of open
 * containers. Strings are copied byte for byte: JSON.stringify has escaped what must be, lone
 * surrogates included, so the bytes of any other character pass through whole.
 */

import { oneByteWherePossible } from '../shared/one-byte.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const SPACE = 0x20;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const LETTER_N = 0x6e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/**
 * A key's UTF-8 bytes below this compare as its UTF-16 code units do (compareStrings): the
 * characters from U+E000 on (lead bytes 0xEE, 0xEF) sort after those beyond the BMP (0xF0 on) by
 * their bytes but before them by their UTF-16 surrogates.
 */
const FIRST_BYTE_UTF16_ORDERS_OTHERWISE = 0xee;
const PROTO = Buffer.from('__proto__');
/** What Buffer.write makes of a lone surrogate, and of U+FFFD itself. */
const REPLACEMENT_CHARACTER = Buffer.from('\ufffd');
/** In a unicode regular expression a pair of surrogates is one code point: only a lone one is Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

/** `indent` of a compact text: no line breaks, no space after a colon. */
const COMPACT = -1;

let output: Buffer = Buffer.allocUnsafe(1 << 16);
/**
 * The output seen eight bytes at a time, for indentation: a third of the bytes of the JSON
 * report's evidence texts are spaces (org-10000.v2.jsonl), and a typed array takes them one store
 * each.
 */
let outputWords = wordsOf(output);
/** The text's UTF-8 bytes, read in place of its characters: 6 % fewer instructions of the printer (callgrind). */
let input: Buffer = Buffer.allocUnsafe(1 << 16);
/**
 * Each open object's members, four numbers a member: where its key starts and ends in the text
 * (inside the quotes) and where the member starts and ends in the output. Objects are stacked.
 */
let members = new Int32Array(1024);
/** Per open container, outermost first: where its members start in `members`, -1 for an array. */
let frames = new Int32Array(64);
/** Per open object: whether its keys came in order so far. */
let framesInOrder = new Uint8Array(64);
let order = new Int32Array(64);

const EXPECT_VALUE = 0;
const AFTER_VALUE = 1;
const EXPECT_KEY = 2;

/*
 * The three printings the formats ask for. Each is what JSON.stringify prints of JSON.parse(compact)
 * in some layout, or undefined where the text is not compact JSON, or holds a lone surrogate, or,
 * where keys are sorted, a key this does not order the way sortKeysDeep does, which the caller
 * then parses: a key with an escape, a key starting with a digit (V8 puts array-index keys first,
 * whatever their order), "__proto__" (assigning it to sortKeysDeep's copy sets the copy's
 * prototype), and a key holding a character from U+E000 on (see FIRST_BYTE_UTF16_ORDERS_OTHERWISE).
 */

/**
 * indentedJson(sortKeysDeep(JSON.parse(compact)), indent), for an indentation of spaces: the
 * pretty, key-sorted JSON the JSON and SARIF reports print of a spooled verdict's evidence.
 * JSON.parse of that text, sortKeysDeep's copies and the pretty JSON.stringify were a quarter of
 * the instructions of the thread writing JSON + SARIF from a spool (twenty-third round: 0.86 +
 * ~0.4 + 1.8 G of 13.0 G at 10,000 accounts).
 */
export function sortedPrettyJson(compact: string, indent: string): string | undefined {
  return printed(compact, true, indent.length, false, '', '');
}

/**
 * canonicalJson(JSON.parse(compact)) (audit-common.ts): OSCAL names each distinct evidence by a
 * uuid of its canonical text. Parsing it only to copy its out-of-order objects and write it again
 * was ~0.3 s of writing OSCAL alone at 10,000 accounts.
 */
export function canonicalJsonText(compact: string): string | undefined {
  return printed(compact, true, COMPACT, false, '', '');
}

/**
 * JSON.stringify(`${before}${JSON.stringify(JSON.parse(compact), null, 2)}${after}`): the JSON text
 * of a string that holds the value's pretty JSON, in the text's key order, as OSCAL prints each
 * distinct evidence. Parsing it only to print it again was ~0.5 s of writing OSCAL alone at
 * 10,000 accounts.
 */
export function quotedPrettyJson(compact: string, before: string, after: string): string | undefined {
  return printed(compact, false, 0, true, JSON.stringify(before).slice(0, -1), JSON.stringify(after).slice(1));
}

/**
 * JSON.stringify(JSON.parse(compact), null, 2) (audit-common.ts prettyJson): JUnit prints each
 * distinct evidence so in its failures' details. The text's key order is the parsed object's:
 * JSON.stringify wrote the text from such an object, array-index keys first.
 */
export function prettyJsonText(compact: string): string | undefined {
  return printed(compact, false, 0, false, '', '');
}

/**
 * One loop over the text's UTF-8 bytes with its state in locals, and a stack of open containers:
 * a function per kind of value, sharing the offsets through module variables, took twice as long,
 * and V8 does not inline every helper into a loop this large (the string's and the key's copy as
 * helpers were 15 % more instructions of the JSON printer). Strings are copied byte for byte:
 * JSON.stringify has escaped what must be, lone surrogates included, so the bytes of any other
 * character pass through whole. `quoted`: the output is escaped as a string's content between
 * `head` and `tail`, which only changes what quotes, backslashes and line breaks write.
 */
function printed(compact: string, sortKeys: boolean, indent: number, quoted: boolean, head: string, tail: string): string | undefined {
  const pretty = indent !== COMPACT;
  const inPlace = !pretty && !quoted;
  // At most three bytes a UTF-16 unit; in place, room for as many again (reorder).
  const most = (inPlace ? 6 : 3) * compact.length;
  if (input.length < most) input = Buffer.allocUnsafe(Math.max(most, input.length * 2));
  const text = input;
  const length = text.write(compact, 0, 'utf8');
  const baseIndent = pretty ? indent : 0;
  const tailLength = tail.length === 0 ? 0 : Buffer.byteLength(tail);
  let out: Buffer;
  let at = 0;
  if (!inPlace) {
    // Room for every byte read written three times (quoted, `,` becomes `,\n`), and head and tail;
    // line breaks make more as they go (lineBreak).
    const room = 3 * (head.length + length) + tailLength + 2;
    out = room > output.length ? grown(0, room) : output;
    if (head.length > 0) at = out.write(head, 0, 'utf8');
  } else {
    // Compact and unquoted, the output is the text itself: every byte stays where it is until an
    // object's members move, in place, and a text with none out of order is the text.
    out = text;
  }
  const asciiAround = at === head.length && tailLength === tail.length;
  let reordered = false;
  let i = 0;
  let depth = 0;
  let top = 0;
  let state = EXPECT_VALUE;
  for (;;) {
    if (state === EXPECT_VALUE) {
      // Every read is within the text: one past its end would make V8 handle NaN at every read.
      if (i >= length) return undefined;
      const c = text[i]!;
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (pretty && at + 3 * (length - i) + tailLength + 2 > out.length) out = grown(at, 3 * (length - i) + tailLength + 2);
        out[at++] = c;
        if (i + 1 < length && text[i + 1] === c + 2) {
          // Empty: "{}" and "[]" stay on one line.
          out[at++] = c + 2;
          i += 2;
          state = AFTER_VALUE;
          continue;
        }
        i++;
        if (depth === frames.length) growFrames();
        frames[depth] = c === OPEN_BRACE ? top : -1;
        framesInOrder[depth] = 1;
        depth++;
        if (c === OPEN_BRACE) {
          state = EXPECT_KEY;
          continue;
        }
        if (pretty) {
          at = lineBreak(at, baseIndent + 2 * depth, length - i, tailLength, quoted);
          out = output;
        }
        continue;
      }
      if (c === QUOTE) {
        if (quoted) out[at++] = BACKSLASH;
        out[at++] = QUOTE;
        for (i++; ; i++) {
          if (i >= length) return undefined;
          const d = text[i]!;
          if (d === QUOTE) break;
          if (d === BACKSLASH) {
            // An escape's second character is copied whatever it is; quoted, a quote or
            // backslash is escaped once more.
            if (++i >= length) return undefined;
            const next = text[i]!;
            out[at++] = BACKSLASH;
            if (quoted) {
              out[at++] = BACKSLASH;
              if (next === QUOTE || next === BACKSLASH) out[at++] = BACKSLASH;
            }
            out[at++] = next;
          } else out[at++] = d;
        }
        if (quoted) out[at++] = BACKSLASH;
        out[at++] = QUOTE;
        i++;
      } else {
        // A number, true, false or null: ASCII up to the next comma or closing bracket.
        if (c <= SPACE) return undefined;
        for (; i < length; i++) {
          const d = text[i]!;
          if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET) break;
          out[at++] = d;
        }
      }
      state = AFTER_VALUE;
    } else if (state === AFTER_VALUE) {
      if (depth === 0) break;
      if (i >= length) return undefined;
      const c = text[i++]!;
      const frame = frames[depth - 1]!;
      if (frame >= 0) {
        if (!sortKeys && members[top - 1]! < 0) {
          // A key copied as a string (keys kept in the text's order): its colon, then its value.
          if (c !== COLON) return undefined;
          out[at++] = COLON;
          if (pretty) out[at++] = SPACE;
          members[top - 1] = 0;
          state = EXPECT_VALUE;
          continue;
        }
        members[top - 1] = at;
      }
      if (c === COMMA) {
        out[at++] = COMMA;
        if (frame >= 0) {
          state = EXPECT_KEY;
          continue;
        }
        if (pretty) {
          at = lineBreak(at, baseIndent + 2 * depth, length - i, tailLength, quoted);
          out = output;
        }
        state = EXPECT_VALUE;
        continue;
      }
      if (c !== (frame >= 0 ? CLOSE_BRACE : CLOSE_BRACKET)) return undefined;
      if (frame >= 0) {
        if (framesInOrder[depth - 1] === 0) {
          // In place, the rest of the text is still to read: the members move by way of the room past its end.
          out = reorder(text, out, frame, top, inPlace ? length : at);
          reordered = true;
        }
        top = frame;
      }
      depth--;
      if (pretty) {
        at = lineBreak(at, baseIndent + 2 * depth, length - i, tailLength, quoted);
        out = output;
      }
      out[at++] = c;
    } else {
      // A member starts with its line break: then only commas lie between members (reorder).
      const memberStart = at;
      if (pretty) {
        at = lineBreak(at, baseIndent + 2 * depth, length - i, tailLength, quoted);
        out = output;
      }
      if (i >= length || text[i] !== QUOTE) return undefined;
      if (top + 4 > members.length) growMembers();
      if (!sortKeys) {
        // Copied as a string value is; the colon after it, then the value, come next. The member's
        // end is -1 until the colon is passed.
        members[top++] = i + 1;
        members[top++] = i + 1;
        members[top++] = memberStart;
        members[top++] = -1;
        state = EXPECT_VALUE;
        continue;
      }
      const keyStart = i + 1;
      if (quoted) out[at++] = BACKSLASH;
      out[at++] = QUOTE;
      if (keyStart < length) {
        const first = text[keyStart]!;
        if (first >= DIGIT_0 && first <= DIGIT_9) return undefined;
      }
      for (i = keyStart; ; i++) {
        if (i >= length) return undefined;
        const d = text[i]!;
        if (d === QUOTE) break;
        if (d >= FIRST_BYTE_UTF16_ORDERS_OTHERWISE || d === BACKSLASH) return undefined;
        out[at++] = d;
      }
      const keyEnd = i;
      if (keyEnd - keyStart === PROTO.length && PROTO.equals(text.subarray(keyStart, keyEnd))) return undefined;
      if (quoted) out[at++] = BACKSLASH;
      out[at++] = QUOTE;
      if (++i >= length || text[i++] !== COLON) return undefined;
      out[at++] = COLON;
      if (pretty) out[at++] = SPACE;
      const frame = frames[depth - 1]!;
      if (top > frame && framesInOrder[depth - 1] === 1 && compareKeys(text, members[top - 4]!, members[top - 3]!, keyStart, keyEnd) > 0) framesInOrder[depth - 1] = 0;
      members[top++] = keyStart;
      members[top++] = keyEnd;
      members[top++] = memberStart;
      members[top++] = 0;
      state = EXPECT_VALUE;
    }
  }
  if (i !== length) return undefined;
  if (length !== compact.length && holdsLoneSurrogate(compact, text, length)) return undefined;
  if (inPlace) return reordered ? decoded(text, at, length === compact.length) : compact;
  if (tailLength > 0) at += out.write(tail, at, 'utf8');
  return decoded(out, at, length === compact.length && asciiAround);
}

/**
 * Whether the text holds a lone surrogate, which JSON.stringify would have escaped, and which its
 * UTF-8 `bytes` hold as U+FFFD: the bytes are searched first, the text only if they hold one.
 */
function holdsLoneSurrogate(text: string, bytes: Buffer, length: number): boolean {
  return bytes.subarray(0, length).indexOf(REPLACEMENT_CHARACTER) >= 0 && LONE_SURROGATE.test(text);
}

/** The output's text: ASCII as it is (each byte a character), otherwise the UTF-8 decoded, one-byte where it can be. */
function decoded(out: Buffer, end: number, ascii: boolean): string {
  return ascii ? out.toString('latin1', 0, end) : oneByteWherePossible(out.toString('utf8', 0, end));
}

/** compareStrings of two keys sortKeysDeep orders as their bytes, by their places in the text. */
function compareKeys(text: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  const common = aLength < bLength ? aLength : bLength;
  for (let k = 0; k < common; k++) {
    const difference = text[aStart + k]! - text[bStart + k]!;
    if (difference !== 0) return difference;
  }
  return aLength - bLength;
}

/**
 * Puts the members from `first` to `end` (in `members`) in key order in `out`, by way of the room
 * from `scratch` on, and returns the output (grown if that room was short). Each member is a piece
 * of the output from its line break (if any) to its value's end, and only a comma lies between two,
 * so each moves whole and the members put back need only commas between them.
 */
function reorder(text: Uint8Array, out: Buffer, first: number, end: number, scratch: number): Buffer {
  const count = (end - first) >> 2;
  if (order.length < count) order = new Int32Array(count * 2);
  for (let m = 0; m < count; m++) {
    const at = first + m * 4;
    const keyStart = members[at]!;
    const keyEnd = members[at + 1]!;
    let j = m;
    while (j > 0) {
      const before = order[j - 1]!;
      if (compareKeys(text, members[before]!, members[before + 1]!, keyStart, keyEnd) < 0) break;
      order[j] = before;
      j--;
    }
    order[j] = at;
  }
  const start = members[first + 2]!;
  const stop = members[end - 1]!;
  // The members are copied to `scratch`, past what is written, then back in order: copyWithin is a
  // memmove. A compact text's buffer has room for it (printed).
  if (scratch + (stop - start) > out.length) out = grown(scratch, stop - start);
  out.copyWithin(scratch, start, stop);
  const shift = scratch - start;
  let at = start;
  for (let m = 0; m < count; m++) {
    if (m > 0) out[at++] = COMMA;
    // Members that stay next to each other move together, with the comma between them.
    const runStart = order[m]!;
    let last = runStart;
    while (m + 1 < count && order[m + 1] === last + 4) last = order[++m]!;
    const from = members[runStart + 2]! + shift;
    const to = members[last + 3]! + shift;
    out.copyWithin(at, from, to);
    at += to - from;
  }
  return out;
}

/**
 * Writes a line break and `indent` spaces at `at` and returns where they end, first growing the
 * output if it could overflow before the next line break: until then each of the `left` bytes
 * still to read writes at most three (quoted, a comma is followed by `\n`), then the tail.
 */
function lineBreak(at: number, indent: number, left: number, tail: number, quoted: boolean): number {
  // The indentation is written eight spaces a store, up to seven past its end.
  const room = 2 + indent + SPACES_A_WORD + 3 * left + tail;
  const out = at + room > output.length ? grown(at, room) : output;
  if (quoted) {
    out[at++] = BACKSLASH;
    out[at++] = LETTER_N;
  } else out[at++] = NEWLINE;
  const words = outputWords;
  for (let k = at; k < at + indent; k += SPACES_A_WORD) words.setFloat64(k, EIGHT_SPACES);
  return at + indent;
}

const SPACES_A_WORD = 8;
/** The double whose eight bytes are all spaces (0x20), in either byte order. */
const EIGHT_SPACES = new DataView(Buffer.alloc(SPACES_A_WORD, SPACE).buffer).getFloat64(0);

function wordsOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
}

/** The output with room for `room` more bytes after `written`. */
function grown(written: number, room: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(written + room, output.length * 2));
  output.copy(bigger, 0, 0, written);
  output = bigger;
  outputWords = wordsOf(bigger);
  return bigger;
}

function growMembers(): void {
  const bigger = new Int32Array(members.length * 2);
  bigger.set(members);
  members = bigger;
}

function growFrames(): void {
  const bigger = new Int32Array(frames.length * 2);
  bigger.set(frames);
  frames = bigger;
  const inOrder = new Uint8Array(framesInOrder.length * 2);
  inOrder.set(framesInOrder);
  framesInOrder = inOrder;
}

/**
 * V8 optimizes the printer once it is hot and deoptimizes it at the first path it had not taken
 * before (an escape, a key of nine characters, a key that begins another, a layout), then compiles
 * it again: five compiles of ~30 ms each while writing JSON + SARIF of 10,000 accounts. A text that
 * takes those paths first gives the first compile their feedback; V8 keeps none for a function's
 * first few calls, so it is printed a few times in every layout.
 */
const EVERY_PATH = '{"zeta":[{"b":"\\"x\\\\","a":{},"c":[]},[[1,-1.5e-7],true,null],{"ab":1,"a":2}],"__proto_x":"é","alpha":{"y":{"b":0,"a":[{}]}}}';
for (let i = 0; i < 16; i++) {
  sortedPrettyJson(EVERY_PATH, '  ');
  canonicalJsonText(EVERY_PATH);
  quotedPrettyJson(EVERY_PATH, '', '');
  prettyJsonText(EVERY_PATH);
}
