/**
 * The process's temporary folder (verdict-spool.ts: the spools of every thread) is removed when the
 * process is stopped by a signal too, which ends it without `exit`; and the process still ends by
 * that signal.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../bench/generate-org.ts';
import { writeSyntheticSnapshot } from '../bench/org-snapshot.ts';
import { CLI_ARGS, REPO } from '../cli/run-cli.ts';

let dir: string;
let snapshot: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-spool-signal-'));
  snapshot = join(dir, 'org.snapshot.jsonl.gz');
  await writeSyntheticSnapshot(generateOrg({ accounts: 400, seed: 3 }), snapshot);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the temporary folder of a run stopped by a signal', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`is removed on ${signal}, and the process ends by it`, async () => {
      const temp = mkdtempSync(join(dir, 'tmp-'));
      // Two judging threads: the shared spool folder is made before pass 1, while workers start.
      const child = spawn(process.execPath, [...CLI_ARGS, 'evaluate', snapshot, '-o', join(dir, `out-${signal}`), '-f', 'json', '--workers', '2', '-q'], {
        cwd: REPO,
        env: { ...process.env, TMPDIR: temp },
        stdio: 'ignore',
      });
      const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_, s) => resolve(s)));
      const ours = () => readdirSync(temp).filter((f) => f.startsWith('trailproof-verdicts-'));
      while (ours().length === 0 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(child.exitCode, 'the evaluation ended before its folder was seen').toBeNull();
      child.kill(signal);
      expect(await ended).toBe(signal);
      expect(ours()).toEqual([]);
    }, 90_000);
  }
});
