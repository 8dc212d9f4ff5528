/**
 * `trailproof report merge`: shard reports (`scan --shard K/N`) back into the one result an
 * unsharded scan of the same snapshot gives. Shards split the accounts; the pipeline emits the
 * organization-level verdicts and the snapshot header's errors in shard 1 only, so a union is
 * exact once every shard is present exactly once. Anything that would make the union differ
 * from an unsharded scan (another snapshot, another rule pack, a missing or doubled shard) is
 * refused rather than merged.
 */
import { compareAccounts, compareErrors } from '../contracts/order.ts';
import type { ScanResult } from '../contracts/result.ts';
import { UserError } from '../shared/errors.ts';
import { assessFrameworks } from './frameworks.ts';
import { selectFrameworkPacks } from '../rules/framework-packs.ts';
import { GateTally } from './gate.ts';
import { parseShard } from './shard.ts';
import { VerdictSpool } from './verdict-spool.ts';

export interface ShardReport {
  /** Where the report came from, for messages. */
  file: string;
  result: ScanResult;
}

/** @param spoolRunVerdicts verdicts held in memory before the merged list goes to disk (default RUN_VERDICTS). */
export function mergeShardReports(reports: ShardReport[], spoolRunVerdicts?: number): ScanResult {
  if (reports.length === 0) throw new UserError('report merge: no shard reports given');
  const ordered = orderShards(reports);
  const first = ordered[0]!;
  for (const other of ordered.slice(1)) assertSameScan(first, other);

  const owner = new Map<string, string>();
  const spool = new VerdictSpool(undefined, spoolRunVerdicts);
  const tally = new GateTally(first.result.failOn);
  const errors: ScanResult['errors'] = [];
  const accounts: ScanResult['accounts'] = [];
  const accountIds: string[] = [];
  for (const { file, result } of ordered) {
    for (const id of result.scope.accountIds) {
      const seen = owner.get(id);
      if (seen !== undefined) throw new UserError(`report merge: account ${id} is in both ${seen} and ${file}: the shards overlap`);
      owner.set(id, file);
      accountIds.push(id);
    }
    for (const v of result.verdicts) {
      spool.add(v);
      tally.add(v);
    }
    for (const e of result.errors) errors.push(e);
    for (const a of result.accounts) accounts.push(a);
  }
  errors.sort(compareErrors);
  accounts.sort(compareAccounts);
  accountIds.sort();

  const verdicts = spool.finish();
  const { result: base } = first;
  const { shard: _shard, ...scope } = base.scope;
  return {
    tool: base.tool,
    rulePack: base.rulePack,
    snapshot: base.snapshot,
    scope: { ...scope, accountIds },
    accounts,
    rules: base.rules,
    verdicts,
    errors,
    exceptionNotes: mergeExceptionNotes(ordered.map((s) => s.result)),
    summary: tally.summary(errors),
    failOn: base.failOn,
    // Recomputed over every shard's verdicts: a control satisfied in each shard alone may not be overall.
    ...(base.frameworks ? { frameworks: assessFrameworks(selectFrameworkPacks(base.frameworks.map((f) => f.id)), base.rules, verdicts) } : {}),
  };
}

/** Shard results evaluated in memory (by threads of one scan) merged the same way. */
export function mergeShardResults(results: ScanResult[]): ScanResult {
  return mergeShardReports(results.map((result) => ({ file: `the result of shard ${result.scope.shard ?? '?'}`, result })));
}

/** Every shard of one N, each once; returned in shard order (shard 1 first). */
function orderShards(reports: ShardReport[]): ShardReport[] {
  const byIndex = new Map<number, ShardReport>();
  let count: number | undefined;
  let countFrom = '';
  for (const report of reports) {
    const label = report.result.scope.shard;
    if (label === undefined) throw new UserError(`report merge: ${report.file} is not a shard report (no scope.shard); only reports of \`scan --shard K/N\` can be merged`);
    let shard;
    try {
      shard = parseShard(label);
    } catch {
      throw new UserError(`report merge: ${report.file}: scope.shard "${label}" is not K/N`);
    }
    if (count === undefined) {
      count = shard.count;
      countFrom = report.file;
    } else if (shard.count !== count) {
      throw new UserError(`report merge: ${report.file} is shard ${label} but ${countFrom} is of ${count} shards: every shard must come from the same --shard K/${count} split`);
    }
    const twin = byIndex.get(shard.index);
    if (twin) throw new UserError(`report merge: shard ${label} given twice (${twin.file} and ${report.file})`);
    byIndex.set(shard.index, report);
  }
  const missing: number[] = [];
  for (let k = 1; k <= count!; k++) if (!byIndex.has(k)) missing.push(k);
  if (missing.length > 0) {
    throw new UserError(`report merge: missing shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')}: a merged report must cover every account`);
  }
  return [...byIndex.keys()].sort((a, b) => a - b).map((k) => byIndex.get(k)!);
}

/** Shards of one scan agree on everything that is not split by account. */
function assertSameScan(a: ShardReport, b: ShardReport): void {
  const x = a.result;
  const y = b.result;
  const differs = (what: string, left: unknown, right: unknown, hint: string) => {
    if (JSON.stringify(left) !== JSON.stringify(right)) {
      throw new UserError(`report merge: ${a.file} and ${b.file} differ in ${what} (${show(left)} vs ${show(right)}): ${hint}`);
    }
  };
  const sameSnapshot = 'they are not shards of one snapshot';
  differs('snapshot.sha256', x.snapshot.sha256, y.snapshot.sha256, sameSnapshot);
  differs('snapshot.collectedAt', x.snapshot.collectedAt, y.snapshot.collectedAt, sameSnapshot);
  differs('snapshot', x.snapshot, y.snapshot, sameSnapshot);
  differs('scope.regions', x.scope.regions, y.scope.regions, sameSnapshot);
  differs('scope.skipped', x.scope.skipped, y.scope.skipped, sameSnapshot);
  const sameRules = 'every shard must be evaluated with the same rules and parameters';
  differs('rulePack', x.rulePack, y.rulePack, sameRules);
  differs('rules', x.rules, y.rules, sameRules);
  differs('tool', x.tool, y.tool, 'every shard must be evaluated by the same trailproof version');
  differs('failOn', x.failOn, y.failOn, 'every shard must use the same --fail-on threshold');
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'absent';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * An expired exception is noted by every shard; a stale one ("matched nothing") only by the shards
 * where it matched nothing, so it is stale for the organization only when every shard says so.
 */
function mergeExceptionNotes(results: ScanResult[]): ScanResult['exceptionNotes'] {
  const key = (n: ScanResult['exceptionNotes'][number]) => `${n.exceptionId}\u0000${n.kind}`;
  const present = results.map((r) => new Set(r.exceptionNotes.map(key)));
  return results[0]!.exceptionNotes.filter((n) => present.every((s) => s.has(key(n))));
}
