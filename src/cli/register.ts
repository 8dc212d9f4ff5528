import type { Command } from 'commander';

/**
 * What main() hands each command group (src/cli/commands/<group>.ts): commands report their exit
 * code through `setExit` instead of `process.exit`, so tests can call `main()` in-process. Kept
 * apart from main.ts so the groups do not import the module that imports them.
 */
export type SetExit = (code: number) => void;
export type RegisterCommands = (program: Command, setExit: SetExit) => void;
