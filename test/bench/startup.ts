/**
 * Start-up of the installed CLI (bin/trailproof.js → dist/, which `npm run bench` builds first):
 * the median wall time of several runs of a command, as a ratio to bare `node -e 0` on the same
 * machine at the same moment; and a demo scan's wall time beside the evaluation's own time in
 * one process, so the difference is what start-up and module loading cost.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/trailproof.js', import.meta.url));
const DEMO_SNAPSHOT = fileURLToPath(new URL('../../examples/demo-org.snapshot.jsonl', import.meta.url));
/** The target for a command that does no scan: a quarter second, within 4× bare node. */
const TARGET_S = 0.25;
const TARGET_RATIO = 4;

export interface StartupFigures {
  lines: string[];
  text: string[];
}

type EvaluateInProcess = (snapshot: string, outDir: string) => { wall_s: number };

/** Median wall seconds of `runs` runs of `node ...args` in `cwd`; fails on an unexpected exit code. */
function medianWall(args: string[], runs: number, cwd: string, expectStatus = 0): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (r.status !== expectStatus) throw new Error(`node ${args.join(' ')} exited ${r.status ?? r.signal}, expected ${expectStatus}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export function benchStartup(runs: number, dir: string, evaluateInProcess: EvaluateInProcess): StartupFigures {
  const lines: string[] = [];
  const text: string[] = [`== start-up: median of ${runs} runs of the compiled CLI, against bare node ==`];
  const bare = medianWall(['-e', '0'], runs, dir);
  text.push(`node -e 0: ${bare.toFixed(3)} s`);
  for (const command of [['--version'], ['rules', 'list']]) {
    const wall = medianWall([BIN, ...command], runs, dir);
    const ratio = wall / bare;
    const verdict = wall <= TARGET_S || ratio <= TARGET_RATIO ? 'meets' : 'MISSES';
    text.push(`trailproof ${command.join(' ')}: ${wall.toFixed(3)} s, ×${ratio.toFixed(1)} bare node (${verdict} the target: ≤ ${TARGET_S} s or ≤ ×${TARGET_RATIO})`);
    lines.push(`bench startup command=${command.join('-').replace(/^-+/, '')} median_s=${wall.toFixed(3)} node_s=${bare.toFixed(3)} ratio=${ratio.toFixed(2)}`);
  }
  const demoRuns = Math.max(1, Math.min(runs, 3));
  const scan = medianWall([BIN, 'scan', '--demo', '--format', 'json,sarif', '--out', join(dir, 'demo-reports')], demoRuns, dir, 1);
  const inProcess = evaluateInProcess(DEMO_SNAPSHOT, join(dir, 'demo-in-process'));
  text.push(`trailproof scan --demo --format json,sarif: ${scan.toFixed(3)} s wall (median of ${demoRuns}); evaluation and reports in one process: ${inProcess.wall_s.toFixed(3)} s`);
  lines.push(`bench startup command=scan-demo wall_s=${scan.toFixed(3)} in_process_s=${inProcess.wall_s.toFixed(3)} node_s=${bare.toFixed(3)}`);
  return { lines, text };
}
