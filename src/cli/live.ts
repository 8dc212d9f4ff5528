import { Option } from 'commander';
import { randomBytes } from 'node:crypto';
import { parseHashPolicy } from '../collect/integrity/logs.ts';
import { UserError } from '../shared/errors.ts';
import { parseWindow } from './window.ts';
import { verifyProgress } from './verify-progress.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrailproofConfig } from '../config/types.ts';
import { openSnapshot, type SnapshotSource } from '../snapshot/read.ts';
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
  ];
}

/** scan only: verify the CloudTrail digest chains after collecting (reads S3 objects; off by default). */
export function verifyLogsOptions(): Option[] {
  return [
    new Option('--verify-logs', 'also verify the CloudTrail digest chains and log files (S3 GETs; see docs/operations/log-integrity.md)'),
    new Option('--verify-since <age>', 'with --verify-logs: the window, ending now (default 24h)'),
    new Option('--hash-logs <mode>', 'with --verify-logs: all | sample:N | none').default('all'),
  ];
}

/**
 * Reads the organization into a snapshot file (kept with --save-snapshot) and opens it. The AWS SDK
 * is loaded only here, so evaluating a saved snapshot never pays for it.
 */
export async function collectLive(config: TrailproofConfig, flags: Record<string, unknown>): Promise<SnapshotSource> {
  const { applyCollectFlags, collectToFile } = await import('../collect/index.ts');
  const effective = applyCollectFlags(config, flags);
  const keep = typeof flags.saveSnapshot === 'string' ? flags.saveSnapshot : undefined;
  let file = keep;
  if (!file) {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    file = join(dir, 'snapshot.jsonl.gz');
  }
  await collectToFile({ config: effective, quiet: Boolean(flags.quiet), verbose: Boolean(flags.verbose) }, file);
  if (flags.verifyLogs) await verifyInto(file, effective, flags);
  return openSnapshot(file);
}

async function verifyInto(file: string, config: TrailproofConfig, flags: Record<string, unknown>): Promise<void> {
  const hashLogs = parseHashPolicy(String(flags.hashLogs ?? 'all'));
  if (!hashLogs) throw new UserError(`--hash-logs "${String(flags.hashLogs)}": expected all, none or sample:N`);
  const now = new Date();
  const window = parseWindow({ since: typeof flags.verifySince === 'string' ? flags.verifySince : '24h' }, now);
  const { verifyIntoSnapshot } = await import('../collect/verify-logs.ts');
  const progress = verifyProgress({ quiet: Boolean(flags.quiet) });
  await verifyIntoSnapshot(file, config, {
    onProgress: (e) => progress.onEvent(e),
    window,
    now: now.toISOString(),
    hashLogs,
    sampleSeed: randomBytes(16).toString('hex'),
    maxDigestAgeHours: 2,
    targetConcurrency: 8,
    objectConcurrency: 32,
  });
  progress.finish();
}
