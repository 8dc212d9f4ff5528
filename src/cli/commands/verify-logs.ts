import { Option, type Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig } from '../../config/load.ts';
import type { VerifyProgress } from '../../collect/integrity/run.ts';
import { exitCodeFor, integrityRecord, renderSummary } from '../../collect/integrity/summary.ts';
import { targetsFromSnapshot } from '../../collect/integrity/targets.ts';
import { UserError } from '../../shared/errors.ts';
import { openSnapshot } from '../../snapshot/read.ts';
import type { SetExit } from '../register.ts';
import { collectLive, collectOptions } from '../live.ts';
import { wholeNumberParser } from '../options.ts';
import { parseWindow } from '../window.ts';
import { verifyProgress } from '../verify-progress.ts';
import { hashLogsOption, hashPolicy, VERIFY_DEFAULTS } from '../verify-settings.ts';
import type { HashPolicy } from '../../snapshot/log-integrity.ts';

interface VerifyFlags {
  snapshot?: string;
  since?: string;
  from?: string;
  to?: string;
  hashLogs?: HashPolicy;
  sampleSeed?: string;
  trails?: string;
  maxDigestAgeHours: string;
  objectConcurrency: number;
  trailConcurrency: number;
  out?: string;
  json?: boolean;
  config?: string;
  quiet?: boolean;
  [collectFlag: string]: unknown;
}

export function register(program: Command, setExit: SetExit): void {
  const command = program
    .command('verify-logs')
    .description(
      'prove the CloudTrail logs were not changed or deleted after delivery: walk each trail-region digest chain, check every signature and log file hash. ' +
        'Exit 0 when everything verified, 1 when tampering or a gap was found, 3 when something could not be read.',
    )
    .option('-s, --snapshot <file>', 'take the trails from a saved snapshot instead of reading the organization first')
    .option('--since <age>', `window ending now: 24h, 7d (default ${VERIFY_DEFAULTS.since})`)
    .option('--from <time>', 'window start (ISO-8601)')
    .option('--to <time>', 'window end (ISO-8601; default now)')
    .addOption(hashLogsOption('all | sample:N (N log files per trail-region) | none'))
    .option('--sample-seed <text>', 'seed of the log sample (default random, recorded in the JSON)')
    .option('--trails <list>', 'comma-separated trail names or ARNs')
    .addOption(new Option('--max-digest-age-hours <n>', 'a newest digest older than this is a finding').default(String(VERIFY_DEFAULTS.maxDigestAgeHours)))
    .addOption(new Option('--object-concurrency <n>', 'S3 objects read at once').argParser(wholeNumberParser('--object-concurrency', 1)).default(VERIFY_DEFAULTS.objectConcurrency))
    .addOption(new Option('--trail-concurrency <n>', 'trail-regions verified at once').argParser(wholeNumberParser('--trail-concurrency', 1)).default(VERIFY_DEFAULTS.targetConcurrency))
    .option('-o, --out <file>', 'write the JSON record here')
    .option('--json', 'print the JSON record on stdout instead of the summary')
    .option('-c, --config <file>', 'config file (default: ./config.yaml when present)')
    .option('-q, --quiet', 'no progress output');
  for (const o of collectOptions()) command.addOption(o);
  command.action(async (flags: VerifyFlags) => {
    const config = loadConfig(flags.config);
    const hashLogs = flags.hashLogs ?? hashPolicy(VERIFY_DEFAULTS.hashLogs);
    const now = new Date();
    const window = parseWindow(flags, now);
    const maxDigestAgeHours = positive(flags.maxDigestAgeHours, '--max-digest-age-hours');
    const objectConcurrency = flags.objectConcurrency;
    const targetConcurrency = flags.trailConcurrency;

    const snapshot = flags.snapshot ? await openSnapshot(flags.snapshot) : (await collectLive(config, { ...flags, quiet: true })).takeSource();
    const regions = typeof flags.regions === 'string' ? flags.regions.split(',').map((s) => s.trim()) : undefined;
    const accounts = typeof flags.accounts === 'string' ? flags.accounts.split(',').map((s) => s.trim()) : undefined;
    const targets = await targetsFromSnapshot(snapshot.header, snapshot.records(), {
      ...(regions ? { regions } : {}),
      ...(accounts ? { accounts } : {}),
      ...(flags.trails ? { trails: flags.trails.split(',').map((s) => s.trim()) } : {}),
    });

    const sampleSeed = flags.sampleSeed ?? randomBytes(16).toString('hex');
    const progress = verifyProgress({ quiet: Boolean(flags.quiet || flags.json) });
    const { verifyLogsLive } = await import('../../collect/verify-logs.ts');
    const reports = await verifyLogsLive(config, targets, {
      window,
      now: now.toISOString(),
      hashLogs,
      sampleSeed,
      maxDigestAgeHours,
      targetConcurrency,
      objectConcurrency,
      onProgress: (e: VerifyProgress) => progress.onEvent(e),
    });
    progress.finish();
    const record = integrityRecord(reports, { verifiedAt: now.toISOString(), window, hashLogs, sampleSeed });
    const json = `${JSON.stringify(record, null, 2)}\n`;
    if (flags.out) writeRecord(flags.out, json);
    process.stdout.write(flags.json ? json : renderSummary(record));
    setExit(exitCodeFor(record.outcome));
  });
}

/** An output path that cannot be written is the user's to fix, not a bug. */
function writeRecord(file: string, json: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, json);
  } catch (err) {
    throw new UserError(`${file}: cannot write: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function positive(text: string, flag: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new UserError(`${flag} "${text}": expected a positive number`);
  return n;
}
