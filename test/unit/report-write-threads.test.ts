/**
 * The report formats split between this thread and worker threads (report/write-threads.ts): the
 * same files, byte for byte, as one thread writes; a format that fails in a worker, or a worker that
 * dies, costs only its own formats, and the error says which; one that runs out of its capped heap
 * costs nothing: this thread writes its formats.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { compareVerdicts } from '../../src/contracts/order.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { RUN_VERDICTS, VerdictSpool } from '../../src/evaluate/verdict-spool.ts';
import { parseJsonReport, renderJsonReport } from '../../src/report/json.ts';
import { formatterFor, listFormatters } from '../../src/report/registry.ts';
import type { Formatter } from '../../src/report/types.ts';
import { ReportsIncomplete, writeReports, type WrittenReport } from '../../src/report/write.ts';
import { formatGroups, reportThreads, WORKER_HEAP_MB, WORKER_HEAP_ROOM_MB, worthSpoolingOnce } from '../../src/report/write-threads.ts';
import { selectFrameworkPacks } from '../../src/rules/framework-packs.ts';
import { loadRules } from '../../src/rules/load.ts';
import { UserError } from '../../src/shared/errors.ts';
import { HeapCeiling } from '../../src/shared/full-collection.ts';
import { openDemoSnapshot } from '../../src/snapshot/demo.ts';
import { sampleResult } from '../fixtures/results/sample-result.ts';

const ALL = listFormatters().map((f) => f.name);
const fixtureWorker = (name: string) => new URL(`../fixtures/report-workers/${name}`, import.meta.url);

/** Every file under `dir`, by relative path. */
function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(relative(dir, join(entry.parentPath, entry.name)), readFileSync(join(entry.parentPath, entry.name)));
  }
  return files;
}

const relativeTo = (dir: string, written: WrittenReport[]) => written.map((w) => ({ ...w, file: relative(dir, w.file) }));

/** The demo organization evaluated with framework assessments, its verdicts spooled to disk in runs of 7 (as a large organization's are). */
async function spooledDemo(): Promise<ScanResult> {
  const rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
  const frameworks = selectFrameworkPacks(['cis-aws-foundations-v6.0.0', 'nist-800-53-r5']);
  const result = await evaluateSnapshot(await openDemoSnapshot(), { config: DEFAULT_CONFIG, rules, frameworks });
  const spool = new VerdictSpool(undefined, 7);
  for (const v of result.verdicts) spool.add(v);
  const verdicts = spool.finish();
  expect(Array.isArray(verdicts)).toBe(false);
  return { ...result, verdicts };
}

describe('formatGroups', () => {
  const costs = (group: Formatter[]) => group.reduce((sum, f) => sum + f.cost!, 0);

  it('deals every format once into groups of about equal cost, each in the order asked', () => {
    const formatters = listFormatters();
    const groups = formatGroups(formatters, 2);
    expect(groups).toHaveLength(2);
    expect(groups.flat().map((f) => f.name).sort()).toEqual(ALL.slice().sort());
    for (const group of groups) expect(group.map((f) => ALL.indexOf(f.name))).toEqual(group.map((f) => ALL.indexOf(f.name)).sort((a, b) => a - b));
    // Balanced: the two groups' costs differ by no more than the cheapest format's cost.
    const [a, b] = groups.map(costs) as [number, number];
    expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.min(...formatters.map((f) => f.cost!)) + 1e-9);
    expect(groups[0]!.map((f) => f.name)).toContain('oscal'); // this thread takes the costliest format
  });

  it('gives json,sarif,html as html against json+sarif, and never an empty group', () => {
    expect(formatGroups(['json', 'sarif', 'html'].map(formatterFor), 2).map((g) => g.map((f) => f.name))).toEqual([['html'], ['json', 'sarif']]);
    expect(formatGroups(['json', 'md'].map(formatterFor), 4).map((g) => g.map((f) => f.name))).toEqual([['json'], ['md']]);
    expect(formatGroups(listFormatters(), 1)).toEqual([listFormatters()]);
  });

  it('deals all 8 formats by their measured costs (fourteenth round): OSCAL, JSON and JUnit against HTML, ASFF, OCSF, SARIF and Markdown', () => {
    const names = formatGroups(listFormatters(), 2).map((g) => g.map((f) => f.name).sort());
    expect(names).toEqual([['json', 'junit', 'oscal'], ['asff', 'html', 'md', 'ocsf', 'sarif']]);
  });

  it('counts this thread\'s formats at their in-memory share when it walks a list in memory (twentieth round): Markdown joins OSCAL, JSON and JUnit', () => {
    const names = (formatters: readonly Formatter[]) => formatGroups(formatters, 2, true).map((g) => g.map((f) => f.name).sort());
    expect(names(listFormatters())).toEqual([['json', 'junit', 'md', 'oscal'], ['asff', 'html', 'ocsf', 'sarif']]);
    // JSON + SARIF + HTML is dealt as before (and stays on one thread at 10,000 accounts: reportThreads).
    expect(names(['json', 'sarif', 'html'].map(formatterFor))).toEqual([['html'], ['json', 'sarif']]);
  });
});

describe('reportThreads', () => {
  it('spools a list in memory once for a worker only where the formats a worker would write cost enough at its length: all 8 at 10,000 accounts, not JSON + SARIF + HTML, nor all 8 at 1,000', () => {
    const trio = ['json', 'sarif', 'html'].map(formatterFor);
    const inMemory = (length: number): Verdict[] => new Array<Verdict>(length);
    expect(reportThreads(inMemory(150_195), listFormatters(), { threads: 2 })).toBe(2);
    expect(reportThreads(inMemory(150_195), listFormatters(), { threads: 1 })).toBe(1);
    expect(reportThreads(inMemory(150_195), trio, { threads: 2 })).toBe(1);
    expect(reportThreads(inMemory(15_000), listFormatters(), { threads: 2 })).toBe(1);
    expect(reportThreads(sampleResult().verdicts, trio, { threads: 2, spoolOnceFromSeconds: 0 })).toBe(2);
    // The cost a worker takes off this thread: the groups after the first, at CPU seconds per 150,195 verdicts.
    expect(worthSpoolingOnce(150_195, formatGroups(trio, 2), 2.6)).toBe(true);
    expect(worthSpoolingOnce(150_195, formatGroups(trio, 2), 2.61)).toBe(false);
  });

  it('is 1 for a small list in memory or a single format, else the threads asked or one per core (at most one per format)', async () => {
    const spooled = await spooledDemo();
    const formatters = ['json', 'sarif', 'html'].map(formatterFor);
    expect(reportThreads(sampleResult().verdicts, formatters, { threads: 4 })).toBe(1);
    expect(reportThreads(spooled.verdicts, [formatterFor('json')], { threads: 4 })).toBe(1);
    expect(reportThreads(spooled.verdicts, formatters, { threads: 1 })).toBe(1);
    expect(reportThreads(spooled.verdicts, formatters, { threads: 2 })).toBe(2);
    expect(reportThreads(spooled.verdicts, formatters, { threads: 8 })).toBe(3);
    expect(reportThreads(spooled.verdicts, formatters, {})).toBe(Math.min(availableParallelism(), 3)); // the default: one per core
  });
});

describe('writeReports on several threads', () => {
  let dir: string;
  let spooled: ScanResult;
  beforeAll(async () => {
    spooled = await spooledDemo();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailproof-threads-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every format with the bytes one thread writes, and returns the files in the order asked', async () => {
    const baseline = parseJsonReport(renderJsonReport({ ...spooled, verdicts: [...spooled.verdicts] }), 'baseline.json');
    const options = { baseline, sarifIncludeSuppressed: true };
    const asked = ['md', ...ALL.filter((f) => f !== 'md')];
    const one = await writeReports(spooled, asked, join(dir, 'one'), options, { threads: 1 });
    for (const threads of [2, 3]) {
      const out = join(dir, `threads-${threads}`);
      const several = await writeReports(spooled, asked, out, options, { threads });
      expect(relativeTo(out, several)).toEqual(relativeTo(join(dir, 'one'), one));
      const expected = filesUnder(join(dir, 'one'));
      const actual = filesUnder(out);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [path, bytes] of expected) expect(actual.get(path)!.equals(bytes), `${threads} threads: ${path}`).toBe(true);
    }
    expect(one.map((w) => w.format).filter((f, i, all) => all.indexOf(f) === i)).toEqual(asked);
    expect(readFileSync(join(dir, 'one', 'trailproof.sarif'), 'utf8')).toContain('"baselineState": "unchanged"');
    expect(readFileSync(join(dir, 'one', 'trailproof.md'), 'utf8')).toContain('CIS Amazon Web Services Foundations Benchmark');
  }, 120_000);

  it('this thread collects its garbage at its heap ceiling as it walks a spooled list, on one thread and beside workers, with the same bytes', async () => {
    const one = join(dir, 'one');
    await writeReports(spooled, ALL, one, {}, { threads: 1 });
    const expected = filesUnder(one);
    for (const threads of [1, 2]) {
      // Every look at the heap finds it grown past the ceiling: each one collects.
      let inUse = 0;
      let collected = 0;
      const ceiling = new HeapCeiling(1, () => (inUse += 2), () => void collected++);
      const out = join(dir, `ceiling-${threads}`);
      await writeReports(spooled, ALL, out, {}, { threads, heapCeiling: ceiling });
      expect(collected, `${threads} threads`).toBeGreaterThan(0);
      expect(ceiling.collections).toBe(collected);
      const actual = filesUnder(out);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [path, bytes] of expected) expect(actual.get(path)!.equals(bytes), `${threads} threads: ${path}`).toBe(true);
    }
  }, 120_000);

  it('a list in memory worth a worker is spooled once for it: the bytes one thread writes, the worker\'s group written by the worker', async () => {
    const inMemory = { ...spooled, verdicts: [...spooled.verdicts] };
    const one = join(dir, 'one');
    const alone = await writeReports(inMemory, ALL, one, {}, { threads: 1 });
    const out = join(dir, 'two');
    const written = await writeReports(inMemory, ALL, out, {}, { threads: 2, spoolOnceFromSeconds: 0 });
    expect(relativeTo(out, written)).toEqual(relativeTo(one, alone));
    const expected = filesUnder(one);
    const actual = filesUnder(out);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, bytes] of expected) expect(actual.get(path)!.equals(bytes), path).toBe(true);
    // A worker that exits fails its own group: the list reached it.
    const err = await writeReports(inMemory, ['json', 'sarif', 'md'], join(dir, 'dead'), {}, { threads: 2, spoolOnceFromSeconds: 0, worker: fixtureWorker('exiting-worker.ts') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportsIncomplete);
    expect((err as Error).message).toContain('format sarif failed: the worker thread writing sarif, md exited with code 3 before it answered');
    expect((err as ReportsIncomplete).written.map((w) => w.format)).toEqual(['json']);
  }, 120_000);

  it('a list in memory as long as a spool\'s run is written under the heap ceiling, as a spooled one is', async () => {
    const some = [...spooled.verdicts];
    const long = Array.from({ length: RUN_VERDICTS }, (_, i) => some[i % some.length]!).sort(compareVerdicts);
    let inUse = 0;
    let collected = 0;
    const ceiling = new HeapCeiling(1, () => (inUse += 2), () => void collected++);
    await writeReports({ ...spooled, verdicts: long }, ['md'], join(dir, 'long'), {}, { threads: 1, heapCeiling: ceiling });
    expect(collected).toBeGreaterThan(0);
    collected = 0;
    await writeReports({ ...spooled, verdicts: long.slice(0, RUN_VERDICTS - 1) }, ['md'], join(dir, 'shorter'), {}, { threads: 1, heapCeiling: ceiling });
    expect(collected).toBe(0);
  }, 60_000);

  it('verdicts in memory are written without a heap ceiling: nothing of a small scan is collected on purpose', async () => {
    let looked = 0;
    const ceiling = new HeapCeiling(1, () => ++looked, () => undefined);
    const before = looked;
    await writeReports({ ...spooled, verdicts: [...spooled.verdicts] }, ['json', 'md'], join(dir, 'memory'), {}, { heapCeiling: ceiling });
    expect(looked).toBe(before);
    expect(ceiling.collections).toBe(0);
  });

  it('a formatter that throws in a worker loses no other format: they are written, and the error names it', async () => {
    // json alone on this thread; sarif and md in the worker (formatGroups).
    expect(formatGroups(['json', 'sarif', 'md'].map(formatterFor), 2).map((g) => g.map((f) => f.name))).toEqual([['json'], ['sarif', 'md']]);
    writeFileSync(join(dir, 'trailproof.sarif'), 'previous');
    const err = await writeReports(spooled, ['json', 'sarif', 'md'], dir, {}, { threads: 2, worker: fixtureWorker('broken-sarif-worker.ts') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportsIncomplete);
    expect(err).not.toBeInstanceOf(UserError); // a bug: the CLI exits 4
    expect((err as Error).message).toContain('format sarif failed: formatter bug in a worker');
    expect((err as Error).stack).toContain('broken-sarif-worker'); // the worker's stack comes along
    expect((err as ReportsIncomplete).written.map((w) => w.format)).toEqual(['json', 'md']);
    const alone = join(dir, 'alone');
    await writeReports(spooled, ['json', 'md'], alone, {}, { threads: 1 });
    expect(readFileSync(join(dir, 'trailproof.json'))).toEqual(readFileSync(join(alone, 'trailproof.json')));
    expect(readFileSync(join(dir, 'trailproof.md'))).toEqual(readFileSync(join(alone, 'trailproof.md')));
    expect(readFileSync(join(dir, 'trailproof.sarif'), 'utf8')).toBe('previous'); // the failed format's old report is untouched
    expect(readdirSync(dir).sort()).toEqual(['alone', 'trailproof.json', 'trailproof.md', 'trailproof.sarif']); // no temp file left
  }, 60_000);

  it('a format the worker cannot write for the user\'s reasons is a UserError naming the file', async () => {
    mkdirSync(join(dir, 'trailproof.sarif', 'inside'), { recursive: true });
    const err = await writeReports(spooled, ['json', 'sarif', 'md'], dir, {}, { threads: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(`format sarif failed: ${join(dir, 'trailproof.sarif')}: cannot write report`);
    expect((err as Error).message).toMatch(/the other reports were written: .*trailproof\.json \(\d+ bytes\), .*trailproof\.md \(\d+ bytes\)/);
  }, 60_000);

  it('a worker that exits before it answers fails each of its formats, reported; this thread\'s formats are written', async () => {
    const err = await writeReports(spooled, ['json', 'sarif', 'md'], dir, {}, { threads: 2, worker: fixtureWorker('exiting-worker.ts') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportsIncomplete);
    const message = (err as Error).message;
    expect(message).toContain('format sarif failed: the worker thread writing sarif, md exited with code 3 before it answered');
    expect(message).toContain('format md failed: the worker thread writing sarif, md exited with code 3 before it answered');
    expect((err as ReportsIncomplete).written.map((w) => w.format)).toEqual(['json']);
    expect(readdirSync(dir)).toEqual(['trailproof.json']); // the dead worker's temporary file is removed
  }, 60_000);

  it('a worker that runs out of its capped heap is no failure: this thread writes its formats, with the same bytes', async () => {
    const err = await writeReports(spooled, ['json', 'sarif', 'md'], dir, {}, { threads: 2, worker: fixtureWorker('hungry-worker.ts'), workerHeapMb: 64 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Array); // no error: the written reports
    expect((err as WrittenReport[]).map((w) => w.format)).toEqual(['json', 'sarif', 'md']);
    const alone = join(dir, 'alone');
    await writeReports(spooled, ['json', 'sarif', 'md'], alone, {}, { threads: 1 });
    for (const file of ['trailproof.json', 'trailproof.sarif', 'trailproof.md']) expect(readFileSync(join(dir, file)).equals(readFileSync(join(alone, file))), file).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['alone', 'trailproof.json', 'trailproof.md', 'trailproof.sarif']); // no temp file left
  }, 60_000);

  it('a worker\'s old generation is capped where V8 grows it as an uncapped one, and its heap is held under a ceiling instead (twenty-first round)', async () => {
    // Under the 160 MB cap of earlier rounds V8 collected the worker's heap at 1.3 times what was live.
    const limits = await writeReports(spooled, ['json', 'sarif', 'md'], dir, {}, { threads: 2, worker: fixtureWorker('limits-worker.ts') }).catch((e: unknown) => e);
    const started = JSON.parse(/started with (\{.*?\})/.exec((limits as Error).message)![1]!) as Record<string, number>;
    expect(started.maxOldGenerationSizeMb).toBe(WORKER_HEAP_MB);
    expect(WORKER_HEAP_MB).toBe(2048);
    // The worker consults a ceiling as it writes, with the room it was given.
    const watched = await writeReports(spooled, ['json', 'sarif', 'md'], join(dir, 'watched'), {}, { threads: 2, worker: fixtureWorker('ceiling-watch-worker.ts') }).catch((e: unknown) => e);
    expect(watched).toBeInstanceOf(ReportsIncomplete);
    expect((watched as Error).message).toContain(`format sarif failed: a report worker consulted its heap ceiling (room ${WORKER_HEAP_ROOM_MB} MB)`);
    expect((watched as ReportsIncomplete).written.map((w) => w.format)).toEqual(['json']);
    const roomed = await writeReports(spooled, ['json', 'sarif', 'md'], join(dir, 'roomed'), {}, { threads: 2, worker: fixtureWorker('ceiling-watch-worker.ts'), workerHeapRoomMb: 5 }).catch((e: unknown) => e);
    expect((roomed as Error).message).toContain('a report worker consulted its heap ceiling (room 5 MB)');
  }, 60_000);

  it('a worker that fails as it loads fails each of its formats, reported', async () => {
    const err = await writeReports(spooled, ['json', 'sarif', 'md'], dir, {}, { threads: 2, worker: fixtureWorker('throwing-worker.ts') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportsIncomplete);
    expect((err as Error).message).toContain('format sarif failed: the worker thread writing sarif, md failed: report worker broke while loading');
    expect((err as Error).message).toContain('format md failed:');
    expect(existsSync(join(dir, 'trailproof.json'))).toBe(true);
  }, 60_000);
});
