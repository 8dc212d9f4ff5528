/**
 * Synchronous line files for the verdict spool: report formatters are synchronous generators, so
 * a verdict list on disk must be walkable without awaiting. Writes are buffered and reads are
 * large, so a walk costs a few system calls per megabyte.
 */
import { isAscii } from 'node:buffer';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { RecentCache } from '../shared/recent-cache.ts';

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const DIGIT_ZERO = 0x30;
/** Bytes copied one by one rather than through a view of them (a rebased line's pieces between its digits: 2-8 bytes). */
const SHORT_COPY_BYTES = 32;
/** Digits of the largest safe integer. */
const MAX_DECIMAL_DIGITS = 16;

/** How the spool's bytes are decoded: see decodingOf. */
export type SpoolEncoding = 'latin1' | 'utf8';

/**
 * How to decode bytes read from a spool file into the same text as UTF-8: when all of them are
 * ASCII (one test of the whole block, over native code), as Latin-1, a copy into a one-byte string,
 * where UTF-8 goes through V8's decoder for every line (`Utf8DecoderBase`, 2.5 % of a walk's
 * instructions under callgrind, seventeenth round).
 */
export function decodingOf(bytes: Uint8Array): SpoolEncoding {
  return isAscii(bytes) ? 'latin1' : 'utf8';
}

/**
 * Appends text to a file through a buffer; `offset` is the number of bytes written so far. With
 * `at`, it writes into an existing file from that byte on, leaving the rest of the file as it is:
 * threads merging parts of one spool write their parts into one file (run-merge.ts).
 */
export class LineWriter {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  offset = 0;

  constructor(
    readonly file: string,
    private readonly at?: number,
  ) {
    this.fd = openSync(file, at === undefined ? 'w' : 'r+');
  }

  /** Writes `text` and returns its byte length. */
  write(text: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (text.length * 3 > this.buffer.length - this.used) this.flush();
    let bytes: number;
    if (text.length * 3 > this.buffer.length) {
      const data = Buffer.from(text, 'utf8');
      this.writeOut(data);
      bytes = data.length;
    } else {
      bytes = this.buffer.write(text, this.used, 'utf8');
      this.used += bytes;
    }
    this.offset += bytes;
    return bytes;
  }

  /**
   * Writes `text` and a newline; returns the text's byte length. The newline is a byte put after
   * it: `${text}\n` is a new string that the write copies whole once more to flatten it (a
   * kilobyte per piece of evidence).
   */
  writeLine(text: string): number {
    const bytes = this.write(text);
    this.writeNewline();
    return bytes;
  }

  writeNewline(): void {
    if (this.used === this.buffer.length) this.flush();
    this.buffer[this.used++] = NEWLINE;
    this.offset++;
  }

  /** Writes bytes [start, end) of `source`, copied as they are (the merge's lines, run-line-bytes.ts). */
  writeBytes(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length > this.buffer.length - this.used) this.flush();
    if (length > this.buffer.length) {
      this.writeOut(Buffer.from(source.buffer, source.byteOffset + start, length));
    } else if (length < SHORT_COPY_BYTES) {
      const { buffer, used } = this;
      for (let i = 0; i < length; i++) buffer[used + i] = source[start + i]!;
      this.used += length;
    } else {
      this.buffer.set(source.subarray(start, end), this.used);
      this.used += length;
    }
    this.offset += length;
  }

  /** Writes a non-negative integer's decimal digits. */
  writeDecimal(value: number): void {
    if (this.buffer.length - this.used < MAX_DECIMAL_DIGITS) this.flush();
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    for (let at = this.used + digits - 1, rest = value; at >= this.used; at--, rest = Math.floor(rest / 10)) this.buffer[at] = DIGIT_ZERO + (rest % 10);
    this.used += digits;
    this.offset += digits;
  }

  /** Copies the whole of `file` after what was written so far. */
  append(file: string): void {
    this.flush();
    const fd = openSync(file, 'r');
    try {
      for (let read = readSync(fd, this.buffer, 0, this.buffer.length, null); read > 0; read = readSync(fd, this.buffer, 0, this.buffer.length, null)) {
        this.writeOut(this.buffer.subarray(0, read));
        this.offset += read;
      }
    } finally {
      closeSync(fd);
    }
  }

  flush(): void {
    this.writeOut(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  /** `data`, which follows the `offset` bytes written before it. */
  private writeOut(data: Buffer): void {
    const position = this.at === undefined ? null : this.at + this.offset - this.used;
    for (let done = 0; done < data.length; ) done += writeSync(this.fd, data, done, data.length - done, position === null ? null : position + done);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}


/**
 * The file's lines (without their newline), read in large chunks, from byte `start` (a line's
 * first byte) up to byte `end`; the file is closed when the walk ends.
 */
export function* readLines(file: string, start = 0, end = Infinity): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let carried: Buffer[] = [];
    let position = start;
    const readNext = () => {
      const read = readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, end - position), position);
      position += read;
      return read;
    };
    for (let read = readNext(); read > 0; read = readNext()) {
      const encoding = decodingOf(chunk.subarray(0, read));
      let from = 0;
      for (let to = chunk.indexOf(NEWLINE, 0); to >= 0 && to < read; to = chunk.indexOf(NEWLINE, from)) {
        if (carried.length > 0) {
          carried.push(chunk.subarray(from, to));
          const text = Buffer.concat(carried).toString('utf8');
          carried = [];
          yield text;
        } else {
          yield chunk.toString(encoding, from, to);
        }
        from = to + 1;
      }
      // The chunk buffer is reused by the next read: what is carried over is copied.
      if (from < read) carried.push(Buffer.from(chunk.subarray(from, read)));
    }
    if (carried.length > 0) yield Buffer.concat(carried).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Bytes read at once by PieceReader, and how many such blocks it keeps per generation (two are kept). */
export const BLOCK_BYTES = 1 << 15;
const BLOCKS_PER_GENERATION = 64;

/**
 * Random access to pieces of a file written earlier (the spool's evidence). Pieces are read in
 * blocks, the recent ones kept: the pieces a walk asks for one after another were mostly written
 * one after another (each run's evidence in the order of its verdicts), so most are read from a
 * block already in memory instead of by a system call of their own.
 *
 * `more` are files read as if they were written at their byte of the first (a multiple of
 * BLOCK_BYTES past its end, so that no block spans two files): other threads' evidence, read where
 * it is instead of copied after this thread's (verdict-spool.ts).
 */
export class PieceReader {
  private readonly fds: (number | undefined)[] = [];
  private readonly files: (readonly [file: string, at: number])[];
  private readonly blocks = new RecentCache<number, { bytes: Buffer; encoding: SpoolEncoding }>(BLOCKS_PER_GENERATION);

  constructor(
    readonly file: string,
    more: readonly (readonly [file: string, at: number])[] = [],
  ) {
    this.files = [[file, 0], ...more];
  }

  read(offset: number, length: number): string {
    const index = Math.floor(offset / BLOCK_BYTES);
    const start = offset - index * BLOCK_BYTES;
    if (start + length > BLOCK_BYTES) return this.readAt(Buffer.allocUnsafe(length), offset, length).toString('utf8');
    const { bytes, encoding } = this.block(index);
    if (start + length > bytes.length) throw this.endsBefore(offset + length);
    return bytes.toString(encoding, start, start + length);
  }

  private block(index: number): { bytes: Buffer; encoding: SpoolEncoding } {
    return this.blocks.get(index, (i) => {
      const buffer = Buffer.allocUnsafe(BLOCK_BYTES);
      // The last block of the file is shorter.
      const bytes = buffer.subarray(0, this.readInto(buffer, i * BLOCK_BYTES, BLOCK_BYTES));
      return { bytes, encoding: decodingOf(bytes) };
    });
  }

  private readAt(buffer: Buffer, offset: number, length: number): Buffer {
    if (this.readInto(buffer, offset, length) < length) throw this.endsBefore(offset + length);
    return buffer;
  }

  /** Reads up to `length` bytes at `offset` into the start of `buffer`: fewer only where its file ends. */
  private readInto(buffer: Buffer, offset: number, length: number): number {
    let k = this.files.length - 1;
    while (k > 0 && this.files[k]![1] > offset) k--;
    const fd = (this.fds[k] ??= openSync(this.files[k]![0], 'r'));
    const from = offset - this.files[k]![1];
    let got = 0;
    for (let n = 1; got < length && n > 0; got += n) n = readSync(fd, buffer, got, length - got, from + got);
    return got;
  }

  private endsBefore(byte: number): Error {
    return new Error(`${this.file}: ends before byte ${byte}`);
  }

  close(): void {
    for (const fd of this.fds) if (fd !== undefined) closeSync(fd);
    this.fds.length = 0;
    this.blocks.clear();
  }
}
