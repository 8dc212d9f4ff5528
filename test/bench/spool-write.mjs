// What writing verdicts as the spool's sorted runs costs, alone: evaluate a snapshot once in memory,
// then hand its verdicts to a fresh VerdictSpool (runs of RUN, 50,000 by default as in a large
// organization) and end it without a merge (finishRuns), ROUNDS times (5 by default). The
// verdicts are added by resource, not in canonical order, so that each run is sorted as a judging
// thread's is.
//
//   node test/bench/spool-write.mjs SNAPSHOT [ROOT]
//
// With TOGGLE=1 only the rounds from COUNT_FROM on (1 by default: the first compiles) are counted
// under callgrind; instructions per verdict = Collected / (counted rounds × verdicts):
//
//   RUN=5000 ROUNDS=4 COUNT_FROM=2 TOGGLE=1 valgrind --tool=callgrind --instr-atstart=no \
//     --callgrind-out-file=/dev/null node --single-threaded test/bench/spool-write.mjs org-1000.v2.jsonl
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluatedOnce } from './evaluated-once.mjs';

const [snapshot, rootArg] = process.argv.slice(2);
if (!snapshot) throw new Error('usage: node test/bench/spool-write.mjs SNAPSHOT [ROOT]');
const root = resolve(rootArg ?? fileURLToPath(new URL('../..', import.meta.url)));
const toggle = (on) => {
  if (process.env.TOGGLE) execSync(`callgrind_control -i ${on} ${process.pid}`, { stdio: 'ignore' });
};

const { result } = await evaluatedOnce(snapshot, root);
if (!Array.isArray(result.verdicts)) throw new Error('the verdicts were spooled: use a smaller snapshot');
const { VerdictSpool } = await import(`${root}/dist/evaluate/verdict-spool.js`);
const byResource = (a, b) => (a.resource.id < b.resource.id ? -1 : a.resource.id > b.resource.id ? 1 : a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
const verdicts = [...result.verdicts].sort(byResource);
const runVerdicts = Number(process.env.RUN ?? 50_000);
const rounds = Number(process.env.ROUNDS ?? 5);
const countFrom = Number(process.env.COUNT_FROM ?? 1);
for (let round = 0; round < rounds; round++) {
  const dir = mkdtempSync(join(tmpdir(), 'spool-write-'));
  if (round === countFrom) toggle('on');
  const cpu0 = process.cpuUsage();
  const spool = new VerdictSpool(dir, runVerdicts);
  for (const v of verdicts) spool.add(v);
  const ended = spool.finishRuns();
  const cpu = process.cpuUsage(cpu0);
  if (Array.isArray(ended)) throw new Error('no run was written: lower RUN');
  console.error(`round ${round}: cpu ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s, ${(((cpu.user + cpu.system) * 1000) / verdicts.length).toFixed(0)} ns per verdict, ${ended.runs.length} runs`);
  rmSync(dir, { recursive: true, force: true });
}
toggle('off');
console.error(`verdicts ${verdicts.length}, runs of ${runVerdicts}, counted rounds ${rounds - countFrom}`);
