/**
 * A worker thread of write-threads.ts: writes its group of formats over its own read of the
 * spooled verdicts (handed over as its first message when its parent was still writing them),
 * its heap held under a ceiling (write-threads.ts WORKER_HEAP_ROOM_MB: its cap does not bound
 * it), then the HTML accounts pages its parent has not claimed yet when it shares them, and
 * answers with what it wrote and what failed (errors as plain data, marked when they are the
 * user's) and the accounts pages at their temporary names.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSpool, type SpoolHandle } from '../evaluate/verdict-spool.ts';
import { UserError } from '../shared/errors.ts';
import { collectGarbageNow, HeapCeiling } from '../shared/full-collection.ts';
import { htmlAccountsPagesFormatter } from './html.ts';
import { formatterFor } from './registry.ts';
import { writeFormats } from './write-formats.ts';
import type { AccountsPagesMessage, FailureReply, ReportReply, ReportTask } from './write-threads.ts';

/** The parent's messages, in the order sent: the spool (when the task has none), then the accounts pages' matrix. */
const messages: unknown[] = [];
let waiting: ((message: unknown) => void) | undefined;
parentPort!.on('message', (message: unknown) => {
  if (waiting) {
    const resolve = waiting;
    waiting = undefined;
    resolve(message);
  } else messages.push(message);
});
const nextMessage = (): Promise<unknown> => (messages.length > 0 ? Promise.resolve(messages.shift()) : new Promise((resolve) => (waiting = resolve)));

/** The task's spool, or the one this thread's parent hands over once it has written it (write-threads.ts). */
function spoolOf(task: ReportTask): Promise<SpoolHandle> {
  return task.spool ? Promise.resolve(task.spool) : (nextMessage() as Promise<SpoolHandle>);
}

async function writeTask(task: ReportTask): Promise<ReportReply> {
  const spool = await spoolOf(task);
  try {
    const result = { ...task.result, verdicts: openSpool(spool) };
    const ceiling = new HeapCeiling(task.heapRoomMb * 2 ** 20);
    const { written, failures } = await writeFormats(result, task.formats.map(formatterFor), task.outDir, task.options, ceiling);
    const reply: ReportReply = { written, failures: failures.map(({ format, error }) => plainFailure(format, error)) };
    if (!task.accountsPageClaims) return reply;
    // HTML's accounts pages once this thread's formats are written: those its parent has not claimed.
    const { accountsPages } = (await nextMessage()) as AccountsPagesMessage;
    if (!accountsPages) return reply;
    // What JSON and SARIF left is garbage: collected before the pages grow the heap further (the
    // peak of a 34,226-account run rose by 30-80 MB without it, the pages' heap on top of theirs).
    const pages = await writeFormats(result, [htmlAccountsPagesFormatter(accountsPages.matrix, accountsPages.pages, { claims: task.accountsPageClaims })], task.outDir, task.options, collectedCeiling(task), new Set(['html']));
    reply.failures.push(...pages.failures.map(({ format, error }) => plainFailure(format, error)));
    if (pages.held) reply.held = pages.held;
    return reply;
  } catch (err) {
    // The spool would not open: none of this worker's formats was written.
    const error = err instanceof Error ? err : new Error(String(err));
    return { written: [], failures: task.formats.map((format) => plainFailure(format, error)) };
  }
}

/** A ceiling from a heap collected now (the room the task gives). */
function collectedCeiling(task: ReportTask): HeapCeiling {
  collectGarbageNow();
  return new HeapCeiling(task.heapRoomMb * 2 ** 20);
}

function plainFailure(format: string, error: Error): FailureReply {
  return { format, message: error.message, userError: error instanceof UserError, ...(error.stack ? { stack: error.stack } : {}) };
}

parentPort!.postMessage(await writeTask(workerData as ReportTask));
// The answer is sent: nothing more to wait for (the message listener would keep the thread alive).
parentPort!.removeAllListeners('message');
