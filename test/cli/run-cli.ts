import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/trailproof.js', import.meta.url));

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI in a child process, as a user or CI would (no TTY, CI set). With `stdoutTo`,
 * standard output goes to that file (as `> FILE` in a shell) and `stdout` is empty.
 */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; stdoutTo?: string } = {}): CliRun {
  const fd = options.stdoutTo ? openSync(options.stdoutTo, 'w') : undefined;
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', ...options.env },
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', fd ?? 'pipe', 'pipe'],
    });
    return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Runs `main()` in this process, capturing what it prints (faster than a child; no TTY either). */
export async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { vi } = await import('vitest');
  const { main } = await import('../../src/cli/main.ts');
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
