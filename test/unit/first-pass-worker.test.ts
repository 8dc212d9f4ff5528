/**
 * The pass-1-only worker (parallel.ts startFirstPassWorker): where this thread alone judges, one
 * worker validates and indexes the second half of the lines, answers its block and is gone before
 * pass 2. The index, the errors and the reports are those of one thread; a worker that dies or runs
 * out of its heap leaves its block to this thread; `--workers 1` (workers: 1) starts none.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { EvaluateOptions } from '../../src/evaluate/options.ts';
import { firstPassWorkerFor, startFirstPassWorker } from '../../src/evaluate/parallel.ts';
import { evaluateSnapshot, firstPass } from '../../src/evaluate/pipeline.ts';
import type { ModelIndex } from '../../src/model/index.ts';
import { jsonFormatter } from '../../src/report/json.ts';
import { sarifFormatter } from '../../src/report/sarif.ts';
import { loadRules, type LoadedRule } from '../../src/rules/load.ts';
import { UserError } from '../../src/shared/errors.ts';
import { lineBlocks, openSnapshot, type SnapshotSource } from '../../src/snapshot/read.ts';
import { generateOrg } from '../bench/generate-org.ts';
import { writeSyntheticSnapshot } from '../bench/org-snapshot.ts';

/** Every worker thread evaluation starts, whether it is alive, and how many blocks of pass 1 it answered; and how many were alive when pass 2 began. */
const threads = vi.hoisted(() => ({ started: 0, alive: 0, blocksAnswered: 0, aliveAtPass2: [] as number[] }));

vi.mock('../../src/shared/worker-thread.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/shared/worker-thread.ts')>();
  return {
    ...real,
    startWorkerThread: (...args: Parameters<typeof real.startWorkerThread>): Worker => {
      const worker = real.startWorkerThread(...args);
      threads.started++;
      threads.alive++;
      worker.on('message', (reply: { ok: boolean; block?: unknown }) => void (reply.ok && reply.block && threads.blocksAnswered++));
      worker.once('exit', () => threads.alive--);
      return worker;
    },
  };
});

vi.mock('../../src/evaluate/judge.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/evaluate/judge.ts')>();
  return {
    ...real,
    judgeRecords: (...args: Parameters<typeof real.judgeRecords>) => {
      threads.aliveAtPass2.push(threads.alive);
      return real.judgeRecords(...args);
    },
  };
});

let dir: string;
let lines: string[]; // the snapshot's lines: header on line 1, then 80 accounts; blocks 2-41 (this thread) and 42-81 (the worker)
let rules: LoadedRule[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-first-pass-worker-'));
  const gz = join(dir, 'org.snapshot.jsonl.gz');
  await writeSyntheticSnapshot(generateOrg({ accounts: 80, seed: 11, unreadablePolicies: ['DenyLeaveOrganization'] }), gz);
  lines = gunzipSync(readFileSync(gz)).toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => Object.assign(threads, { started: 0, alive: 0, blocksAnswered: 0, aliveAtPass2: [] }));

let files = 0;
function write(text: string | Buffer): string {
  const file = join(dir, `snapshot-${++files}.jsonl`);
  writeFileSync(file, text);
  return file;
}

const fixture = (name: string) => new URL(`../fixtures/evaluate-workers/${name}`, import.meta.url);
/** One thread judges (the default above 30,000 accounts), with the pass-1-only worker from any size; `workers: 1` is `--workers 1`. */
const withWorker = (threading: EvaluateOptions['threading'] = {}): EvaluateOptions => ({ config: DEFAULT_CONFIG, rules, threading: { firstPassWorkerFrom: 0, ...threading } });
const oneThread = (): EvaluateOptions => ({ config: DEFAULT_CONFIG, rules, workers: 1 });
const render = (result: Parameters<typeof jsonFormatter.render>[0]) => [jsonFormatter.render(result, {}), sarifFormatter.render(result, {})];
const evaluate = async (file: string, options: EvaluateOptions) => evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), options);

function inOrder(index: ModelIndex): Record<string, unknown> {
  const { memo: _memo, ...rest } = index;
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, value instanceof Map || value instanceof Set ? [...value.entries()] : value]));
}

async function errorOf(file: string, options: EvaluateOptions): Promise<string> {
  const error = await evaluate(file, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as Error).message;
}

const cores = availableParallelism();

describe('firstPassWorkerFor', () => {
  it('takes a pass-1-only worker by default where one thread judges, from 30,001 accounts on two or more cores, never when --workers is given', async () => {
    const source = await openSnapshot(write(lines.join('\n') + '\n'), { validate: 'first-pass' });
    const withAccounts = (n: number): SnapshotSource => ({ ...source, header: { ...source.header, scope: { ...source.header.scope, accountIds: Array.from({ length: n }, (_, i) => String(i).padStart(12, '0')) } } });
    const byDefault: EvaluateOptions = { config: DEFAULT_CONFIG, rules };
    expect([30_000, 30_001, 100_000].map((n) => firstPassWorkerFor(withAccounts(n), byDefault, 1))).toEqual([false, cores >= 2, cores >= 2]);
    expect(firstPassWorkerFor(withAccounts(100_000), { ...byDefault, workers: 1 }, 1)).toBe(false);
    expect(firstPassWorkerFor(withAccounts(100_000), { ...byDefault, workers: 2 }, 2)).toBe(false); // two judging workers split pass 1 themselves
    expect(firstPassWorkerFor(withAccounts(10_000), byDefault, 2)).toBe(false);
    expect(firstPassWorkerFor(withAccounts(100_000), { ...byDefault, shard: '1/2' }, 1)).toBe(false);
    expect(firstPassWorkerFor(withAccounts(100_000), { ...byDefault, only: { accountIds: ['000000000001'], skipped: [] } }, 1)).toBe(false);
    expect(firstPassWorkerFor({ ...withAccounts(100_000), file: undefined }, byDefault, 1), 'a snapshot in memory').toBe(false);
  });
});

describe.skipIf(cores < 2)('the pass-1-only worker', () => {
  it('validates and indexes the second block: the index, lines, accounts and collection errors of one thread', async () => {
    const file = write(lines.join('\n') + '\n');
    const source = await openSnapshot(file, { validate: 'first-pass' });
    const single = await firstPass(source, oneThread());
    const other = await openSnapshot(file, { validate: 'first-pass' });
    const workers = startFirstPassWorker(other, withWorker());
    try {
      expect(workers.ownBlock).toEqual(lineBlocks(1, lines.length - 1, 2)[0]);
      const split = await firstPass(other, withWorker(), workers);
      expect(threads.blocksAnswered, "the worker's block, not this thread's fallback").toBe(1);
      expect(split.lines).toEqual(single.lines);
      expect(split.accountIds).toEqual(single.accountIds);
      expect(split.errors).toEqual(single.errors);
      expect(split.errors.length).toBeGreaterThan(0);
      expect(inOrder(split.index)).toEqual(inOrder(single.index));
      expect(other.sha256).toBe(source.sha256);
    } finally {
      await workers.end();
    }
    expect(threads.alive).toBe(0);
  }, 60_000);

  it('gives the reports of one thread, and has exited before pass 2 starts', async () => {
    const file = write(gzipSync(lines.join('\n') + '\n'));
    const single = render(await evaluate(file, oneThread()));
    expect(threads.started).toBe(0);
    threads.aliveAtPass2 = [];
    expect(render(await evaluate(file, withWorker()))).toEqual(single);
    expect(threads.started).toBe(1);
    expect(threads.blocksAnswered).toBe(1);
    expect(threads.aliveAtPass2, 'threads alive when this thread starts judging').toEqual([0]);
  }, 60_000);

  it('is not started with --workers 1 (workers: 1), whatever the size', async () => {
    const file = write(lines.join('\n') + '\n');
    await evaluate(file, { ...withWorker(), workers: 1 });
    expect(threads.started).toBe(0);
  }, 60_000);

  it("fails with one thread's UserError for a bad line in its block, or in this thread's with one in its own", async () => {
    const edited = (n: number, edit: (record: Record<string, unknown>) => void) => {
      const record = JSON.parse(lines[n - 1]!) as Record<string, unknown>;
      edit(record);
      return JSON.stringify(record);
    };
    const withLines = (changes: Record<number, string>) => write(lines.map((line, i) => changes[i + 1] ?? line).join('\n') + '\n');
    const accountOf = (n: number) => (JSON.parse(lines[n - 1]!) as { accountId: string }).accountId;
    const cases: [Record<number, string>, RegExp][] = [
      [{ 60: lines[59]!.slice(0, 40) }, /:60: invalid JSON: /],
      [{ 45: edited(45, (r) => (r.regions = 'us-east-1')), 70: lines[69]!.slice(0, 40) }, /:45: \/regions: /],
      [{ 30: edited(30, (r) => (r.regions = 'us-east-1')), 50: lines[49]!.slice(0, 40) }, /:30: \/regions: /],
      [{ 55: edited(55, (r) => (r.accountId = accountOf(10))) }, /:55: \/accountId: account \d+ appears twice \(first on line 10\)/],
    ];
    for (const [changes, expected] of cases) {
      const file = withLines(changes);
      const single = await errorOf(file, oneThread());
      expect(single).toMatch(expected);
      threads.started = 0;
      expect(await errorOf(file, withWorker())).toBe(single);
      expect(threads.started).toBe(1);
    }
    await vi.waitFor(() => expect(threads.alive, 'ended once the evaluation failed').toBe(0));
  }, 120_000);

  for (const [how, threading] of [
    ['runs out of its capped heap', { module: fixture('hungry-first-pass.ts'), heapMb: 64 }],
    ['exits before it answers', { module: fixture('first-pass-dies.ts') }],
    ['fails before it answers', { module: fixture('first-pass-throws.ts') }],
  ] as const) {
    it(`that ${how} is no failure: this thread validates its block, with the reports and errors of one thread`, async () => {
      const file = write(lines.join('\n') + '\n');
      const single = render(await evaluate(file, oneThread()));
      expect(render(await evaluate(file, withWorker(threading)))).toEqual(single);
      expect(threads.started).toBe(1);
      expect(threads.blocksAnswered).toBe(0);
      const bad = write(lines.map((line, i) => (i + 1 === 60 ? line.slice(0, 40) : line)).join('\n') + '\n');
      expect(await errorOf(bad, withWorker(threading))).toBe(await errorOf(bad, oneThread()));
    }, 120_000);
  }
});
