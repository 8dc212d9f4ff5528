/**
 * A worker thread of parallel.ts: judges the account lines it is given with the model index the
 * main thread built, and answers with its sorted verdicts (a spool handle when they were written
 * to disk), or the error, marked when it is a UserError.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRuleSpecs } from '../rules/load.ts';
import { UserError } from '../shared/errors.ts';
import { reopenSnapshot } from '../snapshot/read.ts';
import { judgeRecords } from './judge.ts';
import type { WorkerReply, WorkerTask } from './parallel.ts';
import { VerdictSpool } from './verdict-spool.ts';

async function judgeTask(task: WorkerTask): Promise<WorkerReply> {
  try {
    const source = await reopenSnapshot(task.file, task.sha256);
    const spool = new VerdictSpool(task.spoolDir);
    await judgeRecords(source, task.index, loadRuleSpecs(task.rules), { only: new Set(task.lines), judgesOrganization: false }, (v) => spool.add(v));
    const verdicts = spool.finish();
    return { ok: true, verdicts: Array.isArray(verdicts) ? verdicts : verdicts.spool };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, userError: e instanceof UserError, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  }
}

parentPort!.postMessage(await judgeTask(workerData as WorkerTask));
