// Judging alone, for measuring it (docs/operations/scale-measurements.md, "Judging's CPU per
// account", twentieth round): reads a snapshot's records and builds the index once, loads the rules
// once, then runs ROUNDS rounds of the model (subjectsForAccount, the index's memo emptied first, as
// each evaluation builds its own) and every rule on every subject, the verdicts dropped. The rules'
// caches carry over between rounds, as they do from account to account in one evaluation, so the
// later rounds are judging's steady state at any size. With TOGGLE=1 under `valgrind
// --tool=callgrind --instr-atstart=no`, instructions are counted only in the rounds from WARM
// (default 2: the first ones compile). With a 4th argument `digest`, prints a SHA-256 of every
// verdict of the last round, to compare two builds.
// usage: node test/bench/judging-rounds.mjs ROOT SNAPSHOT ROUNDS [digest]   (ROOT: a built checkout)
import { createHash } from 'node:crypto';
import { judgingSetup } from './judging-setup.mjs';
const [root, file, roundsArg, digestArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 6);
const warm = Number(process.env.WARM ?? 2);
const { rules, records, index, subjectsForAccount, organizationSubject, toggle } = await judgingSetup(root, file);
let digest;
for (let r = 0; r < rounds; r++) {
  if (r === warm) toggle('on');
  index.memo = new Map();
  digest = digestArg && r === rounds - 1 ? createHash('sha256') : undefined;
  const t = process.hrtime.bigint();
  let verdicts = 0;
  const judge = (subject) => {
    for (const rule of rules) {
      if (rule.meta.resource !== subject.resource.type) continue;
      const verdict = rule.evaluate(subject);
      verdicts++;
      digest?.update(JSON.stringify(verdict));
    }
  };
  judge(organizationSubject(index));
  for (const record of records) for (const subject of subjectsForAccount(index, record)) judge(subject);
  console.log(`round ${r} ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(1)} ms, ${verdicts} verdicts`);
}
toggle('off');
if (digest) console.log(`digest ${digest.digest('hex')}`);
