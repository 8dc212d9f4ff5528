/**
 * Pass 1 split between threads by blocks of lines (parallel.ts, snapshot/read.ts validateInBlocks):
 * the index, the collection errors and the reports are those of one thread, a bad snapshot fails
 * with one thread's UserError (its first bad line in file order) whichever block holds it, a file
 * that changes meanwhile fails, and a worker that runs out of its capped heap leaves its block of
 * pass 1 or its share of pass 2 to this thread, with the same reports.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { FIRST_BLOCK_EXTRA_PERCENT, firstPassBlocks, judgesUnderCeiling, startWorkers, workerHeapMb, workerYoungMb } from '../../src/evaluate/parallel.ts';
import { evaluateSnapshot, firstPass } from '../../src/evaluate/pipeline.ts';
import { ClaimedLines } from '../../src/evaluate/shared-tail.ts';
import { LineWriter } from '../../src/evaluate/spool-files.ts';
import type { ModelIndex } from '../../src/model/index.ts';
import { jsonFormatter } from '../../src/report/json.ts';
import { sarifFormatter } from '../../src/report/sarif.ts';
import { loadRules, type LoadedRule } from '../../src/rules/load.ts';
import { UserError } from '../../src/shared/errors.ts';
import { HeapCeiling } from '../../src/shared/full-collection.ts';
import { lineBlocks, openSnapshot, type BlockSeen } from '../../src/snapshot/read.ts';
import { generateOrg } from '../bench/generate-org.ts';
import { writeSyntheticSnapshot } from '../bench/org-snapshot.ts';

let dir: string;
let lines: string[]; // the snapshot's lines: header on line 1, then 78 accounts (80 less 2 skipped)
let rules: LoadedRule[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-first-pass-'));
  const gz = join(dir, 'org.snapshot.jsonl.gz');
  await writeSyntheticSnapshot(generateOrg({ accounts: 80, seed: 7, unreadablePolicies: ['DenyLeaveOrganization'] }), gz);
  lines = gunzipSync(readFileSync(gz)).toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function write(text: string | Buffer): string {
  const file = join(dir, `snapshot-${++files}.jsonl`);
  writeFileSync(file, text);
  return file;
}

/** Line `n` (1-based) of the snapshot, changed by `edit`. */
function edited(n: number, edit: (record: Record<string, unknown>) => void): string {
  const record = JSON.parse(lines[n - 1]!) as Record<string, unknown>;
  edit(record);
  return JSON.stringify(record);
}

/** `workers` judging threads: this one and workers - 1 worker threads. */
const options = (workers: number) => ({ config: DEFAULT_CONFIG, rules, workers });
const render = (result: Parameters<typeof jsonFormatter.render>[0]) => [jsonFormatter.render(result, {}), sarifFormatter.render(result, {})];

/** The index with its maps and sets as lists of entries, so that order counts. */
function inOrder(index: ModelIndex): Record<string, unknown> {
  const { memo: _memo, ...rest } = index;
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, value instanceof Map || value instanceof Set ? [...value.entries()] : value]));
}

async function firstPassIn(file: string, threads: number) {
  const source = await openSnapshot(file, { validate: 'first-pass' });
  const workers = threads > 1 ? startWorkers(source, options(threads), { exceptions: [], asOf: '2026-01-01', failOn: 'high' }, threads) : undefined;
  try {
    // One thread also keeps its records for its pass 2 (kept-records.ts): what pass 1 found is what counts here.
    const { kept: _kept, ...first } = await firstPass(source, options(threads), workers);
    return { ...first, index: inOrder(first.index), sha256: source.sha256 };
  } finally {
    workers?.stop();
  }
}

async function errorIn(file: string, threads: number): Promise<string> {
  const error = await evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), options(threads)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${threads} threads`).toBeInstanceOf(UserError);
  return (error as Error).message;
}

/** The error of 1, 2 and 3 threads: the same message, returned. */
async function sameErrorIn(file: string): Promise<string> {
  const single = await errorIn(file, 1);
  expect(await errorIn(file, 2)).toBe(single);
  expect(await errorIn(file, 3)).toBe(single);
  return single;
}

describe('pass 1 in blocks of lines', () => {
  it('cuts the account lines after the header into consecutive blocks of about equal size', () => {
    expect(lineBlocks(1, 80, 1)).toEqual([{ from: 2, to: Infinity }]);
    expect(lineBlocks(1, 80, 2)).toEqual([{ from: 2, to: 41 }, { from: 42, to: Infinity }]);
    expect(lineBlocks(3, 80, 3)).toEqual([{ from: 4, to: 30 }, { from: 31, to: 57 }, { from: 58, to: Infinity }]);
  });

  it('gives the first block a share more than an even one, the last block what is left', () => {
    expect(lineBlocks(1, 80, 2, 10)).toEqual([{ from: 2, to: 45 }, { from: 46, to: Infinity }]);
    expect(lineBlocks(3, 80, 3, 10)).toEqual([{ from: 4, to: 33 }, { from: 34, to: 60 }, { from: 61, to: Infinity }]);
    // Every later block keeps a line where there are as many accounts as blocks.
    expect(lineBlocks(1, 2, 2, 10)).toEqual([{ from: 2, to: 2 }, { from: 3, to: Infinity }]);
    expect(lineBlocks(1, 3, 3, 100)).toEqual([{ from: 2, to: 2 }, { from: 3, to: 3 }, { from: 4, to: Infinity }]);
  });

  it("gives this thread a tenth more of pass 1 than an even share: a worker comes to its block late", () => {
    expect(FIRST_BLOCK_EXTRA_PERCENT).toBe(10);
    expect(firstPassBlocks(1, 98_000, 2)).toEqual([{ from: 2, to: 53_901 }, { from: 53_902, to: Infinity }]);
    expect(firstPassBlocks(1, 78, 3)).toEqual([{ from: 2, to: 30 }, { from: 31, to: 56 }, { from: 57, to: Infinity }]);
  });

  it('gives the index, lines, accounts and collection errors of one thread, with 2 and 3 threads, blank lines included', async () => {
    // Blank lines before the header and between accounts move every later line.
    const file = write(['', ...lines.slice(0, 30), '', '  ', ...lines.slice(30)].join('\n') + '\n');
    const single = await firstPassIn(file, 1);
    expect(single.accountIds).toEqual(lines.slice(1).map((line) => (JSON.parse(line) as { accountId: string }).accountId));
    expect(single.accountIds).toHaveLength(78);
    expect(single.errors.length).toBeGreaterThan(0);
    for (const threads of [2, 3]) expect(await firstPassIn(file, threads), `${threads} threads`).toEqual(single);
  }, 60_000);

  it('is split between as many threads as judge: this thread and every worker', async () => {
    const source = await openSnapshot(write(lines.join('\n') + '\n'), { validate: 'first-pass' });
    for (const threads of [2, 3]) {
      const workers = startWorkers(source, options(threads), { exceptions: [], asOf: '2026-01-01', failOn: 'high' }, threads);
      try {
        const [own, ...others] = firstPassBlocks(source.headerLine, 78, threads);
        const what = `${threads} threads`;
        expect(workers.ownBlock, what).toEqual(own);
        expect(workers.running, what).toHaveLength(threads - 1);
        const seen = await Promise.all(workers.blocks);
        expect(seen.map((block) => [block.lines[0], block.lines.at(-1)]), what).toEqual(others.map((block) => [block.from, Math.min(block.to, 79)]));
      } finally {
        workers.stop();
      }
    }
  }, 60_000);

  it('gives the reports of one thread, from a gzipped file', async () => {
    const file = write(gzipSync(lines.join('\n') + '\n'));
    const single = render(await evaluateSnapshot(await openSnapshot(file), options(1)));
    for (const threads of [2, 3]) expect(render(await evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), options(threads)))).toEqual(single);
  }, 60_000);

  it("fails with the first bad line in file order, whichever thread's block holds it", async () => {
    // Blocks: 2-44 and 45-79 with two threads; 2-30, 31-56 and 57-79 with three (firstPassBlocks).
    const badJson = (n: number) => lines[n - 1]!.slice(0, 40);
    const badShape = (n: number) => edited(n, (r) => (r.regions = 'us-east-1'));
    const duplicate = (n: number, of: number) => edited(n, (r) => (r.accountId = (JSON.parse(lines[of - 1]!) as { accountId: string }).accountId));
    const withLines = (changes: Record<number, string>) => write(lines.map((line, i) => changes[i + 1] ?? line).join('\n') + '\n');

    expect(await sameErrorIn(withLines({ 45: badShape(45), 60: badJson(60), 75: badShape(75) }))).toMatch(/:45: \/regions: /);
    expect(await sameErrorIn(withLines({ 20: badJson(20), 45: badShape(45), 60: badJson(60) }))).toMatch(/:20:\d+: invalid JSON: /);
    expect(await sameErrorIn(withLines({ 50: duplicate(50, 10), 70: badShape(70) }))).toMatch(/:50: \/accountId: account \d+ appears twice \(first on line 10\)/);
    expect(await sameErrorIn(withLines({ 30: duplicate(30, 70), 70: lines[69]! }))).toMatch(/:70: \/accountId: account \d+ appears twice \(first on line 30\)/);
    expect(await sameErrorIn(withLines({ 61: badShape(61), 62: duplicate(62, 3) }))).toMatch(/:61: \/regions: /);
    // An account of the header's scope without its line: found only once every block is in.
    expect(await sameErrorIn(write([...lines.slice(0, 50), ...lines.slice(51)].join('\n') + '\n'))).toMatch(/:1: \/scope\/accountIds: no account line for \d+/);
  }, 120_000);

  it('fails at a truncated gzip stream as one thread does, unless a line before it is bad', async () => {
    const whole = gzipSync(lines.join('\n') + '\n');
    const truncated = write(whole.subarray(0, Math.floor(whole.length * 0.9)));
    expect(await sameErrorIn(truncated)).toMatch(/corrupt or truncated gzip data after line \d+/);
    const badFirst = gzipSync(lines.map((line, i) => (i + 1 === 45 ? edited(45, (r) => (r.regions = 'us-east-1')) : line)).join('\n') + '\n');
    expect(await sameErrorIn(write(badFirst.subarray(0, Math.floor(badFirst.length * 0.9))))).toMatch(/:45: \/regions: /);
  }, 120_000);

  it("reads the lines after this thread's block only to hash them: a gzipped file's rest is not decompressed", async () => {
    // The gzip trailer's CRC-32 spoilt: decompressing to the end fails; only the last block's
    // thread does (it reads to the end), so what it saw is given here as a worker's answer. The
    // block after this thread's starts with a line padded by JSON whitespace that compresses to
    // more than a read (1 MiB), so that the failure lies in a later read than this block's end.
    let state = 7; // xorshift32
    const next = () => ((state ^= state << 13), (state ^= state >>> 17), (state ^= state << 5), state >>> 0);
    const padding = Array.from({ length: 6_000_000 }, () => ' \t\r'[next() % 3]).join('');
    const padded = lines.map((line, i) => (i + 1 === 42 ? line + padding : line));
    const whole = gzipSync(padded.join('\n') + '\n');
    expect(whole.length).toBeGreaterThan(1 << 20);
    const spoilt = Buffer.from(whole);
    for (let i = spoilt.length - 8; i < spoilt.length - 4; i++) spoilt[i] = spoilt[i]! ^ 0xff;
    for (const bytes of [spoilt, Buffer.from(padded.join('\n') + '\n')]) {
      const file = write(bytes);
      const source = await openSnapshot(file, { validate: 'first-pass' });
      const [own, other] = lineBlocks(source.headerLine, 78, 2);
      const accountIdOn = (n: number) => (JSON.parse(lines[n - 1]!) as { accountId: string }).accountId;
      const otherLines = Array.from({ length: 79 - other!.from + 1 }, (_, i) => other!.from + i);
      const seen: BlockSeen = { lines: otherLines, accountIds: otherLines.map(accountIdOn) };
      const yielded: number[] = [];
      for await (const { line } of source.validateInBlocks!(own!, [Promise.resolve(seen)])) yielded.push(line);
      expect(yielded).toEqual(Array.from({ length: own!.to - own!.from + 1 }, (_, i) => own!.from + i));
      expect(source.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('fails when the file changes before every block is in', async () => {
    const file = write(lines.join('\n') + '\n');
    const source = await openSnapshot(file, { validate: 'first-pass' });
    const [own] = lineBlocks(source.headerLine, 78, 2);
    let otherBlock!: (seen: BlockSeen) => void;
    const other = new Promise<BlockSeen>((resolve) => (otherBlock = resolve));
    const pass = (async () => {
      for await (const _ of source.validateInBlocks!(own!, [other]));
    })();
    await new Promise((resolve) => setTimeout(resolve, 50)); // this thread's block read, the other still being read
    writeFileSync(file, lines.join('\n') + '\n\n');
    const rest = lines.slice(40).map((line, i) => ({ line: i + 41, accountId: (JSON.parse(line) as { accountId: string }).accountId }));
    otherBlock({ lines: rest.map((r) => r.line), accountIds: rest.map((r) => r.accountId) });
    await expect(pass).rejects.toThrow(`${file}: the file changed while it was being evaluated (its size, modification time or inode changed)`);
    expect(source.sha256).toBeUndefined();
  }, 60_000);
});

describe('a worker out of its capped heap', () => {
  const hungry = (name: string) => ({ module: new URL(`../fixtures/evaluate-workers/${name}`, import.meta.url), heapMb: 64 });

  for (const [when, fixture] of [
    ['pass 1: this thread indexes its block', 'hungry-first-pass.ts'],
    ['pass 2: this thread judges its share', 'hungry-judge.ts'],
    ['the merge: this thread merges its part', 'hungry-merge.ts'],
  ] as const) {
    it(`is no failure in ${when}, with the same reports`, async () => {
      const file = write(lines.join('\n') + '\n');
      const single = render(await evaluateSnapshot(await openSnapshot(file), options(1)));
      for (const threads of [2, 3]) {
        // Runs of 100 verdicts: every thread spools runs, so there is a merge to share.
        const result = await evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), { ...options(threads), spoolRunVerdicts: 100, threading: hungry(fixture) });
        expect(render(result), `${threads} threads`).toEqual(single);
      }
    }, 120_000);
  }
});

describe('a worker that answered its block of pass 1', () => {
  it('and then fails loading the rules fails the evaluation, saying what it was doing', async () => {
    const file = write(lines.join('\n') + '\n');
    const module = new URL('../fixtures/evaluate-workers/rules-fail.ts', import.meta.url);
    const failed = evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), { ...options(2), threading: { module } });
    await expect(failed).rejects.toThrow(/^a worker thread loading the rules failed: /);
  }, 60_000);
});

describe('a worker that answered its share of pass 2', () => {
  it('and then fails merging its part of the verdicts fails the evaluation, saying what it was doing', async () => {
    const file = write(lines.join('\n') + '\n');
    const module = new URL('../fixtures/evaluate-workers/merge-fail.ts', import.meta.url);
    const failed = evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), { ...options(2), spoolRunVerdicts: 100, threading: { module } });
    await expect(failed).rejects.toThrow(/^the merge of \d+ verdicts in a worker thread failed: no space left on the device/);
  }, 60_000);
});

describe('a worker that answered its share of pass 2, its runs merged in parts', () => {
  /** The snapshot on two threads whose workers note their thread in `log` (thread-log.ts): the reports one thread gives. */
  const evaluatedWithThreadLog = async (log: string) => {
    const file = write(lines.join('\n') + '\n');
    writeFileSync(log, '');
    const module = new URL('../fixtures/evaluate-workers/thread-log.ts', import.meta.url);
    process.env.TRAILPROOF_THREAD_LOG = log;
    try {
      const single = render(await evaluateSnapshot(await openSnapshot(file), options(1)));
      const result = await evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), { ...options(2), spoolRunVerdicts: 100, threading: { module } });
      expect(render(result)).toEqual(single);
    } finally {
      delete process.env.TRAILPROOF_THREAD_LOG;
    }
  };

  it('has ended: a thread of its own, started afresh, merges its part', async () => {
    const log = join(dir, 'threads.log');
    await evaluatedWithThreadLog(log);
    const [judging, merging, ...rest] = readFileSync(log, 'utf8').trim().split('\n');
    expect(rest).toEqual([`${merging!.split(' ')[0]} merging`]);
    expect(judging).toMatch(/ started$/);
    expect(merging).toMatch(/ started$/);
    expect(merging).not.toEqual(judging);
  }, 60_000);

  it('merges its part while this thread merges the first: the part is posted before this thread merges', async () => {
    const log = join(dir, 'threads-at-once.log');
    // This thread, at its part's first line, waits for the merging thread to write its own first
    // line: a thread started or handed its part only once this thread's part is merged never does.
    let otherMergedMeanwhile: boolean | undefined;
    const writeBytes = LineWriter.prototype.writeBytes;
    LineWriter.prototype.writeBytes = function (this: LineWriter, source: Uint8Array, start: number, end: number) {
      if (otherMergedMeanwhile === undefined && (this as unknown as { at?: number }).at !== undefined) otherMergedMeanwhile = waitFor(() => / merging$/m.test(readFileSync(log, 'utf8')), 30_000);
      return writeBytes.call(this, source, start, end);
    };
    try {
      await evaluatedWithThreadLog(log);
    } finally {
      LineWriter.prototype.writeBytes = writeBytes;
    }
    expect(otherMergedMeanwhile).toBe(true);
  }, 90_000);
});

/** Blocks this thread until `done()` or `ms` have passed; whether it was done. */
function waitFor(done: () => boolean, ms: number): boolean {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (const until = Date.now() + ms; Date.now() < until; Atomics.wait(sleeper, 0, 0, 20)) if (done()) return true;
  return done();
}

describe('a worker\'s heap', () => {
  it('is capped by the organization\'s size: old generation unthrottled, then growing with it; young generation smaller in a large organization', async () => {
    const file = write(lines.join('\n') + '\n');
    const accounts = 78;
    const limits = new URL('../fixtures/evaluate-workers/limits.ts', import.meta.url);
    const failed = await evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), { ...options(2), threading: { module: limits } }).catch((e: unknown) => e);
    const started = JSON.parse(/started with (\{.*\})/.exec((failed as Error).message)![1]!) as Record<string, number>;
    expect(started).toMatchObject({ maxOldGenerationSizeMb: workerHeapMb(accounts), maxYoungGenerationSizeMb: workerYoungMb(accounts) });
    // The old generation: below 30,001 accounts a cap under which V8 grows the heap as it does an
    // uncapped one (2 GB: a smaller cap makes it collect at 1.3 times what is live, 19-21 full
    // collections against 4-6 at 10,000 accounts); from there one that grows with the organization.
    expect([10_000, 30_000].map(workerHeapMb)).toEqual([2048, 2048]);
    expect([30_001, 100_000].map(workerHeapMb)).toEqual([222, 360]);
    // The young generation: large enough to spare the CPU of collecting it (measured at 10,000 accounts),
    // halved in a large organization, where memory bounds the threads (from 30,001 accounts).
    expect([10_000, 30_000, 30_001, 100_000].map(workerYoungMb)).toEqual([96, 96, 48, 48]);
  }, 60_000);

  it('is collected at a ceiling while judging only where its cap does not bound it (below 30,001 accounts)', () => {
    expect([78, 10_000, 30_000].map((n) => judgesUnderCeiling(workerHeapMb(n)))).toEqual([true, true, true]);
    expect([30_001, 100_000].map((n) => judgesUnderCeiling(workerHeapMb(n)))).toEqual([false, false]);
  });

  it('is collected at a ceiling while the worker judges, as this thread\'s is', async () => {
    // 120 accounts (116 in scope): the worker's fixed share alone (43 lines) is more than the 32 accounts between two checks.
    const file = join(dir, 'larger.snapshot.jsonl.gz');
    await writeSyntheticSnapshot(generateOrg({ accounts: 120, seed: 7 }), file);
    const module = new URL('../fixtures/evaluate-workers/ceiling-watch.ts', import.meta.url);
    const failed = evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), { ...options(2), threading: { module } });
    await expect(failed).rejects.toThrow(/^evaluation of \d+ accounts in a worker thread failed: a worker consulted its heap ceiling/);
  }, 60_000);
});

describe("pass 2's shared tail", () => {
  /** A ceiling that counts its checks (one every 32 accounts this thread judges; never collects). */
  class CountingCeiling extends HeapCeiling {
    checks = 0;
    override check(): void {
      this.checks++;
    }
  }
  let file: string;
  let single: string[];
  beforeAll(async () => {
    // 116 accounts in scope (120 less 4 skipped): 87 dealt (44 to this thread), a tail of 29 in chunks of 16.
    file = join(dir, 'tail.snapshot.jsonl.gz');
    await writeSyntheticSnapshot(generateOrg({ accounts: 120, seed: 3 }), file);
    single = render(await evaluateSnapshot(await openSnapshot(file), options(1)));
  }, 60_000);
  const judgedHere = async (threading: { module?: URL; heapMb?: number }) => {
    const heapCeiling = new CountingCeiling(2 ** 40);
    const result = await evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), { ...options(2), threading: { ...threading, heapCeiling } });
    expect(result.scope.accountIds).toHaveLength(116);
    expect(render(result)).toEqual(single);
    return heapCeiling.checks;
  };

  it('is judged by this thread when the worker is slower: its 44 lines and the 29 of the tail', async () => {
    expect(await judgedHere({ module: new URL('../fixtures/evaluate-workers/slow-to-tail.ts', import.meta.url) })).toBe(Math.floor(73 / 32));
  }, 60_000);

  it('is judged by the worker when this thread is slower: this thread judges its 44 lines only', async () => {
    const has = ClaimedLines.prototype.has;
    const spy = vi.spyOn(ClaimedLines.prototype, 'has').mockImplementation(function (this: ClaimedLines, line: number) {
      const tail = this as unknown as { claims: Int32Array; chunks: number; chunkOf: Map<number, number> };
      if (tail.chunkOf.has(line)) {
        for (let next = Atomics.load(tail.claims, 0); next < tail.chunks; next = Atomics.load(tail.claims, 0)) Atomics.wait(tail.claims, 0, next, 10);
      }
      return has.call(this, line);
    });
    try {
      expect(await judgedHere({})).toBe(Math.floor(44 / 32));
    } finally {
      spy.mockRestore();
    }
  }, 60_000);

  it('claimed by a worker that runs out of memory is judged by this thread', async () => {
    await judgedHere({ module: new URL('../fixtures/evaluate-workers/hungry-tail.ts', import.meta.url), heapMb: 64 });
  }, 60_000);
});

describe('a merging thread', () => {
  /** The modules a module loads when it starts: its imports of values, and theirs (not `import type`, not `import()`). */
  const loadedAtStart = (entry: string): Set<string> => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
      for (const statement of source.statements) {
        if (!ts.isImportDeclaration(statement) || statement.importClause?.isTypeOnly) continue;
        const named = statement.importClause?.namedBindings;
        if (statement.importClause && !statement.importClause.name && named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly)) continue;
        const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
        if (specifier.startsWith('.')) visit(join(dirname(file), specifier));
      }
    };
    visit(fileURLToPath(new URL(entry, import.meta.url)));
    return seen;
  };

  it("loads the merge's modules only, not the judging ones (the model, the rules, the snapshot's reader)", () => {
    const loaded = [...loadedAtStart('../../src/evaluate/parallel-worker.ts')].map((file) => file.slice(file.indexOf('/src/') + 1));
    expect(loaded).toContain('src/evaluate/run-merge.ts');
    expect(loaded.filter((file) => /^src\/(model|rules|snapshot)\/|^src\/evaluate\/(judge|decided)\.ts$/.test(file))).toEqual([]);
  });
});
