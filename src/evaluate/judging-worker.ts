/**
 * What a judging worker thread of parallel.ts does (parallel-worker.ts starts it). Started before
 * the main thread's pass 1 (as soon as the header is parsed, before the main thread checks it and
 * loads the rules: parallel.ts launchWorkers), it validates and indexes its block of lines
 * (first-pass-block.ts) and answers with it; then it loads the rules the main thread sent meanwhile
 * (its first message) and waits for its share of pass 2: it judges those
 * account lines with the model index the main thread built, applies the exceptions and tallies as
 * the main thread does (decided.ts), and answers with its share (spooled runs left unmerged), and
 * the main thread ends it.
 */
import { deserialize } from 'node:v8';
import { type MessagePort, resourceLimits } from 'node:worker_threads';
import type { AccountLinesIndex } from '../model/index.ts';
import { loadRuleSpecs, type LoadedRule } from '../rules/load.ts';
import { HeapCeiling } from '../shared/full-collection.ts';
import { reopenSnapshot, type SnapshotSource } from '../snapshot/read.ts';
import { DecidedVerdicts } from './decided.ts';
import { indexBlock } from './first-pass-block.ts';
import { judgeRecords } from './judge.ts';
import { indexForShare, judgesUnderCeiling, type WorkerReply, type WorkerRules, type WorkerSetup, type WorkerStep, type WorkerTask } from './parallel.ts';
import { ClaimedLines } from './shared-tail.ts';
import { failureOf } from './worker-failure.ts';

interface Ready {
  rules: LoadedRule[];
  decided: WorkerRules['decided'];
  source: SnapshotSource;
}

/** What this worker is doing, said with a failure (its answers and this thread's arrive in any order). */
let step: WorkerStep = 'block';

async function firstPassThenRules(setup: WorkerSetup, port: MessagePort, sent: Promise<WorkerRules>): Promise<Ready> {
  const source = await reopenSnapshot(setup.file, { identity: setup.identity });
  const block = await indexBlock(setup.file, source.header, setup.headerLine, setup.block);
  port.postMessage({ ok: true, block } satisfies WorkerReply);
  step = 'rules';
  const { rules, decided } = await sent;
  return { rules: loadRuleSpecs(rules), decided, source };
}

async function judgeTask({ rules, decided: options, source }: Ready, task: WorkerTask): Promise<WorkerReply> {
  step = 'judging';
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

/**
 * Judges: its block of pass 1, then its share of pass 2, until the main thread ends it. The main
 * thread's messages come in order: the rules, then its share. It may be ended before either (a
 * header that failed the main thread's check).
 */
export function judging(setup: WorkerSetup, port: MessagePort): void {
  let rulesSent!: (rules: WorkerRules) => void;
  const ready = firstPassThenRules(setup, port, new Promise<WorkerRules>((resolve) => (rulesSent = resolve)));
  ready.catch((err: unknown) => port.postMessage(failureOf(err, step)));
  port.on('message', (message: WorkerRules | WorkerTask) => {
    if ('rules' in message) return rulesSent(message);
    const task = message;
    void ready.then((r) => judgeTask(r, task)).then(
      (reply) => port.postMessage(reply),
      (err: unknown) => port.postMessage(failureOf(err, step)),
    );
  });
}
