/**
 * A sorted run's lines (verdict-spool.ts: key, tab, encoded verdict) as bytes in a read buffer, for
 * the merge (run-merge.ts): keys compared and lines copied where they were read. Decoding each line
 * into a string, slicing its key, and encoding it again into the merged file's buffer was most of
 * the merge's ~1.2 µs of CPU per line (1.6-1.8 CPU-s at 100,000 accounts; issue 16, twenty-sixth
 * round). The keys hold no surrogate (spool-key.ts escapes them), so their UTF-8 bytes compare as
 * the strings' UTF-16 code units do.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { LineWriter } from './spool-files.ts';

const READ_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const TAB = 0x09;
const COMMA = 0x2c;
const OPENING_BRACKET = 0x5b;
const DIGIT_ZERO = 0x30;

/** The lines of bytes [from, to) of a run (`from` a line's first byte); the current one is `bytes` [start, end), its key [start, tab). */
export class RunLineBytes {
  bytes = Buffer.allocUnsafe(READ_BYTES);
  /** The same bytes as words: keys are compared four bytes at a time. */
  words = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length);
  start = 0;
  tab = 0;
  end = 0;
  private following = 0;
  private filled = 0;
  private position: number;
  private readonly fd: number;

  constructor(
    readonly file: string,
    from: number,
    private readonly to: number,
  ) {
    this.position = from;
    this.fd = openSync(file, 'r');
  }

  /** Moves to the next line; false (and the file closed) at the end. */
  next(): boolean {
    let from = this.following;
    let newline = this.newlineFrom(from);
    while (newline < 0) {
      const kept = this.filled - from;
      this.keep(from);
      from = 0;
      const read = this.position < this.to ? readSync(this.fd, this.bytes, kept, Math.min(this.bytes.length - kept, this.to - this.position), this.position) : 0;
      this.position += read;
      this.filled = kept + read;
      if (read === 0) {
        if (kept === 0) {
          this.close();
          return false;
        }
        // A last line without its newline ends where the piece does.
        newline = this.filled;
      } else {
        newline = this.newlineFrom(kept);
      }
    }
    this.start = from;
    this.end = newline;
    this.following = newline + 1;
    // Buffer's indexOf (memchr) is several times faster over a key than a loop here.
    const tab = this.bytes.indexOf(TAB, from);
    this.tab = tab >= 0 && tab < newline ? tab : newline;
    return true;
  }

  close(): void {
    if (this.filled >= 0) closeSync(this.fd);
    this.filled = -1;
  }

  private newlineFrom(from: number): number {
    const at = from < this.filled ? this.bytes.indexOf(NEWLINE, from) : -1;
    // Bytes past `filled` are an earlier read's.
    return at < this.filled ? at : -1;
  }

  /** Bytes [from, filled) moved to the buffer's start, the buffer doubled when they fill it (a line longer than it). */
  private keep(from: number): void {
    const kept = this.filled - from;
    if (kept === this.bytes.length) {
      const larger = Buffer.allocUnsafe(this.bytes.length * 2);
      this.bytes.copy(larger, 0, from, this.filled);
      this.bytes = larger;
      this.words = new DataView(larger.buffer, larger.byteOffset, larger.length);
    } else if (kept > 0 && from > 0) {
      this.bytes.copy(this.bytes, 0, from, this.filled);
    }
  }
}

/**
 * Negative, zero or positive as the key of `a`'s line comes before, with, or after `b`'s. No key is
 * a proper prefix of another (each has its five fields, every one ended by U+0000), so keys equal
 * over the shorter one's bytes are equal.
 */
export function compareKeys(a: RunLineBytes, b: RunLineBytes): number {
  const aLength = a.tab - a.start;
  const bLength = b.tab - b.start;
  const length = Math.min(aLength, bLength);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const x = a.words.getUint32(a.start + i);
    const y = b.words.getUint32(b.start + i);
    if (x !== y) return x < y ? -1 : 1;
  }
  for (; i < length; i++) {
    const difference = a.bytes[a.start + i]! - b.bytes[b.start + i]!;
    if (difference !== 0) return difference;
  }
  return aLength - bLength;
}

/** Whether the key of `line` starts with bytes [0, length) of `prefix` (`prefixWords` its words). */
export function keyStartsWith(line: RunLineBytes, prefix: Uint8Array, prefixWords: DataView, length: number): boolean {
  if (line.tab - line.start < length) return false;
  const { bytes, words, start } = line;
  let i = 0;
  for (; i + 4 <= length; i += 4) if (words.getUint32(start + i) !== prefixWords.getUint32(i)) return false;
  for (; i < length; i++) if (bytes[start + i] !== prefix[i]) return false;
  return true;
}

/**
 * The current line and a newline, written with its resource index and evidence offset shifted by
 * the bases of another thread's spool: only their digits change. Until the fourteenth round a
 * JSON.parse and JSON.stringify of the whole line did it, a third of the merge; until the
 * twenty-sixth, slices of the line as a string. `["high",resource,[offset,bytes],...` or, evidence
 * written inline, `["high",resource,{"v":...`.
 */
export function writeLineRebased(writer: LineWriter, line: RunLineBytes, evidenceBase: number, resourceBase: number): void {
  const { bytes, start, end } = line;
  if (evidenceBase === 0 && resourceBase === 0) {
    writer.writeBytes(bytes, start, end);
    writer.writeNewline();
    return;
  }
  // A severity (SEVERITIES) is a word: the first comma after its opening quote ends it.
  let resource = line.tab + 2;
  while (bytes[resource] !== COMMA) resource++;
  resource++;
  const [resourceIndex, resourceEnd] = numberAt(bytes, resource);
  writer.writeBytes(bytes, start, resource);
  writer.writeDecimal(resourceIndex + resourceBase);
  const ref = resourceEnd + 1;
  if (bytes[ref] !== OPENING_BRACKET) {
    writer.writeBytes(bytes, resourceEnd, end);
  } else {
    const [offset, offsetEnd] = numberAt(bytes, ref + 1);
    writer.writeBytes(bytes, resourceEnd, ref + 1);
    writer.writeDecimal(offset + evidenceBase);
    writer.writeBytes(bytes, offsetEnd, end);
  }
  writer.writeNewline();
}

/** The decimal number at `from`, and the byte after its last digit. */
function numberAt(bytes: Uint8Array, from: number): [value: number, end: number] {
  let value = 0;
  let at = from;
  for (let digit = bytes[at]! - DIGIT_ZERO; digit >= 0 && digit <= 9; digit = bytes[++at]! - DIGIT_ZERO) value = value * 10 + digit;
  return [value, at];
}
