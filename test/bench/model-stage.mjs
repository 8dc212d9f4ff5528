// The model stage alone, for measuring it (docs/operations/scale-measurements.md, "The model
// stage's CPU"): parses a snapshot's records once, builds the index once, then runs
// subjectsForAccount for every account ROUNDS times, the index's memo emptied before each round
// (each evaluation builds its own). With TOGGLE=1 under `valgrind --tool=callgrind
// --instr-atstart=no`, instructions are counted only during the rounds. With a 4th argument, prints
// a SHA-256 of the JSON of every subject, to compare the facts of two builds.
// usage: node test/bench/model-stage.mjs ROOT SNAPSHOT ROUNDS [digest]   (ROOT: a built checkout)
import { createHash } from 'node:crypto';
import { judgingSetup } from './judging-setup.mjs';
const [root, file, roundsArg, digestArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
const { records, index, subjectsForAccount, organizationSubject, toggle } = await judgingSetup(root, file);
let subjects = 0;
toggle('on');
for (let r = 0; r < rounds; r++) {
  const t = process.hrtime.bigint();
  // A fresh memo each round, as each evaluation builds its index once: the per-org memo cost counts.
  index.memo = new Map();
  for (const record of records) subjects += subjectsForAccount(index, record).length;
  console.log(`round ${r} ${Number(process.hrtime.bigint() - t) / 1e6} ms`);
}
toggle('off');
console.log(`subjects ${subjects}`);
if (digestArg) {
  index.memo = new Map();
  const h = createHash('sha256');
  h.update(JSON.stringify(organizationSubject(index)));
  for (const record of records) for (const s of subjectsForAccount(index, record)) h.update(JSON.stringify(s));
  console.log(`digest ${h.digest('hex')}`);
}
