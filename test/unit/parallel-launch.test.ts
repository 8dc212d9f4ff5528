/**
 * The judging workers started on the snapshot's header as soon as it is parsed, before this thread
 * checks it, digests it and loads the rules (parallel.ts launchWorkers, snapshot/read.ts
 * OpenOptions.onHeaderParsed): the same reports as one thread; a header that fails its check is
 * the same UserError (exit 2, the same message) and ends them; workers that are not the ones the
 * evaluation would start are ended and others started.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { launchWorkers, type LaunchedWorkers } from '../../src/evaluate/parallel.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { jsonFormatter } from '../../src/report/json.ts';
import { sarifFormatter } from '../../src/report/sarif.ts';
import { loadRules, type LoadedRule } from '../../src/rules/load.ts';
import { UserError } from '../../src/shared/errors.ts';
import { openSnapshot, type ParsedHeader } from '../../src/snapshot/read.ts';
import { generateOrg } from '../bench/generate-org.ts';
import { writeSyntheticSnapshot } from '../bench/org-snapshot.ts';
import { runCli } from '../cli/run-cli.ts';

let dir: string;
let snapshot: string;
let badHeader: string;
let rules: LoadedRule[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-launch-'));
  const gz = join(dir, 'org.snapshot.jsonl.gz');
  await writeSyntheticSnapshot(generateOrg({ accounts: 80, seed: 11 }), gz);
  const text = gunzipSync(readFileSync(gz)).toString('utf8');
  snapshot = join(dir, 'org.snapshot.jsonl');
  writeFileSync(snapshot, text);
  // A header that parses, with its accounts, but fails the schema: collectedAt is no date-time.
  const [header, ...rest] = text.split('\n');
  badHeader = join(dir, 'bad-header.snapshot.jsonl');
  writeFileSync(badHeader, [JSON.stringify({ ...(JSON.parse(header!) as object), collectedAt: 42 }), ...rest].join('\n'));
  rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const render = (result: Parameters<typeof jsonFormatter.render>[0]) => [jsonFormatter.render(result, {}), sarifFormatter.render(result, {})];

/** `file` opened as the CLI opens it, launching `workers` judging threads on its header as parsed. */
async function openedLaunching(file: string, workers?: number) {
  let launched: LaunchedWorkers | undefined;
  const seen: ParsedHeader[] = [];
  const source = await openSnapshot(file, {
    validate: 'first-pass',
    onHeaderParsed: (parsed) => {
      seen.push(parsed);
      launched = launchWorkers(parsed, workers);
    },
  });
  return { source, launched, seen };
}

describe('openSnapshot onHeaderParsed', () => {
  it('hands over the header as parsed, with the file, its identity and line, before checking it: a bad header still fails as before', async () => {
    const seen: ParsedHeader[] = [];
    const error = await openSnapshot(badHeader, { validate: 'first-pass', onHeaderParsed: (parsed) => seen.push(parsed) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    const without = await openSnapshot(badHeader, { validate: 'first-pass' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe((without as Error).message);
    expect((error as Error).message).toMatch(/:1: \/collectedAt/);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.file).toBe(badHeader);
    expect(seen[0]!.headerLine).toBe(1);
    expect(typeof seen[0]!.identity).toBe('string');
    expect((seen[0]!.header as { collectedAt: unknown }).collectedAt).toBe(42);

    const good = await openedLaunching(snapshot);
    expect(good.seen[0]!.identity).toBe(good.source.identity);
    expect(good.seen[0]!.header).toBe(good.source.header); // the same object: parsed once
  });
});

describe('launchWorkers', () => {
  it('starts none where the header gives one thread, or is not one it can read', () => {
    const at = { file: snapshot, identity: 'x', headerLine: 1 };
    const accounts = (n: number) => ({ scope: { accountIds: Array.from({ length: n }, (_, i) => String(i).padStart(12, '0')) } });
    expect(launchWorkers({ ...at, header: accounts(80) })).toBeUndefined(); // below TWO_THREADS_FROM by default
    expect(launchWorkers({ ...at, header: accounts(80) }, 1)).toBeUndefined();
    expect(launchWorkers({ ...at, header: accounts(1) }, 2)).toBeUndefined(); // one account, one thread
    expect(launchWorkers({ ...at, header: { scope: { accountIds: 'all' } } }, 2)).toBeUndefined();
    expect(launchWorkers({ ...at, header: null }, 2)).toBeUndefined();
    expect(launchWorkers({ ...at, header: [] }, 2)).toBeUndefined();
    expect(launchWorkers({ ...at, header: accounts(80) }, 0)).toBeUndefined(); // threadsFor refuses it later
  });

  it('gives the reports of one thread, its workers sent the rules only after the header was checked and the rules loaded', async () => {
    const one = await evaluateSnapshot(await openSnapshot(snapshot, { validate: 'first-pass' }), { config: DEFAULT_CONFIG, rules, workers: 1 });
    for (const workers of [2, 3]) {
      const { source, launched } = await openedLaunching(snapshot, workers);
      expect(launched?.running).toHaveLength(workers - 1);
      // The rules loaded after the workers started, as the CLI does.
      const loaded = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
      const result = await evaluateSnapshot(source, { config: DEFAULT_CONFIG, rules: loaded, workers }, launched);
      expect(render(result), `${workers} threads`).toEqual(render(one));
    }
  }, 120_000);

  it('are ended and others started when they are not the ones the evaluation would start', async () => {
    const one = await evaluateSnapshot(await openSnapshot(snapshot, { validate: 'first-pass' }), { config: DEFAULT_CONFIG, rules, workers: 1 });
    const { source, launched } = await openedLaunching(snapshot, 3);
    const result = await evaluateSnapshot(source, { config: DEFAULT_CONFIG, rules, workers: 2 }, launched);
    expect(render(result)).toEqual(render(one));
    const again = await openedLaunching(snapshot, 2);
    const alone = await evaluateSnapshot(again.source, { config: DEFAULT_CONFIG, rules, workers: 1 }, again.launched);
    expect(render(alone)).toEqual(render(one));
  }, 120_000);

  it('on a header that fails its check: the same UserError, exit code and message as one thread, the workers ended (the process exits)', async () => {
    let launched: LaunchedWorkers | undefined;
    await expect(openSnapshot(badHeader, { validate: 'first-pass', onHeaderParsed: (parsed) => (launched = launchWorkers(parsed, 2)) })).rejects.toThrow(UserError);
    expect(launched?.running).toHaveLength(1); // started on the header as parsed
    await launched!.stop(); // resolves once the thread has exited
    await launched!.stop(); // again: nothing

    const two = runCli(['evaluate', badHeader, '--workers', '2', '--out', join(dir, 'bad-2'), '-q']);
    const one = runCli(['evaluate', badHeader, '--workers', '1', '--out', join(dir, 'bad-1'), '-q']);
    expect(two.status).toBe(2); // not killed by the runner's timeout: no worker kept the process
    expect(two.stderr).toBe(one.stderr);
    expect(two.stderr).toContain(`${badHeader}:1: /collectedAt`);
    expect(two.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
