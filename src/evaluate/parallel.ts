/**
 * Pass 2 of a large snapshot on several cores. This thread has read and validated the file and
 * built the model index (pass 1); the account lines in scope are dealt out between this thread
 * and N-1 worker threads, each handed the index (copied by postMessage, not rebuilt from the
 * file) and judging only its own lines. Each thread's verdicts come back as a sorted list (a spool
 * on disk when large); the pipeline applies exceptions and the gate to all of them in this thread.
 *
 * A worker reads the file again for its lines without schema checks and hashes every byte; a
 * worker whose hash differs from this thread's (the file changed) fails with a UserError.
 */
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { VerdictList } from '../contracts/result.ts';
import type { ModelIndex } from '../model/index.ts';
import { ruleSpecOf, type RuleSpec } from '../rules/load.ts';
import { UserError } from '../shared/errors.ts';
import type { SnapshotSource } from '../snapshot/read.ts';
import { judgeRecords } from './judge.ts';
import type { EvaluateOptions } from './options.ts';
import { openSpool, sharedSpoolDir, VerdictSpool, type SpoolHandle } from './verdict-spool.ts';
import type { Verdict } from '../contracts/verdict.ts';

/**
 * Default thread count: 1. Measured on the 2-core machine (10,000 accounts, JSON+SARIF; issue 16,
 * re-measured after lazy evidence and digest keys): two threads cost more CPU (33 s against 26 s),
 * more memory (867 MB against 467 MB) and gained no wall time, because pass 1 (read, validate)
 * and the report writing are serial; `--workers N` still asks for more.
 */
const DEFAULT_THREADS = 1;

/** What a worker needs to judge its lines: plain data only. */
export interface WorkerTask {
  file: string;
  sha256: string;
  /** Lines of the accounts this worker judges. */
  lines: number[];
  /** Pass 1's index, without its per-module memo (filled again on demand). */
  index: ModelIndex;
  rules: RuleSpec[];
  /** Where a worker's spool goes; this thread removes it. */
  spoolDir: string;
}

export type WorkerReply = { ok: true; verdicts: Verdict[] | SpoolHandle } | { ok: false; userError: boolean; message: string; stack?: string };

/**
 * How many threads evaluate `source`: 1 unless it is a file, unsharded, not narrowed, judged by
 * rules loaded from files, and `workers` asks for more.
 */
export function threadsFor(source: SnapshotSource, options: EvaluateOptions): number {
  const asked = options.workers;
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 1)) {
    throw new UserError(`--workers ${asked}: expected a whole number of at least 1`);
  }
  if (!source.file || options.shard || options.only || options.rules.some((r) => !ruleSpecOf(r))) return 1;
  const threads = asked ?? Math.min(DEFAULT_THREADS, availableParallelism());
  return Math.max(1, Math.min(threads, source.header.scope.accountIds.length || 1));
}

interface Judged {
  index: ModelIndex;
  lines: number[];
  judgesOrganization: boolean;
}

/** Pass 2 split between this thread and `threads - 1` workers: one sorted verdict list per thread. */
export async function judgeInThreads(source: SnapshotSource, options: EvaluateOptions, first: Judged, threads: number): Promise<VerdictList[]> {
  const file = source.file!;
  const sha256 = source.sha256!;
  const rules = options.rules.map((r) => ruleSpecOf(r)!);
  const spoolDir = sharedSpoolDir();
  const share = (k: number) => first.lines.filter((_, i) => i % threads === k);
  const index = { ...first.index, memo: new Map() };
  const workers: RunningWorker[] = [];
  try {
    for (let k = 1; k < threads; k++) workers.push(startWorker({ file, sha256, lines: share(k), index, rules, spoolDir }));
    const own = new VerdictSpool(spoolDir);
    await judgeRecords(source, first.index, options.rules, { only: new Set(share(0)), judgesOrganization: first.judgesOrganization }, (v) => own.add(v));
    const lists: VerdictList[] = [own.finish()];
    for (const worker of workers) {
      const verdicts = await worker.result;
      lists.push(Array.isArray(verdicts) ? verdicts : openSpool(verdicts));
    }
    return lists;
  } finally {
    for (const worker of workers) void worker.stop();
  }
}

interface RunningWorker {
  result: Promise<Verdict[] | SpoolHandle>;
  stop(): Promise<number>;
}

function startWorker(task: WorkerTask): RunningWorker {
  const worker = spawn(task);
  const result = new Promise<Verdict[] | SpoolHandle>((resolve, reject) => {
    worker.once('message', (reply: WorkerReply) => {
      if (reply.ok) resolve(reply.verdicts);
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
  const err = new Error(`evaluation of ${task.lines.length} accounts in a worker thread failed: ${message}`);
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
