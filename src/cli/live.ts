import { Option } from 'commander';
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
  return openSnapshot(file);
}
