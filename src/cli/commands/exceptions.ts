import type { Command } from 'commander';
import type { ExceptionEntry, TrailproofConfig } from '../../config/types.ts';
import { loadConfig } from '../../config/load.ts';
import { evaluateSnapshot } from '../../evaluate/pipeline.ts';
import { ExceptionMatcher } from '../../evaluate/exceptions.ts';
import { loadRules } from '../../rules/load.ts';
import type { Verdict } from '../../contracts/verdict.ts';
import { UserError } from '../../shared/errors.ts';
import { DEMO_SNAPSHOT_FILE } from '../../snapshot/demo.ts';
import { openSnapshot } from '../../snapshot/read.ts';
import type { SetExit } from '../register.ts';
import { asOfOption } from '../options.ts';

interface ListFlags {
  config?: string;
  rules?: string[];
  snapshot?: string;
  demo?: boolean;
  asOf?: string;
}

/** What one exception does to one snapshot's verdicts. */
interface ExceptionUse {
  /** FAIL verdicts it matches (suppressed while it is live). */
  fails: Verdict[];
  /** It matches no verdict of any status. */
  stale: boolean;
}

const DAY_MS = 86_400_000;

export function register(program: Command, setExit: SetExit): void {
  const exceptions = program.command('exceptions').description('the exceptions of config.yaml: who approved what, until when');
  exceptions
    .command('list')
    .description(
      'every exception with rule, resource, approver, expiry and days left; with a snapshot, the FAILs each suppresses and which are stale. ' +
        "This is an operator listing judged against today's date (UTC) unless --as-of is given; reports judge expiry on the snapshot's collection day instead.",
    )
    .option('-c, --config <file>', 'config file (default: ./config.yaml when present)')
    .option('-s, --snapshot <file>', 'also show what each exception matches in this snapshot')
    .option('--demo', 'match against the bundled demo organization')
    .option('-r, --rules <path...>', 'rule files or folders instead of config rules.paths (with a snapshot)')
    .addOption(asOfOption('count days left from this day (YYYY-MM-DD; default: today, UTC)'))
    .action(async (flags: ListFlags) => {
      if (flags.snapshot && flags.demo) throw new UserError('--snapshot and --demo exclude each other');
      if (flags.rules && !flags.snapshot && !flags.demo) throw new UserError('--rules applies only with --snapshot or --demo (the rules match exceptions against a snapshot)');
      const asOf = flags.asOf ?? new Date().toISOString().slice(0, 10);
      const config = loadConfig(flags.config);
      const snapshotFile = flags.demo ? DEMO_SNAPSHOT_FILE : flags.snapshot;
      const uses = snapshotFile ? await exceptionUses(snapshotFile, config, flags.rules) : undefined;
      process.stdout.write(renderList(config, asOf, flags.asOf === undefined, uses, flags.demo ? 'the demo organization' : snapshotFile));
      setExit(0);
    });
}

/**
 * Each exception is matched alone, as if live, against verdicts evaluated with no exceptions: the
 * listing shows what it covers even when it has expired or another exception got there first.
 * Matching is applyExceptions' own, so the listing cannot disagree with a scan.
 */
async function exceptionUses(snapshotFile: string, config: TrailproofConfig, rulePaths: string[] | undefined): Promise<ExceptionUse[]> {
  const rules = await loadRules(rulePaths ?? config.rules.paths, config);
  const bare = await evaluateSnapshot(await openSnapshot(snapshotFile), { config: { ...config, exceptions: [] }, rules });
  // One walk of the verdicts for all the exceptions; only the FAILs each suppresses are kept.
  const matchers = config.exceptions.map((entry) => new ExceptionMatcher([{ ...entry, expires: '9999-12-31' }], '0000-01-01'));
  const fails: Verdict[][] = config.exceptions.map(() => []);
  for (const { suppressed: _unused, ...v } of bare.verdicts) {
    matchers.forEach((matcher, i) => {
      const marked = matcher.apply(v);
      if (marked.suppressed) fails[i]!.push(marked);
    });
  }
  return matchers.map((matcher, i) => ({ fails: fails[i]!, stale: matcher.notes().some((n) => n.kind === 'stale') }));
}

function renderList(config: TrailproofConfig, asOf: string, today: boolean, uses: ExceptionUse[] | undefined, snapshotLabel: string | undefined): string {
  const out: string[] = [];
  const when = today ? `today (${asOf}, UTC)` : asOf;
  if (config.exceptions.length === 0) return `${config.source}: no exceptions\n`;
  out.push(`${config.source}: ${config.exceptions.length} exception(s), days left counted from ${when}${snapshotLabel ? `; matched against ${snapshotLabel}` : ''}`);
  config.exceptions.forEach((entry, i) => {
    const use = uses?.[i];
    out.push('', `exceptions[${i}]  ${entry.rule}  ${entry.resource}  ${expiryText(entry, asOf)}`);
    out.push(`  approver: ${entry.approver}`, `  reason:   ${entry.reason}`);
    if (!use) return;
    const expired = asOf > entry.expires;
    if (use.stale) out.push('  STALE: matches no verdict in the snapshot (remove it, or fix its rule or resource)');
    else if (use.fails.length === 0) out.push('  matches verdicts but no FAIL: suppresses nothing today');
    else {
      out.push(expired ? `  expired: no longer suppresses these ${use.fails.length} FAIL(s):` : `  suppresses ${use.fails.length} FAIL(s):`);
      for (const v of use.fails) out.push(`    ${v.resource.id}${v.resource.name && v.resource.name !== v.resource.id ? ` (${v.resource.name})` : ''}: ${v.message}`);
    }
  });
  return `${out.join('\n')}\n`;
}

function expiryText(entry: ExceptionEntry, asOf: string): string {
  const days = Math.round((Date.parse(`${entry.expires}T00:00:00Z`) - Date.parse(`${asOf}T00:00:00Z`)) / DAY_MS);
  // The exception still holds on its expiry day.
  if (days < 0) return `EXPIRED: its last day was ${entry.expires} (${-days} day${days === -1 ? '' : 's'} ago)`;
  if (days === 0) return `expires ${entry.expires} (last day)`;
  return `expires ${entry.expires} (${days} day${days === 1 ? '' : 's'} left)`;
}
