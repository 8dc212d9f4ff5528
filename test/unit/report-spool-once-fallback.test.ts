/**
 * A list in memory spooled once for a report worker (report/write-threads.ts): the worker starts
 * while the spool is written and is handed it; when the spool cannot be written (a full temporary
 * disk), every format is written on this thread from the list, the same bytes, and the worker,
 * stopped, writes nothing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { listFormatters } from '../../src/report/registry.ts';
import { writeReports } from '../../src/report/write.ts';
import { loadRules } from '../../src/rules/load.ts';
import { openDemoSnapshot } from '../../src/snapshot/demo.ts';

const spoolWrite = vi.hoisted(() => ({ fails: false, tried: 0, waitFor: undefined as string | undefined, seen: false }));

/** Waits (this thread blocked, as while it writes a spool) up to 20 s for `file` to exist. */
function blockUntilExists(file: string): boolean {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; waited < 20_000; waited += 10) {
    if (existsSync(file)) return true;
    Atomics.wait(sleeper, 0, 0, 10);
  }
  return false;
}

vi.mock('../../src/evaluate/verdict-spool.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/evaluate/verdict-spool.ts')>();
  return {
    ...original,
    spoolSorted: (...args: Parameters<typeof original.spoolSorted>) => {
      spoolWrite.tried++;
      if (spoolWrite.waitFor) spoolWrite.seen = blockUntilExists(spoolWrite.waitFor);
      if (spoolWrite.fails) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return original.spoolSorted(...args);
    },
  };
});

const ALL = listFormatters().map((f) => f.name);
const exitingWorker = new URL('../fixtures/report-workers/exiting-worker.ts', import.meta.url);
const announcingWorker = new URL('../fixtures/report-workers/announcing-worker.ts', import.meta.url);

function filesUnder(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

describe('a list in memory that cannot be spooled for a report worker', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailproof-spool-once-'));
    spoolWrite.fails = false;
    spoolWrite.tried = 0;
    spoolWrite.waitFor = undefined;
    spoolWrite.seen = false;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is written whole on this thread: every format, the bytes of one thread, nothing by the worker', async () => {
    const rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
    const result = await evaluateSnapshot(await openDemoSnapshot(), { config: DEFAULT_CONFIG, rules });
    expect(Array.isArray(result.verdicts)).toBe(true);
    const alone = join(dir, 'alone');
    await writeReports(result, ALL, alone, {}, { threads: 1 });
    expect(spoolWrite.tried).toBe(0);

    // The worker given exits at once: had it been started, its formats would have failed.
    const threading = { threads: 2, spoolOnceFromSeconds: 0, worker: exitingWorker };
    await expect(writeReports(result, ALL, join(dir, 'spooled'), {}, threading)).rejects.toThrow(/exited with code 3/);
    expect(spoolWrite.tried).toBe(1);

    spoolWrite.fails = true;
    const fallback = join(dir, 'fallback');
    const written = await writeReports(result, ALL, fallback, {}, threading);
    expect(spoolWrite.tried).toBe(2);
    expect(written.map((w) => w.format).sort()).toEqual([...ALL].sort());
    expect(filesUnder(fallback)).toEqual(filesUnder(alone));
  }, 60_000);

  it('is written to a spool while the report worker starts, and handed to it: the bytes of one thread', async () => {
    const rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
    const result = await evaluateSnapshot(await openDemoSnapshot(), { config: DEFAULT_CONFIG, rules });
    const alone = join(dir, 'alone');
    await writeReports(result, ALL, alone, {}, { threads: 1 });
    const two = join(dir, 'two');
    spoolWrite.waitFor = `${two}.started`;
    await writeReports(result, ALL, two, {}, { threads: 2, spoolOnceFromSeconds: 0, worker: announcingWorker });
    expect(spoolWrite.tried).toBe(1);
    expect(spoolWrite.seen).toBe(true); // the worker had started before the spool was written
    expect(filesUnder(two)).toEqual(filesUnder(alone));
  }, 60_000);
});
