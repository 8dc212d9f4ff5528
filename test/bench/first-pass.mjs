// Pass 1 alone, for measuring it (docs/operations/scale-measurements.md, "twelfth round"): opens a
// snapshot for a validating first pass and runs the pipeline's firstPass (read, hash, parse,
// validate, index, errors walk) ROUNDS times in one process, each on a freshly opened source. With
// TOGGLE=1 under `valgrind --tool=callgrind --instr-atstart=no`, instructions are counted only
// during the rounds. With a 4th argument, prints a SHA-256 of the index's JSON and the errors.
// With PARSE_ONLY=1, each round only reads, splits, decodes and JSON.parses the lines (a pass after
// the validating one, without hashing): the floor pass 1 cannot go under.
// usage: node test/bench/first-pass.mjs ROOT SNAPSHOT ROUNDS [digest]   (ROOT: a built checkout)
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
const [root, file, roundsArg, digestArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
const { openSnapshot, reopenSnapshot } = await import(`${root}/dist/snapshot/read.js`);
const { firstPass } = await import(`${root}/dist/evaluate/pipeline.js`);
const { loadConfig } = await import(`${root}/dist/config/load.js`);
const { loadRules } = await import(`${root}/dist/rules/load.js`);
const config = loadConfig();
const rules = await loadRules(config.rules.paths, config);
const toggle = (on) => { if (process.env.TOGGLE) execSync(`callgrind_control -i ${on} ${process.pid}`, { stdio: 'ignore' }); };
let first;
toggle('on');
for (let r = 0; r < rounds; r++) {
  const t = process.hrtime.bigint();
  const source = await openSnapshot(file, { validate: 'first-pass' });
  if (process.env.PARSE_ONLY) {
    let n = 0;
    for await (const _ of (await reopenSnapshot(file, { identity: source.identity })).numberedRecords()) n++;
    first = { accountIds: { length: n }, errors: [] };
  } else first = await firstPass(source, { config, rules });
  console.log(`round ${r} ${Number(process.hrtime.bigint() - t) / 1e6} ms`);
}
toggle('off');
console.log(`accounts ${first.accountIds.length} errors ${first.errors.length}`);
if (digestArg && !process.env.PARSE_ONLY) {
  const h = createHash('sha256');
  h.update(JSON.stringify(first.errors));
  h.update(JSON.stringify(first.lines));
  h.update(JSON.stringify([...first.index.placements.entries()]));
  console.log(`digest ${h.digest('hex')}`);
}
