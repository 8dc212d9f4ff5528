/**
 * Several judging threads keep pass 1's records for pass 2 (kept-records.ts, pass2-deal.ts): each
 * thread the first lines of its own block of pass 1 within its budget, judged by that thread from
 * the records, and only the lines nobody kept are dealt and read again; the reports are those of
 * one thread, with a worker that runs out of memory too.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { dealAroundKept } from '../../src/evaluate/pass2-deal.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { ClaimedLines, withSharedTail } from '../../src/evaluate/shared-tail.ts';
import { jsonFormatter } from '../../src/report/json.ts';
import { sarifFormatter } from '../../src/report/sarif.ts';
import { loadRules, type LoadedRule } from '../../src/rules/load.ts';
import { lineBlocks, openSnapshot } from '../../src/snapshot/read.ts';
import { generateOrg } from '../bench/generate-org.ts';
import { writeSyntheticSnapshot } from '../bench/org-snapshot.ts';

let dir: string;
let file: string;
let lines: string[]; // header on line 1, then 116 accounts (120 less 4 skipped)
let rules: LoadedRule[];
let single: string[];

const render = (result: Parameters<typeof jsonFormatter.render>[0]) => [jsonFormatter.render(result, {}), sarifFormatter.render(result, {})];
const ACCOUNTS = 116;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-kept-threads-'));
  const gz = join(dir, 'org.snapshot.jsonl.gz');
  await writeSyntheticSnapshot(generateOrg({ accounts: 120, seed: 3 }), gz);
  lines = gunzipSync(readFileSync(gz)).toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  file = join(dir, 'org.snapshot.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
  single = render(await evaluateSnapshot(await openSnapshot(file), { config: DEFAULT_CONFIG, rules, workers: 1 }));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The lines a thread keeps with a budget of `chars`: its block's first lines while their characters fit. */
function keptOf(from: number, to: number, chars: number): number[] {
  const kept: number[] = [];
  let sum = 0;
  for (let line = from; line <= Math.min(to, lines.length); line++) {
    sum += lines[line - 1]!.length;
    if (sum > chars) break;
    kept.push(line);
  }
  return kept;
}

describe("pass 2's deal around the kept records", () => {
  const all = Array.from({ length: 100 }, (_, i) => i + 2);

  it('is the round-robin deal and the same tail when nothing is kept', () => {
    const { dealt, tail } = withSharedTail(all);
    for (const threads of [2, 3]) {
      const deal = dealAroundKept(all, Array.from({ length: threads }, () => []));
      expect(deal.tail.lines).toEqual(tail.lines);
      deal.shares.forEach((share, k) => expect(share).toEqual(dealt.filter((_, i) => i % threads === k)));
    }
  });

  it('deals only the lines nobody kept, evening out what each thread judges before the tail', () => {
    const kept = [all.slice(0, 30), all.slice(50, 60)];
    const { shares, tail } = dealAroundKept(all, kept);
    // The tail: the last tenth of every line, none of them kept.
    expect(tail.lines).toEqual(all.slice(90));
    const judged = [...kept.flat(), ...shares.flat(), ...tail.lines].sort((a, b) => a - b);
    expect(judged).toEqual(all);
    // 90 lines before the tail, 45 a thread: this one's 30 kept and 15 more, the worker's 10 and 35 more.
    expect(shares.map((share) => share.length)).toEqual([15, 35]);
    shares.forEach((share) => expect(share).toEqual([...share].sort((a, b) => a - b)));
    // A thread that kept more than its half is dealt nothing.
    expect(dealAroundKept(all, [all.slice(0, 50), []]).shares.map((share) => share.length)).toEqual([0, 40]);
  });
});

describe('two judging threads keeping their blocks\' first records', () => {
  /** The reports on 2 threads with each thread's budget `chars`, and the lines read again in pass 2 by this thread and by the worker. */
  async function evaluated(chars: number, module = 'read-log.ts') {
    const log = join(dir, `read-${chars}-${module}.log`);
    writeFileSync(log, '');
    const readHere: number[] = [];
    const has = ClaimedLines.prototype.has;
    ClaimedLines.prototype.has = function (this: ClaimedLines, line: number) {
      const read = has.call(this, line);
      if (read) readHere.push(line);
      return read;
    };
    process.env.TRAILPROOF_READ_LOG = log;
    try {
      const threading = { module: new URL(`../fixtures/evaluate-workers/${module}`, import.meta.url), ...(module.startsWith('hungry') ? { heapMb: 64 } : {}) };
      const result = await evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), { config: DEFAULT_CONFIG, rules, workers: 2, threadKeptRecordChars: chars, threading });
      const readThere = readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number);
      return { reports: render(result), readHere, readThere };
    } finally {
      ClaimedLines.prototype.has = has;
      delete process.env.TRAILPROOF_READ_LOG;
    }
  }

  it('parses each kept line once: the lines kept are not read again in pass 2, the others once, and the reports are one thread\'s', async () => {
    const [own, other] = lineBlocks(1, ACCOUNTS, 2);
    // Of the first 12 lines of this thread's block: the worker keeps as many of its own as fit.
    const chars = lines.slice(1, 13).reduce((sum, text) => sum + text.length, 0);
    const kept = [...keptOf(own!.from, own!.to, chars), ...keptOf(other!.from, other!.to, chars)];
    expect(kept.length).toBeGreaterThanOrEqual(20);
    const { reports, readHere, readThere } = await evaluated(chars);
    expect(reports).toEqual(single);
    const read = [...readHere, ...readThere].sort((a, b) => a - b);
    const accountLines = Array.from({ length: ACCOUNTS }, (_, i) => i + 2);
    expect(read).toEqual(accountLines.filter((line) => !kept.includes(line)));
  }, 60_000);

  it('reads no account line again when every record is kept', async () => {
    const { reports, readHere, readThere } = await evaluated(Infinity);
    expect(reports).toEqual(single);
    expect([...readHere, ...readThere]).toEqual([]);
  }, 60_000);

  for (const module of ['hungry-judge.ts', 'hungry-tail.ts']) {
    it(`gives one thread's reports when the worker that kept records runs out of memory in pass 2 (${module})`, async () => {
      // Its kept records die with it: this thread reads their lines again with the rest of its share.
      for (const chars of [Infinity, lines.slice(1, 13).reduce((sum, text) => sum + text.length, 0)]) {
        expect((await evaluated(chars, module)).reports).toEqual(single);
      }
    }, 120_000);
  }
});
