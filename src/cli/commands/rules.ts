import { Option, type Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import type { TrailproofConfig } from '../../config/types.ts';
import type { SetExit } from '../register.ts';

interface RulesFlags {
  config?: string;
  format?: string;
  out?: string;
  check?: boolean;
}

/** Loaded on use: `rules list` has a module of its own that reads metadata only and never loads the CEL library. */
const commands = () => import('../../rules/commands.ts');

type RulesAction = (paths: string[], config: TrailproofConfig, flags: RulesFlags) => Promise<{ output: string; exitCode: number }>;

const SUBCOMMANDS: { name: string; description: string; options?: () => Option[]; run: RulesAction }[] = [
  {
    name: 'list',
    description: 'the rules that would run, with severity, resource and frameworks',
    options: () => [new Option('--format <format>', 'output format').choices(['text', 'json']).default('text')],
    run: async (paths, config, flags) => (await import('../../rules/list.ts')).rulesList(paths, config, { format: flags.format ?? 'text' }),
  },
  {
    name: 'validate',
    description: 'check rule files: YAML, schema, duplicate ids, CEL syntax and types (file:line:col on error)',
    run: async (paths, config) => (await commands()).rulesValidate(paths, config, {}),
  },
  {
    name: 'test',
    description: "run each rule's test cases (<id>.test.yaml beside the rule)",
    run: async (paths, config) => (await commands()).rulesTest(paths, config, {}),
  },
  {
    name: 'docs',
    description: 'write one Markdown page per rule from its metadata (--check: fail when a page is stale)',
    options: () => [
      new Option('-o, --out <dir>', 'output folder').default('docs/rules'),
      new Option('--check', 'write nothing; exit 1 when a page differs from what would be written'),
    ],
    run: async (paths, config, flags) => (await commands()).rulesDocs(paths, config, { out: flags.out ?? 'docs/rules', ...(flags.check ? { check: true } : {}) }),
  },
];

export function register(program: Command, setExit: SetExit): void {
  const rules = program.command('rules').description('list, validate, test and document rules');
  for (const sub of SUBCOMMANDS) {
    const command = rules
      .command(sub.name)
      .description(sub.description)
      .argument('[paths...]', 'rule files or folders (default: config rules.paths)')
      .option('-c, --config <file>', 'config file');
    for (const option of sub.options?.() ?? []) command.addOption(option);
    command.action(async (given: string[], flags: RulesFlags) => {
      const config = loadConfig(flags.config);
      const result = await sub.run(given.length > 0 ? given : config.rules.paths, config, flags);
      if (result.output) process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
      setExit(result.exitCode);
    });
  }
}
