/**
 * A worker thread of parallel.ts: a judging thread (judging-worker.ts), or, started to merge
 * instead (a fresh thread, so that the judging thread's heap is gone), one that waits for its part
 * of the merge of every thread's runs (run-merge.ts), merges it into the main thread's merged file,
 * answers and exits. An error is answered instead, marked when it is a UserError.
 *
 * A merging thread loads the merge's modules only: the judging ones (the model, the rules, the
 * snapshot's reader) were ~0.13 s of its CPU and 19 MB, and its start-up is on the way to the
 * merge's end when this thread's plan is done first (issue 16, twenty-fifth round).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HeapCeiling } from '../shared/full-collection.ts';
import type { WorkerMerge, WorkerMergeSetup, WorkerReply, WorkerSetup } from './parallel.ts';
import { mergePart } from './run-merge.ts';
import { failureOf } from './worker-failure.ts';

/** Waits for its part, merges it and answers; then nothing keeps the thread, which exits. */
function merging(setup: WorkerMergeSetup): void {
  port.once('message', ({ part }: WorkerMerge) => {
    let reply: WorkerReply;
    try {
      // A fresh thread: its heap holds only the merge's own lines, which V8 or the ceiling collects.
      reply = { ok: true, merged: mergePart(part, setup.underCeiling ? new HeapCeiling() : undefined) };
    } catch (err) {
      reply = failureOf(err, 'merging');
    }
    port.postMessage(reply);
  });
}

const port = parentPort!;
const data = workerData as WorkerSetup | WorkerMergeSetup;
if ('merging' in data) merging(data);
else {
  const { judging } = await import('./judging-worker.ts');
  judging(data, port);
}
