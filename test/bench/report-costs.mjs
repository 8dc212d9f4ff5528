// What writing each report format costs, alone or in groups, at one size: the `cost` of the built-in
// formatters (src/report/types.ts) comes from this. The snapshot is evaluated once (verdicts
// spooled, as a large organization's are), then `writeReports(…, { threads: 1 })` of each set runs
// ROUNDS times (3 by default), the sets interleaved so that a slower minute of the machine is
// shared; wall and CPU (process.cpuUsage) seconds per round are printed, and on Linux this
// thread's own CPU (/proc/thread-self/stat), without V8's helper threads (most of the collector's
// marking and scavenging) and libuv's: what a report thread itself takes of a deal (write-threads.ts).
//
//   node test/bench/report-costs.mjs SNAPSHOT [ROOT] [SET...]
//   IN_MEMORY=1 node test/bench/report-costs.mjs SNAPSHOT [ROOT] [SET...]
//
// A SET is a comma-separated list of formats written together (lockstep.ts), e.g. the groups
// formatGroups deals for two threads; without SETs, each of the 8 formats alone. ROOT is a built
// checkout (default: this one).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluatedOnce } from './evaluated-once.mjs';

const [snapshot, rootArg, ...setArgs] = process.argv.slice(2);
if (!snapshot) throw new Error('usage: node test/bench/report-costs.mjs SNAPSHOT [ROOT] [SET...]');
const root = resolve(rootArg ?? fileURLToPath(new URL('../..', import.meta.url)));
// Spooled in runs as a large organization's verdicts are (below 15,000 accounts the CLI keeps them
// in memory on one thread, where each format costs 10-30 % less): the costs are a spooled list's.
// IN_MEMORY=1 keeps them in memory, as the CLI does below 15,000 accounts (this thread's formats there).
// The deal's IN_MEMORY_COST_SHARE (src/report/write-threads.ts) is the ratio of such runs of a group.
const inMemory = process.env.IN_MEMORY === '1';
const { RUN_VERDICTS } = await import(`${root}/dist/evaluate/verdict-spool.js`);
const { result, writeReports } = await evaluatedOnce(snapshot, root, inMemory ? undefined : RUN_VERDICTS);
if (!inMemory && Array.isArray(result.verdicts)) console.error('note: the verdicts were not spooled (fewer than a run): costs differ from a large organization\'s');

/** This thread's user + system CPU seconds (Linux), else undefined. */
const THREAD_STAT = '/proc/thread-self/stat';
function threadCpu() {
  if (!existsSync(THREAD_STAT)) return undefined;
  const stat = readFileSync(THREAD_STAT, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const sets = setArgs.length > 0 ? setArgs : ['md', 'sarif', 'junit', 'json', 'asff', 'ocsf', 'html', 'oscal'];
const rounds = Number(process.env.ROUNDS ?? 3);
const out = mkdtempSync(join(tmpdir(), 'report-costs-'));
const seconds = new Map(sets.map((set) => [set, []]));
try {
  for (let round = 0; round < rounds; round++) {
    for (const set of sets) {
      rmSync(out, { recursive: true, force: true });
      const cpu0 = process.cpuUsage();
      const thread0 = threadCpu();
      const wall0 = performance.now();
      await writeReports(result, set.split(','), out, {}, { threads: 1 });
      const cpu = process.cpuUsage(cpu0);
      const thread = thread0 === undefined ? undefined : threadCpu() - thread0;
      seconds.get(set).push({ wall: (performance.now() - wall0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, thread });
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
const list = (values) => values.map((v) => v.toFixed(2)).join(' ');
for (const [set, runs] of seconds) {
  const cpu = runs.map((r) => r.cpu);
  const sorted = [...cpu].sort((a, b) => a - b);
  const thread = runs[0].thread === undefined ? '' : `  thread ${list(runs.map((r) => r.thread))}`;
  console.log(`${set.padEnd(34)} cpu ${list(cpu)} (min ${sorted[0].toFixed(2)}, median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)})  wall ${list(runs.map((r) => r.wall))}${thread}`);
}
