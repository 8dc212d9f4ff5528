/**
 * The verdict spool's resource table: each distinct resource written once, and named by its index
 * in a spool line (verdict-spool.ts). Every rule of a subject judges the same resource, so a line
 * that carried the resource's JSON had it parsed again for every verdict and every reading thread.
 *
 * The table is read into one block of memory outside the JavaScript heap, shared by the threads
 * that read the spool (a SharedArrayBuffer travels with the spool's handle), and a resource is
 * built from its bytes when a verdict is read. The fifteenth round kept one parsed object per
 * resource in each reading thread instead: ~38 MB of live objects at 100,000 accounts, which every
 * full collection of the report worker's capped heap (write-threads.ts) marked again; it ran twice
 * as many of them and the report phase took 2.5 s longer (docs/operations/scale-measurements.md).
 * Here: 1.94 MB of bytes at 10,000 accounts (13,401 resources), once for the process.
 *
 * A line of the table is either `keys<TAB>values`: the resource's member names joined by commas,
 * then its values joined by U+0000 (when every value is a string holding no U+0000, newline or
 * surrogate and every name is a plain identifier), or else the resource's JSON. Building from
 * the first form costs about half of JSON.parse of the same resource (~350 against ~690 ns, a
 * micro-benchmark of 150,000 resources; the UTF-8 decode was most of it). An all-ASCII table
 * (every table of the synthetic organizations) is decoded as Latin-1, and each shape is built by
 * an object literal of its own (shapeBuilder): a walk of the spool without evidence took 14.0 k
 * instructions per verdict before these two and the same for the spool's lines
 * (spool-files.ts), 12.2 k after (callgrind, test/bench/spool-walk.mjs, seventeenth round).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ResourceRef } from '../contracts/verdict.ts';
import { decodingOf, type LineWriter, type SpoolEncoding } from './spool-files.ts';

/**
 * The table as it is written: each distinct resource once, by its text (a merge of shard reports
 * parses a resource object per verdict), looked up once per object and run (every rule of a
 * subject hands on the subject's one resource object). The objects are known for one run only, as
 * the run's JSON of them was before the table: a WeakMap over the whole spool kept the judging
 * worker's resources through its scavenges (10,000 accounts, `-f md`: 4–5 full collections of
 * that worker instead of 3, 46–47 MB live after them instead of 30–36, evaluation peak RSS
 * 435–475 MB against 407–410). The texts are known for the whole spool, outside the heap
 * (WrittenTexts).
 */
export class ResourceTableWriter {
  private byObject = new Map<object, number>();
  private readonly texts = new WrittenTexts();

  constructor(private readonly writer: LineWriter) {}

  get file(): string {
    return this.writer.file;
  }

  get count(): number {
    return this.texts.count;
  }

  indexOf(resource: ResourceRef): number {
    let index = this.byObject.get(resource);
    if (index !== undefined) return index;
    // The table's line is the resource's identity as well as its JSON would be: a line of names and
    // values gives back one resource only (tableLine), and never starts with `{` as JSON does. Only a
    // resource that is not such a line is serialised (JSON.stringify of every resource object once
    // per run was most of this lookup's cost).
    const text = tableLine(resource) ?? JSON.stringify(resource);
    index = this.texts.indexOf(text);
    if (index === undefined) {
      index = this.texts.add(text);
      this.writer.writeLine(text);
    }
    this.byObject.set(resource, index);
    return index;
  }

  /** The run is written: its resource objects are looked up by text from now on. */
  endRun(): void {
    this.byObject = new Map();
  }

  /** Appends another spool's table (`count` lines); returns the index its first resource now has. */
  append(file: string, count: number): number {
    const base = this.count;
    this.writer.append(file);
    this.texts.skip(count);
    return base;
  }

  close(): void {
    this.writer.close();
  }
}

/**
 * The texts of the resources written, numbered in order, found again by a hash of the text and
 * compared whole: they are kept as UTF-8 in a buffer outside the heap rather than as the keys of a
 * Map, ~170 bytes per resource, ~28 MB of strings at 100,000 accounts (by proportion) that the
 * judging thread's heap held live until the spool was merged. The evaluation's peak RSS was 44 and
 * 50 MB above main's with them as keys, and still 32 and 48 MB above with them here (alternated
 * pairs, sixteenth round): the bytes are held either way (the buffer doubles as it grows).
 */
class WrittenTexts {
  private bytes = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  /** Where text i starts and ends in `bytes`; -1 for the lines of another spool's table, never looked up. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly byHash = new Map<number, number | number[]>();

  get count(): number {
    return this.starts.length;
  }

  indexOf(text: string): number | undefined {
    const found = this.byHash.get(hashOf(text));
    if (found === undefined) return undefined;
    if (typeof found === 'number') return this.holds(found, text) ? found : undefined;
    return found.find((index) => this.holds(index, text));
  }

  /** Numbers `text` (not found by indexOf) and keeps it. */
  add(text: string): number {
    const index = this.starts.length;
    const bytes = Buffer.byteLength(text);
    if (this.used + bytes > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + bytes));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.starts.push(this.used);
    this.used += this.bytes.write(text, this.used, 'utf8');
    this.ends.push(this.used);
    const hash = hashOf(text);
    const found = this.byHash.get(hash);
    this.byHash.set(hash, found === undefined ? index : typeof found === 'number' ? [found, index] : [...found, index]);
    return index;
  }

  /** Numbers `count` texts that are never looked up (another thread's table, appended). */
  skip(count: number): void {
    for (let i = 0; i < count; i++) {
      this.starts.push(-1);
      this.ends.push(-1);
    }
  }

  private holds(index: number, text: string): boolean {
    return this.bytes.toString('utf8', this.starts[index], this.ends[index]) === text;
  }
}

/** FNV-1a over the UTF-16 code units: a 32-bit hash, its collisions settled by comparing the texts. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;
// U+0000 separates values, a newline ends the line, and a surrogate (a lone one would not survive
// UTF-8; JSON escapes it) is left to JSON with the pairs, which no resource of a real scan holds.
const NOT_IN_A_VALUE = /[\u0000\n\ud800-\udfff]/;

/** `names<TAB>values` when every member is a plain name with a plain string value; else undefined (the line is the JSON). */
function tableLine(resource: ResourceRef): string | undefined {
  const names: string[] = [];
  const values: string[] = [];
  for (const [name, value] of Object.entries(resource)) {
    if (value === undefined) continue; // JSON.stringify leaves it out too
    if (typeof value !== 'string' || NOT_IN_A_VALUE.test(value) || !PLAIN_NAME.test(name) || name === '__proto__') return undefined;
    names.push(name);
    values.push(value);
  }
  return names.length === 0 ? undefined : `${names.join(',')}\t${values.join('\u0000')}`;
}

/**
 * A table read into memory, as plain data another thread can be handed (its buffers are shared,
 * not copied): the file's bytes, where each line's values start and end, and each line's member
 * names (an index into `shapes`, 0 for a line that is JSON).
 */
export interface SharedResourceTable {
  bytes: Uint8Array;
  valuesAt: Uint32Array;
  ends: Uint32Array;
  shapeOf: Uint16Array;
  /** The member names of each distinct shape; shapes[0] is empty (JSON lines). */
  shapes: string[][];
}

const NEWLINE = 0x0a;
const TAB = 0x09;
const OPENING_BRACE = 0x7b;

/** Reads a table file into shared memory: one pass over its lines, no resource is built. */
export function loadResourceTable(file: string): SharedResourceTable {
  const bytes = readShared(file);
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  const valuesAt = new Uint32Array(new SharedArrayBuffer(count * 4));
  const ends = new Uint32Array(new SharedArrayBuffer(count * 4));
  const shapeOf = new Uint16Array(new SharedArrayBuffer(count * 2));
  const shapes: string[][] = [[]];
  const shapeIndex = new Map<string, number>();
  const decoder = new TextDecoder();
  let start = 0;
  for (let line = 0; line < count; line++) {
    const end = bytes.indexOf(NEWLINE, start);
    ends[line] = end;
    valuesAt[line] = start;
    if (bytes[start] !== OPENING_BRACE) {
      const tab = bytes.indexOf(TAB, start);
      // Copied out of the shared memory first: TextDecoder refuses a view of it.
      const names = decoder.decode(bytes.slice(start, tab));
      let shape = shapeIndex.get(names);
      if (shape === undefined) {
        shape = shapes.length;
        if (shape > 0xffff) throw new Error(`${file}: more than 65,535 resource shapes`);
        shapes.push(names.split(','));
        shapeIndex.set(names, shape);
      }
      shapeOf[line] = shape;
      valuesAt[line] = tab + 1;
    }
    start = end + 1;
  }
  return { bytes, valuesAt, ends, shapeOf, shapes };
}

function readShared(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    // Offsets are kept as 32-bit numbers: ~165 bytes per resource, 4 GB is ~26 million resources.
    if (size >= 2 ** 32) throw new Error(`${file}: a resource table of ${size} bytes is more than 4 GB`);
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    for (let got = 0, n = 1; got < size && n > 0; got += n) n = readSync(fd, bytes, got, size - got, got);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** A table as a reading thread sees it: a fresh resource object per call, built from the bytes. */
export class ResourceTable {
  private readonly text: Buffer;
  /**
   * 'latin1' when every byte of the table is ASCII (then it decodes to the same text): a copy of
   * the bytes into a one-byte string, where 'utf8' goes through V8's UTF-8 decoder.
   */
  private readonly encoding: SpoolEncoding;
  /** Per shape, the function that builds a resource of that shape from its line's values. */
  private readonly builders: ((values: string) => ResourceRef)[];

  constructor(private readonly table: SharedResourceTable) {
    this.text = Buffer.from(table.bytes.buffer, table.bytes.byteOffset, table.bytes.byteLength);
    this.encoding = decodingOf(table.bytes);
    this.builders = table.shapes.map((names) => (names.length === 0 ? parsedResource : shapeBuilder(names)));
  }

  get size(): number {
    return this.table.ends.length;
  }

  at(index: number): ResourceRef {
    const { valuesAt, ends, shapeOf } = this.table;
    if (!(index < ends.length)) throw new Error(`verdict spool: no resource ${index} in its table`);
    return this.builders[shapeOf[index]!]!(this.text.toString(this.encoding, valuesAt[index], ends[index]));
  }
}

function parsedResource(text: string): ResourceRef {
  return JSON.parse(text) as ResourceRef;
}

/**
 * A function that builds a resource of these member names from its values joined by U+0000, as an
 * object literal: each shape's objects get one hidden class from one site, where storing members
 * by name one at a time (`resource[name] = value`, the names differing from shape to shape) went
 * through V8's megamorphic store cache for every member of every verdict read. The names are
 * plain identifiers other than `__proto__` (tableLine), and are written quoted all the same.
 */
function shapeBuilder(names: readonly string[]): (values: string) => ResourceRef {
  const last = names.length - 1;
  const lines: string[] = ['let at = 0;', 'let end = 0;'];
  for (let i = 0; i < last; i++) lines.push(`end = values.indexOf('\\u0000', at);`, `const v${i} = values.slice(at, end);`, 'at = end + 1;');
  lines.push(`const v${last} = values.slice(at);`);
  lines.push(`return { ${names.map((name, i) => `${JSON.stringify(name)}: v${i}`).join(', ')} };`);
  return new Function('values', lines.join('\n')) as (values: string) => ResourceRef;
}
