/**
 * The start of the report stage beside workers (report/write-threads.ts): the report workers are
 * started before this thread's heap is collected for its ceiling (report/write.ts), so that their
 * start-up goes on during that collection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { VerdictSpool } from '../../src/evaluate/verdict-spool.ts';
import { writeReports } from '../../src/report/write.ts';
import { loadRules } from '../../src/rules/load.ts';
import { openDemoSnapshot } from '../../src/snapshot/demo.ts';

const events = vi.hoisted(() => [] as string[]);

vi.mock('../../src/shared/full-collection.ts', async (original) => {
  const actual = await original<typeof import('../../src/shared/full-collection.ts')>();
  return {
    ...actual,
    collectGarbageNow: () => {
      events.push('this thread collected');
      actual.collectGarbageNow();
    },
  };
});

vi.mock('../../src/shared/worker-thread.ts', async (original) => {
  const actual = await original<typeof import('../../src/shared/worker-thread.ts')>();
  return {
    ...actual,
    startWorkerThread: (...args: Parameters<typeof actual.startWorkerThread>) => {
      events.push('a worker started');
      return actual.startWorkerThread(...args);
    },
  };
});

describe('the reports of a spooled list beside a worker', () => {
  it("start the worker before this thread's heap is collected", async () => {
    const result = await evaluateSnapshot(await openDemoSnapshot(), { config: DEFAULT_CONFIG, rules: await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG) });
    const spool = new VerdictSpool(undefined, 7);
    for (const v of result.verdicts) spool.add(v);
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-report-start-'));
    try {
      events.length = 0;
      await writeReports({ ...result, verdicts: spool.finish() }, ['json', 'html'], dir, {}, { threads: 2 });
      expect(events).toEqual(['a worker started', 'this thread collected']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
