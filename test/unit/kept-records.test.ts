/**
 * One judging thread keeps pass 1's records for pass 2 (evaluate/kept-records.ts): each account line
 * is parsed once while the kept lines fit the budget, the lines beyond it are read again, and the
 * reports are those of reading every line twice.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { jsonFormatter } from '../../src/report/json.ts';
import { sarifFormatter } from '../../src/report/sarif.ts';
import { loadRules, type LoadedRule } from '../../src/rules/load.ts';
import { UserError } from '../../src/shared/errors.ts';
import { openSnapshot, type LineSelection, type NumberedRecord, type SnapshotSource } from '../../src/snapshot/read.ts';
import { generateOrg } from '../bench/generate-org.ts';
import { writeSyntheticSnapshot } from '../bench/org-snapshot.ts';

let dir: string;
let file: string;
let lines: string[]; // header on line 1, then 78 accounts (80 less 2 skipped)
let rules: LoadedRule[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-kept-records-'));
  const gz = join(dir, 'org.snapshot.jsonl.gz');
  await writeSyntheticSnapshot(generateOrg({ accounts: 80, seed: 11 }), gz);
  lines = gunzipSync(readFileSync(gz)).toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  file = join(dir, 'org.snapshot.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const render = (result: Parameters<typeof jsonFormatter.render>[0]) => [jsonFormatter.render(result, {}), sarifFormatter.render(result, {})];
const accountLines = () => lines.map((_, i) => i + 1).slice(1);
/** The characters of the first `count` account lines: a budget that keeps exactly those. */
const charsOfFirst = (count: number) => lines.slice(1, 1 + count).reduce((sum, text) => sum + text.length, 0);

/**
 * The snapshot opened as the CLI opens it, with every record a pass yields counted by its line;
 * `beforePass(n)` runs as pass n (1-based, every numberedRecords call) starts.
 */
async function countedSource(beforePass: (pass: number) => void = () => {}) {
  const source = await openSnapshot(file, { validate: 'first-pass' });
  const yielded = new Map<number, number>();
  let passes = 0;
  async function* counted(only?: LineSelection): AsyncGenerator<NumberedRecord> {
    beforePass(++passes);
    for await (const numbered of source.numberedRecords(only)) {
      yielded.set(numbered.line, (yielded.get(numbered.line) ?? 0) + 1);
      yield numbered;
    }
  }
  // Everything else (sha256, set once pass 1 ends) is read from the source itself.
  const seam: SnapshotSource = Object.create(source);
  seam.numberedRecords = counted;
  return { source: seam, yielded, passes: () => passes };
}

async function evaluated(keptRecordChars: number) {
  const counted = await countedSource();
  const result = await evaluateSnapshot(counted.source, { config: DEFAULT_CONFIG, rules, workers: 1, keptRecordChars });
  return { reports: render(result), yielded: counted.yielded };
}

describe('one judging thread: pass 1 keeps its records for pass 2', () => {
  it('parses each account line once when every record fits the budget', async () => {
    const { yielded } = await evaluated(Infinity);
    // Line 3 holds a bucket that a trail further down names: pass 1 takes it again from what it kept.
    expect(accountLines().filter((line) => yielded.get(line) !== 1)).toEqual([]);
  }, 60_000);

  it('reads again the lines beyond the budget only, with the reports of reading every line twice', async () => {
    const all = await evaluated(Infinity);
    const none = await evaluated(0);
    expect(none.reports).toEqual(all.reports);
    // (A line holding a bucket that a trail further down names is read a third time, in pass 1.)
    expect(accountLines().filter((line) => none.yielded.get(line)! < 2)).toEqual([]);
    const some = await evaluated(charsOfFirst(10));
    expect(some.reports).toEqual(all.reports);
    const readOnce = accountLines().filter((line) => some.yielded.get(line) === 1);
    expect(readOnce).toEqual(accountLines().slice(0, 10));
    expect(accountLines().filter((line) => !some.yielded.has(line))).toEqual([]);
  }, 120_000);

  it('fails when the file changes after pass 1 and lines are read again', async () => {
    const changed = await countedSource((pass) => {
      if (pass === 2) writeFileSync(file, lines.join('\n') + '\n\n');
    });
    try {
      const failed = evaluateSnapshot(changed.source, { config: DEFAULT_CONFIG, rules, workers: 1, keptRecordChars: charsOfFirst(10) });
      await expect(failed).rejects.toThrow(UserError);
      await expect(failed).rejects.toThrow('the file changed while it was being evaluated');
    } finally {
      writeFileSync(file, lines.join('\n') + '\n');
    }
  }, 60_000);

  it('reads the file once when every record is kept: the result is of the bytes pass 1 validated', async () => {
    const counted = await countedSource();
    const result = await evaluateSnapshot(counted.source, { config: DEFAULT_CONFIG, rules, workers: 1, keptRecordChars: Infinity });
    expect(counted.passes()).toBe(1);
    expect(result.snapshot.sha256).toBe(counted.source.sha256);
  }, 60_000);
});
