/**
 * A worker thread of write-threads.ts: writes its group of formats over its own read of the
 * spooled verdicts (handed over as its first message when its parent was still writing them),
 * its heap held under a ceiling (write-threads.ts WORKER_HEAP_ROOM_MB: its cap does not bound
 * it), and answers with what it wrote and what failed (errors as plain data, marked when they are
 * the user's).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSpool, type SpoolHandle } from '../evaluate/verdict-spool.ts';
import { UserError } from '../shared/errors.ts';
import { HeapCeiling } from '../shared/full-collection.ts';
import { formatterFor } from './registry.ts';
import { writeFormats } from './write-formats.ts';
import type { FailureReply, ReportReply, ReportTask } from './write-threads.ts';

/** The task's spool, or the one this thread's parent hands over once it has written it (write-threads.ts). */
function spoolOf(task: ReportTask): Promise<SpoolHandle> {
  return task.spool ? Promise.resolve(task.spool) : new Promise((resolve) => parentPort!.once('message', resolve));
}

async function writeTask(task: ReportTask): Promise<ReportReply> {
  const spool = await spoolOf(task);
  try {
    const { written, failures } = await writeFormats({ ...task.result, verdicts: openSpool(spool) }, task.formats.map(formatterFor), task.outDir, task.options, new HeapCeiling(task.heapRoomMb * 2 ** 20));
    return { written, failures: failures.map(({ format, error }) => plainFailure(format, error)) };
  } catch (err) {
    // The spool would not open: none of this worker's formats was written.
    const error = err instanceof Error ? err : new Error(String(err));
    return { written: [], failures: task.formats.map((format) => plainFailure(format, error)) };
  }
}

function plainFailure(format: string, error: Error): FailureReply {
  return { format, message: error.message, userError: error instanceof UserError, ...(error.stack ? { stack: error.stack } : {}) };
}

parentPort!.postMessage(await writeTask(workerData as ReportTask));
