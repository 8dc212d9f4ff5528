/**
 * A judging worker's share of pass 2 (judging-worker.ts): the rules loaded again from their specs,
 * then its account lines judged with the index this thread's share needs. A module of its own so
 * that the worker loads the rules engine, the model's facts and the spool (~0.1 s of its start-up
 * on an idle core; issue 16, twenty-ninth round) only once its block of pass 1 is answered, while
 * the main thread merges the blocks: not before its block, where the main thread waits for it.
 */
import { deserialize } from 'node:v8';
import { resourceLimits } from 'node:worker_threads';
import type { AccountLinesIndex } from '../model/index.ts';
import { loadRuleSpecs, type LoadedRule } from '../rules/load.ts';
import { HeapCeiling } from '../shared/full-collection.ts';
import type { SnapshotSource } from '../snapshot/read.ts';
import { DecidedVerdicts } from './decided.ts';
import { judgeRecords } from './judge.ts';
import { indexForShare, judgesUnderCeiling, type WorkerReply, type WorkerRules, type WorkerTask } from './parallel.ts';
import { ClaimedLines } from './shared-tail.ts';

/** A worker ready for its share: the rules loaded, how verdicts are decided, the snapshot it read. */
export interface Judging {
  judge(task: WorkerTask): Promise<WorkerReply>;
}

export function readyToJudge(sent: WorkerRules, source: SnapshotSource): Judging {
  const rules = loadRuleSpecs(sent.rules);
  return { judge: (task) => judgeShare(rules, sent.decided, source, task) };
}

async function judgeShare(rules: LoadedRule[], options: WorkerRules['decided'], source: SnapshotSource, task: WorkerTask): Promise<WorkerReply> {
  const decided = new DecidedVerdicts(options);
  const index = indexForShare(source.header, deserialize(new Uint8Array(task.index)) as AccountLinesIndex, new Set(task.accountIds));
  await judgeRecords(source, index, rules, { only: new ClaimedLines(task.lines, task.tail, task.thread), judgesOrganization: false, ...ceiling() }, decided.add);
  return { ok: true, ...decided.share() };
}

/**
 * Where its cap leaves V8's own growth unthrottled (below 30,001 accounts: parallel.ts workerHeapMb),
 * its heap is collected as the main thread's is while judging, at a ceiling above what it keeps live.
 */
function ceiling(): { heapCeiling?: HeapCeiling } {
  return judgesUnderCeiling(resourceLimits.maxOldGenerationSizeMb ?? Infinity) ? { heapCeiling: new HeapCeiling() } : {};
}
