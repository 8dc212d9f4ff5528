/**
 * A worker thread of parallel.ts. Started before the main thread's pass 1, it validates and
 * indexes its block of lines (first-pass-block.ts) and answers with it; then it loads the rules
 * and waits for its share of pass 2: it judges those account lines with the model index the main
 * thread built, applies the exceptions and tallies as the main thread does (decided.ts), and
 * answers with its share (spooled runs left unmerged), and the main thread ends it. Started to merge
 * instead (a fresh thread, so that the judging thread's heap is gone), it waits for its part of the
 * merge of every thread's runs (run-merge.ts), merges it into the main thread's merged file, answers
 * and exits. An error is answered instead, marked when it is a UserError.
 */
import { deserialize } from 'node:v8';
import { parentPort, resourceLimits, workerData } from 'node:worker_threads';
import type { AccountLinesIndex } from '../model/index.ts';
import { loadRuleSpecs, type LoadedRule } from '../rules/load.ts';
import { UserError } from '../shared/errors.ts';
import { HeapCeiling } from '../shared/full-collection.ts';
import { reopenSnapshot, type SnapshotSource } from '../snapshot/read.ts';
import { DecidedVerdicts } from './decided.ts';
import { indexBlock } from './first-pass-block.ts';
import { judgeRecords } from './judge.ts';
import { indexForShare, judgesUnderCeiling, type WorkerMerge, type WorkerMergeSetup, type WorkerReply, type WorkerSetup, type WorkerStep, type WorkerTask } from './parallel.ts';
import { mergePart } from './run-merge.ts';
import { ClaimedLines } from './shared-tail.ts';

interface Ready {
  rules: LoadedRule[];
  source: SnapshotSource;
}

/** What this worker is doing, said with a failure (its answers and this thread's arrive in any order). */
let step: WorkerStep = 'block';

async function firstPassThenRules(setup: WorkerSetup): Promise<Ready> {
  const source = await reopenSnapshot(setup.file, { identity: setup.identity });
  const block = await indexBlock(setup.file, source.header, setup.headerLine, setup.block);
  port.postMessage({ ok: true, block } satisfies WorkerReply);
  step = 'rules';
  return { rules: loadRuleSpecs(setup.rules), source };
}

async function judgeTask(setup: WorkerSetup, { rules, source }: Ready, task: WorkerTask): Promise<WorkerReply> {
  step = 'judging';
  const decided = new DecidedVerdicts(setup.decided);
  const index = indexForShare(source.header, deserialize(new Uint8Array(task.index)) as AccountLinesIndex, new Set(task.accountIds));
  await judgeRecords(source, index, rules, { only: new ClaimedLines(task.lines, task.tail, task.thread), judgesOrganization: false, ...ceiling() }, decided.add);
  return { ok: true, ...decided.share() };
}

/**
 * Where its cap leaves V8's own growth unthrottled (below 30,001 accounts: parallel.ts workerHeapMb),
 * its heap is collected as the main thread's is while judging and merging, at a ceiling above what it keeps live.
 */
function ceiling(): { heapCeiling?: HeapCeiling } {
  return judgesUnderCeiling(resourceLimits.maxOldGenerationSizeMb ?? Infinity) ? { heapCeiling: new HeapCeiling() } : {};
}

function mergeTask({ part }: WorkerMerge): WorkerReply {
  step = 'merging';
  // A fresh thread: its heap holds only the merge's own lines, which V8 or the ceiling collects.
  return { ok: true, merged: mergePart(part, ceiling().heapCeiling) };
}

function failureOf(err: unknown): WorkerReply {
  const e = err instanceof Error ? err : new Error(String(err));
  return { ok: false, userError: e instanceof UserError, message: e.message, step, ...(e.stack ? { stack: e.stack } : {}) };
}

/** Judges: its block of pass 1, then its share of pass 2, until the main thread ends it. */
function judging(setup: WorkerSetup): void {
  const ready = firstPassThenRules(setup);
  ready.catch((err: unknown) => port.postMessage(failureOf(err)));
  port.on('message', (task: WorkerTask) => {
    void ready.then((r) => judgeTask(setup, r, task)).then(
      (reply) => port.postMessage(reply),
      (err: unknown) => port.postMessage(failureOf(err)),
    );
  });
}

/** Waits for its part, merges it and answers; then nothing keeps the thread, which exits. */
function merging(): void {
  port.once('message', (task: WorkerMerge) => {
    let reply: WorkerReply;
    try {
      reply = mergeTask(task);
    } catch (err) {
      reply = failureOf(err);
    }
    port.postMessage(reply);
  });
}

const port = parentPort!;
const data = workerData as WorkerSetup | WorkerMergeSetup;
if ('merging' in data) merging();
else judging(data);
