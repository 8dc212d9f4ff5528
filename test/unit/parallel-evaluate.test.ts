/**
 * Evaluation on worker threads (parallel.ts): the same bytes as one thread, through the library
 * and the CLI, and the same UserErrors (exit 2, file:line) for a snapshot that is invalid.
 */
import { Command } from 'commander';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { spoolRunVerdicts, threadsFor, TWO_THREADS_FROM } from '../../src/evaluate/parallel.ts';
import { RUN_VERDICTS } from '../../src/evaluate/verdict-spool.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { jsonFormatter } from '../../src/report/json.ts';
import { sarifFormatter } from '../../src/report/sarif.ts';
import { loadRules, loadRuleSpecs, ruleSpecOf, type LoadedRule } from '../../src/rules/load.ts';
import { UserError } from '../../src/shared/errors.ts';
import { HeapCeiling } from '../../src/shared/full-collection.ts';
import { openSnapshot, snapshotFromMemory } from '../../src/snapshot/read.ts';
import { generateOrg } from '../bench/generate-org.ts';
import { writeSyntheticSnapshot } from '../bench/org-snapshot.ts';
import { runCli } from '../cli/run-cli.ts';
import type { EvaluationSubject } from '../../src/model/facts.ts';

let dir: string;
let snapshot: string;
let rules: LoadedRule[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-parallel-'));
  snapshot = join(dir, 'org.snapshot.jsonl.gz');
  await writeSyntheticSnapshot(generateOrg({ accounts: 80, seed: 5, unreadablePolicies: ['DenyLeaveOrganization'] }), snapshot);
  rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const render = (result: Parameters<typeof jsonFormatter.render>[0]) => [jsonFormatter.render(result, {}), sarifFormatter.render(result, {})];

/** A ceiling that counts its checks (given room no test fills, it never collects). */
class CountingCeiling extends HeapCeiling {
  checks = 0;
  override check(): void {
    this.checks++;
    super.check();
  }
}

describe('evaluateSnapshot on worker threads', () => {
  it('gives byte-identical reports to a single thread, with 2 and 3 threads', async () => {
    const single = await evaluateSnapshot(await openSnapshot(snapshot), { config: DEFAULT_CONFIG, rules, workers: 1 });
    expect(single.verdicts.length).toBeGreaterThan(400);
    for (const workers of [2, 3]) {
      const parallel = await evaluateSnapshot(await openSnapshot(snapshot, { validate: 'first-pass' }), { config: DEFAULT_CONFIG, rules, workers });
      expect(parallel.scope.shard).toBeUndefined();
      expect(render(parallel)).toEqual(render(single));
    }
  }, 60_000);

  it('returns only once its judging workers have exited, so their heaps are gone before the reports start threads', async () => {
    const exited: boolean[] = [];
    const terminate = Worker.prototype.terminate;
    const spy = vi.spyOn(Worker.prototype, 'terminate').mockImplementation(function (this: Worker) {
      const at = exited.push(false) - 1;
      return terminate.call(this).then((code) => {
        exited[at] = true;
        return code;
      });
    });
    try {
      await evaluateSnapshot(await openSnapshot(snapshot, { validate: 'first-pass' }), { config: DEFAULT_CONFIG, rules, workers: 3 });
      expect(exited).toEqual([true, true]);
    } finally {
      spy.mockRestore();
    }
  }, 60_000);

  it('gives byte-identical reports with 1, 2 and 3 threads when every thread spools its verdicts in runs', async () => {
    // Runs of 50 verdicts: every thread writes runs, and the main thread merges them all at once.
    const options = { config: DEFAULT_CONFIG, rules, spoolRunVerdicts: 50 };
    const outputs = [];
    for (const workers of [1, 2, 3]) {
      const result = await evaluateSnapshot(await openSnapshot(snapshot, { validate: 'first-pass' }), { ...options, workers });
      expect(Array.isArray(result.verdicts)).toBe(false); // a list on disk
      outputs.push({ reports: render(result), summary: result.summary, notes: result.exceptionNotes });
    }
    const inMemory = await evaluateSnapshot(await openSnapshot(snapshot), { config: DEFAULT_CONFIG, rules, workers: 1 });
    expect(outputs[0]!.reports).toEqual(render(inMemory));
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[2]).toEqual(outputs[0]);
  }, 90_000);

  it('consults this thread\'s heap ceiling every 32 accounts it judges, alone and beside a worker', async () => {
    const judged = async (workers: number) => {
      const heapCeiling = new CountingCeiling(2 ** 40);
      const result = await evaluateSnapshot(await openSnapshot(snapshot, { validate: 'first-pass' }), { config: DEFAULT_CONFIG, rules, workers, threading: { heapCeiling } });
      return { checks: heapCeiling.checks, collections: heapCeiling.collections, accounts: result.scope.accountIds.length };
    };
    const alone = await judged(1);
    expect(alone.accounts).toBeGreaterThanOrEqual(64);
    expect(alone.checks).toBe(Math.floor(alone.accounts / 32));
    const beside = await judged(2);
    // Lines are dealt round-robin, this thread the first of every two, but for the last quarter,
    // claimed by whichever thread arrives first (exact counts: parallel-first-pass.test.ts, "shared tail").
    const dealt = beside.accounts - Math.floor(beside.accounts / 4);
    expect(beside.checks).toBeGreaterThanOrEqual(Math.floor(Math.ceil(dealt / 2) / 32));
    expect(beside.checks).toBeLessThanOrEqual(Math.floor((Math.ceil(dealt / 2) + beside.accounts - dealt) / 32));
    expect([alone.collections, beside.collections]).toEqual([0, 0]);
  }, 90_000);

  it("merges a spooled list's runs under the same ceiling it judged under", async () => {
    // Enough accounts for a merge of more than 4,096 lines, the merge's first check.
    const larger = join(dir, 'larger.snapshot.jsonl.gz');
    await writeSyntheticSnapshot(generateOrg({ accounts: 400, seed: 9 }), larger);
    const heapCeiling = new CountingCeiling(2 ** 40);
    const result = await evaluateSnapshot(await openSnapshot(larger, { validate: 'first-pass' }), { config: DEFAULT_CONFIG, rules, workers: 1, spoolRunVerdicts: 500, threading: { heapCeiling } });
    expect(Array.isArray(result.verdicts)).toBe(false);
    expect(result.verdicts.length).toBeGreaterThanOrEqual(4_096);
    const judgingChecks = Math.floor(result.scope.accountIds.length / 32);
    expect(heapCeiling.checks).toBe(judgingChecks + Math.floor(result.verdicts.length / 4_096));
  }, 90_000);

  it('applies exceptions and counts the gate in the worker threads as in this one', async () => {
    const single = await evaluateSnapshot(await openSnapshot(snapshot), { config: DEFAULT_CONFIG, rules, workers: 1 });
    const failed = [...single.verdicts].filter((v) => v.status === 'FAIL');
    expect(failed.length).toBeGreaterThan(10);
    // Exceptions for failures spread over the accounts (so over every thread), one that matches nothing, one expired.
    const exceptions = [
      ...failed.filter((_, i) => i % 5 === 0).map((v) => ({ rule: v.ruleId, resource: v.resource.id, reason: 'accepted', approver: 'sec', expires: '2999-01-01' })),
      { rule: failed[1]!.ruleId, resource: 'arn:aws:nothing:*', reason: 'stale', approver: 'sec', expires: '2999-01-01' },
      { rule: failed[2]!.ruleId, resource: failed[2]!.resource.id, reason: 'old', approver: 'sec', expires: '2000-01-01' },
    ];
    const config = { ...DEFAULT_CONFIG, exceptions };
    const results = [];
    for (const workers of [1, 3]) results.push(await evaluateSnapshot(await openSnapshot(snapshot, { validate: 'first-pass' }), { config, rules, workers, spoolRunVerdicts: 50 }));
    const [one, three] = results;
    expect(one!.summary.counts.suppressed).toBeGreaterThan(2);
    expect(one!.exceptionNotes.map((n) => n.kind).sort()).toEqual(['expired', 'stale']);
    expect(three!.summary).toEqual(one!.summary);
    expect(three!.exceptionNotes).toEqual(one!.exceptionNotes);
    expect(render(three!)).toEqual(render(one!));
  }, 90_000);

  it('fails the evaluation with the error of a worker that cannot load the rules', async () => {
    const ruleDir = join(dir, 'changing-rules');
    mkdirSync(ruleDir, { recursive: true });
    const file = join(ruleDir, 'org-scp-enabled.yaml');
    const text = ['id: org-scp-enabled', 'title: SCPs are enabled', 'severity: low', 'resource: organization', 'validations:', '  - expression: organization.scpEnabled', 'remediation: Enable SCPs.', ''].join('\n');
    writeFileSync(file, text);
    const loaded = await loadRules([ruleDir], DEFAULT_CONFIG);
    writeFileSync(file, text.replace('low', 'high')); // the workers load a file that is no longer the one this thread loaded
    const error = await evaluateSnapshot(await openSnapshot(snapshot, { validate: 'first-pass' }), { config: DEFAULT_CONFIG, rules: loaded, workers: 2 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain('org-scp-enabled.yaml: the rule file changed while the scan was running');
  }, 60_000);

  it('fails with the same file:line UserError when an account line is invalid', async () => {
    const lines = gunzipSync(readFileSync(snapshot)).toString('utf8').split('\n');
    const record = JSON.parse(lines[40]!) as { regions: unknown };
    record.regions = 'us-east-1';
    lines[40] = JSON.stringify(record);
    const bad = join(dir, 'bad.snapshot.jsonl');
    writeFileSync(bad, lines.join('\n'));
    const error = await evaluateSnapshot(await openSnapshot(bad, { validate: 'first-pass' }), { config: DEFAULT_CONFIG, rules, workers: 2 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:41: /regions: `));

    const run = runCli(['evaluate', bad, '--workers', '2', '--out', join(dir, 'bad-out'), '-q']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${bad}:41: /regions: `);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 60_000);

  it('by default judges an organization below 15,000 accounts on this thread alone, its verdicts kept in memory beyond a run; --workers 2 still spools them', async () => {
    // 3,400 accounts: more than a spool's run of verdicts (RUN_VERDICTS), fewer than TWO_THREADS_FROM accounts.
    const file = join(dir, 'moderate.snapshot.jsonl');
    await writeSyntheticSnapshot(generateOrg({ accounts: 3_400, seed: 5 }), file);
    const alone = await evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), { config: DEFAULT_CONFIG, rules });
    expect(alone.verdicts.length).toBeGreaterThan(RUN_VERDICTS);
    expect(Array.isArray(alone.verdicts)).toBe(true);
    const two = await evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), { config: DEFAULT_CONFIG, rules, workers: 2 });
    expect(Array.isArray(two.verdicts)).toBe(false);
    expect(render(two)).toEqual(render(alone));
  }, 120_000);

  it('scan --workers 2 writes the reports a single-threaded scan writes', () => {
    for (const workers of ['1', '2']) {
      expect(runCli(['scan', '--snapshot', snapshot, '--workers', workers, '--out', join(dir, `cli-${workers}`), '--format', 'json,sarif', '-q']).status).not.toBe(2);
    }
    for (const file of ['trailproof.json', 'trailproof.sarif']) {
      expect(readFileSync(join(dir, 'cli-2', file), 'utf8')).toBe(readFileSync(join(dir, 'cli-1', file), 'utf8'));
    }
    const refused = runCli(['scan', '--snapshot', snapshot, '--workers', '0', '-q']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--workers "0": expected a whole number of at least 1');
  }, 90_000);
});

describe('threadsFor', () => {
  it('stays in this thread for small, in-memory, sharded or hand-built inputs unless asked', async () => {
    const file = await openSnapshot(snapshot);
    expect(threadsFor(file, { config: DEFAULT_CONFIG, rules })).toBe(1); // 80 accounts: below the default threshold
    expect(threadsFor(file, { config: DEFAULT_CONFIG, rules, workers: 2 })).toBe(2);
    expect(threadsFor(file, { config: DEFAULT_CONFIG, rules, workers: 2, shard: '1/2' })).toBe(1);
    const memory = snapshotFromMemory({ header: { ...file.header, scope: { ...file.header.scope, accountIds: [] } }, accounts: [] }, 'memory');
    expect(threadsFor(memory, { config: DEFAULT_CONFIG, rules, workers: 2 })).toBe(1);
    const handMade: LoadedRule = { ...rules[0]!, evaluate: (subject) => rules[0]!.evaluate(subject) };
    expect(threadsFor(file, { config: DEFAULT_CONFIG, rules: [handMade], workers: 2 })).toBe(1);
    expect(() => threadsFor(file, { config: DEFAULT_CONFIG, rules, workers: 0 })).toThrow(UserError);
  });

  const withAccounts = async (n: number) => {
    const file = await openSnapshot(snapshot);
    return { ...file, header: { ...file.header, scope: { ...file.header.scope, accountIds: Array.from({ length: n }, (_, i) => String(i).padStart(12, '0')) } } };
  };

  it('takes two threads by default, on two or more cores, from 15,000 accounts (nineteenth round): one below', async () => {
    const two = Math.min(2, availableParallelism());
    const sizes = [1_999, 2_000, 10_000, 14_999, 15_000, 30_001, 100_000];
    const threads = await Promise.all(sizes.map(async (n) => threadsFor(await withAccounts(n), { config: DEFAULT_CONFIG, rules })));
    expect(threads).toEqual([1, 1, 1, 1, two, two, two]);
    expect(threadsFor(await withAccounts(100_000), { config: DEFAULT_CONFIG, rules, workers: 1 })).toBe(1); // asked for
    expect(threadsFor(await withAccounts(10_000), { config: DEFAULT_CONFIG, rules, workers: 2 })).toBe(2);
  });

  it('keeps every verdict in memory (no runs, no merge) on one thread below 15,000 accounts, asked for or by default; runs elsewhere', async () => {
    expect(spoolRunVerdicts(await withAccounts(10_000), 1)).toBe(Infinity);
    expect(spoolRunVerdicts(await withAccounts(14_999), 1)).toBe(Infinity);
    expect(spoolRunVerdicts(await withAccounts(10_000), 2)).toBe(RUN_VERDICTS); // --workers 2: each thread spools its runs
    expect(spoolRunVerdicts(await withAccounts(15_000), 1)).toBe(RUN_VERDICTS);
    expect(spoolRunVerdicts(await withAccounts(100_000), 1)).toBe(RUN_VERDICTS);
  });

  it('is the default the help of --workers states', () => {
    const help = runCli(['evaluate', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain(`default 2 on 2 or more cores from ${TWO_THREADS_FROM.toLocaleString('en-US')} accounts, else 1;`);
    expect(help).not.toMatch(/to 30,000 accounts|stays on one to bound memory/); // the upper bound went in the thirteenth round
    expect(help).toContain(`one thread below ${TWO_THREADS_FROM.toLocaleString('en-US')} accounts keeps the verdicts in memory`);
    expect(help).toContain('when the verdicts are spooled to disk or several costly formats are asked for');
  });

  it('is stated without formatting a number through ICU, whose first use costs every start of the CLI 13-60 ms', async () => {
    const { register } = await import('../../src/cli/commands/scan.ts');
    const toLocaleString = vi.spyOn(Number.prototype, 'toLocaleString');
    try {
      register(new Command('trailproof'), () => undefined);
      expect(toLocaleString).not.toHaveBeenCalled();
    } finally {
      toLocaleString.mockRestore();
    }
  });
});

describe('loadRuleSpecs', () => {
  it('loads a rule again with its params and report name, and refuses a file that changed', async () => {
    const ruleDir = join(dir, 'rules');
    mkdirSync(ruleDir, { recursive: true });
    const file = join(ruleDir, 'org-scp-enabled.yaml');
    const text = ['id: org-scp-enabled', 'title: SCPs are enabled', 'severity: low', 'resource: organization', 'params: { strict: { type: boolean, default: true, description: SCPs must be enabled } }', 'validations:', '  - expression: organization.scpEnabled == params.strict', 'remediation: Enable SCPs.', ''].join('\n');
    writeFileSync(file, text);
    const config = { ...DEFAULT_CONFIG, rules: { ...DEFAULT_CONFIG.rules, params: { 'org-scp-enabled': { strict: false } } } };
    const [loaded] = await loadRules([ruleDir], config);
    const spec = ruleSpecOf(loaded!)!;
    const [again] = loadRuleSpecs([structuredClone(spec)]);
    expect(again!.meta).toEqual(loaded!.meta);
    const subject = { resource: { type: 'organization' as const, id: 'o-1', accountId: '1', name: 'o-1' }, activation: { organization: { scpEnabled: false } } as EvaluationSubject['activation'] };
    expect(again!.evaluate(subject).status).toBe('PASS'); // params.strict false, as configured
    writeFileSync(file, text.replace('low', 'high'));
    expect(() => loadRuleSpecs([spec])).toThrow(/org-scp-enabled.yaml: the rule file changed while the scan was running/);
  });
});
