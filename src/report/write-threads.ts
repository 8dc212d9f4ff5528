/**
 * The report formats split between this thread and worker threads, so that a second core writes
 * some formats while this one writes the others. A worker opens a spool of the verdicts on disk
 * (evaluate/verdict-spool.ts) and walks it on its own read, so nothing the size of the verdict list
 * crosses threads. A list kept in memory (an organization judged on one thread) is written once to
 * such a spool for the workers when what they would write is worth it (worthSpoolingOnce), and this
 * thread goes on walking its array. Each thread writes its group of formats with the same lockstep
 * writer (write-formats.ts), so the files are the bytes one thread writes.
 *
 * A worker is handed plain data: the scan result without its verdicts, the spool's handle, the
 * format names and the render options. It answers with what it wrote and what failed; a worker
 * that dies before it answers is a failure of each of its formats.
 */
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { ScanResult, VerdictList } from '../contracts/result.ts';
import { spoolSorted, type SpoolHandle, type SpooledVerdicts } from '../evaluate/verdict-spool.ts';
import { UserError } from '../shared/errors.ts';
import type { HeapCeiling } from '../shared/full-collection.ts';
import { moduleBeside, OUT_OF_MEMORY, ranOutOfHeap, startWorkerThread } from '../shared/worker-thread.ts';
import type { Formatter, RenderOptions } from './types.ts';
import { type FormatFailure, type FormatsWritten, tempName, writeFormats, type WrittenReport } from './write-formats.ts';

export interface ThreadOptions {
  /** Threads that write formats at once, this one included; default: the cores (availableParallelism()). */
  threads?: number;
  /** The worker module; default write-worker beside this one (tests start one that breaks). */
  worker?: URL;
  /** A worker's old-generation heap, in MB; default WORKER_HEAP_MB (tests make it run out). */
  workerHeapMb?: number;
  /** What a worker's heap may hold beyond its live data before it collects, in MB; default WORKER_HEAP_ROOM_MB. */
  workerHeapRoomMb?: number;
  /** The CPU seconds a worker must take off this thread for a list in memory to be spooled for it; default SPOOL_ONCE_FROM_SECONDS (tests: 0, any list). */
  spoolOnceFromSeconds?: number;
  /** This thread's heap ceiling while it writes a spooled list's reports; default HEAP_ROOM_MB beyond what is live (shared/full-collection.ts; tests watch it). */
  heapCeiling?: HeapCeiling;
}

/**
 * A report worker's old generation: a cap under which V8 grows its heap as it does an uncapped one
 * (after a full collection up to about four times what it found live), and a ceiling that bounds
 * it instead (WORKER_HEAP_ROOM_MB). Under the 160 MB cap of earlier rounds V8 let the heap grow by
 * only 30 % of what was live (its HeapController scales that factor from 4 down to 1.3 for caps
 * from 2,048 down to 256 MB on Node's x64 builds, as for a judging worker: evaluate/parallel.ts),
 * so a worker writing JSON and SARIF (~30 MB live) marked its whole heap every 16 MB it promoted:
 * 17-22 full collections at 10,000 accounts (`--trace-gc`), 4-5 uncapped; at 100,000 accounts
 * `perf` of the report phase found about a third of the process's CPU in garbage collection, most
 * of it the worker's collections and their marking on V8's helper threads (issue 16, twenty-first
 * round, docs/operations/scale-measurements.md). A worker that runs out of its heap anyway is no
 * failure: this thread writes its formats again (writeInThreads).
 */
export const WORKER_HEAP_MB = 2048;

/**
 * What a report worker's heap may hold beyond what its last full collection left live before it
 * collects (HeapCeiling, consulted once per turn of its formats: write-formats.ts), in MB. The
 * uncapped worker's heap grew to about three times its ~30 MB live before V8 collected it; this
 * bounds it about there. Measured at 10,000 accounts, JSON and SARIF in the worker (two rounds):
 * 10 full collections against 33 under the 160 MB cap (32 MB: 16; 128 MB: 8), the report phase
 * 12 % less CPU; peak RSS 36 MB more for all 8 formats there, 27-38 MB more at 100,000 accounts
 * (911-915 MB, target 1 GB). The main thread's room is HEAP_ROOM_MB.
 */
export const WORKER_HEAP_ROOM_MB = 64;

/** What a report worker is handed: plain data only (structured clone). */
export interface ReportTask {
  result: Omit<ScanResult, 'verdicts'>;
  /** Absent while this thread writes a list in memory to a spool: the handle follows as the worker's first message. */
  spool?: SpoolHandle;
  formats: string[];
  outDir: string;
  /** Without evidenceTexts: each thread turns evidence into text for its own formats. */
  options: Omit<RenderOptions, 'evidenceTexts'>;
  /** The worker's heap ceiling's room, in MB (WORKER_HEAP_ROOM_MB). */
  heapRoomMb: number;
}

/** A failed format as plain data. */
export interface FailureReply {
  format: string;
  message: string;
  stack?: string;
  userError: boolean;
}

/** A worker's answer. */
export interface ReportReply {
  written: WrittenReport[];
  failures: FailureReply[];
}

/**
 * How many threads write `formatters`: 1 unless there are at least 2 formats and 2 threads to use,
 * and the verdicts are spooled or worth spooling once (worthSpoolingOnce).
 */
export function reportThreads(verdicts: VerdictList, formatters: readonly Formatter[], { threads, spoolOnceFromSeconds }: ThreadOptions): number {
  const most = Math.max(1, Math.min(threads ?? availableParallelism(), formatters.length));
  if (most < 2 || !(spoolOf(verdicts) || worthSpoolingOnce(verdicts.length, formatGroups(formatters, most, true), spoolOnceFromSeconds))) return 1;
  return most;
}

/**
 * The CPU seconds that writing a list once to a spool and starting a report worker must take off
 * this thread to pay: the formats of the groups a worker would write, at their cost per verdict
 * (Formatter.cost is CPU seconds for COST_VERDICTS verdicts). Writing the list took ~0.8 s of this
 * thread at 10,000 accounts (a CPU profile), and the worker walks a spool, dearer than an array.
 * Measured there (nineteenth round, load 4-6, two alternated pairs): all 8 formats (7.3 s moved)
 * 26.1-26.9 CPU-s in the wall time of two spooling judging threads and two report threads (28.8-30.1
 * CPU-s); JSON + SARIF + HTML (2.6 s moved) 16.0-16.3 CPU-s and 390 MB spooled once against
 * 13.1-13.7 CPU-s and 319 MB on this thread alone, and no faster.
 */
export const SPOOL_ONCE_FROM_SECONDS = 3;
const COST_VERDICTS = 150_195;

/**
 * Whether a list in memory (judged on one thread) is written once to a spool for report workers
 * to share, given the groups of formats the threads would write (this thread's first).
 */
export function worthSpoolingOnce(verdicts: number, groups: readonly (readonly Formatter[])[], fromSeconds = SPOOL_ONCE_FROM_SECONDS): boolean {
  const elsewhere = groups.slice(1).flat().reduce((sum, formatter) => sum + (formatter.cost ?? 1), 0);
  return (elsewhere * verdicts) / COST_VERDICTS >= fromSeconds;
}

/**
 * The spool behind a list that carries one. A list that carries a spool walks exactly its
 * verdicts (the spool's own list, or the writer's lockstep view of it), so a worker may read the
 * spool in its place.
 */
function spoolOf(verdicts: VerdictList): SpoolHandle | undefined {
  return (verdicts as Partial<SpooledVerdicts>).spool;
}

/** A list in memory written once to a spool (its own thread keeps walking the list); undefined when it could not be written. */
function spooledOnce(verdicts: VerdictList): SpoolHandle | undefined {
  try {
    return spoolSorted(Array.isArray(verdicts) ? verdicts : [...verdicts]);
  } catch {
    return undefined;
  }
}

/**
 * What a format costs this thread when it walks a list in memory, as a share of its cost
 * (Formatter.cost, measured on a spool, which the workers always walk). Measured at 10,000
 * accounts (test/bench/report-costs.mjs, twentieth round, two rounds each, load 1.5-2): OSCAL,
 * JSON, JUnit and Markdown 4.41-4.48 s wall in memory against 4.86-5.18 s spooled (0.87-0.91);
 * HTML, ASFF, OCSF and SARIF 4.21-4.45 against 4.40-4.49. The spool this thread writes first is
 * no part of it: the workers wait for it too.
 */
export const IN_MEMORY_COST_SHARE = 0.9;

/**
 * The formats dealt into at most `count` groups of about equal cost: the costliest first, each to
 * the group that costs least so far. Each group keeps the order asked; the first group holds the
 * costliest format (this thread writes it while the workers start). With `inMemory` (this thread
 * walks a list in memory, the workers its spool), the first group's formats count at
 * IN_MEMORY_COST_SHARE of their cost; at 10,000 accounts in all 8 formats that moves Markdown to
 * this thread, which finished 0.2-0.7 s before the worker without it and 0.2-0.4 s before with it (load 1-4).
 */
export function formatGroups(formatters: readonly Formatter[], count: number, inMemory = false): Formatter[][] {
  const groups = Array.from({ length: count }, () => ({ cost: 0, members: [] as number[] }));
  const costOf = (i: number) => formatters[i]!.cost ?? 1;
  const costliestFirst = formatters.map((_, i) => i).sort((a, b) => costOf(b) - costOf(a) || a - b);
  for (const i of costliestFirst) {
    const cheapest = groups.reduce((min, group) => (group.cost < min.cost ? group : min));
    cheapest.members.push(i);
    cheapest.cost += costOf(i) * (inMemory && cheapest === groups[0] ? IN_MEMORY_COST_SHARE : 1);
  }
  return groups.filter((group) => group.members.length > 0).map((group) => group.members.sort((a, b) => a - b).map((i) => formatters[i]!));
}

/**
 * Writes the formats in `threads` groups, the first on this thread; what was written comes back in
 * the order of `formatters`. This thread's heap ceiling (`heapCeiling`, which may collect the heap
 * first: report/write.ts) is set once the workers are started, so that their start-up (a thread,
 * the report modules: 0.1-0.3 s of CPU) goes on during that collection, not after it.
 */
export async function writeInThreads(result: ScanResult, formatters: readonly Formatter[], outDir: string, options: RenderOptions, threads: number, threading: ThreadOptions, heapCeiling: () => HeapCeiling | undefined = () => undefined): Promise<FormatsWritten> {
  const spooled = spoolOf(result.verdicts);
  const [own, ...others] = formatGroups(formatters, threads, !spooled);
  const { verdicts: _verdicts, ...plainResult } = result;
  const { evidenceTexts: _texts, ...plainOptions } = options;
  const heapMb = threading.workerHeapMb ?? WORKER_HEAP_MB;
  // A list in memory is written to its spool while the workers start: a worker's start (its thread,
  // its modules: 0.1-0.3 s at 10,000 accounts) no longer comes after the spool (0.6-1 s) on the
  // way to its first report byte.
  const workers = others.map((group) => startWorker(group, { result: plainResult, ...(spooled ? { spool: spooled } : {}), formats: group.map((f) => f.name), outDir, options: plainOptions, heapRoomMb: threading.workerHeapRoomMb ?? WORKER_HEAP_ROOM_MB }, threading.worker ?? WORKER_URL, heapMb));
  const ceiling = heapCeiling();
  const spool = spooled ?? spooledOnce(result.verdicts);
  if (!spool) {
    // Not written (a full disk): the verdicts are still in memory, and every format is written here,
    // once the workers (which wrote nothing) are gone, their temporary names removed.
    await Promise.all(
      workers.map(async (worker) => {
        await worker.stop();
        await worker.outcome;
      }),
    );
    return writeFormats(result, formatters, outDir, options, ceiling);
  }
  if (!spooled) for (const worker of workers) worker.handOver(spool);
  const outcomes: FormatsWritten[] = [];
  try {
    outcomes.push(await writeFormats(result, own!, outDir, options, ceiling));
    for (const [k, worker] of workers.entries()) {
      const outcome = await worker.outcome;
      // Out of its capped heap: the formats are written here instead, one after the other.
      outcomes.push(outcome === OUT_OF_MEMORY ? await writeFormats(result, others[k]!, outDir, options, ceiling) : outcome);
    }
  } finally {
    for (const worker of workers) void worker.stop();
  }
  const asked = new Map(formatters.map((f, i) => [f.name, i]));
  const inOrderAsked = (a: { format: string }, b: { format: string }) => asked.get(a.format)! - asked.get(b.format)!;
  // Array sort is stable: a format's files (the HTML pages) stay in the order they were written.
  return { written: outcomes.flatMap((o) => o.written).sort(inOrderAsked), failures: outcomes.flatMap((o) => o.failures).sort(inOrderAsked) };
}

interface RunningWorker {
  /** Never rejects: a worker that dies fails its formats, unless it ran out of its capped heap (OUT_OF_MEMORY). */
  outcome: Promise<FormatsWritten | typeof OUT_OF_MEMORY>;
  /** Hands a worker started without its spool (ReportTask.spool) the spool it waits for. */
  handOver(spool: SpoolHandle): void;
  stop(): Promise<number>;
}

function startWorker(group: readonly Formatter[], task: ReportTask, url: URL, heapMb: number): RunningWorker {
  let worker: Worker;
  try {
    worker = startWorkerThread(url, { workerData: task, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  } catch (err) {
    // The task would not clone (a RenderOptions member that is no plain data): a bug.
    return { outcome: Promise.resolve(everyFormatFailed(task, `could not start: ${(err as Error).message}`)), handOver: () => undefined, stop: () => Promise.resolve(0) };
  }
  const outcome = new Promise<FormatsWritten | typeof OUT_OF_MEMORY>((resolve) => {
    // The first of an answer, an error or the exit settles; an error is followed by the exit.
    let settled = false;
    worker.once('message', (reply: ReportReply) => {
      settled = true;
      resolve({ written: reply.written, failures: reply.failures.map(failureOf) });
    });
    const died = (how: string, outOfMemory = false) => {
      if (settled) return;
      settled = true;
      void removeTemporaryFiles(group, task.outDir).then(() => resolve(outOfMemory ? OUT_OF_MEMORY : everyFormatFailed(task, how)));
    };
    worker.once('error', (err: NodeJS.ErrnoException) => died(`failed: ${err.message}`, ranOutOfHeap(err)));
    worker.once('exit', (code) => died(`exited with code ${code} before it answered`));
  });
  return { outcome, handOver: (spool) => worker.postMessage(spool), stop: () => worker.terminate() };
}

function failureOf(reply: FailureReply): FormatFailure {
  if (reply.userError) return { format: reply.format, error: new UserError(reply.message) };
  const error = new Error(reply.message);
  if (reply.stack) error.stack = reply.stack;
  return { format: reply.format, error };
}

function everyFormatFailed(task: ReportTask, how: string): FormatsWritten {
  const error = new Error(`the worker thread writing ${task.formats.join(', ')} ${how}`);
  return { written: [], failures: task.formats.map((format) => ({ format, error })) };
}

/** A worker that died may have left temporary files: those of its formats' entry files (not a paged report's other pages) are removed. */
async function removeTemporaryFiles(group: readonly Formatter[], outDir: string): Promise<void> {
  await Promise.all(group.map((formatter) => rm(tempName(join(outDir, formatter.fileName)), { force: true }).catch(() => undefined)));
}

const WORKER_URL = moduleBeside(import.meta.url, 'write-worker');
