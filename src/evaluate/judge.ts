/**
 * Pass 2 of the pipeline: every rule on every subject of the accounts given, one account record
 * at a time (its raw record is dropped once judged). Used by this thread and by worker threads,
 * which receive pass 1's index instead of building it again.
 */
import type { Verdict } from '../contracts/verdict.ts';
import { organizationSubject, subjectsForAccount, type ModelIndex } from '../model/index.ts';
import type { EvaluationSubject } from '../model/facts.ts';
import type { LoadedRule } from '../rules/load.ts';
import type { AccountRecord } from '../snapshot/types.ts';
import type { HeapCeiling } from '../shared/full-collection.ts';
import type { LineSelection, NumberedRecord, SnapshotSource } from '../snapshot/read.ts';

export interface JudgeScope {
  /** Records already parsed (pass 1's, kept), judged first: they precede the lines of `only` in the file. */
  kept?: Iterable<NumberedRecord>;
  /** Only the account records on these lines (all when absent): the other lines are neither decoded nor parsed, and none is read when it is empty. */
  only?: LineSelection;
  /** Judge the organization itself too (exactly one thread or shard does). */
  judgesOrganization: boolean;
  /** The judging thread's heap ceiling, consulted every CEILING_ACCOUNTS accounts (this thread's and a worker's: see parallel.ts workerHeapMb). */
  heapCeiling?: HeapCeiling;
}

/** About 500 verdicts with the bundled rules, as often as the report writers consult theirs. */
const CEILING_ACCOUNTS = 32;

export async function judgeRecords(source: SnapshotSource, index: ModelIndex, rules: readonly LoadedRule[], scope: JudgeScope, decided: (verdict: Verdict) => void): Promise<void> {
  const judge = (subject: EvaluationSubject) => {
    for (const rule of rules) {
      if (rule.meta.resource === subject.resource.type) decided(rule.evaluate(subject));
    }
  };
  let judged = 0;
  const judgeAccount = (record: AccountRecord) => {
    for (const subject of subjectsForAccount(index, record)) judge(subject);
    if (++judged % CEILING_ACCOUNTS === 0) scope.heapCeiling?.check();
  };
  if (scope.judgesOrganization) judge(organizationSubject(index));
  for (const { record } of scope.kept ?? []) judgeAccount(record);
  if (scope.only?.size === 0) return;
  for await (const { record } of source.numberedRecords(scope.only)) judgeAccount(record);
}
