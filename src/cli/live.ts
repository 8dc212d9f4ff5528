import { Option } from 'commander';
import { temporaryFolder } from '../shared/temporary-folder.ts';
import { copyFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hashLogsOption, hashPolicy, VERIFY_DEFAULTS } from './verify-settings.ts';
import type { HashPolicy } from '../snapshot/log-integrity.ts';
import { parseWindow } from './window.ts';
import { verifyProgress } from './verify-progress.ts';
import { join } from 'node:path';
import type { TrailproofConfig } from '../config/types.ts';
import { UserError } from '../shared/errors.ts';
import { openSnapshot, type SnapshotSource } from '../snapshot/read.ts';
import { SnapshotDefectsError } from '../snapshot/write.ts';
import type { ApiError } from '../snapshot/types.ts';
import { wholeNumberParser } from './options.ts';

/** Flags that shape a live collection; shared by `collect` and `scan`. */
export function collectOptions(): Option[] {
  return [
    new Option('--profile <name>', 'AWS profile for the starting credentials (else the default chain)'),
    new Option('--member-role <name>', 'role assumed in each member account'),
    new Option('--external-id <id>', 'sts:ExternalId for the member role'),
    new Option('--regions <list>', 'comma-separated regions (default: every region enabled for each account)'),
    new Option('--accounts <list>', 'comma-separated account ids'),
    new Option('--ous <list>', 'comma-separated OU paths or ids'),
    new Option('--concurrency <n>', 'accounts read at once (1 to 256)').argParser(wholeNumberParser('--concurrency', 1, 256)),
    // Both forms, so commander leaves the value unset unless one is given (config.yaml decides then).
    new Option('--detective', 'read the detective controls on trail tampering (the default; collection.detective)'),
    new Option('--no-detective', 'skip them: no alarm, EventBridge, GuardDuty or event-history calls'),
    new Option('--history-days <n>', 'days of CloudTrail event history looked up for tampering calls (1 to 90, default 90)').argParser(wholeNumberParser('--history-days', 1, 90)),
  ];
}

/** A finished collection: the snapshot, and how to keep it when what follows fails. */
export interface LiveCollection {
  /**
   * The opened snapshot, handed over once: the collection then holds it no more, so that it is
   * garbage once judging is done (the reports of a large organization need the heap; scan.ts).
   */
  takeSource(): SnapshotSource;
  /** Makes sure the snapshot outlives this process (it may sit in a temporary folder); returns where it is. */
  keep(): string;
}

/** The file a collection is kept in when it was not asked to be saved and the scan failed after it. */
export const KEPT_SNAPSHOT_NAME = 'trailproof-collected.snapshot.jsonl.gz';

/** scan only: verify the CloudTrail digest chains after collecting (reads S3 objects; off by default). */
export function verifyLogsOptions(): Option[] {
  return [
    new Option('--verify-logs', 'also verify the CloudTrail digest chains and log files (S3 GETs; see docs/operations/log-integrity.md)'),
    new Option('--verify-since <age>', 'with --verify-logs: the window, ending now (default 24h)'),
    hashLogsOption('with --verify-logs: all | sample:N | none'),
  ];
}

/**
 * Reads the organization into a snapshot file (kept with --save-snapshot) and opens it. The AWS SDK
 * is loaded only here, so evaluating a saved snapshot never pays for it.
 */
export async function collectLive(config: TrailproofConfig, flags: Record<string, unknown>): Promise<LiveCollection> {
  const { applyCollectFlags, collectToFile } = await import('../collect/index.ts');
  const effective = applyCollectFlags(config, flags);
  const saved = typeof flags.saveSnapshot === 'string' ? flags.saveSnapshot : undefined;
  let file = saved;
  if (!file) {
    // Removed however the process ends: a Ctrl-C during a collection leaves no partial snapshot behind.
    file = join(temporaryFolder('trailproof-'), 'snapshot.jsonl.gz');
  }
  const written = file;
  const keep = (): string => {
    if (saved) return saved;
    const dest = join(config.output.dir, KEPT_SNAPSHOT_NAME);
    mkdirSync(config.output.dir, { recursive: true });
    copyFileSync(written, dest);
    return dest;
  };
  try {
    const { keptAnswers } = await collectToFile({ config: effective, quiet: Boolean(flags.quiet), verbose: Boolean(flags.verbose) }, file);
    if (!flags.quiet) reportKeptAnswers(keptAnswers);
  } catch (err) {
    // Written, but trailproof's own envelope is off: the collection is still not thrown away.
    if (err instanceof SnapshotDefectsError) throw new SnapshotDefectsError(keepOrSay(keep), err.defects);
    throw err;
  }
  if (flags.verifyLogs) await keptOnFailure({ keep }, () => verifyInto(written, effective, flags));
  let source: SnapshotSource | undefined = await keptOnFailure({ keep }, () => openSnapshot(written));
  const takeSource = (): SnapshotSource => {
    if (!source) throw new Error('the collected snapshot was already handed over');
    const taken = source;
    source = undefined;
    return taken;
  };
  return { takeSource, keep };
}

/**
 * Runs what follows a collection; if it fails (a user error such as an invalid rule, or a bug),
 * the collected snapshot is kept first and the message says where, so no collection is lost.
 */
export async function keptOnFailure<T>(live: Pick<LiveCollection, 'keep'>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const where = keepOrSay(live.keep);
    const note = `the collected snapshot is kept at ${where} (\`trailproof evaluate ${where}\` evaluates it again without AWS)`;
    if (err instanceof UserError) throw new UserError(`${err.message}\n${note}`, err.exitCode);
    const inner = err instanceof Error ? err : new Error(String(err));
    throw Object.assign(new Error(`${inner.message}\n${note}`), { stack: `${inner.stack ?? inner.message}\n${note}` });
  }
}

function keepOrSay(keep: () => string): string {
  try {
    return keep();
  } catch (err) {
    return `(nowhere: copying it failed: ${(err as Error).message})`;
  }
}

/** One line per answer kept as it came: the scan goes on, the facts it feeds are unknown. */
export function reportKeptAnswers(kept: readonly ApiError[]): void {
  if (kept.length === 0) return;
  process.stderr.write(`trailproof: ${kept.length} answer${kept.length === 1 ? '' : 's'} not in the expected shape, kept as received (the facts built from them are unknown):\n`);
  for (const e of kept) {
    const where = [e.accountId, e.region].filter(Boolean).join('/');
    process.stderr.write(`  ${e.operation}${where ? ` (${where})` : ''}: ${e.message}\n`);
  }
}

async function verifyInto(file: string, config: TrailproofConfig, flags: Record<string, unknown>): Promise<void> {
  const hashLogs = (flags.hashLogs as HashPolicy | undefined) ?? hashPolicy(VERIFY_DEFAULTS.hashLogs);
  const now = new Date();
  const window = parseWindow({ since: typeof flags.verifySince === 'string' ? flags.verifySince : VERIFY_DEFAULTS.since }, now);
  const { verifyIntoSnapshot } = await import('../collect/verify-logs.ts');
  const progress = verifyProgress({ quiet: Boolean(flags.quiet) });
  await verifyIntoSnapshot(file, config, {
    onProgress: (e) => progress.onEvent(e),
    window,
    now: now.toISOString(),
    hashLogs,
    sampleSeed: randomBytes(16).toString('hex'),
    maxDigestAgeHours: VERIFY_DEFAULTS.maxDigestAgeHours,
    targetConcurrency: VERIFY_DEFAULTS.targetConcurrency,
    objectConcurrency: VERIFY_DEFAULTS.objectConcurrency,
  });
  progress.finish();
}
