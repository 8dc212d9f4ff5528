/**
 * A worker thread of parallel.ts: evaluates one shard of a snapshot file that the main thread
 * validates, and answers with the shard's ScanResult (or the error, marked when it is a UserError).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRuleSpecs } from '../rules/load.ts';
import { UserError } from '../shared/errors.ts';
import { reopenSnapshot } from '../snapshot/read.ts';
import type { WorkerReply, WorkerTask } from './parallel.ts';
import { evaluateSnapshot } from './pipeline.ts';

async function evaluateTask(task: WorkerTask): Promise<WorkerReply> {
  try {
    const source = await reopenSnapshot(task.file);
    const rules = loadRuleSpecs(task.rules);
    const result = await evaluateSnapshot(source, {
      config: task.config,
      rules,
      shard: task.shard,
      workers: 1,
      ...(task.asOf ? { asOf: task.asOf } : {}),
    });
    return { ok: true, result };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, userError: e instanceof UserError, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  }
}

parentPort!.postMessage(await evaluateTask(workerData as WorkerTask));
