import { Option, type Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { renderIamPolicy } from '../../collect/iam-policy.ts';
import { applyCollectFlags } from '../../collect/flags.ts';
import { parseShard, type Shard } from '../../shared/shard.ts';
import type { SetExit } from '../register.ts';
import { collectOptions, reportKeptAnswers } from '../live.ts';

export { applyCollectFlags } from '../../collect/flags.ts';

export function register(program: Command, setExit: SetExit): void {
  const collect = program
    .command('collect')
    .description('read the AWS Organization (read-only) and write a snapshot to evaluate later, anywhere')
    .requiredOption('-o, --out <file>', 'snapshot file to write (.jsonl, or .jsonl.gz to compress)')
    .option('-c, --config <file>', 'config.yaml (default: ./config.yaml when present)')
    .addOption(new Option('-q, --quiet', 'no progress output').conflicts('verbose'))
    .option('-v, --verbose', 'a line on stderr for every AWS call that failed')
    .addOption(
      new Option('--shard <K/N>', 'read the organization\'s structure and only the accounts of shard K of N (the account hash of evaluate --shard); merge the N snapshots with `snapshot merge`').argParser(parseShard),
    );
  for (const o of collectOptions()) collect.addOption(o);
  collect.action(async (flags: { out: string; config?: string; quiet?: boolean; verbose?: boolean; shard?: Shard } & Record<string, unknown>) => {
    const config = applyCollectFlags(loadConfig(flags.config), flags);
    // The SDK is loaded only when a collection really runs.
    const { collectToFile } = await import('../../collect/index.ts');
    const written = await collectToFile({ config, quiet: Boolean(flags.quiet), verbose: Boolean(flags.verbose), ...(flags.shard ? { shard: flags.shard } : {}) }, flags.out);
    if (!flags.quiet) {
      reportKeptAnswers(written.keptAnswers);
      const skipped = written.header.scope.skipped.length;
      const shard = written.header.scope.shard ? `shard ${written.header.scope.shard}: ` : '';
      process.stderr.write(`trailproof: wrote ${written.file} (${shard}${written.accounts} accounts${skipped ? `, ${skipped} skipped` : ''}, sha256 ${written.sha256})\n`);
    }
    setExit(0);
  });

  program
    .command('iam-policy')
    .description('print the least-privilege IAM policy the scanner needs, generated from the list of calls it makes')
    .addOption(new Option('--role <role>', 'management (starting account) or member (the role assumed in each account); default both').choices(['management', 'member']))
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'cloudformation', 'terraform']).default('json'))
    .option('-c, --config <file>', 'config.yaml (for the member role name)')
    .option('--member-role <name>', 'member role name the management policy may assume')
    .option('--verify-logs', 'add the opt-in statement verify-logs needs (s3:GetObject, s3:ListBucket, cloudtrail:ListPublicKeys, kms:Decrypt)')
    .action((flags: { role?: string; format: string; config?: string; memberRole?: string; verifyLogs?: boolean }) => {
      const config = loadConfig(flags.config);
      const memberRoleName = flags.memberRole ?? config.organization.memberRoleName;
      process.stdout.write(renderIamPolicy({ ...(flags.role ? { role: flags.role } : {}), format: flags.format, memberRoleName, optIn: flags.verifyLogs ? ['verify-logs'] : [] }));
      setExit(0);
    });
}
