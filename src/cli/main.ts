import { Command, CommanderError } from 'commander';
import { UserError } from '../shared/errors.ts';
import { toolVersion } from '../shared/version.ts';
import type { RegisterCommands } from './register.ts';

/**
 * Each command group lives in src/cli/commands/<group>.ts and exports `register(program, setExit)`.
 * Commands report their exit code through `setExit` instead of `process.exit`, so tests can call
 * `main()` in-process.
 *
 * Only the group the command line names is imported: a group pulls in its stages (CEL, Ajv, the
 * report writers, the KMS client...), and `trailproof --version` or `rules list` should not pay
 * for the others. Help, an unknown command and no command at all load every group.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('trailproof');
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  program
    .description('Prove that every account of an AWS Organization keeps an audit trail no one can tamper with.')
    .version(toolVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  for (const register of await commandGroupsFor(argv)) register(program, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UserError) {
      process.stderr.write(`trailproof: ${err.message}\n`);
      return err.exitCode;
    }
    // A bug, not the user's doing: the message without the stack, which TRAILPROOF_DEBUG=1 adds for a bug report.
    const error = err instanceof Error ? err : new Error(String(err));
    const detail = process.env.TRAILPROOF_DEBUG ? (error.stack ?? error.message) : `${error.message}\n(a bug in trailproof; please report it, with the stack trace TRAILPROOF_DEBUG=1 prints)`;
    process.stderr.write(`trailproof: internal error: ${detail}\n`);
    return INTERNAL_ERROR_EXIT;
  }
}

/** Exit code of a bug (README's exit-code table); every other code is the gate's or a user error's. */
export const INTERNAL_ERROR_EXIT = 4;

export interface CommandGroup {
  /** The top-level commands the group's `register` adds. */
  commands: readonly string[];
  load: () => Promise<{ register: RegisterCommands }>;
}

/** The command groups in the order `--help` lists them. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { commands: ['scan', 'evaluate'], load: () => import('./commands/scan.ts') },
  { commands: ['collect', 'iam-policy'], load: () => import('./commands/collect.ts') },
  { commands: ['rules'], load: () => import('./commands/rules.ts') },
  { commands: ['frameworks'], load: () => import('./commands/frameworks.ts') },
  { commands: ['report'], load: () => import('./commands/report.ts') },
  { commands: ['snapshot'], load: () => import('./commands/snapshot.ts') },
  { commands: ['evidence'], load: () => import('./commands/evidence.ts') },
  { commands: ['exceptions'], load: () => import('./commands/exceptions.ts') },
  { commands: ['verify-logs'], load: () => import('./commands/verify-logs.ts') },
];

const VERSION_FLAGS = new Set(['-V', '--version']);

/** The groups `argv` needs: none for `--version`, the named command's own, or else all of them. */
async function commandGroupsFor(argv: readonly string[]): Promise<RegisterCommands[]> {
  const first = argv[0];
  if (first !== undefined && VERSION_FLAGS.has(first)) return [];
  const named = COMMAND_GROUPS.find((group) => first !== undefined && group.commands.includes(first));
  const groups = named ? [named] : COMMAND_GROUPS;
  return Promise.all(groups.map(async (group) => (await group.load()).register));
}
