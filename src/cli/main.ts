import { Command, CommanderError } from 'commander';
import { UserError } from '../shared/errors.ts';
import { toolVersion } from '../shared/version.ts';
import type { RegisterCommands } from './register.ts';
import { register as registerScan } from './commands/scan.ts';
import { register as registerCollect } from './commands/collect.ts';
import { register as registerRules } from './commands/rules.ts';
import { register as registerReport } from './commands/report.ts';
import { register as registerEvidence } from './commands/evidence.ts';
import { register as registerExceptions } from './commands/exceptions.ts';

/**
 * Each command group lives in src/cli/commands/<group>.ts and exports `register(program, setExit)`.
 * Commands report their exit code through `setExit` instead of `process.exit`, so tests can call
 * `main()` in-process.
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
  for (const register of COMMAND_GROUPS) register(program, setExit);
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

/** The command groups in the order `--help` lists them. */
const COMMAND_GROUPS: RegisterCommands[] = [registerScan, registerCollect, registerRules, registerReport, registerEvidence, registerExceptions];
