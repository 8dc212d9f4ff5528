// How much of what the report writers encode is held in two-byte strings (docs/operations/
// scale-measurements.md, "fourteenth round"): evaluates a snapshot once with its verdicts spooled
// (RUN verdicts a run, 5,000 by default, as at 10,000 accounts; a larger RUN keeps them in memory,
// as the CLI does up to ~50,000 verdicts), then writes each format alone with `writeReports(…,
// { threads: 1 })` and reads the representation of every string handed to Buffer.prototype.write
// from V8's serializer (tag '"' one-byte, 'c' two-byte, maybe after a padding byte). Prints, per
// format, the characters and chunks written, those in two-byte strings, how many of those hold no
// character beyond Latin-1 (two-byte without need), and the SAMPLES largest groups of two-byte chunks.
//
//   node test/bench/two-byte-chunks.mjs SNAPSHOT [ROOT] [FORMATS] [SAMPLES]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import { evaluatedOnce } from './evaluated-once.mjs';

const [snapshot, rootArg, formatsArg, samplesArg] = process.argv.slice(2);
if (!snapshot) throw new Error('usage: node test/bench/two-byte-chunks.mjs SNAPSHOT [ROOT] [FORMATS] [SAMPLES]');
const root = resolve(rootArg ?? fileURLToPath(new URL('../..', import.meta.url)));
const { result, writeReports } = await evaluatedOnce(snapshot, root, Number(process.env.RUN ?? 5000));

const isTwoByte = (text) => {
  const bytes = serialize(text);
  return bytes[2] === 0x63 || (bytes[2] === 0 && bytes[3] === 0x63);
};
const WIDE = /[^\u0000-\u00ff]/;
let counts;
const write = Buffer.prototype.write;
Buffer.prototype.write = function (text, ...rest) {
  if (counts && typeof text === 'string') {
    counts.chunks++;
    counts.chars += text.length;
    if (isTwoByte(text)) {
      const wide = WIDE.test(text);
      counts.twoByte++;
      counts.twoByteChars += text.length;
      if (!wide) counts.needless += text.length;
      // Grouped by how the chunk starts, digits and hex ids folded.
      const key = `${wide ? 'wide' : 'no wide'} ${text.slice(0, 60)}`.replace(/[0-9a-f]{6,}/g, '#').replace(/\d+/g, '9');
      const group = counts.groups.get(key) ?? { n: 0, chars: 0, example: text.slice(0, 160) };
      group.n++;
      group.chars += text.length;
      counts.groups.set(key, group);
    }
  }
  return write.call(this, text, ...rest);
};
const out = mkdtempSync(join(tmpdir(), 'two-byte-chunks-'));
const M = (n) => (n / 1e6).toFixed(3);
for (const format of (formatsArg ?? 'json,sarif,html,md,junit,asff,ocsf,oscal').split(',')) {
  counts = { chunks: 0, chars: 0, twoByte: 0, twoByteChars: 0, needless: 0, groups: new Map() };
  await writeReports(result, [format], out, {}, { threads: 1 });
  const c = counts;
  counts = undefined;
  console.log(`${format}: ${M(c.chars)} M characters in ${c.chunks} chunks; two-byte: ${M(c.twoByteChars)} M in ${c.twoByte} (no character beyond Latin-1: ${M(c.needless)} M)`);
  for (const g of [...c.groups.values()].sort((a, b) => b.chars - a.chars).slice(0, Number(samplesArg ?? 3))) console.log(`  ${g.n} x, ${M(g.chars)} M: ${JSON.stringify(g.example)}`);
}
rmSync(out, { recursive: true, force: true });
