/**
 * Pass 2 of a large snapshot on several cores. The workers are started before pass 1, so their
 * start-up (module load, rule compilation) overlaps this thread's read and validation of the file.
 * Once pass 1 has built the model index, the account lines in scope are dealt out between this
 * thread and the N-1 workers, each handed the index (copied by postMessage, not rebuilt from the
 * file) and judging only its own lines. Every thread applies the exceptions, tallies the gate and
 * spools its own verdicts (decided.ts); a worker hands back its sorted runs unmerged, and this
 * thread merges every thread's runs once (verdict-spool.ts finish).
 *
 * A worker reads the file again for its lines without schema checks; it proves them the validated
 * bytes by the file's identity (device, inode, size, times) as this thread does for its own later
 * passes (snapshot/read.ts), and fails with a UserError when the file changed. */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ModelIndex } from '../model/index.ts';
import { ruleSpecOf, type RuleSpec } from '../rules/load.ts';
import { UserError } from '../shared/errors.ts';
import { moduleBeside, startWorkerThread } from '../shared/worker-thread.ts';
import type { SnapshotSource } from '../snapshot/read.ts';
import { judgeRecords } from './judge.ts';
import type { EvaluateOptions } from './options.ts';
import type { DecidedOptions, DecidedShare, DecidedVerdicts } from './decided.ts';
import { sharedSpoolDir } from './verdict-spool.ts';

/**
 * Default thread count: 1, on any number of cores (capped by availableParallelism()). Measured on
 * the 2-core machine at 10,000 accounts, `-f md`, after the workers stopped re-hashing the file and
 * re-spooling their verdicts (issue 16; docs/operations/large-organizations.md), idle: two threads
 * 9.2-9.5 s wall, 15.3-15.9 s CPU, 537-568 MB against 10.5-10.7 s, 13.1-13.4 s, 360-366 MB for one.
 * A second on 2 cores gains little, because one thread already keeps the second core busy with V8's
 * garbage collection and pass 1 stays serial; and at 100,000 accounts two threads took 2.1 GB
 * against 0.76 GB (the worker holds its own copy of the index). `--workers N` asks for more on a
 * machine with idle cores and memory to spare.
 */
const DEFAULT_THREADS = 1;

/**
 * A worker's young generation (V8's, for objects that die young: most of what judging an account
 * makes). Only settable when a thread starts; measured at 10,000 accounts, 4 runs each (load 6-7):
 * the default gave 16.9 s process CPU and a 4.3 s worker thread; 96 MB gave 16.3 s and 4.1 s, at
 * the same peak RSS; 192 MB no better, with 60 MB more RSS.
 */
const YOUNG_GENERATION_MB = 96;

/** What a worker is started with, before pass 1: enough to load the rules and decide verdicts (plain data). */
export interface WorkerSetup {
  file: string;
  /** The file's identity when this thread opened it: the worker proves with it that it reads the validated bytes. */
  identity: string;
  rules: RuleSpec[];
  /** How verdicts are decided, as in this thread; the worker's spool goes in spoolDir (removed by this thread at exit). */
  decided: DecidedOptions & { spoolDir: string };
}

/** What a worker judges, sent once pass 1 is over. */
export interface WorkerTask {
  /** Lines of the accounts this worker judges. */
  lines: number[];
  /** Pass 1's index, without its per-module memo (filled again on demand). */
  index: ModelIndex;
}

export type WorkerReply = ({ ok: true } & DecidedShare) | { ok: false; userError: boolean; message: string; stack?: string };

/**
 * How many threads evaluate `source`: 1 unless it is a file, unsharded, not narrowed, judged by
 * rules loaded from files, and `workers` asks for more.
 */
export function threadsFor(source: SnapshotSource, options: EvaluateOptions): number {
  const asked = options.workers;
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 1)) {
    throw new UserError(`--workers ${asked}: expected a whole number of at least 1`);
  }
  if (!source.file || !source.identity || options.shard || options.only || options.rules.some((r) => !ruleSpecOf(r))) return 1;
  const threads = asked ?? Math.min(DEFAULT_THREADS, availableParallelism());
  return Math.max(1, Math.min(threads, source.header.scope.accountIds.length || 1));
}

/** Worker threads started before pass 1, waiting for their share of pass 2. */
export interface Workers {
  running: RunningWorker[];
  /** Ends every worker (a no-op for one that has answered). */
  stop(): void;
}

/** Starts `count` workers that load the rules while this thread runs pass 1. */
export function startWorkers(source: SnapshotSource, options: EvaluateOptions, decided: DecidedOptions, count: number): Workers {
  const setup: WorkerSetup = { file: source.file!, identity: source.identity!, rules: options.rules.map((r) => ruleSpecOf(r)!), decided: { ...decided, spoolDir: sharedSpoolDir() } };
  const running: RunningWorker[] = [];
  for (let k = 0; k < count; k++) running.push(startWorker(setup));
  return { running, stop: () => running.forEach((w) => void w.stop()) };
}

interface Judged {
  index: ModelIndex;
  lines: number[];
  judgesOrganization: boolean;
}

/**
 * Pass 2 split between this thread and the workers: account lines are dealt round-robin, this
 * thread judges its share into `decided`, then absorbs each worker's share (their spooled runs are
 * merged with this thread's once, by decided.finish()).
 */
export async function judgeInThreads(workers: Workers, source: SnapshotSource, options: EvaluateOptions, first: Judged, decided: DecidedVerdicts): Promise<void> {
  const threads = workers.running.length + 1;
  const share = (k: number) => first.lines.filter((_, i) => i % threads === k);
  const index = { ...first.index, memo: new Map() };
  workers.running.forEach((worker, k) => worker.post({ lines: share(k + 1), index }));
  await judgeRecords(source, first.index, options.rules, { only: new Set(share(0)), judgesOrganization: first.judgesOrganization }, decided.add);
  for (const worker of workers.running) decided.absorb(await worker.result);
}

interface RunningWorker {
  result: Promise<DecidedShare>;
  post(task: WorkerTask): void;
  stop(): Promise<number>;
}

function startWorker(setup: WorkerSetup): RunningWorker {
  const worker = spawn(setup);
  let lines = 0;
  const failure = (message: string, stack?: string) => workerFailure(lines, message, stack);
  const result = new Promise<DecidedShare>((resolve, reject) => {
    worker.once('message', (reply: WorkerReply) => {
      if (reply.ok) resolve(reply);
      else reject(reply.userError ? new UserError(reply.message) : failure(reply.message, reply.stack));
    });
    worker.once('error', (err) => reject(failure(err.message, err.stack)));
    worker.once('exit', (code) => reject(failure(`exited with code ${code} before it answered`)));
  });
  // This thread's own failure (an invalid snapshot) is the one to report; a worker that then
  // fails or is stopped must not surface as an unhandled rejection.
  result.catch(() => undefined);
  return {
    result,
    post: (task) => {
      lines = task.lines.length;
      worker.postMessage(task);
    },
    stop: () => worker.terminate(),
  };
}

/** `accounts` is 0 until the worker is given its share (it failed while starting). */
function workerFailure(accounts: number, message: string, stack?: string): Error {
  const what = accounts > 0 ? `evaluation of ${accounts} accounts in a worker thread` : 'a worker thread starting to evaluate';
  const err = new Error(`${what} failed: ${message}`);
  if (stack) err.stack = `${err.message}\n${stack}`;
  return err;
}

const WORKER_MODULE = moduleBeside(import.meta.url, 'parallel-worker');

function spawn(setup: WorkerSetup): Worker {
  return startWorkerThread(WORKER_MODULE, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
}
