/**
 * Writes a group of report formats on this thread, together (lockstep.ts). Each file is written to
 * a temporary name beside it and renamed into place, so a reader (CI upload, a watcher) never sees
 * half a report and an interrupted run leaves the previous report intact. Formats are independent:
 * one failing never loses the others. write.ts decides which thread writes which formats.
 */
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { ScanResult } from '../contracts/result.ts';
import { UserError } from '../shared/errors.ts';
import type { HeapCeiling } from '../shared/full-collection.ts';
import { formatterFiles } from './registry.ts';
import { EvidenceTexts } from './evidence-texts.ts';
import { Lockstep, type WalkProgress, WINDOW_VERDICTS } from './lockstep.ts';
import type { Formatter, RenderOptions, ReportFile } from './types.ts';

export interface WrittenReport {
  format: string;
  file: string;
  bytes: number;
}

/** Chunks are encoded into one buffer of this size per format, and written when it is full: few system calls, little memory for all formats at once. */
const WRITE_BUFFER_BYTES = 1 << 20;
/**
 * Formats take turns: each turn pulls chunks from one format until its walk of the verdicts has
 * read this many more than the turn before (see lockstep.ts). Well under the verdicts the shared
 * read keeps (WINDOW_VERDICTS), so every format gets the same verdict and evidence objects.
 */
const TURN_VERDICTS = 512;
/**
 * How far past a turn's target the shared read may go: a format left at the previous target must
 * still find its next verdicts among those the read keeps (lockstep.ts, WINDOW_VERDICTS).
 */
const READ_AHEAD_VERDICTS = WINDOW_VERDICTS - 2 * TURN_VERDICTS;
/** The turn of a format with no paced walk (an in-memory list, a header): this many chunks. */
const TURN_CHUNKS = 512;

interface Pending {
  format: string;
  file: string;
  temp: string;
  bytes: number;
}

/** The name a file is written under until its whole format is written. */
export const tempName = (file: string) => `${file}.${process.pid}.tmp`;

/** A formatter's relative path, checked: a report never writes outside its folder. */
function placeIn(outDir: string, path: string, format: string): string {
  const normal = normalize(path);
  if (isAbsolute(path) || normal.startsWith('..') || normal === '.') throw new Error(`format ${format}: report file path "${path}" is outside the output folder`);
  return join(outDir, normal);
}

/** One file streamed to its temporary name; a large report never becomes one string. */
class TempFile {
  private used = 0;
  private bytes = 0;

  private constructor(
    readonly format: string,
    readonly file: string,
    readonly chunks: Iterator<string>,
    private readonly handle: FileHandle,
    private readonly buffer: Buffer,
  ) {}

  /**
   * `buffer` (WRITE_BUFFER_BYTES) is the file's until it is finished or abandoned. `folders` are
   * those this format has made already: a paged report writes hundreds of files into one.
   */
  static async open(format: string, file: string, chunks: Iterable<string>, buffer: Buffer, folders: Set<string>): Promise<TempFile> {
    const folder = dirname(file);
    if (!folders.has(folder)) {
      await mkdir(folder, { recursive: true }).catch((err: unknown) => {
        throw cannotWrite(file, err);
      });
      folders.add(folder);
    }
    const handle = await open(tempName(file), 'w').catch((err: unknown) => {
      throw cannotWrite(file, err);
    });
    return new TempFile(format, file, chunks[Symbol.iterator](), handle, buffer);
  }

  /** Buffers the chunk; a promise only when the buffer had to be written first. */
  put(chunk: string): Promise<void> | undefined {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (chunk.length * 3 <= WRITE_BUFFER_BYTES - this.used) {
      this.used += this.buffer.write(chunk, this.used, 'utf8');
      return undefined;
    }
    return this.putAfterFlush(chunk);
  }

  private async putAfterFlush(chunk: string): Promise<void> {
    await this.flush();
    if (chunk.length * 3 > WRITE_BUFFER_BYTES) await this.writeOut(Buffer.from(chunk, 'utf8'));
    else this.used += this.buffer.write(chunk, 0, 'utf8');
  }

  private async flush(): Promise<void> {
    await this.writeOut(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private async writeOut(data: Buffer): Promise<void> {
    try {
      // A write may take less than asked; write() resolves with how much it took.
      for (let offset = 0; offset < data.length; ) offset += (await this.handle.write(data, offset)).bytesWritten;
    } catch (err) {
      throw cannotWrite(this.file, err);
    }
    this.bytes += data.length;
  }

  /** Writes what is buffered and closes the file. */
  async finish(): Promise<Pending> {
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
    return { format: this.format, file: this.file, temp: tempName(this.file), bytes: this.bytes };
  }

  /** Closes the file and removes it: its format failed. */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(tempName(this.file), { force: true });
  }
}

function cannotWrite(file: string, err: unknown): UserError {
  return new UserError(`${file}: cannot write report: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
}

/** One format being written: its files in turn, each to a temporary name until the whole format is done. */
class FormatJob {
  readonly progress: WalkProgress = { position: undefined };
  readonly written: WrittenReport[] = [];
  error: Error | undefined;
  done = false;
  private files: Iterator<ReportFile> | undefined;
  private open: TempFile | undefined;
  private readonly pending: Pending[] = [];
  /** Its files are written one at a time: one buffer serves them all. */
  private buffer: Buffer | undefined;
  private readonly folders = new Set<string>();

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
          this.open = await TempFile.open(this.formatter.name, placeIn(this.outDir, next.value.path, this.formatter.name), next.value.chunks, (this.buffer ??= Buffer.allocUnsafe(WRITE_BUFFER_BYTES)), this.folders);
        }
        const chunk = pull(() => this.open!.chunks.next());
        if (chunk.done) {
          const file = this.open;
          this.open = undefined;
          this.pending.push(await file.finish());
        } else {
          const flushing = this.open.put(chunk.value);
          if (flushing) await flushing;
        }
      }
    } catch (err) {
      this.error = err instanceof Error ? err : new Error(String(err));
      this.done = true;
      this.written.length = 0;
      await this.open?.abandon();
      this.open = undefined;
      await Promise.all(this.pending.map((p) => rm(p.temp, { force: true })));
    }
  }

  /** Every file of the format is written: rename them into place together. */
  private async putInPlace(): Promise<void> {
    this.done = true;
    this.buffer = undefined;
    for (const p of this.pending) {
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
  const lockstep = new Lockstep(result.verdicts);
  const shared: ScanResult = lockstep.verdicts ? { ...result, verdicts: lockstep.verdicts } : result;
  const sharedOptions: RenderOptions = { ...options, evidenceTexts: options.evidenceTexts ?? EvidenceTexts.of(result.verdicts) };
  const jobs = formatters.map((formatter) => new FormatJob(formatter, outDir));
  try {
    for (let target = TURN_VERDICTS; jobs.some((job) => !job.done); target += TURN_VERDICTS) {
      // A format may read a little past the target (a page of verdicts) on the shared walk.
      lockstep.readAheadTo(target + READ_AHEAD_VERDICTS);
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
