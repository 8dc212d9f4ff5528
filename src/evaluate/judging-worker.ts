/**
 * What a judging worker thread of parallel.ts does (parallel-worker.ts starts it). Started before
 * the main thread's pass 1 (as soon as the header is parsed, before the main thread checks it and
 * loads the rules: parallel.ts launchWorkers), it validates and indexes its block of lines
 * (first-pass-block.ts) and answers with it; then it loads the rules the main thread sent meanwhile
 * (its first message) and waits for its share of pass 2: it judges those account lines with the
 * model index the main thread built, applies the exceptions and tallies as the main thread does
 * (decided.ts), and answers with its share (spooled runs left unmerged), and the main thread ends
 * it. What judging needs beyond pass 1 is loaded once its block is answered (judging-share.ts).
 */
import type { MessagePort } from 'node:worker_threads';
import { reopenSnapshot } from '../snapshot/read.ts';
import { indexBlock } from './first-pass-block.ts';
import type { Judging } from './judging-share.ts';
import type { WorkerReply, WorkerRules, WorkerSetup, WorkerStep, WorkerTask } from './parallel.ts';
import { failureOf } from './worker-failure.ts';

/** What this worker is doing, said with a failure (its answers and this thread's arrive in any order). */
let step: WorkerStep = 'block';

async function firstPassThenRules(setup: WorkerSetup, port: MessagePort, sent: Promise<WorkerRules>): Promise<Judging> {
  const source = await reopenSnapshot(setup.file, { identity: setup.identity });
  const block = await indexBlock(setup.file, source.header, setup.headerLine, setup.block);
  port.postMessage({ ok: true, block } satisfies WorkerReply);
  step = 'rules';
  const { readyToJudge } = await import('./judging-share.ts');
  return readyToJudge(await sent, source);
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
    void ready
      .then((r) => {
        step = 'judging';
        return r.judge(task);
      })
      .then(
        (reply) => port.postMessage(reply),
        (err: unknown) => port.postMessage(failureOf(err, step)),
      );
  });
}
