/**
 * The pipeline in order: snapshot → model → evaluate → result. The CLI and the evidence verifier
 * call this; nothing here writes reports or reads the clock.
 *
 * Pass 1 reads every line once (validating it) and keeps what crosses accounts (the model index),
 * in this thread or in blocks of lines split between threads, merged here in file order.
 * Pass 2 judges one account at a time, in this thread or split between worker threads that are
 * handed pass 1's index (parallel.ts); each verdict goes to the exceptions, the gate's tally and
 * the spool (decided.ts, verdict-spool.ts) as it is decided, in the thread that decided it, so no
 * stage holds every verdict.
 */
import type { ApiError } from '../contracts/api-error.ts';
import { byKeys, compareAccounts, compareErrors, compareStrings } from '../contracts/order.ts';
import type { ScanResult } from '../contracts/result.ts';
import { rulePackVersion } from '../rules/load.ts';
import { HeapCeiling } from '../shared/full-collection.ts';
import { toolVersion } from '../shared/version.ts';
import type { NumberedRecord, SnapshotSource } from '../snapshot/read.ts';
import { IndexBuilder, type ModelIndex } from '../model/index.ts';
import { modelOptions } from '../rules/model-options.ts';
import { collectErrors } from '../model/errors.ts';
import { DecidedVerdicts } from './decided.ts';
import { withFrameworks } from './frameworks.ts';
import { judgeRecords, type JudgeScope } from './judge.ts';
import { KeptRecords } from './kept-records.ts';
import type { PartMerger } from './run-merge.ts';
import type { EvaluateOptions } from './options.ts';
import { judgeInThreads, mergersOf, spoolRunVerdicts, threadsFor, workersFor, type LaunchedWorkers, type Workers } from './parallel.ts';
import { inShard, parseShard } from './shard.ts';

/** What pass 1 leaves for pass 2. */
export interface FirstPass {
  index: ModelIndex;
  errors: ApiError[];
  /** The lines of the accounts in scope (this shard, --accounts/--ous), in file order. */
  lines: number[];
  accountIds: string[];
  /** This evaluation judges the organization itself (unsharded, or shard 1). */
  judgesOrganization: boolean;
  /** Records pass 1 kept for pass 2 (one judging thread): the first `kept.count` of `lines`. */
  kept?: KeptRecords;
  /**
   * The result's accounts, taken from the index's placements before pass 2: a judging thread beside
   * workers then keeps only the placements of the accounts it judges (parallel.ts).
   */
  accounts: ScanResult['accounts'];
}

/**
 * Judges `source` once. Where threads judge beside workers, its header is narrowed to what this
 * thread judges as pass 2 begins (parallel.ts indexForShare): open a snapshot again to evaluate it
 * again, as every caller does. `launched`: judging workers the caller started on the header as it
 * was parsed (parallel.ts launchWorkers), used when they are the ones this evaluation would start,
 * else ended; ended by this evaluation either way.
 */
export async function evaluateSnapshot(source: SnapshotSource, options: EvaluateOptions, launched?: LaunchedWorkers): Promise<ScanResult> {
  let workers: Workers | undefined;
  try {
    const threads = threadsFor(source, options);
    const asOf = options.asOf ?? source.header.collectedAt.slice(0, 10);
    const decidedOptions = { exceptions: options.config.exceptions, asOf, failOn: options.config.output.failOn, spoolRunVerdicts: options.spoolRunVerdicts ?? spoolRunVerdicts(source, threads) };
    // Started before pass 1 (or before the header was checked: launched), so that their
    // start-up (module load, the header parsed, rule compilation) overlaps this thread's work.
    workers = workersFor(source, options, decidedOptions, threads, launched);
    const first = await firstPass(source, options, workers);
    const decided = new DecidedVerdicts(decidedOptions);
    // This thread's heap has no cap (a worker's has): while it judges and merges the verdicts, its garbage is collected at this ceiling.
    const heapCeiling = options.threading?.heapCeiling ?? new HeapCeiling();
    if (workers) {
      await judgeInThreads(workers, source, options, first, decided, heapCeiling);
    } else {
      await judgeRecords(source, first.index, options.rules, { ...aloneScope(first), heapCeiling }, decided.add);
    }
    // Aggregates over the whole verdict list (framework assessments): after every thread's verdicts
    // are in, in one walk of the result's verdicts.
    // The workers that judged beside this thread merge parts of the verdicts beside it too.
    return withFrameworks(await resultOf(source, options, first, decided, heapCeiling, workers ? mergersOf(workers) : []), options.frameworks);
  } finally {
    await (workers ?? launched)?.stop();
  }
}

/** What this thread judges alone: the records pass 1 kept, then the other lines in scope, read again (none when it kept them all). */
function aloneScope(first: FirstPass): JudgeScope {
  const { judgesOrganization, kept, lines } = first;
  const keptCount = kept?.count ?? 0;
  const everyLine = keptCount === 0 && lines.length === first.index.header.scope.accountIds.length;
  return { judgesOrganization, ...(kept ? { kept: kept.take() } : {}), ...(everyLine ? {} : { only: new Set(lines.slice(keptCount)) }) };
}

/**
 * Pass 1: what crosses accounts, and every recorded collection error. It reads every line, so it
 * is also where a snapshot opened with `validate: 'first-pass'` is validated: nothing is judged
 * before the whole file has been found valid. With workers, this thread reads the first block of
 * lines and the workers the others (all in scope: threads are used only unsharded, not narrowed).
 * Without workers it keeps the records in scope for pass 2, up to `options.keptRecordChars`.
 */
export async function firstPass(source: SnapshotSource, options: EvaluateOptions, workers?: Workers): Promise<FirstPass> {
  const { header } = source;
  const shard = options.shard ? parseShard(options.shard) : undefined;
  const only = options.only ? new Set(options.only.accountIds) : undefined;
  const inScope = (accountId: string) => (!shard || inShard(accountId, shard)) && (!only || only.has(accountId));
  const builder = new IndexBuilder(header, modelOptions(options.config, options.rules));
  const judgesOrganization = !shard || shard.index === 1;
  const errors: ApiError[] = judgesOrganization ? [...header.errors, ...collectErrors(headerFetches(source))] : [];
  const lines: number[] = [];
  const accountIds: string[] = [];
  const kept = workers ? undefined : new KeptRecords(options.keptRecordChars);
  const records = workers ? source.validateInBlocks!(workers.ownBlock, workers.blocks) : source.numberedRecords();
  for await (const numbered of records) {
    const { line, record } = numbered;
    builder.add(record, line);
    if (inScope(record.accountId)) {
      errors.push(...collectErrors(record));
      lines.push(line);
      accountIds.push(record.accountId);
      kept?.offer(numbered);
    }
  }
  // Every block was valid (validateInBlocks awaited them all): their lines follow this thread's.
  for (const block of workers ? await Promise.all(workers.blocks) : []) {
    builder.merge(block.index!);
    errors.push(...block.errors);
    lines.push(...block.lines);
    accountIds.push(...block.accountIds);
  }
  // Buckets named by a trail further down the file than their own account: only those lines.
  for (const { line, record } of await namedBucketLines(source, builder.linesToReread(), kept)) builder.addNamedBuckets(record, line);
  const index = builder.finish();
  return { index, errors, lines, accountIds, judgesOrganization, ...(kept ? { kept } : {}), accounts: placedAccounts(index, accountIds) };
}

/** The placements of `accountIds` as the result lists them. */
function placedAccounts(index: ModelIndex, accountIds: readonly string[]): ScanResult['accounts'] {
  const judged = new Set(accountIds);
  return [...index.placements.values()]
    .filter((p) => judged.has(p.account.Id))
    .map((p) => ({ id: p.account.Id, name: p.account.Name, ouPath: p.ouPath, status: p.account.Status }))
    .sort(compareAccounts);
}

/** The records on `lines` (a few), in file order: those kept, and the others read again. */
async function namedBucketLines(source: SnapshotSource, lines: Set<number>, kept: KeptRecords | undefined): Promise<NumberedRecord[]> {
  const records = kept?.on(lines) ?? [];
  const unkept = new Set(lines);
  for (const { line } of records) unkept.delete(line);
  if (unkept.size > 0) for await (const numbered of source.numberedRecords(unkept)) records.push(numbered);
  return records.sort((a, b) => a.line - b.line);
}

async function resultOf(source: SnapshotSource, options: EvaluateOptions, first: FirstPass, decided: DecidedVerdicts, heapCeiling: HeapCeiling, mergers: readonly PartMerger[]): Promise<ScanResult> {
  const { header } = source;
  const { index } = first;
  const errors = first.errors.sort(compareErrors);
  const { verdicts, exceptionNotes, summary } = await decided.finish(errors, heapCeiling, mergers);
  const { accounts } = first;
  const failOn = options.config.output.failOn;
  return {
    tool: { name: 'trailproof', version: toolVersion() },
    rulePack: rulePackVersion(options.rules),
    snapshot: {
      collectedAt: header.collectedAt,
      source: header.source,
      ...(source.sha256 ? { sha256: source.sha256 } : {}),
      ...(index.organization.id ? { organizationId: index.organization.id } : {}),
      ...(index.organization.managementAccountId ? { managementAccountId: index.organization.managementAccountId } : {}),
    },
    scope: {
      regions: [...header.scope.regions].sort(compareStrings),
      accountIds: [...first.accountIds].sort(compareStrings),
      skipped: [...header.scope.skipped, ...(options.only?.skipped ?? [])].sort(byKeys((s) => s.accountId, (s) => s.reason)),
      ...(options.shard ? { shard: options.shard } : header.scope.shard ? { shard: header.scope.shard } : {}),
    },
    accounts,
    rules: options.rules.map((r) => r.meta).sort(byKeys((r) => r.id)),
    verdicts,
    errors,
    exceptionNotes,
    summary,
    failOn,
  };
}

function headerFetches(source: SnapshotSource): unknown {
  const { organization, roots, organizationalUnits, accounts, policies } = source.header;
  return { organization, roots, organizationalUnits, accounts, policies };
}
