/**
 * The pretty, key-sorted JSON the JSON and SARIF reports print of a verdict's evidence, made from
 * the spool's compact text without parsing it. JSON.parse of that text, sortKeysDeep's copies and
 * the pretty JSON.stringify were a quarter of the instructions of the thread writing JSON + SARIF
 * from a spool (twenty-third round: 0.86 + ~0.4 + 1.8 G of 13.0 G at 10,000 accounts), and the
 * objects parsed were garbage to collect.
 *
 * The text must be JSON.stringify's own output (no whitespace between tokens, strings escaped as
 * it escapes them, no repeated keys): JSON.stringify of what JSON.parse makes of such a text gives
 * the text again, so indenting it where JSON.stringify would, and putting each object's members in
 * sortKeysDeep's order, gives indentedJson(sortKeysDeep(JSON.parse(text)), indent). Members are
 * written in the text's order and moved afterwards, in the objects whose keys were not in order.
 */

import { oneByteWherePossible } from '../shared/one-byte.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const SPACE = 0x20;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LAST_ASCII = 0x7f;
const PROTO = Buffer.from('__proto__');

let output: Buffer = Buffer.allocUnsafe(1 << 16);
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

/**
 * indentedJson(sortKeysDeep(JSON.parse(compact)), indent) for `compact` written by JSON.stringify
 * and an indentation of spaces; undefined where the text holds what this does not order the way
 * sortKeysDeep does, which the caller then parses: a key beyond ASCII (keys are compared by their
 * bytes; UTF-16 orders some characters beyond the BMP otherwise), a key with an escape, a key
 * starting with a digit (V8 puts array-index keys first, whatever their order), and "__proto__"
 * (assigning it to sortKeysDeep's copy sets the copy's prototype).
 *
 * One loop over the text's UTF-8 bytes with its state in locals (a function per kind of value,
 * sharing the offsets through module variables, took twice as long), and a stack of open
 * containers. Strings are copied byte for byte: JSON.stringify has escaped what must be, lone
 * surrogates included, so the bytes of any other character pass through whole.
 */
export function sortedPrettyJson(compact: string, indent: string): string | undefined {
  // At most three bytes a UTF-16 unit.
  if (input.length < 3 * compact.length) input = Buffer.allocUnsafe(Math.max(3 * compact.length, input.length * 2));
  const text = input;
  const length = text.write(compact, 0, 'utf8');
  const baseIndent = indent.length;
  let out = output;
  let at = 0;
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
        if (at + 2 * (length - i) + 2 > out.length) out = grown(at, 2 * (length - i) + 2);
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
        at = lineBreak(at, baseIndent + 2 * depth, length - i);
        out = output;
        continue;
      }
      if (c === QUOTE) {
        out[at++] = QUOTE;
        for (i++; ; i++) {
          if (i >= length) return undefined;
          const d = text[i]!;
          if (d === QUOTE) break;
          out[at++] = d;
          // An escape's second character is copied whatever it is (a quote, too).
          if (d === BACKSLASH && ++i < length) out[at++] = text[i]!;
        }
        out[at++] = QUOTE;
        i++;
      } else {
        // A number, true, false or null: ASCII up to the next comma or closing bracket.
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
      const frame = frames[depth - 1]!;
      if (frame >= 0) members[top - 1] = at;
      const c = text[i++]!;
      if (c === COMMA) {
        out[at++] = COMMA;
        if (frame >= 0) {
          state = EXPECT_KEY;
          continue;
        }
        at = lineBreak(at, baseIndent + 2 * depth, length - i);
        out = output;
        state = EXPECT_VALUE;
        continue;
      }
      // The container closes.
      if (frame >= 0) {
        if (framesInOrder[depth - 1] === 0) {
          reorder(text, frame, top, baseIndent + 2 * depth);
          out = output;
        }
        top = frame;
      }
      depth--;
      at = lineBreak(at, baseIndent + 2 * depth, length - i);
      out = output;
      out[at++] = c;
    } else {
      at = lineBreak(at, baseIndent + 2 * depth, length - i);
      out = output;
      const memberStart = at;
      const keyStart = i + 1;
      out[at++] = QUOTE;
      if (keyStart < length) {
        const first = text[keyStart]!;
        if (first >= DIGIT_0 && first <= DIGIT_9) return undefined;
      }
      for (i = keyStart; ; i++) {
        if (i >= length) return undefined;
        const d = text[i]!;
        if (d === QUOTE) break;
        if (d > LAST_ASCII || d === BACKSLASH) return undefined;
        out[at++] = d;
      }
      const keyEnd = i;
      if (keyEnd - keyStart === PROTO.length && PROTO.equals(text.subarray(keyStart, keyEnd))) return undefined;
      out[at++] = QUOTE;
      out[at++] = COLON;
      out[at++] = SPACE;
      // Past the closing quote and the colon.
      i += 2;
      const frame = frames[depth - 1]!;
      if (top > frame && framesInOrder[depth - 1] === 1 && compareKeys(text, members[top - 4]!, members[top - 3]!, keyStart, keyEnd) > 0) framesInOrder[depth - 1] = 0;
      if (top + 4 > members.length) growMembers();
      members[top++] = keyStart;
      members[top++] = keyEnd;
      members[top++] = memberStart;
      top++;
      state = EXPECT_VALUE;
    }
  }
  // ASCII: each byte is a character. Otherwise the UTF-8 decoded, one-byte where it can be.
  return length === compact.length ? out.toString('latin1', 0, at) : oneByteWherePossible(out.toString('utf8', 0, at));
}

/** compareStrings of two keys without escapes, by their places in the text (UTF-16 code units, as `<` compares). */
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
 * Puts the members from `first` to `end` (in `members`) in key order: every member is written
 * between the same separators (a comma, a line break, `indent` spaces), so each is a piece of the
 * output that can move whole.
 */
function reorder(text: Uint8Array, first: number, end: number, indent: number): void {
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
  // The members are copied past the output's end, then back in order: copyWithin is a memmove.
  const out = stop + (stop - start) > output.length ? grown(stop, stop - start) : output;
  out.copyWithin(stop, start, stop);
  const shift = stop - start;
  let at = start;
  for (let m = 0; m < count; m++) {
    if (m > 0) {
      out[at++] = COMMA;
      out[at++] = NEWLINE;
      for (let e = at + indent; at < e; ) out[at++] = SPACE;
    }
    // Members that stay next to each other move together, with the separator between them.
    const runStart = order[m]!;
    let last = runStart;
    while (m + 1 < count && order[m + 1] === last + 4) last = order[++m]!;
    const from = members[runStart + 2]! + shift;
    const to = members[last + 3]! + shift;
    out.copyWithin(at, from, to);
    at += to - from;
  }
}

/**
 * Writes a line break and `indent` spaces at `at` and returns where they end, first growing the
 * output if it could overflow before the next line break: until then each of the `left`
 * characters still to read writes at most two bytes (a colon is followed by a space).
 */
function lineBreak(at: number, indent: number, left: number): number {
  const room = 1 + indent + 2 * left + 2;
  const out = at + room > output.length ? grown(at, room) : output;
  out[at++] = NEWLINE;
  for (const end = at + indent; at < end; ) out[at++] = SPACE;
  return at;
}

/** The output with room for `room` more bytes after `written`. */
function grown(written: number, room: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(written + room, output.length * 2));
  output.copy(bigger, 0, 0, written);
  output = bigger;
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
 * before (an escape, a key of nine characters, a key that begins another), then compiles it
 * again: five compiles of ~30 ms each while writing JSON + SARIF of 10,000 accounts. A text that
 * takes those paths first gives the first compile their feedback; V8 keeps none for a function's
 * first few calls, so it is printed a few times.
 */
const EVERY_PATH = '{"zeta":[{"b":"\\"x\\\\","a":{},"c":[]},[[1,-1.5e-7],true,null],{"ab":1,"a":2}],"__proto_x":"é","alpha":{"y":{"b":0,"a":[{}]}}}';
for (let i = 0; i < 16; i++) sortedPrettyJson(EVERY_PATH, '  ');
