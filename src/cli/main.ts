import { Command, CommanderError } from 'commander';
import { UserError } from '../shared/errors.ts';

/**
 * Each command group lives in src/cli/commands/<group>.ts and exports `register(program)`.
 * Commands return their exit code by throwing nothing and setting `process.exitCode`-free values
 * through the `exit` holder below, so tests can call `main()` in-process.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('trailproof');
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  program
    .description('Prove that every account of an AWS Organization keeps an audit trail no one can tamper with.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  for (const register of await commandGroups()) register(program, setExit);
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
    process.stderr.write(`trailproof: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 4;
  }
}

export type SetExit = (code: number) => void;
export type RegisterCommands = (program: Command, setExit: SetExit) => void;

async function commandGroups(): Promise<RegisterCommands[]> {
  const groups = ['scan', 'rules', 'collect', 'report', 'evidence', 'exceptions'];
  const loaded: RegisterCommands[] = [];
  for (const g of groups) {
    try {
      const mod = (await import(`./commands/${g}.ts`)) as { register?: RegisterCommands };
      if (mod.register) loaded.push(mod.register);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    }
  }
  return loaded;
}
