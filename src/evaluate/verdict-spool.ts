/**
 * Verdicts on disk, in canonical order, so that memory stays flat in the number of accounts.
 *
 * Verdicts are added as they are decided. Up to a run's worth (RUN_VERDICTS; every verdict when an
 * organization is judged on one thread below evaluate/parallel.ts TWO_THREADS_FROM accounts) are
 * kept in memory; a scan that decides no more than that gets a plain sorted array. Beyond it, each
 * full batch is sorted and written as a run, and finish() merges the runs (an external merge sort,
 * run-merge.ts; finishInParts: cut by key into parts that several threads merge at once) into one
 * file that every walk of the returned list reads again. A sorted array is written as such a file
 * at once (spoolSorted: no run, no merge) when report workers are to share it
 * (report/write-threads.ts).
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
 * verdicts are a byte range of the merged file, named in the handle. The files are private to
 * this module (written and read by the same version), not a format. A rule cut by a split key of a
 * merge in parts has a range in each part; the bytes between two parts are never read.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { compareVerdicts } from '../contracts/order.ts';
import { temporaryFolder } from '../shared/temporary-folder.ts';
import type { VerdictList } from '../contracts/result.ts';
import { type ResourceRef, SEVERITIES, type Severity, type Suppression, type Verdict, type VerdictStatus } from '../contracts/verdict.ts';
import type { HeapCeiling } from '../shared/full-collection.ts';
import { RecentCache } from '../shared/recent-cache.ts';
import { loadResourceTable, ResourceTable, ResourceTableWriter, type SharedResourceTable } from './resource-table.ts';
import { CHECKPOINT_VERDICTS, mergeHere, mergeParts, planParts, type MergedPart, type MergePart, type PartMerger, type RunSamples, type RunSource } from './run-merge.ts';
import { BLOCK_BYTES, LineWriter, PieceReader, readLines } from './spool-files.ts';
import { sortKey, unescapeField } from './spool-key.ts';
import { type OutlineColumns, outlineCode, type OutlinePlace, outlineWalk, PlaceTable, type SpoolOutline, type VerdictOutline } from './verdict-outline.ts';
import { emptyList } from '../shared/lists.ts';

/** Verdicts held in memory before a run is written: about 20 MB. */
export const RUN_VERDICTS = 50_000;
/**
 * Lines between two sampled keys of a run (RunSamples): where the merge's split keys are chosen and
 * a run is cut. Of a full run, one line in 1,024; of short runs (tests), 16 per run.
 */
function sampleEvery(runVerdicts: number): number {
  return Math.max(1, Math.min(1_024, Math.floor(runVerdicts / 16)));
}

/** Evidence objects a walk keeps parsed, by offset, per generation (two are kept): the shared ones stay, the one-offs pass. */
export const EVIDENCE_GENERATION = 2_048;

/** Where a finished spool is, for another thread to open (plain data). */
export interface SpoolHandle {
  verdictsFile: string;
  evidenceFile: string;
  /** Other threads' evidence files, each read as if written at its byte of evidenceFile (spool-files.ts PieceReader). */
  evidenceFromOthers: [file: string, at: number][];
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
  /** Each run's sampled keys. */
  samples: RunSamples[];
  placeTable: OutlinePlace[];
}

/**
 * [severity, resource, evidence, suppressed?]: resource is its index in the resource table, evidence
 * [offset, bytes] in the evidence file or an inline scalar. Rule, status and message are in the key.
 * The resource comes before the evidence so that a reader finds it without parsing inline evidence.
 */
type EncodedVerdict = [Severity, number, [number, number] | { v: unknown }, Suppression?];

export { sortKey } from './spool-key.ts';

export class VerdictSpool {
  /**
   * The verdicts added since the last run, held whole until it is written. Taken apart as they come
   * instead (a key string each, or each line's bytes outside the heap), the evaluation took more CPU
   * and ran more full collections: what a verdict points to (its message, evidence and resource)
   * mostly lives on anyway in the verdict cache and the subject (docs/operations/scale-measurements.md,
   * "Verdicts taken apart as they are spooled").
   */
  // A list of objects from the start (shared/lists.ts): each run's new buffer is not a second hidden class for add().
  private buffer = emptyList<Verdict>();
  private readonly runs: string[] = [];
  private readonly outlines: OutlineColumns[] = [];
  private readonly samples: RunSamples[] = [];
  private readonly places = new PlaceTable();
  private dir: string | undefined;
  private evidence: LineWriter | undefined;
  private resources: ResourceTableWriter | undefined;
  private readonly written = new WeakMap<object, string>();
  private count = 0;
  private mergedRuns: string[] = [];
  private evidenceFromOthers: [file: string, at: number][] = [];

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
    const { parts, resourcesFile } = this.mergeInParts(others, 1);
    return this.opened(parts, mergeHere(parts, heapCeiling), resourcesFile);
  }

  /**
   * As finish(), the merge cut into parts by key (run-merge.ts): this thread merges the first and
   * each of `elsewhere` (other threads) one of the others, all at once.
   */
  async finishInParts(others: readonly SpoolRuns[], elsewhere: readonly PartMerger[], heapCeiling?: HeapCeiling): Promise<Verdict[] | SpooledVerdicts> {
    if (this.runs.length === 0 && others.length === 0) return this.buffer.sort(compareVerdicts);
    const { parts, resourcesFile } = this.mergeInParts(others, elsewhere.length + 1);
    // The table is whole once the parts are planned: read while other threads may still merge theirs.
    let table: SharedResourceTable | undefined;
    const merged = await mergeParts(parts, elsewhere, heapCeiling, () => (table = loadResourceTable(resourcesFile)));
    return this.opened(parts, merged, resourcesFile, table);
  }

  /**
   * Writes the verdicts held as a run now, when the spool writes runs at all (one that wrote none
   * may still end as a list in memory): for a thread that has judged its share and waits for the
   * others', so that its last run is not written after they answer, on the way to the merge.
   */
  writePending(): void {
    if (this.runs.length > 0 && this.buffer.length > 0) this.writeRun();
  }

  /** Every run, this spool's and `others'`, cut into `count` parts of one merged file; their evidence and resources appended to this spool's. */
  private mergeInParts(others: readonly SpoolRuns[], count: number): { parts: MergePart[]; resourcesFile: string } {
    if (this.buffer.length > 0) this.writeRun();
    const evidence = this.openFiles();
    const resources = this.resources!;
    const sources: RunSource[] = this.runs.map((file, i) => ({ file, evidenceBase: 0, resourceBase: 0, outline: this.outlines[i]!, samples: this.samples[i]! }));
    this.evidenceFromOthers = [];
    let evidenceEnd = evidence.offset;
    for (const other of others) {
      // Read where it is, past a block boundary (PieceReader): a copy after this spool's was 0.7 s of
      // this thread's merge at 100,000 accounts, on a machine where writes to the page cache are slow.
      const evidenceBase = Math.ceil(evidenceEnd / BLOCK_BYTES) * BLOCK_BYTES;
      this.evidenceFromOthers.push([other.evidenceFile, evidenceBase]);
      evidenceEnd = evidenceBase + statSync(other.evidenceFile).size;
      const resourceBase = resources.append(other.resourcesFile, other.resourceCount);
      rmSync(other.resourcesFile, { force: true });
      other.runs.forEach((file, i) => {
        const { places, codes } = other.outlines[i]!;
        sources.push({ file, evidenceBase, resourceBase, outline: { places: this.places.adopt(other.placeTable, places), codes }, samples: other.samples[i]! });
      });
      this.count += other.length;
    }
    evidence.close();
    resources.close();
    const verdictsFile = join(this.dir!, 'verdicts.jsonl');
    writeFileSync(verdictsFile, '');
    this.mergedRuns = sources.map((s) => s.file);
    return { parts: planParts(sources, count, verdictsFile), resourcesFile: resources.file };
  }

  /** The merged file as a list, the runs removed. */
  private opened(parts: readonly MergePart[], merged: MergedPart, resourcesFile: string, loaded?: SharedResourceTable): SpooledVerdicts {
    // Removed off this thread: unlinking a gigabyte of runs held 0.4 s of the way to the reports at 100,000 accounts.
    for (const file of this.mergedRuns) void rm(file, { force: true }).catch(() => undefined);
    const { ruleRanges, checkpoints, places, codes, ruleEnds } = merged;
    const verdictsFile = parts[0]!.out;
    if (places.length !== this.count) throw new Error(`verdict spool: merged ${places.length} verdicts, expected ${this.count}`);
    const resourceTable = loaded ?? loadResourceTable(resourcesFile);
    return openSpool({ verdictsFile, evidenceFile: this.evidence!.file, evidenceFromOthers: this.evidenceFromOthers, resourcesFile, resourceTable, length: this.count, ruleRanges, checkpoints, outline: { places, codes, ruleEnds, placeTable: this.places.places } });
  }

  /** Ends the spool without merging its runs (an array when it wrote none), for another thread's finish(). */
  finishRuns(): Verdict[] | SpoolRuns {
    if (this.runs.length === 0) return this.buffer.sort(compareVerdicts);
    if (this.buffer.length > 0) this.writeRun();
    this.evidence!.close();
    this.resources!.close();
    return { runs: [...this.runs], evidenceFile: this.evidence!.file, resourcesFile: this.resources!.file, resourceCount: this.resources!.count, length: this.count, outlines: [...this.outlines], samples: [...this.samples], placeTable: this.places.places };
  }

  private openFiles(): LineWriter {
    if (!this.dir) {
      this.dir = this.parentDir ? mkdtempSync(join(this.parentDir, 'spool-')) : temporaryDir();
      this.evidence = new LineWriter(join(this.dir, 'evidence.jsonl'));
      this.resources = new ResourceTableWriter(new LineWriter(join(this.dir, 'resources.jsonl')));
    }
    return this.evidence!;
  }

  /**
   * `sorted` (in canonical order) written once as a finished spool's merged file: the lines, rule
   * ranges, checkpoints and outline a merge of a single run gives, without the run or the merge.
   */
  writeSorted(sorted: readonly Verdict[]): SpoolHandle {
    const evidence = this.openFiles();
    const resources = this.resources!;
    const merged = new LineWriter(join(this.dir!, 'verdicts.jsonl'));
    const outline: OutlineColumns = { places: new Uint32Array(sorted.length), codes: new Uint8Array(sorted.length) };
    const ruleRanges: SpoolHandle['ruleRanges'] = [];
    const ruleEnds: number[] = [];
    const checkpoints: number[] = [];
    this.writeLines(merged, sorted, outline, (v, i) => {
      const last = ruleRanges[ruleRanges.length - 1];
      if (last?.[0] !== v.ruleId) {
        if (last) {
          last[2] = merged.offset;
          ruleEnds.push(i);
        }
        ruleRanges.push([v.ruleId, merged.offset, 0]);
      }
      if (i % CHECKPOINT_VERDICTS === 0) checkpoints.push(merged.offset);
    });
    if (ruleRanges.length > 0) {
      ruleRanges[ruleRanges.length - 1]![2] = merged.offset;
      ruleEnds.push(sorted.length);
    }
    merged.close();
    evidence.close();
    resources.close();
    this.count = sorted.length;
    const resourceTable = loadResourceTable(resources.file);
    return { verdictsFile: merged.file, evidenceFile: evidence.file, evidenceFromOthers: [], resourcesFile: resources.file, resourceTable, length: sorted.length, ruleRanges, checkpoints, outline: { ...outline, ruleEnds, placeTable: this.places.places } };
  }

  private writeRun(): void {
    this.openFiles();
    const run = new LineWriter(join(this.dir!, `run-${this.runs.length}.jsonl`));
    const outline: OutlineColumns = { places: new Uint32Array(this.buffer.length), codes: new Uint8Array(this.buffer.length) };
    const samples: RunSamples = { every: sampleEvery(this.runVerdicts), keys: [], offsets: [] };
    this.writeLines(run, this.buffer.sort(compareVerdicts), outline, (_, i, key) => {
      if (i % samples.every === 0) {
        samples.keys.push(key);
        samples.offsets.push(run.offset);
      }
    });
    run.close();
    this.resources!.endRun();
    this.runs.push(run.file);
    this.outlines.push(outline);
    this.samples.push(samples);
    this.buffer = emptyList();
  }

  /** A line per verdict of `sorted` (its key, a tab, its encoding), its outline in `outline`; `before` is told of each line before it is written. */
  private writeLines(writer: LineWriter, sorted: readonly Verdict[], outline: OutlineColumns, before: (v: Verdict, i: number, key: string) => void): void {
    sorted.forEach((v, i) => {
      const key = sortKey(v);
      before(v, i, key);
      writer.writeLine(`${key}\t${this.encode(v)}`);
      outline.places[i] = this.places.indexOf(v.resource);
      outline.codes[i] = outlineCode(v);
    });
  }

  /** JSON.stringify of the EncodedVerdict. */
  private encode(v: Verdict): string {
    const suppressed = v.suppressed ? `,${JSON.stringify(v.suppressed)}` : '';
    return `[${SEVERITY_JSON.get(v.severity) ?? JSON.stringify(v.severity)},${this.resources!.indexOf(v.resource)},${this.evidenceRef(v.evidence)}${suppressed}]`;
  }

  /**
   * The evidence's part of the EncodedVerdict as JSON; an object's reference is written once, and
   * its text kept with it, for the verdicts that share the object (the reused outcomes).
   */
  private evidenceRef(evidence: unknown): string {
    if (evidence === null || evidence === undefined) return NO_EVIDENCE;
    if (typeof evidence !== 'object') return JSON.stringify({ v: evidence });
    let ref = this.written.get(evidence);
    if (ref === undefined) {
      const offset = this.evidence!.offset;
      const bytes = this.evidence!.writeLine(JSON.stringify(evidence));
      this.written.set(evidence, (ref = `[${offset},${bytes}]`));
    }
    return ref;
  }
}

/**
 * The severities' JSON and absent evidence's, written for most verdicts: JSON.stringify is a call
 * into V8's runtime, even for a word.
 */
const SEVERITY_JSON = new Map<string, string>(SEVERITIES.map((severity) => [severity, JSON.stringify(severity)]));
const NO_EVIDENCE = JSON.stringify({ v: null });

let temporaryRoot: string | undefined;

/**
 * One temporary folder per process (every thread's spools), removed however the process ends
 * (shared/temporary-folder.ts): hundreds of megabytes in a large organization.
 */
function temporaryDir(): string {
  temporaryRoot ??= temporaryFolder('trailproof-verdicts-');
  return mkdtempSync(join(temporaryRoot, 'spool-'));
}

/**
 * A list in canonical order (an evaluation's list kept in memory) as a finished spool that a report
 * worker can open, written once in this process's temporary folder (removed at exit).
 */
export function spoolSorted(sorted: readonly Verdict[]): SpoolHandle {
  return new VerdictSpool().writeSorted(sorted);
}

/** A folder for spools that worker threads write and this thread reads; removed at exit. */
export function sharedSpoolDir(): string {
  return temporaryDir();
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
  const reading: SpoolReading = { evidence: new EvidenceCache(new PieceReader(handle.evidenceFile, handle.evidenceFromOthers)), resources: new ResourceTable(handle.resourceTable) };
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
const OPENING_BRACKET = 0x5b;
const NOT_PARSED = Symbol('evidence not parsed');
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
