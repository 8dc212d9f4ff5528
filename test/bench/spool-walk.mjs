// What reading a spooled verdict list costs per verdict, alone: evaluate a snapshot once (its
// verdicts spooled in runs of RUN, 5,000 by default, as a large organization's are), then walk the
// spool ROUNDS times the way the report writers do, with no format's own work:
//
//   walk      the verdicts through the writers' lockstep view (lockstep.ts), every field read
//   evidence  the same, and each verdict's evidence and its compact text (EvidenceTexts), as the
//             formats that print evidence ask for them
//   md        writeReports(…, ['md'], { threads: 1 }) (its own work is small)
//   judge     no walk: the evaluation that writes the spool is counted instead (the writing side)
//
//   node test/bench/spool-walk.mjs SNAPSHOT [ROOT] [MODE]
//
// With TOGGLE=1 only the walks are counted under callgrind (from round COUNT_FROM on, 1 by default:
// the first round compiles); instructions per verdict = Collected / (counted rounds × verdicts):
//
//   TOGGLE=1 valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/dev/null \
//     node --single-threaded test/bench/spool-walk.mjs /work/perf/org-1000.jsonl
//
// Where: `node --cpu-prof --cpu-prof-dir=DIR test/bench/spool-walk.mjs …` with ROUNDS=20 or so,
// so that the walks outweigh the evaluation in the profile.
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluatedOnce } from './evaluated-once.mjs';

const [snapshot, rootArg, mode = 'evidence'] = process.argv.slice(2);
if (!snapshot) throw new Error('usage: node test/bench/spool-walk.mjs SNAPSHOT [ROOT] [walk|evidence|md|judge]');
const root = resolve(rootArg ?? fileURLToPath(new URL('../..', import.meta.url)));
const toggle = (on) => {
  if (process.env.TOGGLE) execSync(`callgrind_control -i ${on} ${process.pid}`, { stdio: 'ignore' });
};

// `judge`: the evaluation that writes the spool is counted instead (judging, runs, merge), no walk.
if (mode === 'judge') toggle('on');
const { result, writeReports } = await evaluatedOnce(snapshot, root, Number(process.env.RUN ?? 5000));
if (Array.isArray(result.verdicts)) throw new Error('the verdicts were not spooled: lower RUN');
if (mode === 'judge') {
  toggle('off');
  console.error(`verdicts ${result.verdicts.length}, mode judge`);
  process.exit(0);
}
const { Lockstep } = await import(`${root}/dist/report/lockstep.js`);
const { EvidenceTexts } = await import(`${root}/dist/report/evidence-texts.js`);

/** One walk through a fresh lockstep view, as writeFormats makes one per report run; returns a checksum so nothing is optimized away. */
function walk(withEvidence) {
  const lockstep = new Lockstep(result.verdicts);
  const texts = EvidenceTexts.of(result.verdicts);
  let sum = 0;
  try {
    for (const v of lockstep.verdicts) {
      sum += v.ruleId.length + v.status.length + v.severity.length + v.message.length + v.resource.id.length + (v.suppressed ? 1 : 0);
      if (withEvidence) sum += texts.compact(v.evidence).length;
    }
  } finally {
    lockstep.close();
  }
  return sum;
}

const out = mkdtempSync(join(tmpdir(), 'spool-walk-'));
const rounds = Number(process.env.ROUNDS ?? 4);
const countFrom = Number(process.env.COUNT_FROM ?? 1);
let checksum = 0;
for (let round = 0; round < rounds; round++) {
  if (round === countFrom) {
    toggle('on');
  }
  const cpu0 = process.cpuUsage();
  if (mode === 'md') await writeReports(result, ['md'], out, {}, { threads: 1 });
  else checksum += walk(mode === 'evidence');
  const cpu = process.cpuUsage(cpu0);
  console.error(`round ${round}: cpu ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s, ${(((cpu.user + cpu.system) * 1000) / result.verdicts.length).toFixed(0)} ns per verdict`);
}
toggle('off');
rmSync(out, { recursive: true, force: true });
console.error(`verdicts ${result.verdicts.length}, counted rounds ${rounds - countFrom}, mode ${mode}, checksum ${checksum}`);
