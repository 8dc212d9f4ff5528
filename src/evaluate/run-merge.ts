/**
 * The external merge of a verdict spool's sorted runs (verdict-spool.ts), in parts that threads
 * merge at once. The runs are sorted by key (spool-key.ts), so split keys cut every run into
 * consecutive pieces: part p is every line whose key is in [key p, key p+1), and the parts follow
 * each other in the merged order. Each part is written into the one merged file at a byte of its
 * own, computed before any is merged: the sum of the earlier parts' bytes as an upper bound (a line
 * from another thread's spool grows by the digits its evidence and resource bases add). The bytes
 * between the end of one part and the start of the next are never written nor read: every walk of
 * the merged file goes by its rule ranges (a rule cut by a split key has one range in each part).
 *
 * Until the eighteenth round (issue 16) this thread merged every line alone, the worker that judged
 * beside it idle: 4.4 s at 100,000 accounts, 0.3 s at 10,000 (docs/operations/scale-measurements.md,
 * "The evaluation's end on both threads").
 */
import { statSync } from 'node:fs';
import type { HeapCeiling } from '../shared/full-collection.ts';
import { compareKeys, keyStartsWith, RunLineBytes, writeLineRebased } from './run-line-bytes.ts';
import { LineWriter, readLines } from './spool-files.ts';
import { ruleOfKey } from './spool-key.ts';
import type { OutlineColumns } from './verdict-outline.ts';

/** Verdicts between two checkpoints of the merged file (SpoolHandle.checkpoints). */
export const CHECKPOINT_VERDICTS = 1_024;
/**
 * How often the merge consults its heap ceiling, in lines. In some runs the merge promotes most of
 * what it reads to the old generation, which V8 lets grow to about four times what judging kept
 * live: at 100,000 accounts the main heap went from 250 to 1,025 MB in the merge's 4 s, and the
 * process peaked at 1,044-1,340 MB in 4 of 7 runs (docs/operations/scale-measurements.md, "The
 * final merge under the ceiling").
 */
const CEILING_LINES = 4_096;

/** Every `every`-th line's key of a run and the byte it starts at, written with the run: where split keys cut it. */
export interface RunSamples {
  every: number;
  keys: string[];
  offsets: number[];
}

/** A sorted run, and where its spool's evidence and resources start in the merged evidence file and resource table. */
export interface RunSource {
  file: string;
  evidenceBase: number;
  resourceBase: number;
  /** Its lines' outline, places as indexes of the merging spool's table. */
  outline: OutlineColumns;
  samples: RunSamples;
}

/** The piece of a run that falls in one part: bytes [start, end), its lines' outline. */
interface RunPiece {
  file: string;
  start: number;
  end: number;
  evidenceBase: number;
  resourceBase: number;
  outline: OutlineColumns;
}

/** One part of the merge (plain data: a worker thread may merge it). */
export interface MergePart {
  /** The merged file, which exists; the part is written from byte `outStart` on. */
  out: string;
  outStart: number;
  /** The merged order's index of the part's first line, and its number of lines. */
  firstLine: number;
  length: number;
  /** One piece per run, in the runs' order (equal keys come out in that order). */
  pieces: RunPiece[];
}

/** What a merged part gives the merged spool (plain data), byte offsets and line indexes those of the whole merged file. */
export interface MergedPart {
  ruleRanges: [ruleId: string, start: number, end: number][];
  checkpoints: number[];
  places: Uint32Array;
  codes: Uint8Array;
  ruleEnds: number[];
}

/** Merges a part elsewhere (another thread); undefined when it could not (its thread ran out of memory), for the caller to merge it. */
export type PartMerger = (part: MergePart) => Promise<MergedPart | undefined>;

/**
 * The runs of `sources` cut into `count` parts of about equal numbers of lines (fewer when the runs
 * hold fewer distinct sampled keys), to be merged into `out`.
 */
export function planParts(sources: readonly RunSource[], count: number, out: string): MergePart[] {
  const splits = splitKeys(sources, count);
  // cuts[r][p]: where part p starts in run r, as a line index and a byte; its last entry, the run's end.
  const cuts = sources.map((source) => [{ line: 0, byte: 0 }, ...splits.map((key) => firstLineFrom(source, key)), { line: source.outline.codes.length, byte: statSync(source.file).size }]);
  const parts: MergePart[] = [];
  let firstLine = 0;
  let outStart = 0;
  for (let p = 0; p <= splits.length; p++) {
    let length = 0;
    let bytes = 0;
    const pieces = sources.map((source, r): RunPiece => {
      const from = cuts[r]![p]!;
      const to = cuts[r]![p + 1]!;
      const lines = to.line - from.line;
      length += lines;
      bytes += to.byte - from.byte + lines * growthPerLine(source);
      const { places, codes } = source.outline;
      return { file: source.file, start: from.byte, end: to.byte, evidenceBase: source.evidenceBase, resourceBase: source.resourceBase, outline: { places: places.slice(from.line, to.line), codes: codes.slice(from.line, to.line) } };
    });
    parts.push({ out, outStart, firstLine, length, pieces });
    firstLine += length;
    outStart += bytes;
  }
  return parts;
}

/** The most bytes a line of `source` grows by when its bases are added (digits(a + b) <= digits(a) + digits(b)). */
function growthPerLine(source: RunSource): number {
  const digits = (n: number) => (n === 0 ? 0 : String(n).length);
  return digits(source.evidenceBase) + digits(source.resourceBase);
}

/** Up to count - 1 increasing keys that cut the sampled lines of every run into about equal shares. */
function splitKeys(sources: readonly RunSource[], count: number): string[] {
  const sampled: { key: string; lines: number }[] = [];
  for (const { samples, outline } of sources) {
    samples.keys.forEach((key, i) => sampled.push({ key, lines: Math.min(samples.every, outline.codes.length - i * samples.every) }));
  }
  sampled.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const total = sampled.reduce((sum, s) => sum + s.lines, 0);
  const keys: string[] = [];
  let before = 0;
  let p = 1;
  for (const { key, lines } of sampled) {
    if (p >= count) break;
    if (before >= (total * p) / count) {
      if (keys.length === 0 || key > keys[keys.length - 1]!) keys.push(key);
      p++;
    }
    before += lines;
  }
  return keys;
}

/** The first line of `source` whose key is `key` or after it: from the last sample before it, lines read until one is. */
function firstLineFrom(source: RunSource, key: string): { line: number; byte: number } {
  const { every, keys, offsets } = source.samples;
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (keys[mid]! < key) low = mid + 1;
    else high = mid;
  }
  if (low === 0) return { line: 0, byte: 0 };
  let line = (low - 1) * every;
  let byte = offsets[low - 1]!;
  for (const text of readLines(source.file, byte)) {
    if (text.slice(0, text.indexOf('\t')) >= key) break;
    line++;
    byte += Buffer.byteLength(text) + 1;
  }
  return { line, byte };
}

/** A piece's lines, and where the current one is among them. */
interface RunCursor {
  lines: RunLineBytes;
  /** The run's place in the order verdicts were added: equal keys come out in that order, as from a stable sort. */
  run: number;
  /** The current line's place in its piece. */
  index: number;
  piece: RunPiece;
}

/**
 * k-way merge of a part's pieces of the sorted runs into the merged file, at the part's byte, of
 * whole lines (key and encoded verdict), other spools' evidence references shifted to the merged
 * evidence file; returns where each rule's verdicts are, the checkpoints, and the pieces' outlines
 * in the merged order.
 */
export function mergePart(part: MergePart, heapCeiling?: HeapCeiling): MergedPart {
  const writer = new LineWriter(part.out, part.outStart);
  const at = () => part.outStart + writer.offset;
  const ranges: MergedPart['ruleRanges'] = [];
  const checkpoints: number[] = [];
  const places = new Uint32Array(part.length);
  const codes = new Uint8Array(part.length);
  const ruleEnds: number[] = [];
  let lines = 0;
  const heap: RunCursor[] = [];
  const cursors = part.pieces.flatMap((piece, run) => (piece.end > piece.start ? [{ lines: new RunLineBytes(piece.file, piece.start, piece.end), run, index: 0, piece }] : []));
  try {
    for (const cursor of cursors) if (cursor.lines.next()) heapPush(heap, cursor);
    // The rule's field of the current rule's keys, with its terminator: a key without it starts the next rule's range.
    let ruleField = Buffer.alloc(0);
    let ruleWords = new DataView(ruleField.buffer);
    let ruleFieldLength = -1;
    while (heap.length > 0) {
      const top = heap[0]!;
      const line = top.lines;
      if (ruleFieldLength < 0 || !keyStartsWith(line, ruleField, ruleWords, ruleFieldLength)) {
        const last = ranges[ranges.length - 1];
        if (last) {
          last[2] = at();
          ruleEnds.push(part.firstLine + lines);
        }
        ruleFieldLength = line.bytes.indexOf(0, line.start) + 1 - line.start;
        ruleField = Buffer.from(line.bytes.subarray(line.start, line.start + ruleFieldLength));
        ruleWords = new DataView(ruleField.buffer, ruleField.byteOffset, ruleField.length);
        ranges.push([ruleOfKey(ruleField.toString('utf8')), at(), 0]);
      }
      if ((part.firstLine + lines) % CHECKPOINT_VERDICTS === 0) checkpoints.push(at());
      // Not at the first line: judging's last accounts have just been collected, by V8 or the ceiling.
      if (lines % CEILING_LINES === CEILING_LINES - 1) heapCeiling?.check();
      places[lines] = top.piece.outline.places[top.index]!;
      codes[lines] = top.piece.outline.codes[top.index]!;
      lines++;
      writeLineRebased(writer, line, top.piece.evidenceBase, top.piece.resourceBase);
      top.index++;
      if (line.next()) siftDown(heap);
      else heapPopTop(heap);
    }
  } finally {
    for (const cursor of cursors) cursor.lines.close();
  }
  if (ranges.length > 0) {
    ranges[ranges.length - 1]![2] = at();
    ruleEnds.push(part.firstLine + lines);
  }
  writer.close();
  if (lines !== part.length) throw new Error(`verdict spool: merged ${lines} verdicts of a part, expected ${part.length}`);
  return { ruleRanges: ranges, checkpoints, places, codes, ruleEnds };
}

/**
 * The merged parts as one: their rule ranges, checkpoints and outlines in the merged order. A part
 * merged elsewhere that could not be is merged here. `meanwhile` runs once this thread has merged
 * its own part, before it waits for the others'.
 */
export async function mergeParts(parts: readonly MergePart[], elsewhere: readonly PartMerger[], heapCeiling?: HeapCeiling, meanwhile?: () => void): Promise<MergedPart> {
  // Posted before this thread merges its own part, so that the parts are merged at once.
  const others = parts.slice(1).map((part, k) => (part.length > 0 && elsewhere[k] ? elsewhere[k](part) : Promise.resolve(undefined)));
  // Awaited in order below: one that fails while an earlier one is awaited must not go unhandled.
  for (const other of others) other.catch(() => undefined);
  const merged = [mergePart(parts[0]!, heapCeiling)];
  meanwhile?.();
  for (const [k, other] of others.entries()) merged.push((await other) ?? mergePart(parts[k + 1]!, heapCeiling));
  return joined(parts, merged);
}

/** Every part merged on this thread, one after the other. */
export function mergeHere(parts: readonly MergePart[], heapCeiling?: HeapCeiling): MergedPart {
  return joined(parts, parts.map((part) => mergePart(part, heapCeiling)));
}

function joined(parts: readonly MergePart[], merged: readonly MergedPart[]): MergedPart {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const places = new Uint32Array(length);
  const codes = new Uint8Array(length);
  merged.forEach((m, k) => {
    places.set(m.places, parts[k]!.firstLine);
    codes.set(m.codes, parts[k]!.firstLine);
  });
  return { ruleRanges: merged.flatMap((m) => m.ruleRanges), checkpoints: merged.flatMap((m) => m.checkpoints), places, codes, ruleEnds: merged.flatMap((m) => m.ruleEnds) };
}

const less = (a: RunCursor, b: RunCursor) => {
  const order = compareKeys(a.lines, b.lines);
  return order < 0 || (order === 0 && a.run < b.run);
};

function heapPush(heap: RunCursor[], item: RunCursor): void {
  heap.push(item);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (!less(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function heapPopTop(heap: RunCursor[]): void {
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    siftDown(heap);
  }
}

function siftDown(heap: RunCursor[]): void {
  for (let i = 0; ; ) {
    const left = 2 * i + 1;
    const right = left + 1;
    let smallest = i;
    if (left < heap.length && less(heap[left]!, heap[smallest]!)) smallest = left;
    if (right < heap.length && less(heap[right]!, heap[smallest]!)) smallest = right;
    if (smallest === i) return;
    [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
    i = smallest;
  }
}

