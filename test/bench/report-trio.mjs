// The report phase of a spooled verdict list, alone: evaluate a snapshot once (its verdicts spooled
// to disk in runs of RUN, 5,000 by default, as a large organization's are), then run
// `writeReports(…, { threads: 1 })` of FORMATS (json,sarif,html by default) ROUNDS times.
//
//   node test/bench/report-trio.mjs SNAPSHOT [ROOT] [FORMATS] [prof]
//
// ROOT is a built checkout (default: this one); its dist/ writes the reports and, unless EVAL names
// another checkout, evaluates too. `prof` writes a CPU profile of the writing to PROF
// (default /tmp/report-trio.cpuprofile). With TOGGLE=1 the writing alone is counted under callgrind,
// from round COUNT_FROM on (0 by default):
//
//   TOGGLE=1 valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=OUT \
//     node --single-threaded --predictable-gc-schedule test/bench/report-trio.mjs /work/perf/org-1000.jsonl
//
// At 1,000 accounts ~40 % of those instructions are V8's optimizing compiler, a fixed cost that
// 100,000 accounts do not see in proportion, and it moves by ±5 % between runs: sum the
// `v8::internal::compiler::` functions of `callgrind_annotate OUT` and read the rest. A later
// round (ROUNDS=2 COUNT_FROM=1) does not avoid it: V8 compiled the same functions again in each.
//
// THREADS=2 splits the formats between this thread and a report worker, as the CLI does on two
// cores (write-threads.ts); callgrind counts both threads.
//
// OUT keeps the reports in that folder (for `diff -rq`); otherwise they go to a temporary folder
// that is removed.
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluatedOnce } from './evaluated-once.mjs';

const [snapshot, rootArg, formatsArg, mode] = process.argv.slice(2);
if (!snapshot) throw new Error('usage: node test/bench/report-trio.mjs SNAPSHOT [ROOT] [FORMATS] [prof]');
const root = resolve(rootArg ?? fileURLToPath(new URL('../..', import.meta.url)));
const evalRoot = resolve(process.env.EVAL ?? root);
const formats = (formatsArg ?? 'json,sarif,html').split(',');
const { writeReports } = await import(`${root}/dist/report/write.js`);
const { result } = await evaluatedOnce(snapshot, evalRoot, Number(process.env.RUN ?? 5000));
// IN_MEMORY=1 with a RUN above the verdicts: a list kept in memory, as the CLI's below 15,000 accounts.
if (Array.isArray(result.verdicts) && process.env.IN_MEMORY !== '1') throw new Error('the verdicts were not spooled: lower RUN');

const toggle = (on) => {
  if (process.env.TOGGLE) execSync(`callgrind_control -i ${on} ${process.pid}`, { stdio: 'ignore' });
};
const out = process.env.OUT ? resolve(process.env.OUT) : mkdtempSync(join(tmpdir(), 'report-trio-'));
let session;
if (mode === 'prof') {
  const { Session } = await import('node:inspector/promises');
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
}
const rounds = Number(process.env.ROUNDS ?? 1);
const countFrom = Number(process.env.COUNT_FROM ?? 0);
for (let round = 0; round < rounds; round++) {
  rmSync(out, { recursive: true, force: true });
  if (round >= countFrom) toggle('on');
  if (session) await session.post('Profiler.start');
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await writeReports(result, formats, out, {}, { threads: Number(process.env.THREADS ?? 1) });
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - wall0;
  toggle('off');
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(process.env.PROF ?? join(tmpdir(), 'report-trio.cpuprofile'), JSON.stringify(profile));
  }
  console.error(`round ${round}: cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, wall ${(wall / 1000).toFixed(2)} s`);
}
if (!process.env.OUT) rmSync(out, { recursive: true, force: true });
