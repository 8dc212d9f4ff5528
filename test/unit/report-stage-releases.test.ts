/**
 * What judging needed and the reports do not — the snapshot source (its header holds every account
 * and policy of the organization) and the rules (compiled expressions, verdict caches) — is
 * unreachable by the time the reports are written. V8 sizes a thread's heap from what a full
 * collection finds live: at 100,000 accounts these held ~150 MB while the reports were written,
 * and the report stage's heap grew to ~700 MB (docs/operations/scale-measurements.md, "Memory").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { collectGarbageNow } from '../../src/shared/full-collection.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type * as RulesLoad from '../../src/rules/load.ts';
import type * as ReportWrite from '../../src/report/write.ts';
import { openDemoSnapshot } from '../../src/snapshot/demo.ts';

/** Weak references to what judging used, taken as it was made. */
const made: { source?: WeakRef<object>; rules: WeakRef<object>[] } = { rules: [] };
/** What of it was still alive when the reports began, after a full collection. */
const aliveAtReports: { source: boolean; rules: number }[] = [];

vi.mock('../../src/rules/load.ts', async (importOriginal) => {
  const load = await importOriginal<typeof RulesLoad>();
  const loadRules: typeof load.loadRules = async (...args) => {
    const rules = await load.loadRules(...args);
    made.rules.push(...rules.map((rule) => new WeakRef(rule)));
    return rules;
  };
  return { ...load, loadRules };
});

vi.mock('../../src/report/write.ts', async (importOriginal) => {
  const write = await importOriginal<typeof ReportWrite>();
  const writeReports: typeof write.writeReports = async (...args) => {
    // A WeakRef's target lives at least to the end of the job that made or read it.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbageNow();
    aliveAtReports.push({ source: made.source?.deref() !== undefined, rules: made.rules.filter((rule) => rule.deref() !== undefined).length });
    return write.writeReports(...args);
  };
  return { ...write, writeReports };
});

const outDir = mkdtempSync(join(tmpdir(), 'trailproof-releases-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the report stage', () => {
  it('starts with the snapshot source and the rules unreachable, and still writes every report', async () => {
    const { evaluateAndReport } = await import('../../src/cli/commands/scan.ts');
    const config = { ...structuredClone(DEFAULT_CONFIG), output: { ...DEFAULT_CONFIG.output, dir: outDir, formats: ['json', 'md', 'html'] } };
    const open = async () => {
      const source = await openDemoSnapshot();
      made.source = new WeakRef(source);
      return { source };
    };
    const exitCode = await evaluateAndReport(open, config, { quiet: true });

    expect(made.source).toBeDefined();
    expect(made.rules.length).toBeGreaterThan(10);
    expect(aliveAtReports).toEqual([{ source: false, rules: 0 }]);
    // The reports still name the snapshot and every rule: the result kept what they need.
    const { readJsonReport } = await import('../../src/report/json.ts');
    const report = readJsonReport(join(outDir, 'trailproof.json'));
    expect(report.snapshot.collectedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(report.rules).toHaveLength(made.rules.length);
    expect(report.summary.exitCode).toBe(exitCode);
  });
});
