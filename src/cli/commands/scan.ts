import { Option, type Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { loadRules } from '../../rules/load.ts';
import { openSnapshot, type ParsedHeader, type SnapshotSource } from '../../snapshot/read.ts';
import { openDemoSnapshot } from '../../snapshot/demo.ts';
import { evaluateSnapshot } from '../../evaluate/pipeline.ts';
import { launchWorkers, TWO_THREADS_FROM, type LaunchedWorkers } from '../../evaluate/parallel.ts';
import { rulesOfPacks, selectFrameworkPacks, type FrameworkPack } from '../../rules/framework-packs.ts';
import type { EvaluateOptions } from '../../evaluate/options.ts';
import { writeReports } from '../../report/write.ts';
import { readJsonReport } from '../../report/json.ts';
import { newFailureTest } from '../../report/diff.ts';
import { UserError } from '../../shared/errors.ts';
import type { ScanResult } from '../../contracts/result.ts';
import type { TrailproofConfig } from '../../config/types.ts';
import { applyReportFlags, reportOptions, wholeNumberParser, type ReportFlags } from '../options.ts';
import { printSummary } from '../summary.ts';
import type { SetExit } from '../register.ts';
import { collectLive, collectOptions, keptOnFailure, verifyLogsOptions } from '../live.ts';
import { narrowOptions, narrowsAccounts, snapshotScope } from '../snapshot-scope.ts';
import { summarize } from '../../evaluate/gate.ts';


interface ScanFlags extends ReportFlags {
  snapshot?: string;
  demo?: boolean;
  baseline?: string;
  failOnNew?: boolean;
  saveSnapshot?: string;
  workers?: number;
  framework?: FrameworkPack[];
  [collectFlag: string]: unknown;
}

export function register(program: Command, setExit: SetExit): void {
  const scan = program
    .command('scan')
    .description('collect (or read a saved snapshot), evaluate every rule, write reports; the exit code is the CI gate')
    .option('-s, --snapshot <file>', 'evaluate a saved snapshot instead of reading AWS')
    .option('--demo', 'evaluate the bundled demo organization (no AWS account needed)')
    .option('--save-snapshot <file>', 'when collecting, keep the snapshot here (.gz to compress)')
    .option('--baseline <report.json>', 'a previous JSON report: marks SARIF baselineState')
    .option('--fail-on-new', 'with --baseline: the gate counts only failures absent from the baseline');
  for (const o of reportOptions()) scan.addOption(o);
  scan.addOption(workersOption());
  scan.addOption(frameworkOption());
  for (const o of collectOptions()) scan.addOption(o);
  for (const o of verifyLogsOptions()) scan.addOption(o);
  scan.action(async (flags: ScanFlags) => {
    if (flags.snapshot && flags.demo) throw new UserError('--snapshot and --demo exclude each other');
    const config = applyReportFlags(loadConfig(flags.config), flags);
    if (!flags.demo && !flags.snapshot) {
      const live = await collectLive(config, flags);
      setExit(await keptOnFailure(live, () => evaluateAndReport(async () => ({ source: live.takeSource() }), config, flags)));
      return;
    }
    const open: Open = async (onHeaderParsed) => {
      const source = flags.demo ? await openDemoSnapshot() : await openSnapshot(flags.snapshot!, { validate: 'first-pass', onHeaderParsed });
      return { source, only: snapshotScope(source.header, flags, flags.demo ? '--demo' : '--snapshot') };
    };
    setExit(await evaluateAndReport(open, config, flags));
  });

  const evaluate = program
    .command('evaluate')
    .description('evaluate a saved snapshot (no AWS access) and write reports')
    .argument('<snapshot>', 'snapshot file (.jsonl or .jsonl.gz)')
    .option('--baseline <report.json>', 'a previous JSON report: marks SARIF baselineState')
    .option('--fail-on-new', 'with --baseline: the gate counts only failures absent from the baseline');
  for (const o of reportOptions()) evaluate.addOption(o);
  evaluate.addOption(workersOption());
  evaluate.addOption(frameworkOption());
  for (const o of narrowOptions()) evaluate.addOption(o);
  evaluate.action(async (file: string, flags: ScanFlags) => {
    const config = applyReportFlags(loadConfig(flags.config), flags);
    const open: Open = async (onHeaderParsed) => {
      const source = await openSnapshot(file, { validate: 'first-pass', onHeaderParsed });
      return { source, only: snapshotScope(source.header, flags, file) };
    };
    setExit(await evaluateAndReport(open, config, flags));
  });
}

/**
 * TWO_THREADS_FROM as en-US writes it (15,000), without Number.toLocaleString: its first call in a
 * process loads ICU's number formatting, 13-60 ms of every start of `scan` and `evaluate` (15 ms
 * of a 10,000-account run's profile), for this help text alone.
 */
const TWO_THREADS_FROM_TEXT = String(TWO_THREADS_FROM).replace(/\B(?=(\d{3})+$)/g, ',');

function workersOption(): Option {
  return new Option(
    '--workers <n>',
    `threads at once: n validate and judge the accounts, this thread and n - 1 workers (default 2 on 2 or more cores from ${TWO_THREADS_FROM_TEXT} accounts, else 1; each judging thread holds the organization's accounts and model index; one thread below ${TWO_THREADS_FROM_TEXT} accounts keeps the verdicts in memory, above it 1 uses the least memory; more suit idle cores with memory to spare), and up to n write the report formats when the verdicts are spooled to disk or several costly formats are asked for (default: one per core)`,
  ).argParser(
    wholeNumberParser('--workers', 1),
  );
}

/** `--framework <pack-id>`, repeatable (or comma-separated): checked against the packs when parsed. */
function frameworkOption(): Option {
  return new Option('--framework <pack-id>', 'evaluate the rules of this framework pack and add its control-level summary to every report (repeatable; `trailproof frameworks list` shows the ids)').argParser(
    (text: string, previous: FrameworkPack[] = []) => {
      const ids = text.split(',').map((id) => id.trim()).filter(Boolean);
      return selectFrameworkPacks([...previous.map((p) => p.id), ...ids]);
    },
  );
}

/** A snapshot ready to evaluate, and the accounts `--accounts`/`--ous` narrowed it to. */
interface OpenedSnapshot {
  source: SnapshotSource;
  only?: EvaluateOptions['only'];
}

/** Opens a snapshot; a file's opening calls `onHeaderParsed` with its header as soon as it is parsed, before its check. */
type Open = (onHeaderParsed?: (parsed: ParsedHeader) => void) => Promise<OpenedSnapshot>;

/**
 * Evaluates the snapshot `open` gives and writes the reports. The snapshot is opened through
 * `open` rather than handed over so that no frame that lasts through the reports holds it.
 */
export async function evaluateAndReport(open: Open, config: TrailproofConfig, flags: ScanFlags): Promise<number> {
  const { result, started } = await judgeSnapshot(open, config, flags);
  const baseline = flags.baseline ? readJsonReport(flags.baseline) : undefined;
  if (flags.failOnNew && !baseline) throw new UserError('--fail-on-new needs --baseline');
  const gated = baseline && flags.failOnNew ? gateOnNewFailures(result, baseline) : result;
  const written = await writeReports(
    gated,
    config.output.formats,
    config.output.dir,
    {
      sarifIncludeSuppressed: config.output.sarifIncludeSuppressed,
      ...(baseline ? { baseline } : {}),
    },
    flags.workers ? { threads: flags.workers } : {},
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!flags.quiet) printSummary(gated, written, { seconds, verbose: Boolean(flags.verbose) });
  return gated.summary.exitCode;
}

/**
 * Opens the snapshot, loads the rules and judges the accounts; only the result leaves. What
 * judging needed and the reports do not — the snapshot source with its header (every account and
 * policy of the organization), the rules with their compiled expressions and verdict caches — is
 * held by this function's frame alone, so it is garbage once this returns. V8 sizes this thread's
 * heap from what a full collection finds live: at 100,000 accounts these held ~150 MB, which let
 * the report stage's heap grow to ~700 MB (docs/operations/scale-measurements.md, "Memory").
 */
async function judgeSnapshot(open: Open, config: TrailproofConfig, flags: ScanFlags): Promise<{ result: ScanResult; started: bigint }> {
  // The judging workers start on the header as parsed (parallel.ts launchWorkers), before it is
  // checked and the rules are loaded; ended here whatever fails before the evaluation owns them (a
  // header that fails its check is the same UserError, with the same exit code). Only an
  // unsharded evaluation of every account judges on several threads (threadsFor, which decides
  // again on the options and ends workers launched for nothing: evaluateSnapshot's workersFor).
  let launched: LaunchedWorkers | undefined;
  const everyAccount = !flags.shard && !narrowsAccounts(flags);
  try {
    const { source, only } = await open(everyAccount ? (parsed) => (launched = launchWorkers(parsed, flags.workers)) : undefined);
    const loaded = await loadRules(config.rules.paths, config);
    const rules = flags.framework ? rulesOfPacks(flags.framework, loaded) : loaded;
    if (flags.framework && rules.length === 0 && loaded.length > 0) {
      throw new UserError(nothingEvaluated(`no loaded rule belongs to ${flags.framework.map((p) => p.id).join(', ')} (rules.paths: ${config.rules.paths.join(', ')})`));
    }
    if (rules.length === 0) throw new UserError(nothingEvaluated(`no rules to evaluate: rules.paths (${config.rules.paths.join(', ')}) holds no rule files${config.rules.disabled.length || config.rules.disabledTags.length ? ', or all of them are disabled' : ''}`));
    const started = process.hrtime.bigint();
    const result = await evaluateSnapshot(source, { config, rules, ...(flags.asOf ? { asOf: flags.asOf } : {}), ...(flags.shard ? { shard: flags.shard } : {}), ...(flags.workers ? { workers: flags.workers } : {}), ...(only ? { only } : {}), ...(flags.framework ? { frameworks: flags.framework } : {}) }, launched);
    if (result.scope.accountIds.length === 0 && !result.scope.shard) {
      throw new UserError(nothingEvaluated(`no accounts in scope: ${source.label} holds no account records (check scope.accounts, scope.ous and scope.excludeAccounts)`));
    }
    return { result, started };
  } finally {
    await launched?.stop();
  }
}

/** A scan that judged nothing must not pass a CI gate. */
function nothingEvaluated(why: string): string {
  return `${why}; a scan that evaluates nothing cannot pass`;
}

/**
 * With --fail-on-new the gate counts only failures `report diff` calls new: an unsuppressed FAIL
 * that was not an unsuppressed FAIL in the baseline (so an exception that expired counts as new).
 */
function gateOnNewFailures(result: ScanResult, baseline: ScanResult): ScanResult {
  return { ...result, summary: summarize(result.verdicts, result.errors, result.failOn, newFailureTest(baseline)) };
}
