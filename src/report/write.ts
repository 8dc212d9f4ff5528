/**
 * Writes the chosen report formats under the output folder: on this thread (write-formats.ts), or,
 * when the verdicts are on disk and there are cores to spare, split between this thread and worker
 * threads (write-threads.ts). Either way each format is written whole or not at all, one failing
 * never loses the others, and the files are the same bytes.
 */
import { mkdir } from 'node:fs/promises';
import type { ScanResult, VerdictList } from '../contracts/result.ts';
import { RUN_VERDICTS } from '../evaluate/verdict-spool.ts';
import { UserError } from '../shared/errors.ts';
import { collectGarbageNow, HeapCeiling } from '../shared/full-collection.ts';
import { formatterFor } from './registry.ts';
import type { RenderOptions } from './types.ts';
import { type FormatFailure, writeFormats, type WrittenReport } from './write-formats.ts';
import { reportThreads, writeInThreads, type ThreadOptions } from './write-threads.ts';

export type { WrittenReport } from './write-formats.ts';
export type { ThreadOptions } from './write-threads.ts';

/**
 * The heap ceiling of a spooled list's reports, from a collected heap: judging's garbage (and its
 * heap limit, sized from what judging kept live) would otherwise be the room the reports start
 * in (full-collection.ts).
 *
 * A list in memory written on this thread alone goes on instead under the ceiling of this thread's
 * last full collection while the heap is still under it (HeapCeiling.continued): at 10,000
 * accounts judging's own ceiling had collected 0.3-0.5 s before, and collecting again at once was
 * one more full, atomic collection on this thread (70-170 ms of pause, `--trace-gc`: `md` 2 such
 * collections, JSON + SARIF + HTML 3), for reports whose peak is judging's. Not where a report
 * worker starts beside it (all 8 formats at 10,000 accounts): there the collection gives pages back
 * before a second heap grows, and without it the peak rose from 485-492 to 569-574 MB (issue 16,
 * twenty-third round, docs/operations/scale-measurements.md).
 */
function reportHeapCeiling(verdicts: VerdictList, threads: number): HeapCeiling {
  const continued = Array.isArray(verdicts) && threads === 1 ? HeapCeiling.continued() : undefined;
  if (continued) return continued;
  collectGarbageNow();
  return new HeapCeiling();
}

/**
 * Whether this thread's heap is held under a ceiling while it writes `verdicts`' reports: a spooled
 * list, or one in memory as long as a spool's run (RUN_VERDICTS; an evaluation on one thread keeps
 * every verdict in memory below evaluate/parallel.ts TWO_THREADS_FROM accounts). All 8 formats
 * from 150,195 verdicts in memory (10,000 accounts, one report worker) peaked at 553 MB without it,
 * 454-466 MB with it; from about 300,000 (19,549 accounts) at 842 MB without it, 651 MB with it.
 */
function heldUnderCeiling(verdicts: VerdictList): boolean {
  return !Array.isArray(verdicts) || verdicts.length >= RUN_VERDICTS;
}

/**
 * Writes each format on its own: its files go to temporary names and are renamed into place once
 * the whole format is written, so a format that fails (a formatter bug, a full disk, a worker
 * thread that died) leaves its previous report untouched and never costs the other formats.
 * Unknown format names are refused before anything is written; duplicates are written once.
 *
 * Returns what was written, in the order asked; when a format failed, throws (after writing every
 * other format) an error that lists what was written and what failed: a UserError when every
 * failure was the user's (exit 2), otherwise a plain Error (a bug: exit 4).
 */
export async function writeReports(result: ScanResult, formats: string[], outDir: string, options: RenderOptions = {}, threading: ThreadOptions = {}): Promise<WrittenReport[]> {
  const formatters = [...new Set(formats)].map(formatterFor);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new UserError(`${outDir}: cannot create output folder: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const threads = reportThreads(result.verdicts, formatters, threading);
  const ceiling = () => (heldUnderCeiling(result.verdicts) ? (threading.heapCeiling ?? reportHeapCeiling(result.verdicts, threads)) : undefined);
  const { written, failures } = threads > 1 ? await writeInThreads(result, formatters, outDir, options, threads, threading, ceiling) : await writeFormats(result, formatters, outDir, options, ceiling());
  if (failures.length > 0) throw incomplete(written, failures);
  return written;
}

/** Some formats were written and some failed: say both. */
export class ReportsIncomplete extends Error {
  constructor(
    message: string,
    readonly written: WrittenReport[],
  ) {
    super(message);
    this.name = 'ReportsIncomplete';
  }
}

function incomplete(written: WrittenReport[], failures: FormatFailure[]): Error {
  const lines = failures.map((f) => `format ${f.format} failed: ${f.error.message}`);
  lines.push(written.length > 0 ? `the other reports were written: ${written.map((w) => `${w.file} (${w.bytes} bytes)`).join(', ')}` : 'no report was written');
  const message = lines.join('\n');
  if (failures.every((f) => f.error instanceof UserError)) return new UserError(message);
  const error = new ReportsIncomplete(message, written);
  error.stack = [message, ...failures.map((f) => f.error.stack ?? f.error.message)].join('\n');
  return error;
}
