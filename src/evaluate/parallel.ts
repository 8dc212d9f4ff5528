/**
 * Evaluation on several cores: pass 1 and pass 2 split between this thread and worker threads,
 * started before pass 1 (by the CLI as soon as the header is parsed: launchWorkers). In pass 1 every thread reads the file, but validates, parses and indexes
 * only its block of consecutive lines (first-pass-block.ts); this thread has the first block,
 * hashes every byte and merges the others' index states in file order (IndexBuilder.merge), so the
 * index and any error are those one thread gives (snapshot/read.ts validateInBlocks). Once the
 * index is built, the account lines in scope are dealt out again, round-robin, for pass 2, but for
 * a tail of them that the threads claim chunk by chunk as they arrive at it (shared-tail.ts): each
 * worker is handed what the index kept from the account lines (serialized once for all of them)
 * and makes the rest from the header it read itself (model indexOf: the header and what derives
 * from it, most of the index of a large organization, never cross threads), then judges only its
 * own lines and the chunks it claimed. Every thread applies the exceptions, tallies the gate and spools its own verdicts
 * (decided.ts); a worker hands back its sorted runs unmerged, and every thread's runs are merged
 * once, cut by key into a part per judging thread still alive (run-merge.ts): this thread merges
 * the first and, for each worker, a fresh thread another, all at once (verdict-spool.ts
 * finishInParts). The worker that judged is ended as soon as it has answered its share
 * (RunningWorker.retire): its heap is not carried into the merge.
 *
 * This thread is one of the judging threads (N threads: this one and N-1 workers). A worker's heap
 * is capped when it starts; this thread's cannot be once the process runs, so while it judges its
 * garbage is collected at a ceiling above what it keeps live (judge.ts, shared/full-collection.ts
 * HeapCeiling): judging grows an uncapped heap to several times what it keeps. Until the
 * thirteenth round (issue 16) every judging thread was a worker from 30,001 accounts and this one
 * judged none, for that reason; at 100,000 accounts, `-f md --workers 2`, that peaked at
 * 906-1,009 MB evaluating where this thread with a ceiling and one worker peaked at 833-871 MB
 * (docs/operations/large-organizations.md, "Several cores").
 *
 * A worker reads the file again for its lines without schema checks; it proves them the validated
 * bytes by the file's identity (device, inode, size, times) as this thread does for its own later
 * passes (snapshot/read.ts), and fails with a UserError when the file changed.
 *
 * A worker's old generation is capped (workerHeapMb): one that runs out of it is no failure,
 * this thread does its part instead (its block of pass 1, its share of pass 2). While it judges,
 * a worker whose cap does not bound its heap (below 30,001 accounts) is collected at the same
 * ceiling as this thread's (judgesUnderCeiling, judging-worker.ts).
 */
import { availableParallelism } from 'node:os';
import { serialize } from 'node:v8';
import type { Worker } from 'node:worker_threads';
import { accountLinesPart, indexOf, pathNodeIds, type AccountLinesIndex, type ModelIndex } from '../model/index.ts';
import { ruleSpecOf, type RuleSpec } from '../rules/load.ts';
import { UserError } from '../shared/errors.ts';
import type { HeapCeiling } from '../shared/full-collection.ts';
import { withHeapGrowth } from '../shared/heap-growth.ts';
import { moduleBeside, OUT_OF_MEMORY, ranOutOfHeap, startWorkerThread } from '../shared/worker-thread.ts';
import { lineBlocks, reopenSnapshot, type LineBlock, type LineSelection, type ParsedHeader, type SnapshotSource } from '../snapshot/read.ts';
import type { SnapshotHeader } from '../snapshot/types.ts';
import type { DecidedOptions, DecidedShare, DecidedVerdicts } from './decided.ts';
import { indexBlock, type BlockIndexed } from './first-pass-block.ts';
import { judgeRecords } from './judge.ts';
import type { EvaluateOptions, WorkerThreading } from './options.ts';
import type { MergedPart, MergePart, PartMerger } from './run-merge.ts';
import { claimedBy, ClaimedLines, withSharedTail, type SharedTail } from './shared-tail.ts';
import { RUN_VERDICTS, sharedSpoolDir } from './verdict-spool.ts';

/**
 * The default: two judging threads on a machine of two or more cores (availableParallelism()) for
 * an organization of TWO_THREADS_FROM accounts or more, one otherwise. Measured on the
 * 2-core machine with pass 1 split (issue 16; figures in docs/operations/scale-measurements.md,
 * "Several cores"; load 7-10, so CPU and peak RSS are the figures to read): at 10,000 accounts,
 * `-f md`, two threads took 17.1-19.9 s of CPU and 491-504 MB against 13.8-14.7 s and 338-369 MB
 * for one, but the longest thread (this one) ran 6.1-7.3 s against 10.1-11.0 s: on idle cores that
 * sets the wall time. Below 2,000 accounts the worker's start-up (modules, rules) weighs: at 1,000
 * accounts two threads cut the longest thread by 0.4 s (1.5 to 1.1 s) for 1.3 s more CPU and 90 MB
 * more (156-165 MB against 243-254 MB).
 * Memory set an upper bound until the thirteenth round (30,000 accounts): every judging thread
 * holds the organization's accounts (the header) and the model index, and a judging heap grows to
 * several times what it keeps. At
 * 100,000 accounts (JSON + SARIF + HTML, load 8-14) two judging workers beside a thread that
 * judges nothing, each worker making its index from its own header, peaked at 1.24-1.25 GB
 * (1.1-1.2 GB through pass 2; 1.14 GB with 300 MB worker heaps, for 40 s more CPU) where this
 * thread and one worker with a copy of the whole index took 1.74 GB (this thread's heap alone
 * grew to 1 GB), and one thread 0.83 GB idle (1.21 GB at that load): over the 1 GB target, so
 * the bound stays; `--workers 2` asks for them. Eighth round (the index keeps only the bucket
 * entries the model looks up, a worker only its share's accounts, 48 MB young generations): the
 * evaluation of JSON + SARIF + HTML with two workers still peaked at 0.95-1.11 GB (`-f md`
 * 0.93-0.98 GB; one thread 0.65-0.77 GB), so the bound stays. Ninth round (per-thread CPU,
 * `-f md`): two workers spent 170-184 s of CPU against 105 s for one thread, ~30 s of it the
 * workers' capped heaps collecting (a 900 MB cap: 154 s but 1,218 MB); pass 1 is now split in
 * two where only workers judge (startWorkers), and their evaluation still peaked at 938-1,061 MB.
 * Thirteenth round: this thread judges beside one worker with its heap under a ceiling
 * (HeapCeiling, judge.ts): 100,000 accounts, JSON + SARIF + HTML, peaked at 854 MB evaluating and
 * 715 MB writing (854 MB maximum RSS, load 11-14) — under 1 GB, so the bound went.
 * Idle, two alternated pairs against one judging thread: 100.0-108.6 s against 112.6-126.2 s
 * (evaluation 60.4-62.4 s against 73.5-87.9 s) for 185-202 s of CPU against 161-178 s.
 * Nineteenth round: the threshold went from 2,000 to 15,000 accounts, and below it one thread keeps
 * every verdict in memory (spoolRunVerdicts): at 10,000 accounts (load 4-6, two alternated pairs)
 * `-f md` took 8.6 CPU-s and 290 MB against 12.3 CPU-s and 490 MB on two spooling threads,
 * JSON + SARIF + HTML 13.1-13.7 CPU-s and 319 MB against 18.8-19.8 and 471-479 MB, in no more wall
 * time; at 5,000 accounts `-f md` 5.5 against 8.4 CPU-s. At 14,663 accounts all 8 formats on one
 * thread took as much CPU and memory as on two (34.7 against 34.2 CPU-s, 568 against 573 MB; `md`
 * still 10.2 against 14.7 CPU-s), and at 19,549 peaked at 651 MB against 600 MB, hence the bound
 * (docs/operations/scale-measurements.md, "Verdicts in memory below 15,000 accounts").
 */
export const TWO_THREADS_FROM = 15_000;

/** From this many accounts a worker's young generation is halved (workerYoungMb). */
const LARGE_ORGANIZATION_FROM = 30_001;

/**
 * A worker's young generation, in MB (V8's, for objects that die young: most of what judging an
 * account makes), for an organization of `accounts`. Only settable when a thread starts; measured
 * at 10,000 accounts, 4 runs each (load 6-7): the default gave 16.9 s process CPU and a 4.3 s
 * worker thread; 96 MB gave 16.3 s and 4.1 s, at the same peak RSS; 192 MB no better, with 60 MB
 * more RSS. In a large organization RSS is what bounds the threads (measured with two judging
 * workers, eighth round): half of it there.
 */
export function workerYoungMb(accounts: number): number {
  return accounts < LARGE_ORGANIZATION_FROM ? 96 : 48;
}

/**
 * A worker's old generation, in MB, for an organization of `accounts` (see the module comment).
 * Below 30,001 accounts, UNTHROTTLED_HEAP_MB: a cap low enough to bound the heap also made V8
 * collect it far more often than this thread's (below). From 30,001 accounts, where memory bounds
 * the threads (the 1 GB target at 100,000), a cap that grows with what a worker holds (the header
 * and the index, its verdict cache). Its
 * live heap after a full collection, measured while it also held a copy of this thread's whole
 * index (header included, about 2 MB per 1,000 accounts more, hence 4 MB per 1,000 accounts then):
 * 40 MB with the index and 65 MB after judging at 10,000 accounts, 89 MB and 131 MB at 29,335
 * accounts. At 100,000 accounts (two judging workers) a worker used 108-134 MB once its index was
 * made and about 250 MB at the end of its share, under a cap of 356 MB; a cap of 300 MB with a
 * 32 MB young generation saved about 100 MB of peak RSS for about 40 s more CPU. Eighth round,
 * index kept smaller: 124 MB live once its index was made (110 MB once it placed only its share's
 * accounts), 197 MB at the end of its share, the heap grown to 293-304 MB under the 360 MB cap; a
 * 270 MB cap with a 32 MB young generation saved 43 MB of peak RSS for 31 s more CPU (the worker
 * collecting near its live size), so the cap stays. Twenty-first round (tried, not kept): the
 * unthrottled cap at every size, the worker collected at the ceiling while it judges and merges,
 * its heap in use held under this cap: 2-5 % less CPU at 34,226 accounts, none at 100,000
 * (`-f md`: 78.2 against 77.2 CPU-s) for a peak of 986 MB against 897 MB
 * (docs/operations/scale-measurements.md, "The evaluation on the large-organization path").
 */
export function workerHeapMb(accounts: number): number {
  return accounts < LARGE_ORGANIZATION_FROM ? UNTHROTTLED_HEAP_MB : 160 + 2 * Math.ceil(accounts / 1000);
}

/**
 * The smallest cap under which V8 lets an old generation grow as it does an uncapped one: after a
 * full collection, up to 4 times what it found live (V8's HeapController; the factor falls linearly
 * to 1.3 for caps from 1,024 down to 128 MB times its pointer multiplier, 2 on Node's x64 builds).
 * Under the 180 MB cap it had at 10,000 accounts, a worker judging half of them ran 21 full
 * collections (`--trace-gc`, `-f md`, 3 runs) against 4-5 for this thread judging the other half,
 * most at 15-45 MB live: V8 let the heap grow by 30 % between them. With this cap, 4-6, and its
 * pass 2 took less CPU in 8 of 9 alternated pairs (2.58-3.19 s against 2.87-3.40 s, 0.17 s less in
 * the mean; load 5-8), though the instructions counted did not fall (callgrind, `--single-threaded`:
 * 106.6 G against 105.6 G, one run each); on the idle machine, `-f md`, 3 rounds alternated, the
 * whole command took 8.37 / 7.36 / 7.73 s against 8.86 / 8.07 / 8.31 s without this cap; peak RSS of the evaluation 40-80 MB more (`-f md`:
 * 392-454 MB against 344-381), under the report phase's for all 8 formats (417-430 MB against
 * 419-426; issue 16, fourteenth round, docs/operations/scale-measurements.md "Several cores"). Its heap is
 * collected as this thread's is while judging, at a ceiling above what it keeps live
 * (judging-worker.ts, HeapCeiling).
 */
const UNTHROTTLED_HEAP_MB = 2048;

/**
 * Whether a worker with an old generation of `heapMb` is collected at a ceiling while it judges:
 * only where its cap does not bound its heap (UNTHROTTLED_HEAP_MB, below 30,001 accounts). Under a
 * cap that grows with the organization (from 30,001) V8 collects first — the ceiling never fired
 * at 100,000 accounts — and that path stays as it was measured against the 1 GB target.
 */
export function judgesUnderCeiling(heapMb: number): boolean {
  return heapMb >= UNTHROTTLED_HEAP_MB;
}

/**
 * What a judging worker is started with, before pass 1: its block of lines (plain data). It can be
 * started on the header as parsed, before this thread has checked it or loaded the rules
 * (launchWorkers): those follow in its first message (WorkerRules).
 */
export interface WorkerSetup {
  file: string;
  /** The file's identity when this thread opened it: the worker proves with it that it reads the validated bytes. */
  identity: string;
  headerLine: number;
  /** The lines whose records it validates and indexes in pass 1. */
  block: LineBlock;
}

/** A judging worker's first message, once this thread has loaded the rules: enough to load them and decide verdicts (plain data). */
export interface WorkerRules {
  rules: RuleSpec[];
  /** How verdicts are decided, as in this thread; the worker's spool goes in spoolDir (removed by this thread at exit). */
  decided: DecidedOptions & { spoolDir: string };
}

/** What a worker judges, sent once pass 1 is over. */
export interface WorkerTask {
  /** Lines of the accounts this worker judges, besides the chunks of the tail it claims. */
  lines: number[];
  /** Those accounts and the tail's: the worker places only them in the organization (model indexOf). */
  accountIds: string[];
  /** The end of pass 2, claimed chunk by chunk by the judging threads (shared-tail.ts), and this worker's number among them. */
  tail: SharedTail;
  thread: number;
  /**
   * What pass 1's index kept from the account lines (model AccountLinesIndex), v8.serialize'd once
   * into memory every worker reads (postMessage would copy it again for each): the worker makes the
   * rest of the index from the header it read itself (model indexOf).
   */
  index: SharedArrayBuffer;
}

/**
 * What a merging worker is started with instead of a WorkerSetup: it waits for its part of the
 * merge of every thread's runs (WorkerMerge, its one message). It is a fresh thread, not the one
 * that judged (that one has exited by then), started as soon as that one has: its start-up
 * (module load, ~0.2 s of wall time) goes on while this thread plans the merge.
 */
export interface WorkerMergeSetup {
  merging: true;
  /** Its heap is collected at a ceiling while it merges, as a judging worker's while it judges (judgesUnderCeiling). */
  underCeiling: boolean;
}

/** A merging worker's part (plain data). */
export interface WorkerMerge {
  part: MergePart;
}

/** A worker's answers: its block of pass 1, then its share of pass 2, then its part of the merge; or the error that stopped it. */
export type WorkerReply =
  | { ok: true; block: BlockIndexed; merged?: undefined }
  | ({ ok: true; block?: undefined; merged?: undefined } & DecidedShare)
  | { ok: true; block?: undefined; merged: MergedPart }
  | { ok: false; userError: boolean; message: string; stack?: string; step: WorkerStep };

/** What a worker was doing: its block of pass 1, loading the rules, judging its share, or merging its part of the verdicts. */
export type WorkerStep = 'block' | 'rules' | 'judging' | 'merging';

/**
 * How many threads evaluate `source`: 1 unless it is a file opened for a validating first pass,
 * unsharded, not narrowed, judged by rules loaded from files, and `workers` asks for more.
 */
export function threadsFor(source: SnapshotSource, options: EvaluateOptions): number {
  const asked = options.workers;
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 1)) {
    throw new UserError(`--workers ${asked}: expected a whole number of at least 1`);
  }
  if (!source.file || !source.identity || options.shard || options.only || options.rules.some((r) => !ruleSpecOf(r))) return 1;
  return threadsOf(source.header.scope.accountIds.length, asked);
}

/** Judging threads for an organization of `accounts`, `asked` for or by default, where several may judge (threadsFor). */
function threadsOf(accounts: number, asked: number | undefined): number {
  const byDefault = accounts < TWO_THREADS_FROM ? 1 : Math.min(2, availableParallelism());
  return Math.max(1, Math.min(asked ?? byDefault, accounts || 1));
}

/**
 * Verdicts a spool holds before it writes a sorted run, for an evaluation on `threads` threads of
 * `source`: every verdict on one thread below TWO_THREADS_FROM accounts, else RUN_VERDICTS.
 */
export function spoolRunVerdicts(source: SnapshotSource, threads: number): number {
  return threads === 1 && belowTwoThreads(source) ? Infinity : RUN_VERDICTS;
}

/** Whether an organization is judged on one thread by default: the one bound both defaults above follow. */
function belowTwoThreads(source: SnapshotSource): boolean {
  return source.header.scope.accountIds.length < TWO_THREADS_FROM;
}

/** Worker threads started before pass 1, each validating and indexing its block of lines. */
export interface Workers {
  /** The first block of lines: this thread's. */
  ownBlock: LineBlock;
  /** The other blocks of pass 1, in file order, those of the first workers (indexed on this thread for a worker that ran out of memory). */
  blocks: Promise<BlockIndexed>[];
  running: RunningWorker[];
  /** Whether their old generations are capped low enough for V8 to grow them slowly (not judgesUnderCeiling). */
  heapCapped: boolean;
  /**
   * Ends every worker, resolving once each thread has exited, so that its heap is gone before the
   * report stage starts threads of its own.
   */
  stop(): Promise<void>;
}

/**
 * Judging workers started on their blocks of pass 1, their rules not yet sent (WorkerRules): by
 * startWorkers, or by a caller on the header as it was parsed (launchWorkers).
 */
export interface LaunchedWorkers {
  file: string;
  identity: string;
  headerLine: number;
  accounts: number;
  /** Pass 1's blocks, this thread's first: one more than the workers. */
  blocks: LineBlock[];
  running: RunningWorker[];
  threading: Threading;
  /** Ends every worker (again: nothing), resolving once each thread has exited. */
  stop(): Promise<void>;
}

/**
 * The workers `workers` (--workers) asks for, or the default, started as soon as the snapshot's
 * header is parsed (snapshot/read.ts OpenOptions.onHeaderParsed), before this thread checks it
 * against the schema, digests it and loads the rules: their start-up (modules, the header parsed
 * again, the file's lines before their block decompressed) overlaps those, where this thread waited
 * for its block at pass 1's end (issue 16, twenty-eighth round: the header's check, digest and the
 * rules 0.74 s at 100,000 accounts at load 5). Measured in the twenty-ninth round, the worker's code
 * ran 0.4-0.5 s sooner at 100,000 accounts and ~0.1 s at 34,226 (the check 0.03-0.07 s, its own
 * start-up now beside this thread's), the index finished ~0.3 s sooner at 100,000
 * (docs/operations/scale-measurements.md, "The judging worker started on the parsed header"). Not before the header: a worker's heap is capped
 * from the account count when it starts. Undefined where the header (not yet checked: read
 * defensively) gives one thread. The caller hands them to evaluateSnapshot (its `launched`),
 * which uses them if they are the ones it would start and ends them otherwise; and ends
 * them itself when it fails before (a header that fails its check, rules that do not load).
 */
export function launchWorkers(parsed: ParsedHeader, workers?: number): LaunchedWorkers | undefined {
  const accountIds = (parsed.header as { scope?: { accountIds?: unknown } } | null)?.scope?.accountIds;
  if (!Array.isArray(accountIds) || (workers !== undefined && !(Number.isInteger(workers) && workers >= 1))) return undefined;
  const threads = threadsOf(accountIds.length, workers);
  return threads > 1 ? launch(parsed, accountIds.length, threads) : undefined;
}

/** N-1 workers of `threads` judging threads on their blocks of pass 1 (this thread has the first). */
function launch(at: Omit<ParsedHeader, 'header'>, accounts: number, threads: number, threadingAsked: WorkerThreading = {}): LaunchedWorkers {
  const blocks = firstPassBlocks(at.headerLine, accounts, threads);
  const threading = { heapMb: workerHeapMb(accounts), youngMb: workerYoungMb(accounts), ...threadingAsked };
  const running = blocks.slice(1).map((block) => startWorker({ file: at.file, identity: at.identity, headerLine: at.headerLine, block }, threading));
  return { file: at.file, identity: at.identity, headerLine: at.headerLine, accounts, blocks, running, threading, stop: async () => void (await Promise.all(running.map((w) => w.stop()))) };
}

/**
 * The workers of `threads` judging threads for `source`: those the caller `launched` when they are
 * the ones this evaluation would start, else new ones (the launched ended). Undefined for one thread.
 */
export function workersFor(source: SnapshotSource, options: EvaluateOptions, decided: DecidedOptions, threads: number, launched?: LaunchedWorkers): Workers | undefined {
  if (launched && threads > 1 && launchedFits(launched, source, threads) && options.threading?.module === undefined && options.threading?.heapMb === undefined) {
    return readyWorkers(launched, source, options, decided);
  }
  void launched?.stop();
  return threads > 1 ? startWorkers(source, options, decided, threads) : undefined;
}

function launchedFits(launched: LaunchedWorkers, source: SnapshotSource, threads: number): boolean {
  const { file, identity, headerLine, header } = source;
  return launched.file === file && launched.identity === identity && launched.headerLine === headerLine && launched.accounts === header.scope.accountIds.length && launched.blocks.length === threads;
}

/**
 * Starts the N-1 workers of `threads` judging threads, on their blocks of pass 1 (this thread has
 * the first); they load the rules once it is done.
 */
export function startWorkers(source: SnapshotSource, options: EvaluateOptions, decided: DecidedOptions, threads: number): Workers {
  const launched = launch({ file: source.file!, identity: source.identity!, headerLine: source.headerLine }, source.header.scope.accountIds.length, threads, options.threading);
  return readyWorkers(launched, source, options, decided);
}

/** Launched workers sent their rules: the Workers of pass 1 and 2. */
function readyWorkers(launched: LaunchedWorkers, source: SnapshotSource, options: EvaluateOptions, decided: DecidedOptions): Workers {
  const { running, threading } = launched;
  const [ownBlock, ...blocks] = launched.blocks;
  const rules: WorkerRules = { rules: options.rules.map((r) => ruleSpecOf(r)!), decided: { ...decided, spoolDir: sharedSpoolDir() } };
  for (const worker of running) worker.postRules(rules);
  const indexed = running.map(async (worker, k) => {
    const outcome = await worker.block;
    return outcome === OUT_OF_MEMORY ? indexBlock(source.file!, source.header, source.headerLine, blocks[k]!) : outcome;
  });
  // This thread's own failure (an invalid snapshot) is the one to report: a block that fails
  // meanwhile must not surface as an unhandled rejection.
  indexed.forEach((b) => b.catch(() => undefined));
  return { ownBlock: ownBlock!, blocks: indexed, running, heapCapped: !judgesUnderCeiling(threading.heapMb), stop: launched.stop };
}

/**
 * Pass 1's blocks of lines for `threads` judging threads: this thread's, the first, holds
 * FIRST_BLOCK_EXTRA_PERCENT % more than an even share (snapshot/read.ts lineBlocks).
 */
export function firstPassBlocks(headerLine: number, accounts: number, threads: number): LineBlock[] {
  return lineBlocks(headerLine, accounts, threads, FIRST_BLOCK_EXTRA_PERCENT);
}

/**
 * How much more of pass 1 this thread takes than an even share. A worker comes to its block late:
 * it started only once this thread had read, validated and digested the header and loaded the rules
 * (since the twenty-ninth round, once this thread has parsed the header: launchWorkers), then loads
 * its modules, parses the header again and decompresses every line before its block without
 * reading them. With even blocks this thread, its own lines done, waited for the worker's
 * block with one core's work left (issue 16, twenty-eighth round; a copy of the compiled CLI
 * printing each thread's marks, two judging threads, load 3-8): 0.69 s at 34,226 accounts (a quiet
 * run), 1.07 s at 100,000 (quiet; 0.78-0.81 s loaded); with a tenth more, 0.30 s and 0.40 s
 * (0.29 s and 0.16 s loaded). The worker still waits while this thread merges its block into the index and
 * deals pass 2 (0.5-0.6 s at 100,000 accounts, its rules loaded meanwhile): that needs every block.
 * (docs/operations/scale-measurements.md, "The idle core in the 100,000-account run"). Kept at
 * a tenth with the worker started on the parsed header (twenty-ninth round): its code then ran
 * 0.4-0.5 s sooner at 100,000 accounts (quiet) and ~0.1 s at 34,226, and it answered its block
 * 0.1-0.2 s after this thread's own lines with a tenth as with 5 % (one run each): not yet fitted
 * again ("The judging worker started on the parsed header").
 */
export const FIRST_BLOCK_EXTRA_PERCENT = 10;

interface Judged {
  /** Pass 1's index, every account placed: replaced by this thread's share's (indexForShare) once the lines are dealt. */
  index: ModelIndex;
  lines: number[];
  /** The account of each line. */
  accountIds: string[];
  judgesOrganization: boolean;
}

/**
 * Pass 2 split between the judging threads alive: account lines are dealt round-robin but for the
 * shared tail, this thread judges its share, its chunks of the tail and the organization into
 * `decided` (under `heapCeiling`), then absorbs each worker's share (their spooled runs are merged
 * with this thread's once, by decided.finish()), or judges the share and the claimed chunks of a
 * worker that ran out of memory.
 */
export async function judgeInThreads(workers: Workers, source: SnapshotSource, options: EvaluateOptions, first: Judged, decided: DecidedVerdicts, heapCeiling: HeapCeiling): Promise<void> {
  const judging = () => judgeShares(workers, source, options, first, decided, heapCeiling);
  return workers.heapCapped ? withHeapGrowth(CAPPED_HEAP_GROWTH_PERCENT, judging) : judging();
}

/**
 * V8's heap growing factor (shared/heap-growth.ts) while threads with capped heaps judge: 2, where
 * V8 chose at most 1.3-1.34 for them. A worker's heap then grows between full collections to about
 * half-way from what it keeps live to its cap (V8's other bound); this thread's, as before, to its
 * ceiling (HeapCeiling) once it keeps over ~128 MB live. Measured at 100,000 accounts, JSON +
 * SARIF + HTML (issue 16, twenty-fifth round): the judging worker ran 22-30 full collections
 * marking 1.8-2.4 GB, against 33-41 marking 3.5-4.0 GB.
 */
const CAPPED_HEAP_GROWTH_PERCENT = 100;

async function judgeShares(workers: Workers, source: SnapshotSource, options: EvaluateOptions, first: Judged, decided: DecidedVerdicts, heapCeiling: HeapCeiling): Promise<void> {
  const alive = workers.running.filter((w) => !w.outOfMemory());
  const threads = alive.length + 1;
  const { dealt, tail } = withSharedTail(first.lines);
  const share = (k: number) => dealt.filter((_, i) => i % threads === k);
  // A worker places the tail's accounts too: it may judge any of them.
  const tailAccounts = first.accountIds.slice(dealt.length);
  const accountsOf = (k: number) => [...first.accountIds.slice(0, dealt.length).filter((_, i) => i % threads === k), ...tailAccounts];
  const fromLines = accountLinesPart(first.index);
  const index = serializedOnce(fromLines);
  alive.forEach((worker, k) => worker.post({ lines: share(k + 1), accountIds: accountsOf(k + 1), index, tail, thread: k + 1 }));
  // This thread, like a worker, holds only what it judges: the workers' shares of the header and of
  // the placements are no longer held through pass 2.
  first.index = indexForShare(source.header, fromLines, new Set(accountsOf(0)));
  const judgeHere = (judgedWith: ModelIndex, only: LineSelection, judgesOrganization: boolean) => judgeRecords(source, judgedWith, options.rules, { only, judgesOrganization, heapCeiling }, decided.add);
  await judgeHere(first.index, new ClaimedLines(share(0), tail, 0), first.judgesOrganization);
  decided.ownShareJudged();
  for (const [k, worker] of alive.entries()) {
    const judged = await worker.result;
    if (judged === OUT_OF_MEMORY) await judgeHere(await indexOfWhole(source, fromLines), new Set([...share(k + 1), ...claimedBy(tail, k + 1)]), false);
    else decided.absorb(judged);
    await worker.retire();
  }
}

/**
 * The index a judging thread judges `judged` with (of a large organization, a share of its
 * accounts): indexOf places only them, and of the header, which a thread narrows once its index is
 * made from it, are left only what the model looks up for them. The organization's accounts are
 * most of a large header, and the SCP targets one per account for a policy such as FullAWSAccess
 * (~200 bytes each): at 34,226 accounts this thread held 11.5 MB more live at the end of its share
 * before it did so (issue 16, twenty-fourth round; docs/operations/scale-measurements.md).
 */
export function indexForShare(header: SnapshotHeader, fromLines: AccountLinesIndex, judged: ReadonlySet<string>): ModelIndex {
  const index = indexOf(header, fromLines, judged);
  const accounts = header.accounts;
  if (accounts.value) accounts.value = accounts.value.filter((account) => judged.has(account.Id));
  const onSomePath = pathNodeIds(index);
  for (const policy of header.policies.value ?? []) {
    if (policy.Targets.value) policy.Targets.value = policy.Targets.value.filter((target) => onSomePath(target.TargetId));
  }
  return index;
}

/** Every account's index, for a worker's share judged here: from the header read again, this thread's own narrowed (indexForShare). */
async function indexOfWhole(source: SnapshotSource, fromLines: AccountLinesIndex): Promise<ModelIndex> {
  const { header } = await reopenSnapshot(source.file!, { identity: source.identity! });
  return indexOf(header, fromLines);
}

/**
 * Each worker alive merging a part of the verdicts: one that ran out of memory, in judging or now,
 * leaves its part to this thread (undefined); any other failure fails the evaluation.
 */
export function mergersOf(workers: Workers): PartMerger[] {
  return workers.running.filter((w) => !w.outOfMemory()).map((worker) => async (part) => {
    const merged = await worker.merge(part);
    return merged === OUT_OF_MEMORY ? undefined : merged;
  });
}

function serializedOnce(value: unknown): SharedArrayBuffer {
  const bytes = serialize(value);
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return shared;
}

interface RunningWorker {
  /** Its block of pass 1; OUT_OF_MEMORY when it ran out of its heap first. */
  block: Promise<BlockIndexed | typeof OUT_OF_MEMORY>;
  /** Its share of pass 2; OUT_OF_MEMORY when it ran out of its heap first. */
  result: Promise<DecidedShare | typeof OUT_OF_MEMORY>;
  outOfMemory(): boolean;
  /** Its first message: the rules, once this thread has loaded them. */
  postRules(rules: WorkerRules): void;
  post(task: WorkerTask): void;
  /**
   * Ends the thread once it answered its share. Its heap is at its cap by then, most of it judging's
   * garbage and what judging kept (the header, the index, the rules), none of which the merge needs:
   * kept for the merge, it was 390 MB of the peak at the end of a 100,000-account evaluation, beside
   * this thread's merge.
   */
  retire(): Promise<void>;
  /**
   * Its part of the merge, in a fresh thread started once it answered its share and retired;
   * OUT_OF_MEMORY when that ran out of its heap first. The part is posted before this returns, so
   * that the thread merges it while this one merges its own.
   */
  merge(part: MergePart): Promise<MergedPart | typeof OUT_OF_MEMORY>;
  stop(): Promise<void>;
}

type Threading = WorkerThreading & { heapMb: number; youngMb: number };

function startWorker(setup: WorkerSetup, threading: Threading): RunningWorker {
  const worker = startThread(setup, threading);
  let lines = 0;
  let outOfMemory = false;
  let merging: MergingThread | undefined;
  // A worker that answers says what it was doing; for one that died, what it was last known to do.
  const lastKnownStep = (): WorkerStep => (lines > 0 ? 'judging' : block.settled ? 'rules' : 'block');
  const failure = (message: string, stack?: string, step = lastKnownStep()) => workerFailure(step, lines, message, stack);
  const block = settlement<BlockIndexed | typeof OUT_OF_MEMORY>();
  const result = settlement<DecidedShare | typeof OUT_OF_MEMORY>();
  // Its answers come in this order (block, share): an error or the exit settles what is pending.
  const pending = () => (!block.settled ? block : result);
  worker.on('message', (reply: WorkerReply) => {
    if (!reply.ok) pending().reject(reply.userError ? new UserError(reply.message) : failure(reply.message, reply.stack, reply.step));
    else if (reply.block) block.resolve(reply.block);
    else if (!reply.merged) {
      result.resolve(reply);
      // Its last answer: its heap goes while this thread still judges, and a thread to merge its
      // spooled runs starts in its place.
      void retire().then(() => (Array.isArray(reply.verdicts) ? undefined : mergingThread()));
    }
  });
  worker.once('error', (err: NodeJS.ErrnoException) => {
    if (!ranOutOfHeap(err)) return pending().reject(failure(err.message, err.stack));
    outOfMemory = true;
    block.resolve(OUT_OF_MEMORY);
    result.resolve(OUT_OF_MEMORY);
  });
  worker.once('exit', (code) => pending().reject(failure(`exited with code ${code} before it answered`)));
  let retired: Promise<void> | undefined;
  const retire = () => (retired ??= worker.terminate().then(() => undefined));
  let stopped = false;
  const mergingThread = () => {
    if (!merging && !stopped) merging = startMerging(threading);
    return merging;
  };
  return {
    block: block.promise,
    result: result.promise,
    outOfMemory: () => outOfMemory,
    postRules: (rules) => worker.postMessage(rules),
    post: (task) => {
      lines = task.accountIds.length;
      worker.postMessage(task);
    },
    retire,
    merge: async (part) => {
      // Started once it retired (judgeInThreads awaits that), or now: the part is posted before any await.
      const thread = mergingThread();
      if (!thread) throw new Error('the evaluation is over: no part of the merge to take');
      return thread.merge(part);
    },
    stop: async () => {
      stopped = true;
      await retire();
      await merging?.stop();
    },
  };
}

/** A worker thread of WORKER_MODULE (or the module a test gives) on `data`, its heap capped as `threading` says. */
function startThread(data: WorkerSetup | WorkerMergeSetup, threading: Threading): Worker {
  return startWorkerThread(threading.module ?? WORKER_MODULE, {
    workerData: data,
    resourceLimits: { maxYoungGenerationSizeMb: threading.youngMb, maxOldGenerationSizeMb: threading.heapMb },
  });
}

/** A merging thread, started before its part is known. */
interface MergingThread {
  /** Posts the part at once; its merged part, or OUT_OF_MEMORY when the thread ran out of its heap first. */
  merge(part: MergePart): Promise<MergedPart | typeof OUT_OF_MEMORY>;
  stop(): Promise<number>;
}

/** A fresh thread waiting for its part of the merge; what it answers (or how it fails) settles the part, listened for from its start. */
function startMerging(threading: Threading): MergingThread {
  const worker = startThread({ merging: true, underCeiling: judgesUnderCeiling(threading.heapMb) }, threading);
  let lines = 0;
  const merged = mergedBy(worker, () => lines);
  return {
    merge: (part) => {
      lines = part.length;
      worker.postMessage({ part } satisfies WorkerMerge);
      return merged;
    },
    stop: () => worker.terminate(),
  };
}

/** The part of `lines()` verdicts that a merging thread answers with; OUT_OF_MEMORY when it ran out of its heap first. */
function mergedBy(worker: Worker, lines: () => number): Promise<MergedPart | typeof OUT_OF_MEMORY> {
  const merged = settlement<MergedPart | typeof OUT_OF_MEMORY>();
  const failure = (message: string, stack?: string) => workerFailure('merging', lines(), message, stack);
  worker.on('message', (reply: WorkerReply) => {
    if (!reply.ok) merged.reject(reply.userError ? new UserError(reply.message) : failure(reply.message, reply.stack));
    else if (reply.merged) merged.resolve(reply.merged);
  });
  worker.once('error', (err: NodeJS.ErrnoException) => (ranOutOfHeap(err) ? merged.resolve(OUT_OF_MEMORY) : merged.reject(failure(err.message, err.stack))));
  worker.once('exit', (code) => merged.reject(failure(`exited with code ${code} before it answered`)));
  return merged.promise;
}

interface Settlement<T> {
  promise: Promise<T>;
  settled: boolean;
  resolve(value: T): void;
  reject(err: Error): void;
}

/** A promise settled from outside, once (later calls are ignored); a rejection nobody awaits is not unhandled. */
function settlement<T>(): Settlement<T> {
  let settle!: { resolve: (value: T) => void; reject: (err: Error) => void };
  const promise = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  promise.catch(() => undefined);
  const s: Settlement<T> = {
    promise,
    settled: false,
    resolve: (value) => {
      if (!s.settled) settle.resolve(value);
      s.settled = true;
    },
    reject: (err) => {
      if (!s.settled) settle.reject(err);
      s.settled = true;
    },
  };
  return s;
}

/** `count`: its share of pass 2 in accounts (0 until it is given one), or its part of the merge in verdicts. */
function workerFailure(step: WorkerStep, count: number, message: string, stack?: string): Error {
  const what = {
    block: 'a worker thread validating its block of the snapshot',
    rules: 'a worker thread loading the rules',
    judging: `evaluation of ${count} accounts in a worker thread`,
    merging: `the merge of ${count} verdicts in a worker thread`,
  }[step];
  const err = new Error(`${what} failed: ${message}`);
  if (stack) err.stack = `${err.message}\n${stack}`;
  return err;
}

const WORKER_MODULE = moduleBeside(import.meta.url, 'parallel-worker');
