import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * How tests start the CLI in a child process: the source entry through tsx, so a test always runs
 * the code it sits beside. bin/trailproof.js runs the compiled dist/ instead, which a stale build
 * would make wrong; that path is tested where it is shipped, by test/package/pack-install.test.ts.
 */
export const CLI_ARGS = ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, fileURLToPath(new URL('../../src/cli/entry.ts', import.meta.url))];

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
    const r = spawnSync(process.execPath, [...CLI_ARGS, ...args], {
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

/**
 * The same without blocking this process: for a CLI that talks to a server running in the test
 * process itself (the fake AWS endpoint), which spawnSync would starve.
 */
export function runCliAsync(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, ...args], { cwd: options.cwd ?? REPO, env: { ...process.env, CI: 'true', NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}
