/**
 * Evaluation of a large snapshot on several cores. The pipeline already knows how to evaluate
 * one shard of the accounts (`shard: 'K/N'`) and merge.ts how to put shard results back
 * together byte for byte; so this thread evaluates shard 1 of N while worker threads evaluate
 * shards 2..N of the same file, and the results are merged in memory.
 *
 * This thread also validates the file (its own first pass); a worker reads the same bytes
 * without schema checks. Nothing a worker returns is used before that validation has passed and
 * the worker's hash of the file is found equal to this thread's, so a bad or changing snapshot
 * fails with the same UserError as a serial evaluation.
 */
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScanResult } from '../contracts/result.ts';
import { ruleSpecOf, type RuleSpec } from '../rules/load.ts';
import { UserError } from '../shared/errors.ts';
import type { SnapshotSource } from '../snapshot/read.ts';
import { mergeShardResults } from './merge.ts';
import type { EvaluateOptions } from './options.ts';

/** Below this many accounts, starting a worker costs more than it saves. */
export const PARALLEL_MIN_ACCOUNTS = 2_000;
/** Default thread count: two is what the evaluation scales to before the serial report writing dominates. */
const DEFAULT_MAX_THREADS = 2;

/** What a worker needs to evaluate its shard: plain data only. */
export interface WorkerTask {
  file: string;
  shard: string;
  config: EvaluateOptions['config'];
  rules: RuleSpec[];
  asOf?: string;
}

export type WorkerReply = { ok: true; result: ScanResult } | { ok: false; userError: boolean; message: string; stack?: string };

/**
 * How many threads evaluate `source`: 1 unless it is a file, unsharded, not narrowed, judged by rules loaded
 * from files, and either `workers` asks for more or it is large enough for the default.
 */
export function threadsFor(source: SnapshotSource, options: EvaluateOptions): number {
  const asked = options.workers;
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 1)) {
    throw new UserError(`--workers ${asked}: expected a whole number of at least 1`);
  }
  if (!source.file || options.shard || options.only || options.rules.some((r) => !ruleSpecOf(r))) return 1;
  if (asked !== undefined) return Math.min(asked, source.header.scope.accountIds.length || 1);
  if (source.header.scope.accountIds.length < PARALLEL_MIN_ACCOUNTS) return 1;
  return Math.min(DEFAULT_MAX_THREADS, availableParallelism());
}

type EvaluateHere = (source: SnapshotSource, options: EvaluateOptions) => Promise<ScanResult>;

export async function evaluateInThreads(source: SnapshotSource, options: EvaluateOptions, threads: number, evaluateHere: EvaluateHere): Promise<ScanResult> {
  const file = source.file!;
  const rules = options.rules.map((r) => ruleSpecOf(r)!);
  const workers: RunningWorker[] = [];
  try {
    for (let k = 2; k <= threads; k++) {
      workers.push(startWorker({ file, shard: `${k}/${threads}`, config: options.config, rules, ...(options.asOf ? { asOf: options.asOf } : {}) }));
    }
    const own = await evaluateHere(source, { ...options, shard: `1/${threads}`, workers: 1 });
    const others: ScanResult[] = [];
    for (const worker of workers) others.push(await worker.result);
    for (const other of others) {
      if (other.snapshot.sha256 !== source.sha256) {
        throw new UserError(`${file}: the file changed while it was being evaluated (its SHA-256 differs between threads); evaluate a snapshot that is not being written`);
      }
    }
    const merged = mergeShardResults([own, ...others]);
    // The unsharded result keeps the shard label the snapshot itself may carry (a sharded collection).
    const { shard: _split, ...scope } = merged.scope;
    return { ...merged, scope: source.header.scope.shard ? { ...scope, shard: source.header.scope.shard } : scope };
  } finally {
    for (const worker of workers) void worker.stop();
  }
}

interface RunningWorker {
  result: Promise<ScanResult>;
  stop(): Promise<number>;
}

function startWorker(task: WorkerTask): RunningWorker {
  const worker = spawn(task);
  const result = new Promise<ScanResult>((resolve, reject) => {
    worker.once('message', (reply: WorkerReply) => {
      if (reply.ok) resolve(reply.result);
      else reject(reply.userError ? new UserError(reply.message) : workerFailure(task, reply.message, reply.stack));
    });
    worker.once('error', (err) => reject(workerFailure(task, err.message, err.stack)));
    worker.once('exit', (code) => reject(workerFailure(task, `exited with code ${code} before it answered`)));
  });
  // This thread's own failure (an invalid snapshot) is the one to report; a worker that then
  // fails or is stopped must not surface as an unhandled rejection.
  result.catch(() => undefined);
  return { result, stop: () => worker.terminate() };
}

function workerFailure(task: WorkerTask, message: string, stack?: string): Error {
  const err = new Error(`evaluation of shard ${task.shard} in a worker thread failed: ${message}`);
  if (stack) err.stack = `${err.message}\n${stack}`;
  return err;
}

/** The worker module beside this one, with the same extension (.ts when run from source). */
const WORKER_URL = new URL(`./parallel-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
const FROM_SOURCE = WORKER_URL.pathname.endsWith('.ts');

function spawn(task: WorkerTask): Worker {
  // Nothing of this process's execArgv (a test runner's, a profiler's) is passed on.
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData: task, execArgv: [] });
  return new Worker(new URL('./parallel-worker-tsx.mjs', import.meta.url), { workerData: task, execArgv: [], argv: [WORKER_URL.href] });
}
