/**
 * Instructions an evaluation executes through the compiled CLI, counted by valgrind's callgrind.
 * Seconds on a shared 2-core machine move by ±20 % between runs of one build (and this machine's
 * speed drifted ×1.7 within hours); instructions move much less, so they can tell a change of a
 * few per cent that seconds cannot. Node runs with V8's `--single-threaded` (no concurrent
 * compilation or garbage-collection threads): with those threads the count followed the machine's
 * load (the same build at 1,000 accounts, `-f md`: 13.72 G idle, 15.36–15.44 G at load 10–18),
 * without them it moves by about 1 % (14.14 G idle, 14.29 G at load 10–17). It is not time:
 * cache misses, system calls and the kernel's work are not in it, and single-threaded V8 does its
 * collector's work on the main thread, so a change that trades instructions for memory traffic
 * or for concurrent work must still be timed.
 *
 * Two runs per build: `-f md` (the evaluation with the cheapest report) and every format; their
 * difference is the other formats' share. With `--against ROOT` (another checkout whose dist/ is
 * built) the two builds run alternately and the ratio is printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const THIS_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Exit codes of a finished evaluation: no failure, failures, partial (ERROR verdicts). */
const FINISHED = new Set([0, 1, 3]);

export interface InstructionFigures {
  text: string[];
  lines: string[];
}

interface Count {
  root: string;
  formats: string;
  instructions: number;
}

/** Instructions of one `evaluate` under callgrind, or a reason it could not be counted. */
function countOnce(root: string, snapshot: string, formats: string, dir: string): number | string {
  const out = mkdtempSync(join(dir, 'instructions-'));
  try {
    const run = spawnSync(
      'valgrind',
      ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', join(root, 'bin', 'trailproof.js'), 'evaluate', snapshot, '-o', out, '-f', formats, '-q', '--workers', '1'],
      { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } },
    );
    if (run.error) return (run.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'valgrind is not installed (apt-get install valgrind)' : run.error.message;
    if (run.status === null || !FINISHED.has(run.status)) return `trailproof evaluate exited ${run.status ?? run.signal} under valgrind (${root})`;
    const collected = /Collected\s*:\s*(\d+)/.exec(run.stderr);
    return collected ? Number(collected[1]) : 'callgrind printed no "Collected" count';
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const giga = (n: number) => `${(n / 1e9).toFixed(2)} G`;

/**
 * `rounds` rounds; each round runs every build once per format set, builds alternating so a slow
 * stretch of the machine falls on both (it does not change counts, but it keeps runs comparable
 * when their seconds are read too).
 */
export function benchInstructions(snapshot: string, accounts: number, allFormats: string, rounds: number, dir: string, against?: string): InstructionFigures {
  const roots = against === undefined ? [THIS_ROOT] : [THIS_ROOT, resolve(against)];
  const text = [`== instructions (valgrind callgrind, node --single-threaded), ${accounts.toLocaleString('en-US')} accounts, --workers 1, median of ${rounds} ==`];
  const lines: string[] = [];
  const counts: Count[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const formats of ['md', allFormats]) {
      for (const root of roots) {
        const counted = countOnce(root, snapshot, formats, dir);
        if (typeof counted === 'string') return { text: [...text, `skipped: ${counted}`], lines };
        counts.push({ root, formats, instructions: counted });
      }
    }
  }
  const of = (root: string, formats: string) => median(counts.filter((c) => c.root === root && c.formats === formats).map((c) => c.instructions));
  for (const root of roots) {
    const evaluation = of(root, 'md');
    const all = of(root, allFormats);
    const label = root === THIS_ROOT ? 'this checkout' : root;
    text.push(`${label}: -f md ${giga(evaluation)} (${(evaluation / accounts / 1e6).toFixed(2)} M per account, start-up included); every format ${giga(all)}, of which the other formats ${giga(all - evaluation)}`);
    lines.push(`bench instructions accounts=${accounts} root=${root === THIS_ROOT ? 'this' : 'against'} md_g=${(evaluation / 1e9).toFixed(3)} all_g=${(all / 1e9).toFixed(3)} per_account_m=${(evaluation / accounts / 1e6).toFixed(3)}`);
  }
  if (against !== undefined) {
    const ratio = (formats: string) => of(THIS_ROOT, formats) / of(roots[1]!, formats);
    text.push(`this checkout ÷ ${roots[1]}: -f md ×${ratio('md').toFixed(3)}, every format ×${ratio(allFormats).toFixed(3)} (runs of one build differ by about 1 %)`);
    lines.push(`bench instructions-ratio accounts=${accounts} md=${ratio('md').toFixed(3)} all=${ratio(allFormats).toFixed(3)}`);
  }
  return { text, lines };
}
