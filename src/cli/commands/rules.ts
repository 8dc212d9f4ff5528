import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { rulesDocs, rulesList, rulesTest, rulesValidate } from '../../rules/commands.ts';
import type { SetExit } from '../main.ts';

interface RulesFlags {
  config?: string;
  format?: string;
  out?: string;
}

export function register(program: Command, setExit: SetExit): void {
  const rules = program.command('rules').description('list, validate, test and document rules');
  const paths = (given: string[], config: ReturnType<typeof loadConfig>) => (given.length > 0 ? given : config.rules.paths);
  const emit = (r: { output: string; exitCode: number }) => {
    if (r.output) process.stdout.write(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
    setExit(r.exitCode);
  };

  rules
    .command('list')
    .description('the rules that would run, with severity, resource and frameworks')
    .argument('[paths...]', 'rule files or folders (default: config rules.paths)')
    .option('-c, --config <file>', 'config file')
    .option('--format <text|json>', 'output format', 'text')
    .action(async (given: string[], flags: RulesFlags) => {
      const config = loadConfig(flags.config);
      emit(await rulesList(paths(given, config), config, { format: flags.format ?? 'text' }));
    });

  rules
    .command('validate')
    .description('check rule files: YAML, schema, duplicate ids, CEL syntax and types (file:line:col on error)')
    .argument('[paths...]', 'rule files or folders')
    .option('-c, --config <file>', 'config file')
    .action(async (given: string[], flags: RulesFlags) => {
      const config = loadConfig(flags.config);
      emit(await rulesValidate(paths(given, config), config, {}));
    });

  rules
    .command('test')
    .description('run each rule\'s test cases (<id>.test.yaml beside the rule)')
    .argument('[paths...]', 'rule files or folders')
    .option('-c, --config <file>', 'config file')
    .action(async (given: string[], flags: RulesFlags) => {
      const config = loadConfig(flags.config);
      emit(await rulesTest(paths(given, config), config, {}));
    });

  rules
    .command('docs')
    .description('write one Markdown page per rule from its metadata')
    .argument('[paths...]', 'rule files or folders')
    .option('-c, --config <file>', 'config file')
    .option('-o, --out <dir>', 'output folder', 'docs/rules')
    .action(async (given: string[], flags: RulesFlags) => {
      const config = loadConfig(flags.config);
      emit(await rulesDocs(paths(given, config), config, { out: flags.out ?? 'docs/rules' }));
    });
}
