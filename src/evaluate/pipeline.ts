/**
 * The pipeline in order: snapshot → model → evaluate → result. The CLI and the evidence verifier
 * call this; nothing here writes files or reads the clock.
 */
import type { ApiError } from '../contracts/api-error.ts';
import { byKeys, compareAccounts, compareErrors, compareStrings, compareVerdicts } from '../contracts/order.ts';
import type { ScanResult } from '../contracts/result.ts';
import type { Verdict } from '../contracts/verdict.ts';
import { rulePackVersion } from '../rules/load.ts';
import { toolVersion } from '../shared/version.ts';
import type { SnapshotSource } from '../snapshot/read.ts';
import { IndexBuilder, organizationSubject, subjectsForAccount } from '../model/index.ts';
import { modelOptions } from '../rules/model-options.ts';
import type { EvaluationSubject } from '../model/facts.ts';
import { collectErrors } from '../model/errors.ts';
import { applyExceptions } from './exceptions.ts';
import { withFrameworks } from './frameworks.ts';
import { summarize } from './gate.ts';
import type { EvaluateOptions } from './options.ts';
import { evaluateInThreads, threadsFor } from './parallel.ts';
import { inShard, parseShard } from './shard.ts';


export async function evaluateSnapshot(source: SnapshotSource, options: EvaluateOptions): Promise<ScanResult> {
  const threads = threadsFor(source, options);
  const result = threads > 1 ? await evaluateInThreads(source, options, threads, evaluateInThisThread) : await evaluateInThisThread(source, options);
  return withFrameworks(result, options.frameworks);
}

async function evaluateInThisThread(source: SnapshotSource, options: EvaluateOptions): Promise<ScanResult> {
  const { header } = source;
  const { config, rules } = options;
  const shard = options.shard ? parseShard(options.shard) : undefined;
  const only = options.only ? new Set(options.only.accountIds) : undefined;
  const inScope = (accountId: string) => (!shard || inShard(accountId, shard)) && (!only || only.has(accountId));

  // Pass 1: what crosses accounts, and every recorded collection error. It reads every line, so it
  // is also where a snapshot opened with `validate: 'first-pass'` is validated: nothing is judged
  // before the whole file has been found valid.
  const builder = new IndexBuilder(header, modelOptions(config, rules));
  const errors: ApiError[] = shard && shard.index !== 1 ? [] : [...header.errors, ...collectErrors(headerFetches(source))];
  const shardLines = new Set<number>();
  for await (const { line, record } of source.numberedRecords()) {
    builder.add(record);
    if (inScope(record.accountId)) {
      errors.push(...collectErrors(record));
      shardLines.add(line);
    }
  }
  const index = builder.finish();

  // Pass 2: one account at a time; its raw record is dropped once judged. A shard parses only its
  // own lines.
  const verdicts: Verdict[] = [];
  const judge = (subject: EvaluationSubject) => {
    for (const rule of rules) {
      if (rule.meta.resource === subject.resource.type) verdicts.push(rule.evaluate(subject));
    }
  };
  if (!shard || shard.index === 1) judge(organizationSubject(index));
  const accountIds: string[] = [];
  for await (const { record } of source.numberedRecords(shard || only ? shardLines : undefined)) {
    accountIds.push(record.accountId);
    for (const subject of subjectsForAccount(index, record)) judge(subject);
  }

  const asOf = options.asOf ?? header.collectedAt.slice(0, 10);
  const { verdicts: judged, notes } = applyExceptions(verdicts, config.exceptions, asOf);
  judged.sort(compareVerdicts);
  errors.sort(compareErrors);

  const judgedAccounts = new Set(accountIds);
  const accounts = [...index.placements.values()]
    .filter((p) => judgedAccounts.has(p.account.Id))
    .map((p) => ({ id: p.account.Id, name: p.account.Name, ouPath: p.ouPath, status: p.account.Status }))
    .sort(compareAccounts);

  const failOn = config.output.failOn;
  const result: ScanResult = {
    tool: { name: 'trailproof', version: toolVersion() },
    rulePack: rulePackVersion(rules),
    snapshot: {
      collectedAt: header.collectedAt,
      source: header.source,
      ...(source.sha256 ? { sha256: source.sha256 } : {}),
      ...(index.organization.id ? { organizationId: index.organization.id } : {}),
      ...(index.organization.managementAccountId ? { managementAccountId: index.organization.managementAccountId } : {}),
    },
    scope: {
      regions: [...header.scope.regions].sort(compareStrings),
      accountIds: [...accountIds].sort(compareStrings),
      skipped: [...header.scope.skipped, ...(options.only?.skipped ?? [])].sort(byKeys((s) => s.accountId, (s) => s.reason)),
      ...(options.shard ? { shard: options.shard } : header.scope.shard ? { shard: header.scope.shard } : {}),
    },
    accounts,
    rules: rules.map((r) => r.meta).sort(byKeys((r) => r.id)),
    verdicts: judged,
    errors,
    exceptionNotes: notes,
    summary: summarize(judged, errors, failOn),
    failOn,
  };
  return result;
}

function headerFetches(source: SnapshotSource): unknown {
  const { organization, roots, organizationalUnits, accounts, policies } = source.header;
  return { organization, roots, organizationalUnits, accounts, policies };
}
