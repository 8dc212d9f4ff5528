/**
 * A temporary folder (shared/temporary-folder.ts: the spools of a run, a live scan's collected
 * snapshot) is removed when the process exits and when a signal ends it, several folders at once,
 * and the process still ends by that signal.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MODULE = pathToFileURL(fileURLToPath(new URL('../../src/shared/temporary-folder.ts', import.meta.url))).href;
const temp = mkdtempSync(join(tmpdir(), 'trailproof-temporary-folder-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A process that makes two folders, prints them, then waits (or exits at once with `exitAtOnce`). */
function child(exitAtOnce: boolean) {
  const code = `import { temporaryFolder } from ${JSON.stringify(MODULE)};
    console.log(JSON.stringify([temporaryFolder('trailproof-'), temporaryFolder('trailproof-verdicts-')]));
    ${exitAtOnce ? 'process.exitCode = 3;' : 'setInterval(() => {}, 1000);'}`;
  const process_ = spawn(process.execPath, ['--import', TSX, '--input-type=module', '-e', code], { env: { ...process.env, TMPDIR: temp }, stdio: ['ignore', 'pipe', 'inherit'] });
  const folders = new Promise<string[]>((resolve) => process_.stdout.once('data', (data: Buffer) => resolve(JSON.parse(data.toString()) as string[])));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => process_.once('exit', (code, signal) => resolve({ code, signal })));
  return { process: process_, folders, ended };
}

describe('a temporary folder', () => {
  it('is removed when the process exits', async () => {
    const run = child(true);
    const folders = await run.folders;
    expect(await run.ended).toEqual({ code: 3, signal: null });
    expect(folders.map((folder) => existsSync(folder))).toEqual([false, false]);
  }, 30_000);

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`is removed on ${signal}, and the process ends by it`, async () => {
      const run = child(false);
      const folders = await run.folders;
      expect(folders.map((folder) => existsSync(folder))).toEqual([true, true]);
      run.process.kill(signal);
      expect(await run.ended).toEqual({ code: null, signal });
      expect(folders.map((folder) => existsSync(folder))).toEqual([false, false]);
    }, 30_000);
  }
});
