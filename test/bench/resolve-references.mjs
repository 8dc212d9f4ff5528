// Snapshot format 2's references resolved alone, and the errors walk, for measuring them
// (docs/operations/scale-measurements.md, "seventeenth round"): reads a snapshot's account lines
// as text; each round parses them all, then counts (TOGGLE=1 under `valgrind --tool=callgrind
// --instr-atstart=no`) only WHAT: `resolve` (pass 2's resolution), `check` (pass 1's) or `walk`
// (collectErrors on the resolved lines). The first rounds include V8's compilation: a round's
// steady cost is the difference between two counts (e.g. 6 rounds minus 2). Run with --expose-gc
// so the heap is collected before each counted part. Prints the errors' count and digest.
// usage: WHAT=resolve node --expose-gc test/bench/resolve-references.mjs ROOT SNAPSHOT ROUNDS   (ROOT: a built checkout)
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
const [root, file, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
const what = process.env.WHAT ?? 'resolve';
const { resolveSameAsReferences } = await import(`${root}/dist/snapshot/same-as.js`);
const { collectErrors } = await import(`${root}/dist/model/errors.js`);
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).slice(1);
const toggle = (on) => { if (process.env.TOGGLE) execSync(`callgrind_control -i ${on} ${process.pid}`, { stdio: 'ignore' }); };
let errors = 0;
const digest = createHash('sha256');
for (let r = 0; r < rounds; r++) {
  const parsed = lines.map((l) => JSON.parse(l));
  if (what === 'walk') for (const line of parsed) resolveSameAsReferences(line, false);
  globalThis.gc?.();
  const t = performance.now();
  toggle('on');
  if (what === 'resolve') for (const line of parsed) resolveSameAsReferences(line, false);
  if (what === 'check') for (const line of parsed) if (resolveSameAsReferences(line, true)) throw new Error('a line refused');
  if (what === 'walk') for (const line of parsed) { const found = collectErrors(line); errors += found.length; if (r === 0) digest.update(JSON.stringify(found)); }
  toggle('off');
  console.log(`round ${r} ${(performance.now() - t).toFixed(1)} ms`);
}
console.log(`${what} errors ${errors} digest ${digest.digest('hex').slice(0, 16)}`);
