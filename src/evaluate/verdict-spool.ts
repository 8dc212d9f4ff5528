/**
 * Verdicts on disk, in canonical order, so that memory stays flat in the number of accounts.
 *
 * Verdicts are added as they are decided. Up to RUN_VERDICTS are kept in memory; a scan that
 * decides no more than that gets a plain sorted array, as before. Beyond it, each full batch is
 * sorted and written as a run, and finish() merges the runs (an external merge sort) into one
 * file that every walk of the returned list reads again.
 *
 * Evidence is written once per object to a side file and referenced by offset: the verdict cache
 * hands the same evidence object to every account it reuses an outcome for, and a walk gets one
 * object back per reference while it is hot, so formatters that render shared evidence once (by
 * identity) still do.
 *
 * Resources are written once each too, to a table (resource-table.ts, read once into memory
 * shared by the reading threads): every rule of a subject judges the same resource, so a line
 * names it by its index instead of carrying its JSON, which each walk parsed again per verdict.
 *
 * A line is the verdict's sort key as text that compares as the verdicts do (sortKey), which also
 * carries its status and message, a tab, then the rest of the verdict as JSON (EncodedVerdict):
 * the merge compares keys as strings and copies lines whole, without parsing them. Each rule's
 * verdicts are one byte range of the merged file, named in the handle. The files are private to
 * this module (written and read by the same version), not a format.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compareVerdicts } from '../contracts/order.ts';
import { temporaryFolder } from '../shared/temporary-folder.ts';
import type { VerdictList } from '../contracts/result.ts';
import { type ResourceRef, SEVERITIES, type Severity, type Suppression, type Verdict, type VerdictStatus } from '../contracts/verdict.ts';
import type { HeapCeiling } from '../shared/full-collection.ts';
import { RecentCache } from '../shared/recent-cache.ts';
import { loadResourceTable, ResourceTable, ResourceTableWriter, type SharedResourceTable } from './resource-table.ts';
import { LineWriter, PieceReader, readLines } from './spool-files.ts';
import { type OutlineColumns, outlineCode, type OutlinePlace, outlineWalk, PlaceTable, type SpoolOutline, type VerdictOutline } from './verdict-outline.ts';

/** Verdicts held in memory before a run is written: about 20 MB. */
export const RUN_VERDICTS = 50_000;
/** Verdicts between two checkpoints of the merged file (SpoolHandle.checkpoints). */
const CHECKPOINT_VERDICTS = 1_024;
/**
 * How often the merge consults its heap ceiling, in lines. In some runs the merge promotes most of
 * what it reads to the old generation, which V8 lets grow to about four times what judging kept
 * live: at 100,000 accounts the main heap went from 250 to 1,025 MB in the merge's 4 s, and the
 * process peaked at 1,044-1,340 MB in 4 of 7 runs (docs/operations/scale-measurements.md, "The
 * final merge under the ceiling").
 */
const CEILING_LINES = 4_096;
/** Evidence objects a walk keeps parsed, by offset, per generation (two are kept): the shared ones stay, the one-offs pass. */
export const EVIDENCE_GENERATION = 2_048;

/** Where a finished spool is, for another thread to open (plain data). */
export interface SpoolHandle {
  verdictsFile: string;
  evidenceFile: string;
  /** The resource table: line i is resource i (resource-table.ts). */
  resourcesFile: string;
  /** That file read into memory that the threads reading the spool share. */
  resourceTable: SharedResourceTable;
  length: number;
  /** Each rule's verdicts as a byte range [start, end) of verdictsFile (they are contiguous in canonical order). */
  ruleRanges: [ruleId: string, start: number, end: number][];
  /** The byte offset of every CHECKPOINT_VERDICTS-th verdict's line (0, C, 2C, …): a walk may start near any verdict. */
  checkpoints: number[];
  /** What the formats count, per verdict, without reading the file (verdict-outline.ts). */
  outline: SpoolOutline;
}

/**
 * A spool ended without its merge (finishRuns): its sorted runs and its evidence, for the spool of
 * another thread to merge with its own runs in one pass (plain data; that spool removes the files).
 */
export interface SpoolRuns {
  runs: string[];
  evidenceFile: string;
  resourcesFile: string;
  /** Lines in resourcesFile. */
  resourceCount: number;
  length: number;
  /** Each run's outline, its places indexes into placeTable. */
  outlines: OutlineColumns[];
  placeTable: OutlinePlace[];
}

/**
 * [severity, resource, evidence, suppressed?]: resource is its index in the resource table, evidence
 * [offset, bytes] in the evidence file or an inline scalar. Rule, status and message are in the key.
 * The resource comes before the evidence so that a reader finds it without parsing inline evidence.
 */
type EncodedVerdict = [Severity, number, [number, number] | { v: unknown }, Suppression?];

export class VerdictSpool {
  private buffer: Verdict[] = [];
  private readonly runs: string[] = [];
  private readonly outlines: OutlineColumns[] = [];
  private readonly places = new PlaceTable();
  private dir: string | undefined;
  private evidence: LineWriter | undefined;
  private resources: ResourceTableWriter | undefined;
  private readonly written = new WeakMap<object, string>();
  private count = 0;

  /** @param parentDir the folder to spool in (its owner removes it); default: a temporary folder removed at exit. */
  constructor(
    private readonly parentDir?: string,
    private readonly runVerdicts = RUN_VERDICTS,
  ) {}

  add(verdict: Verdict): void {
    this.buffer.push(verdict);
    this.count++;
    if (this.buffer.length >= this.runVerdicts) this.writeRun();
  }

  /**
   * The verdicts in canonical order: an array when they fit in one batch, else a list on disk.
   * `others` (other threads' finishRuns) are merged in the same pass as this spool's own runs: their
   * evidence is appended to this spool's, so one external merge orders every thread's verdicts.
   */
  finish(others: readonly SpoolRuns[] = [], heapCeiling?: HeapCeiling): Verdict[] | SpooledVerdicts {
    if (this.runs.length === 0 && others.length === 0) return this.buffer.sort(compareVerdicts);
    if (this.buffer.length > 0) this.writeRun();
    const evidence = this.openFiles();
    const resources = this.resources!;
    const sources: RunSource[] = this.runs.map((file, i) => ({ file, evidenceBase: 0, resourceBase: 0, outline: this.outlines[i]! }));
    for (const other of others) {
      const evidenceBase = evidence.offset;
      evidence.append(other.evidenceFile);
      rmSync(other.evidenceFile, { force: true });
      const resourceBase = resources.append(other.resourcesFile, other.resourceCount);
      rmSync(other.resourcesFile, { force: true });
      other.runs.forEach((file, i) => {
        const { places, codes } = other.outlines[i]!;
        sources.push({ file, evidenceBase, resourceBase, outline: { places: this.places.adopt(other.placeTable, places), codes } });
      });
      this.count += other.length;
    }
    evidence.close();
    resources.close();
    const verdictsFile = join(this.dir!, 'verdicts.jsonl');
    const { ruleRanges, checkpoints, outline } = mergeRuns(sources, verdictsFile, this.count, heapCeiling);
    for (const { file } of sources) rmSync(file, { force: true });
    const resourceTable = loadResourceTable(resources.file);
    return openSpool({ verdictsFile, evidenceFile: evidence.file, resourcesFile: resources.file, resourceTable, length: this.count, ruleRanges, checkpoints, outline: { ...outline, placeTable: this.places.places } });
  }

  /** Ends the spool without merging its runs (an array when it wrote none), for another thread's finish(). */
  finishRuns(): Verdict[] | SpoolRuns {
    if (this.runs.length === 0) return this.buffer.sort(compareVerdicts);
    if (this.buffer.length > 0) this.writeRun();
    this.evidence!.close();
    this.resources!.close();
    return { runs: [...this.runs], evidenceFile: this.evidence!.file, resourcesFile: this.resources!.file, resourceCount: this.resources!.count, length: this.count, outlines: [...this.outlines], placeTable: this.places.places };
  }

  private openFiles(): LineWriter {
    if (!this.dir) {
      this.dir = this.parentDir ? mkdtempSync(join(this.parentDir, 'spool-')) : temporaryDir();
      this.evidence = new LineWriter(join(this.dir, 'evidence.jsonl'));
      this.resources = new ResourceTableWriter(new LineWriter(join(this.dir, 'resources.jsonl')));
    }
    return this.evidence!;
  }

  private writeRun(): void {
    this.openFiles();
    const run = new LineWriter(join(this.dir!, `run-${this.runs.length}.jsonl`));
    const outline: OutlineColumns = { places: new Uint32Array(this.buffer.length), codes: new Uint8Array(this.buffer.length) };
    this.buffer.sort(compareVerdicts).forEach((v, i) => {
      run.write(`${sortKey(v)}\t${this.encode(v)}\n`);
      outline.places[i] = this.places.indexOf(v.resource);
      outline.codes[i] = outlineCode(v);
    });
    run.close();
    this.resources!.endRun();
    this.runs.push(run.file);
    this.outlines.push(outline);
    this.buffer = [];
  }

  /** JSON.stringify of the EncodedVerdict. */
  private encode(v: Verdict): string {
    const suppressed = v.suppressed ? `,${JSON.stringify(v.suppressed)}` : '';
    return `[${JSON.stringify(v.severity)},${this.resources!.indexOf(v.resource)},${this.evidenceRef(v.evidence)}${suppressed}]`;
  }

  /**
   * The evidence's part of the EncodedVerdict as JSON; an object's reference is written once, and
   * its text kept with it, for the verdicts that share the object (the reused outcomes).
   */
  private evidenceRef(evidence: unknown): string {
    if (evidence === null || typeof evidence !== 'object') return JSON.stringify({ v: evidence ?? null });
    let ref = this.written.get(evidence);
    if (ref === undefined) {
      const offset = this.evidence!.offset;
      const bytes = this.evidence!.write(`${JSON.stringify(evidence)}\n`) - 1;
      this.written.set(evidence, (ref = `[${offset},${bytes}]`));
    }
    return ref;
  }
}

/**
 * The canonical order's keys (contracts/order.ts compareVerdicts) as one string that compares, as
 * a string, the way compareVerdicts compares the verdicts: each field in turn, by UTF-16 code
 * units, a field that is a prefix of another first. Each field ends with U+0000; code units that
 * would break the line or the text are escaped by a prefix code that keeps their order: those
 * below U+000C (U+0000, tab, newline) as U+0001 and one character, and U+D7FF and every surrogate
 * (a lone one would not survive UTF-8) as U+D7FF and one character between U+0FFF and U+17FF.
 */
export function sortKey(v: Verdict): string {
  return keyField(v.ruleId) + keyField(v.resource.id) + keyField(v.resource.type) + keyField(v.status) + keyField(v.message);
}

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
function ruleOfKey(key: string): string {
  return unescapeField(key.slice(0, key.indexOf('\u0000')));
}

function unescapeField(field: string): string {
  return field.indexOf('\u0001') < 0 && field.indexOf('\ud7ff') < 0 ? field : field.replace(ESCAPES, unescapeUnit);
}

const ESCAPES = /\u0001([\s\S])|\ud7ff([\s\S])/g;

function unescapeUnit(_: string, low: string | undefined, high: string | undefined): string {
  return low !== undefined ? String.fromCharCode(low.charCodeAt(0) - 0x20) : String.fromCharCode(high!.charCodeAt(0) - 0x0fff + 0xd7ff);
}

let temporaryRoot: string | undefined;

/**
 * One temporary folder per process (every thread's spools), removed however the process ends
 * (shared/temporary-folder.ts): hundreds of megabytes in a large organization.
 */
function temporaryDir(): string {
  temporaryRoot ??= temporaryFolder('trailproof-verdicts-');
  return mkdtempSync(join(temporaryRoot, 'spool-'));
}

/** A folder for spools that worker threads write and this thread reads; removed at exit. */
export function sharedSpoolDir(): string {
  return temporaryDir();
}

/** A sorted run, and where its spool's evidence and resources start in the merged evidence file and resource table. */
interface RunSource {
  file: string;
  evidenceBase: number;
  resourceBase: number;
  /** Its lines' outline, places as indexes of the merging spool's table. */
  outline: OutlineColumns;
}

interface RunCursor {
  key: string;
  /** The run's place in the order verdicts were added: equal keys come out in that order, as from a stable sort. */
  run: number;
  /** The whole line, key included. */
  line: string;
  /** The line's place in its run. */
  index: number;
  lines: Generator<string>;
  source: RunSource;
}

/**
 * k-way merge of sorted runs into one file of whole lines (key and encoded verdict), other spools'
 * evidence references shifted to the merged evidence file; returns where each rule's verdicts
 * are, the checkpoints, and the runs' outlines in the merged order.
 */
function mergeRuns(runs: RunSource[], out: string, length: number, heapCeiling?: HeapCeiling): Pick<SpoolHandle, 'ruleRanges' | 'checkpoints'> & { outline: Omit<SpoolOutline, 'placeTable'> } {
  const writer = new LineWriter(out);
  const ranges: SpoolHandle['ruleRanges'] = [];
  const checkpoints: number[] = [];
  const outline = { places: new Uint32Array(length), codes: new Uint8Array(length), ruleEnds: [] as number[] };
  let lines = 0;
  const heap: RunCursor[] = [];
  const advance = (lines: Generator<string>, run: number, source: RunSource, index: number): RunCursor | undefined => {
    const next = lines.next();
    if (next.done) return undefined;
    const tab = next.value.indexOf('\t');
    const line = source.evidenceBase === 0 && source.resourceBase === 0 ? next.value : withBasesAt(next.value, tab, source.evidenceBase, source.resourceBase);
    return { key: next.value.slice(0, tab), run, line, index, lines, source };
  };
  runs.forEach((source, run) => {
    const cursor = advance(readLines(source.file), run, source, 0);
    if (cursor) heapPush(heap, cursor);
  });
  let ruleKey: string | undefined;
  while (heap.length > 0) {
    const top = heap[0]!;
    // The rule's field of the key, with its terminator: a new one starts the next rule's range.
    if (ruleKey === undefined || !top.key.startsWith(ruleKey)) {
      const last = ranges[ranges.length - 1];
      if (last) {
        last[2] = writer.offset;
        outline.ruleEnds.push(lines);
      }
      ruleKey = top.key.slice(0, top.key.indexOf('\u0000') + 1);
      ranges.push([ruleOfKey(top.key), writer.offset, 0]);
    }
    if (lines % CHECKPOINT_VERDICTS === 0) checkpoints.push(writer.offset);
    // Not at the first line: judging's last accounts have just been collected, by V8 or the ceiling.
    if (lines % CEILING_LINES === CEILING_LINES - 1) heapCeiling?.check();
    outline.places[lines] = top.source.outline.places[top.index]!;
    outline.codes[lines] = top.source.outline.codes[top.index]!;
    lines++;
    writer.write(`${top.line}\n`);
    const next = advance(top.lines, top.run, top.source, top.index + 1);
    if (next) heapReplaceTop(heap, next);
    else heapPopTop(heap);
  }
  if (ranges.length > 0) {
    ranges[ranges.length - 1]![2] = writer.offset;
    outline.ruleEnds.push(lines);
  }
  writer.close();
  if (lines !== length) throw new Error(`verdict spool: merged ${lines} verdicts, expected ${length}`);
  return { ruleRanges: ranges, checkpoints, outline };
}

/**
 * A run line (key, tab, encoded verdict) of a spool whose evidence now starts `evidenceBase` bytes
 * into the merged evidence file and whose resources start at `resourceBase` in the merged table:
 * only the digits of the resource index and the evidence offset are rewritten, the text that
 * JSON.parse and JSON.stringify of the whole line gave. That round trip of every line of the other
 * threads' runs took a third of the merge: 10,000 accounts on two threads, `-f md`, 0.43-0.46 s of
 * CPU with it, 0.29-0.31 s without (one thread: 0.18-0.19 s; two alternated pairs, load 6-7; issue
 * 16, fourteenth round).
 */
function withBasesAt(line: string, tab: number, evidenceBase: number, resourceBase: number): string {
  // `["high",resource,[offset,bytes],...`: a severity (SEVERITIES) is a word, so the first comma ends it.
  const resource = line.indexOf(',', tab + 2) + 1;
  const resourceEnd = line.indexOf(',', resource);
  const head = `${line.slice(0, resource)}${Number(line.slice(resource, resourceEnd)) + resourceBase},`;
  const ref = resourceEnd + 1;
  if (line.charCodeAt(ref) !== OPENING_BRACKET) return `${head}${line.slice(ref)}`; // evidence written inline: {"v":...}
  const offsetEnd = line.indexOf(',', ref + 1);
  return `${head}[${Number(line.slice(ref + 1, offsetEnd)) + evidenceBase}${line.slice(offsetEnd)}`;
}

const OPENING_BRACKET = 0x5b;
const NOT_PARSED = Symbol('evidence not parsed');

const less = (a: RunCursor, b: RunCursor) => a.key < b.key || (a.key === b.key && a.run < b.run);

function heapPush(heap: RunCursor[], item: RunCursor): void {
  heap.push(item);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (!less(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function heapReplaceTop(heap: RunCursor[], item: RunCursor): void {
  heap[0] = item;
  siftDown(heap);
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

/** A finished spool as a verdict list: every walk reads the file again. */
export type SpooledVerdicts = VerdictList & {
  readonly spool: SpoolHandle;
  /** Only the verdicts of these rules, in canonical order, reading only their part of the file. */
  ofRules(ruleIds: ReadonlySet<string>): Iterable<Verdict>;
  /** The rules that have verdicts in the list, known without reading it. */
  ruleIds(): ReadonlySet<string>;
  /** A walk of the list from its `index`-th verdict on, which reads the file from the checkpoint before it. */
  from(index: number): Iterator<Verdict>;
  /** The verdicts' outlines in canonical order, read from memory (verdict-outline.ts): what counting walks need. */
  outlines(): Iterable<VerdictOutline>;
  /** JSON.stringify(evidence) of an evidence object this list read from its file, without serialising it; undefined for any other value. */
  evidenceText(evidence: unknown): string | undefined;
  /** Each distinct resource (type and id) once, as the first of its verdicts in canonical order holds it (distinctResources). */
  resources(): Iterable<ResourceRef>;
};

export function openSpool(handle: SpoolHandle): SpooledVerdicts {
  // Shared by every walk of the list: the JSON and SARIF walks parse a hot piece of evidence once.
  const reading: SpoolReading = { evidence: new EvidenceCache(new PieceReader(handle.evidenceFile)), resources: new ResourceTable(handle.resourceTable) };
  return {
    spool: handle,
    length: handle.length,
    [Symbol.iterator]: () => walk(handle, handle.ruleRanges, reading),
    ruleIds: () => new Set(handle.ruleRanges.map(([id]) => id)),
    ofRules: (ruleIds) => ({ [Symbol.iterator]: () => walk(handle, handle.ruleRanges.filter(([id]) => ruleIds.has(id)), reading) }),
    from: (index) => walkFrom(handle, index, reading),
    outlines: () => outlineWalk(handle.outline, handle.ruleRanges.map(([id]) => id)),
    evidenceText: (value) => reading.evidence.textOf(value),
    resources: () => distinctResources(handle, reading.resources),
  };
}

/** What the walks of one opened list share. */
interface SpoolReading {
  evidence: EvidenceCache;
  /** The resource table: a resource object is built for each verdict read, none is kept. */
  resources: ResourceTable;
}

/**
 * The list's resources, each once: a line's resource id and type are read from its sort key, and
 * only the resource of a line with a (type, id) not seen before is taken from the table; no verdict
 * is built and no evidence is read. OSCAL's inventory needs them before its observations: a walk
 * of the verdicts for it was 5.6 % of writing ASFF, OCSF and OSCAL at 10,000 accounts (786 ms of a
 * 13.9 s profile).
 */
function* distinctResources(handle: SpoolHandle, table: ResourceTable): Generator<ResourceRef> {
  const seen = new Set<string>();
  for (const [, start, end] of handle.ruleRanges) {
    for (const line of readLines(handle.verdictsFile, start, end)) {
      // The key's 2nd and 3rd fields, as escaped (sortKey): one string per resource.
      const from = line.indexOf('\u0000') + 1;
      const key = line.slice(from, line.indexOf('\u0000', line.indexOf('\u0000', from) + 1));
      if (seen.has(key)) continue;
      seen.add(key);
      // `["high",resource,...`: a severity is a word, so the first comma after the tab ends it.
      yield table.at(numberAt(line, line.indexOf(',', line.indexOf('\t') + 2) + 1));
    }
  }
}

/** The walk from the `index`-th verdict: from its checkpoint's byte on, the lines before it read but not parsed. */
function* walkFrom(handle: SpoolHandle, index: number, reading: SpoolReading): Generator<Verdict> {
  const checkpoint = Math.min(Math.floor(index / CHECKPOINT_VERDICTS), handle.checkpoints.length - 1);
  if (checkpoint < 0) return;
  const start = handle.checkpoints[checkpoint]!;
  // The rule ranges from the one that holds the checkpoint, that one cut to start there.
  const ranges = handle.ruleRanges.filter(([, , end]) => end > start).map(([id, from, end]): SpoolHandle['ruleRanges'][number] => [id, Math.max(from, start), end]);
  let skip = index - checkpoint * CHECKPOINT_VERDICTS;
  for (const verdict of walk(handle, ranges, reading, () => skip > 0 && skip-- > 0)) yield verdict;
}

/** `skipping`, while it says so, passes over lines without parsing them. */
function* walk(handle: SpoolHandle, ranges: SpoolHandle['ruleRanges'], reading: SpoolReading, skipping?: () => boolean): Generator<Verdict> {
  const resources = reading.resources;
  for (const [ruleId, start, end] of ranges) {
    for (const line of readLines(handle.verdictsFile, start, end)) {
      if (skipping?.()) continue;
      yield decodeLine(line, ruleId, resources, reading.evidence);
    }
  }
}

/**
 * The verdict of a line, its rule known from its range. The line is read in place rather than
 * parsed as JSON: its status and message are fields of the key, its severity one of five words, its
 * resource and evidence reference numbers; only a suppression or inline evidence is parsed
 * (JSON.parse of the whole encoded part was ~9,000 instructions per verdict, most of it the
 * resource's object, now built from the resource table's plain text: resource-table.ts).
 */
function decodeLine(line: string, ruleId: string, resources: ResourceTable, evidence: EvidenceCache): Verdict {
  // The key's five fields (sortKey) each end with U+0000, which no field holds (it is escaped), and
  // the tab follows the last: the status is the 4th field, the message the 5th. Found from the
  // start with indexOf, a builtin: lastIndexOf from the end goes through V8's runtime, and cost
  // 1.8 k instructions per verdict (8.6 % of a walk, callgrind; sixteenth round).
  const statusAt = line.indexOf('\u0000', line.indexOf('\u0000', line.indexOf('\u0000') + 1) + 1) + 1;
  const messageAt = line.indexOf('\u0000', statusAt) + 1;
  const tab = line.indexOf('\u0000', messageAt) + 1;
  const status = wordAt(STATUS_BY_INITIAL, line, statusAt, messageAt - 1) as VerdictStatus;
  const message = unescapeField(line.slice(messageAt, tab - 1));
  // `["high",resource,[offset,bytes]` and `]` or `,{suppression}]`; inline evidence `{"v":...}` instead of the brackets.
  const severityEnd = line.indexOf('"', tab + 3);
  const severity = wordAt(SEVERITY_BY_INITIAL, line, tab + 3, severityEnd) as Severity;
  const resourceAt = severityEnd + 2;
  const resource = resources.at(numberAt(line, resourceAt));
  const ref = digitsEnd(line, resourceAt) + 1;
  if (line.charCodeAt(ref) !== OPENING_BRACKET) {
    const [, , inline, suppressed] = JSON.parse(line.slice(tab + 1)) as EncodedVerdict;
    const verdict: Verdict = { ruleId, status, severity, message, evidence: (inline as { v: unknown }).v, resource };
    if (suppressed) verdict.suppressed = suppressed;
    return verdict;
  }
  const offset = numberAt(line, ref + 1);
  const lengthAt = digitsEnd(line, ref + 1) + 1;
  const length = numberAt(line, lengthAt);
  const suppression = digitsEnd(line, lengthAt) + 1;
  // Evidence another verdict has read already is given as a plain member: no accessor to define.
  const parsed = evidence.ifParsed(offset, length);
  const verdict: Verdict = parsed === NOT_PARSED ? withLazyEvidence(ruleId, status, severity, message, offset, length, resource, evidence) : { ruleId, status, severity, message, evidence: parsed, resource };
  if (line.charCodeAt(suppression) === COMMA) verdict.suppressed = JSON.parse(line.slice(suppression + 1, line.length - 1)) as Suppression;
  return verdict;
}

const COMMA = 0x2c;
const DIGIT_0 = 0x30;

/** The non-negative integer written at `from`. */
function numberAt(line: string, from: number): number {
  let value = 0;
  let at = from;
  for (let digit = line.charCodeAt(at) - DIGIT_0; digit >= 0 && digit <= 9; digit = line.charCodeAt(++at) - DIGIT_0) value = value * 10 + digit;
  if (at === from) throw new Error(`verdict spool: no number at ${from} of a line`);
  return value;
}

/** The first character after the digits that start at `from`. */
function digitsEnd(line: string, from: number): number {
  let at = from;
  while (line.charCodeAt(at) >= DIGIT_0 && line.charCodeAt(at) <= DIGIT_0 + 9) at++;
  return at;
}

/** Words that differ in their first letter, by that letter's code. */
function byInitial(words: readonly string[]): string[] {
  const table: string[] = [];
  for (const word of words) table[word.charCodeAt(0)] = word;
  return table;
}

const STATUS_BY_INITIAL = byInitial(['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE'] satisfies VerdictStatus[]);
const SEVERITY_BY_INITIAL = byInitial(SEVERITIES);

/** The word between `from` and `to`, one of `words` (the same string each time), or its text if it is none of them. */
function wordAt(words: readonly string[], line: string, from: number, to: number): string {
  const word = words[line.charCodeAt(from)];
  return word !== undefined && word.length === to - from && line.startsWith(word, from) ? word : line.slice(from, to);
}

/**
 * A verdict whose evidence is parsed when first read: most walks (counts, SARIF's filter on
 * status, the rule list) never look at it. The accessor is an own enumerable property in the
 * verdict's usual key order, so spreading, JSON.stringify and Object.keys see a plain verdict.
 * Its getter and setter are shared by every verdict (LAZY_EVIDENCE) and read the verdict's own
 * state from a hidden member: an accessor written in an object literal makes two closures per
 * verdict and gives each verdict its own hidden class, which cost every walk about three times
 * as much to make (measured on 150,000 verdicts) and every formatter's property reads.
 */
function withLazyEvidence(ruleId: string, status: VerdictStatus, severity: Severity, message: string, offset: number, length: number, resource: ResourceRef, evidence: EvidenceCache): Verdict {
  const verdict = { ruleId, status, severity, message } as Verdict;
  Object.defineProperty(verdict, 'evidence', LAZY_EVIDENCE);
  verdict.resource = resource;
  Object.defineProperty(verdict, LAZY, { value: { offset, length, cache: evidence, read: false, value: undefined } satisfies LazyState });
  return verdict;
}

const LAZY = Symbol('lazy evidence');

/**
 * Where a verdict read from a spool keeps its evidence, to read it again after the walk has moved
 * on (OSCAL's back-matter prints each distinct evidence once, after the observations, and keeps
 * these places instead of the texts); undefined for evidence written inline and for a verdict not
 * read from a spool. A separate function so that the walk itself is unchanged.
 */
export function spooledEvidencePlace(verdict: Verdict): SpooledEvidencePlace | undefined {
  const state = (verdict as Partial<LazyVerdict>)[LAZY];
  return state && { offset: state.offset, length: state.length, pieces: state.cache };
}

/**
 * Where a verdict read from a spool keeps evidence that nothing has read yet (its evidence member
 * neither read nor replaced); undefined for any other verdict. A format that needs only the
 * evidence's JSON text takes it from there (`pieces.text`) without parsing it: the text is
 * JSON.stringify of what parsing it gives (EvidenceCache). Parsing evidence the HTML report then
 * only turned back into that text was 5.8 % of writing it alone at 10,000 accounts (a CPU profile,
 * seventeenth round).
 */
export function unreadEvidencePlace(verdict: Verdict): SpooledEvidencePlace | undefined {
  const state = (verdict as Partial<LazyVerdict>)[LAZY];
  return state && !state.read ? { offset: state.offset, length: state.length, pieces: state.cache } : undefined;
}

/** A piece of a spool's evidence file: `pieces.get(offset, length)` parses it again, `pieces.text(offset, length)` reads its JSON text. */
export interface SpooledEvidencePlace {
  offset: number;
  length: number;
  /** The list's evidence file, shared by all its verdicts. */
  pieces: { get(offset: number, length: number): unknown; text(offset: number, length: number): string };
}

interface LazyState {
  offset: number;
  length: number;
  cache: EvidenceCache;
  read: boolean;
  value: unknown;
}

type LazyVerdict = Verdict & { [LAZY]: LazyState };

const LAZY_EVIDENCE: PropertyDescriptor = {
  get(this: LazyVerdict): unknown {
    const state = this[LAZY];
    if (!state.read) {
      state.value = state.cache.get(state.offset, state.length);
      state.read = true;
    }
    return state.value;
  },
  set(this: LazyVerdict, replaced: unknown) {
    const state = this[LAZY];
    state.value = replaced;
    state.read = true;
  },
  enumerable: true,
  configurable: true,
};

/**
 * Parsed evidence by offset, the recently used kept: the same object for every verdict that
 * shared it while it is hot. Formatters never modify evidence (canonical.ts), so sharing the
 * object is safe (two generations, RecentCache). The file stays open for
 * the list's lifetime (positional reads: walks may interleave, and a verdict kept after its walk
 * can still read its evidence).
 */
class EvidenceCache {
  private readonly parsed = new RecentCache<number, { value: unknown; text: string }>(EVIDENCE_GENERATION);
  /**
   * The text each recently read object was parsed from. The spool wrote JSON.stringify(evidence),
   * and JSON.stringify of what JSON.parse makes of its own text is that text again (key order,
   * number forms, escapes), so the formats that write evidence as compact JSON take it instead of
   * serialising the object again; they ask while the object is in use (lockstep.ts). Only the
   * recent ones, as `parsed`: a WeakMap kept every text read until a major collection (suspected,
   * not shown, of the report phase's higher peak: eleventh round, scale-measurements.md).
   */
  private readonly texts = new RecentCache<object, string>(EVIDENCE_GENERATION);

  constructor(private readonly reader: PieceReader) {}

  get(offset: number, length: number): unknown {
    const entry = this.parsed.get(offset, () => {
      const text = this.reader.read(offset, length);
      return { value: JSON.parse(text) as unknown, text };
    });
    const value = entry.value;
    if (value !== null && typeof value === 'object') this.texts.get(value, () => entry.text);
    return value;
  }

  /** As get() when the evidence at `offset` is parsed and kept; else NOT_PARSED (nothing is read). */
  ifParsed(offset: number, length: number): unknown {
    return this.parsed.has(offset) ? this.get(offset, length) : NOT_PARSED;
  }

  /** JSON.stringify of what get() gives, without parsing it (unless it is parsed already). */
  text(offset: number, length: number): string {
    return this.parsed.peek(offset)?.text ?? this.reader.read(offset, length);
  }

  textOf(value: unknown): string | undefined {
    return value !== null && typeof value === 'object' ? this.texts.peek(value) : undefined;
  }
}
