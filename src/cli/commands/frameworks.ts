import { Option, type Command } from 'commander';
import { loadFrameworkPacks, renderPackControls, renderPackList, selectFrameworkPacks } from '../../rules/framework-packs.ts';
import type { SetExit } from '../register.ts';

export function register(program: Command, setExit: SetExit): void {
  const frameworks = program.command('frameworks').description('the framework packs --framework can select (CIS, Security Hub, NIST, PCI DSS, SOC 2, HIPAA)');
  frameworks
    .command('list')
    .description('every framework pack: id, controls, how many are manual')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((flags: { format: 'text' | 'json' }) => {
      process.stdout.write(renderPackList(loadFrameworkPacks(), flags.format));
      setExit(0);
    });
  frameworks
    .command('show')
    .description("a pack's controls, each with the rules that satisfy it or what an auditor checks by hand")
    .argument('<pack-id>', 'e.g. cis-aws-foundations-v6.0.0')
    .action((id: string) => {
      process.stdout.write(renderPackControls(selectFrameworkPacks([id])[0]!));
      setExit(0);
    });
}
