import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../config/load.ts';
import { loadRules } from '../../rules/load.ts';
import { openSnapshot, type SnapshotSource } from '../../snapshot/read.ts';
import { openDemoSnapshot } from '../../snapshot/demo.ts';
import { evaluateSnapshot } from '../../evaluate/pipeline.ts';
import { writeReports } from '../../report/write.ts';
import { parseJsonReport } from '../../report/json.ts';
import { newFailureTest } from '../../report/diff.ts';
import { UserError } from '../../shared/errors.ts';
import type { ScanResult } from '../../contracts/result.ts';
import type { TrailproofConfig } from '../../config/types.ts';
import { applyReportFlags, reportOptions, type ReportFlags } from '../options.ts';
import { printSummary } from '../summary.ts';
import type { SetExit } from '../register.ts';
import { collectLive, collectOptions } from '../live.ts';
import { summarize } from '../../evaluate/gate.ts';


interface ScanFlags extends ReportFlags {
  snapshot?: string;
  demo?: boolean;
  baseline?: string;
  failOnNew?: boolean;
  saveSnapshot?: string;
  workers?: number;
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
  for (const o of collectOptions()) scan.addOption(o);
  scan.action(async (flags: ScanFlags) => {
    if (flags.snapshot && flags.demo) throw new UserError('--snapshot and --demo exclude each other');
    const config = applyReportFlags(loadConfig(flags.config), flags);
    let source: SnapshotSource;
    if (flags.demo) source = await openDemoSnapshot();
    else if (flags.snapshot) source = await openSnapshot(flags.snapshot, { validate: 'first-pass' });
    else source = await collectLive(config, flags);
    setExit(await evaluateAndReport(source, config, flags));
  });

  const evaluate = program
    .command('evaluate')
    .description('evaluate a saved snapshot (no AWS access) and write reports')
    .argument('<snapshot>', 'snapshot file (.jsonl or .jsonl.gz)')
    .option('--baseline <report.json>', 'a previous JSON report: marks SARIF baselineState')
    .option('--fail-on-new', 'with --baseline: the gate counts only failures absent from the baseline');
  for (const o of reportOptions()) evaluate.addOption(o);
  evaluate.addOption(workersOption());
  evaluate.action(async (file: string, flags: ScanFlags) => {
    const config = applyReportFlags(loadConfig(flags.config), flags);
    setExit(await evaluateAndReport(await openSnapshot(file, { validate: 'first-pass' }), config, flags));
  });
}

function workersOption(): Option {
  return new Option('--workers <n>', 'threads that evaluate at once, this one included (default: up to 2 for 2,000 accounts or more; 1: no worker threads)').argParser(
    (text) => {
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1) throw new UserError(`--workers ${text}: expected a whole number of at least 1`);
      return n;
    },
  );
}

export async function evaluateAndReport(source: SnapshotSource, config: TrailproofConfig, flags: ScanFlags): Promise<number> {
  const rules = await loadRules(config.rules.paths, config);
  const started = process.hrtime.bigint();
  const result = await evaluateSnapshot(source, { config, rules, ...(flags.asOf ? { asOf: flags.asOf } : {}), ...(flags.shard ? { shard: flags.shard } : {}), ...(flags.workers ? { workers: flags.workers } : {}) });
  const baseline = flags.baseline ? readBaseline(flags.baseline) : undefined;
  if (flags.failOnNew && !baseline) throw new UserError('--fail-on-new needs --baseline');
  const gated = baseline && flags.failOnNew ? gateOnNewFailures(result, baseline) : result;
  const written = await writeReports(gated, config.output.formats, config.output.dir, {
    sarifIncludeSuppressed: config.output.sarifIncludeSuppressed,
    ...(baseline ? { baseline } : {}),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!flags.quiet) printSummary(gated, written, { seconds, verbose: Boolean(flags.verbose) });
  return gated.summary.exitCode;
}

function readBaseline(file: string): ScanResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read baseline: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseJsonReport(text, file);
}

/**
 * With --fail-on-new the gate counts only failures `report diff` calls new: an unsuppressed FAIL
 * that was not an unsuppressed FAIL in the baseline (so an exception that expired counts as new).
 */
function gateOnNewFailures(result: ScanResult, baseline: ScanResult): ScanResult {
  return { ...result, summary: summarize(result.verdicts, result.errors, result.failOn, newFailureTest(baseline)) };
}
