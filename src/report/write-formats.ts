/**
 * Writes a group of report formats on this thread, together (lockstep.ts). Each file is written to
 * a temporary name beside it and renamed into place, so a reader (CI upload, a watcher) never sees
 * half a report and an interrupted run leaves the previous report intact. Formats are independent:
 * one failing never loses the others. write.ts decides which thread writes which formats.
 */
import { rename, rm } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import type { ScanResult } from '../contracts/result.ts';
import type { HeapCeiling } from '../shared/full-collection.ts';
import { formatterFiles } from './registry.ts';
import { EvidenceTexts } from './evidence-texts.ts';
import { Lockstep, type WalkProgress, WINDOW_VERDICTS } from './lockstep.ts';
import type { Formatter, RenderOptions, ReportFile } from './types.ts';
import { cannotWrite, type Pending, TempFile, tempName, WriteBuffers } from './write-behind.ts';

export interface WrittenReport {
  format: string;
  file: string;
  bytes: number;
}

/** How formats in step are paced over a list: see IN_MEMORY_PACE and SPOOLED_PACE. */
export interface Pace {
  /**
   * Formats take turns: each turn pulls chunks from one format until its walk of the verdicts has
   * read this many more than the turn before (see lockstep.ts). Well under the verdicts the shared
   * read keeps (`window`), so every format gets the same verdict and evidence objects.
   */
  turn: number;
  /** The verdicts the shared read keeps for the walks that follow the front one (lockstep.ts). */
  window: number;
  /**
   * How far past a turn's target the shared read may go: a format left at the previous target
   * must still find its next verdicts among those the read keeps.
   */
  readAhead: number;
}

function pace(turn: number, window: number): Pace {
  return { turn, window, readAhead: window - 2 * turn };
}

/** A list in memory: the window holds verdicts that live anyway, so it may be wide (lockstep.ts). */
const IN_MEMORY_PACE = pace(512, WINDOW_VERDICTS);
/**
 * A spooled list: every verdict the shared read keeps is an object made from its line, young, and
 * a window of 2,048 kept each one alive across V8's next scavenge, which copied it and then
 * promoted it with its message and resource to the old generation (a scavenge comes every ~2,000
 * verdicts of JSON + SARIF). With 512 (turns of 128) most die young: JSON + SARIF on one thread
 * promoted 30-37 MB in two rounds at 34,226 accounts instead of 954 MB, the CLI's report worker
 * 40 MB instead of 471 MB, for ~10 % more verdicts read by walks on their own (SARIF running ahead
 * over passing verdicts) (issue 16, thirtieth round, docs/operations/scale-measurements.md).
 */
const SPOOLED_PACE = pace(128, 512);

/**
 * The pace of formats in step over a spooled list: SPOOLED_PACE, its window widened by the
 * largest page a format of the group gathers before it writes (Formatter.gathersVerdicts). With
 * 512, HTML gathering a page of 500 ran past the read-ahead and read the list again on its own
 * beside Markdown (1.5 reads of the list instead of 1 at 10,000 accounts); a group without such a
 * format (JSON + SARIF) keeps the narrow window, where SARIF's run-ahead over passing verdicts
 * leaves few of them alive for V8's next scavenge (issue 16, thirtieth round).
 */
export function spooledPace(formatters: readonly Formatter[]): Pace {
  const page = Math.max(0, ...formatters.map((f) => f.gathersVerdicts ?? 0));
  return page <= SPOOLED_PACE.readAhead ? SPOOLED_PACE : pace(SPOOLED_PACE.turn, SPOOLED_PACE.window + page);
}
/**
 * The verdicts the shared read keeps when a thread writes one format (the HTML report beside a
 * report worker): no other walk takes them, and a window of WINDOW_VERDICTS kept each verdict of
 * a spooled list alive across a scavenge, to be copied and then promoted to V8's old generation
 * with its message and resource. HTML alone on a list spooled from 10,000 accounts: 117 MB
 * promoted per round with the window, 24 MB without (issue 16, twenty-sixth round,
 * docs/operations/scale-measurements.md).
 */
const ONE_FORMAT_WINDOW = 1;
/** The turn of a format with no paced walk (a header, a walk not of the whole list): this many chunks. */
const TURN_CHUNKS = 512;

export { tempName } from './write-behind.ts';

/** A formatter's relative path, checked: a report never writes outside its folder. */
function placeIn(outDir: string, path: string, format: string): string {
  const normal = normalize(path);
  if (isAbsolute(path) || normal.startsWith('..') || normal === '.') throw new Error(`format ${format}: report file path "${path}" is outside the output folder`);
  return join(outDir, normal);
}

/** One format being written: its files in turn, each to a temporary name until the whole format is done. */
class FormatJob {
  readonly progress: WalkProgress = { position: undefined };
  readonly written: WrittenReport[] = [];
  error: Error | undefined;
  done = false;
  private files: Iterator<ReportFile> | undefined;
  private open: TempFile | undefined;
  /**
   * Files generated whole, still being written and closed while the format goes on to its next
   * file: a paged report's pages are each smaller than a buffer, so waiting for each would leave
   * no write overlapping generation. `finished` never rejects unhandled (see finishInBackground).
   */
  private readonly finishing: { temp: string; finished: Promise<Pending> }[] = [];
  /** Its files are written one at a time: the same buffers serve them all. */
  private buffers: WriteBuffers | undefined;
  private readonly folders = new Map<string, Promise<unknown>>();

  constructor(
    readonly formatter: Formatter,
    private readonly outDir: string,
  ) {}

  /**
   * Pulls chunks (at least one) until `enough` says the turn is over or the format is written.
   * `pull` runs the formatter's code (see Lockstep.as). A failure ends this format only.
   */
  async turn(pull: <T>(next: () => T) => T, enough: (chunks: number) => boolean, files: () => Iterable<ReportFile>): Promise<void> {
    try {
      for (let chunks = 0; !this.done && (chunks === 0 || !enough(chunks)); chunks++) {
        if (!this.open) {
          this.files ??= pull(() => files()[Symbol.iterator]());
          const next = pull(() => this.files!.next());
          if (next.done) {
            await this.putInPlace();
            continue;
          }
          this.open = TempFile.start(this.formatter.name, placeIn(this.outDir, next.value.path, this.formatter.name), next.value.chunks, (this.buffers ??= new WriteBuffers()), this.folders);
        }
        const chunk = pull(() => this.open!.nextChunk());
        if (chunk.done) {
          this.finishInBackground(this.open);
          this.open = undefined;
        } else {
          const waiting = this.open.put(chunk.value);
          if (waiting) await waiting;
        }
      }
    } catch (err) {
      this.error = err instanceof Error ? err : new Error(String(err));
      this.done = true;
      this.written.length = 0;
      await this.open?.abandon();
      this.open = undefined;
      // Nothing of the format may still be writing once it is given up: its temporary files go.
      await Promise.allSettled(this.finishing.map((f) => f.finished));
      await Promise.all(this.finishing.map((f) => rm(f.temp, { force: true })));
      this.buffers = undefined;
    }
  }

  private finishInBackground(file: TempFile): void {
    const finished = file.finish();
    // Awaited by putInPlace, or settled by the failure path; until then a rejection is held, not unhandled.
    finished.catch(() => undefined);
    this.finishing.push({ temp: tempName(file.file), finished });
  }

  /** Every file of the format is written: rename them into place together. */
  private async putInPlace(): Promise<void> {
    this.done = true;
    const pending = await Promise.all(this.finishing.map((f) => f.finished));
    this.buffers = undefined;
    for (const p of pending) {
      try {
        await rename(p.temp, p.file);
      } catch (err) {
        throw cannotWrite(p.file, err);
      }
      this.written.push({ format: p.format, file: p.file, bytes: p.bytes });
    }
  }
}

/** A format that failed, and why. */
export interface FormatFailure {
  format: string;
  error: Error;
}

/** What writing a group of formats came to: the files put in place (in the group's order), and the formats that failed. */
export interface FormatsWritten {
  written: WrittenReport[];
  failures: FormatFailure[];
}

/**
 * Writes each format on its own: its files go to temporary names and are renamed into place once
 * the whole format is written, so a format that fails (a formatter bug, a full disk) leaves its
 * previous report untouched and never costs the other formats. The output folder exists.
 *
 * The formats are written together, taking turns, so that they walk the verdict list in step
 * (lockstep.ts): a verdict and its evidence are read, parsed and turned into text once for all of
 * them, not once per format.
 */
export async function writeFormats(result: ScanResult, formatters: readonly Formatter[], outDir: string, options: RenderOptions, ceiling?: HeapCeiling): Promise<FormatsWritten> {
  const inStep = formatters.length > 1;
  const { turn, window, readAhead } = Array.isArray(result.verdicts) ? IN_MEMORY_PACE : spooledPace(formatters);
  const lockstep = new Lockstep(result.verdicts, inStep ? window : ONE_FORMAT_WINDOW);
  const shared: ScanResult = { ...result, verdicts: lockstep.verdicts };
  const sharedOptions: RenderOptions = { ...options, evidenceTexts: options.evidenceTexts ?? EvidenceTexts.of(result.verdicts) };
  const jobs = formatters.map((formatter) => new FormatJob(formatter, outDir));
  try {
    for (let target = turn; jobs.some((job) => !job.done); target += turn) {
      // A format may read a little past the target (a page of verdicts) on the shared walk; one
      // alone may read as far as it likes: no other format's walk needs what it passes.
      if (inStep) lockstep.readAheadTo(target + readAhead);
      ceiling?.check();
      for (const job of jobs) {
        if (job.done) continue;
        const enough = (chunks: number) => (job.progress.position === undefined ? chunks >= TURN_CHUNKS : job.progress.position >= target);
        await job.turn((next) => lockstep.as(job.progress, next), enough, () => formatterFiles(job.formatter, shared, sharedOptions));
      }
    }
  } finally {
    lockstep.close();
  }
  return {
    written: jobs.flatMap((job) => job.written),
    failures: jobs.filter((job) => job.error).map((job) => ({ format: job.formatter.name, error: job.error! })),
  };
}
