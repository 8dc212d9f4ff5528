import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import type { SetExit } from '../register.ts';
import { reportKeptAnswers } from '../live.ts';

export function register(program: Command, setExit: SetExit): void {
  const snapshot = program.command('snapshot').description('snapshot files: merge the shards of collect --shard K/N');
  snapshot
    .command('merge')
    .description('merge the snapshots of `collect --shard K/N` (all N of them) into the snapshot of the whole organization')
    .argument('<shards...>', 'the N shard snapshots, in any order')
    .requiredOption('-o, --out <file>', 'snapshot file to write (.jsonl, or .jsonl.gz to compress)')
    .option('-c, --config <file>', 'the config.yaml the shards were collected with (its pii section decides which buckets keep their configuration)')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (files: string[], flags: { out: string; config?: string; quiet?: boolean }) => {
      const config = loadConfig(flags.config);
      const { mergeShardSnapshots } = await import('../../collect/merge-shards.ts');
      const written = await mergeShardSnapshots(files, flags.out, config);
      if (!flags.quiet) {
        reportKeptAnswers(written.keptAnswers);
        process.stderr.write(`trailproof: wrote ${written.file} (${written.accounts} accounts from ${files.length} shards, sha256 ${written.sha256})\n`);
      }
      setExit(0);
    });
}
