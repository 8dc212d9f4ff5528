/**
 * Instructions an evaluation executes through the compiled CLI, counted by valgrind's callgrind
 * over every thread of the process. Seconds on a shared 2-core machine move by ±20 % between runs
 * of one build (and this machine's speed drifted ×1.7 within hours); the instruction count does
 * not follow the load or the clock (runs of one build differ by up to 2 %: 13.72 G and 13.93 G for
 * 1,000 accounts, `-f md`; 13.24 G and 13.53 G at 300 accounts with every format, the same code
 * in two checkouts), so it can tell a 5 % change that seconds cannot. It is not time:
 * cache misses, system calls and the kernel's share are not in it, so a change that trades
 * instructions for memory traffic must still be timed.
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
      ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, join(root, 'bin', 'trailproof.js'), 'evaluate', snapshot, '-o', out, '-f', formats, '-q', '--workers', '1'],
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
  const text = [`== instructions (valgrind callgrind, all threads), ${accounts.toLocaleString('en-US')} accounts, --workers 1, median of ${rounds} ==`];
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
    text.push(`this checkout ÷ ${roots[1]}: -f md ×${ratio('md').toFixed(3)}, every format ×${ratio(allFormats).toFixed(3)} (runs of one build differ by up to 2 %)`);
    lines.push(`bench instructions-ratio accounts=${accounts} md=${ratio('md').toFixed(3)} all=${ratio(allFormats).toFixed(3)}`);
  }
  return { text, lines };
}
