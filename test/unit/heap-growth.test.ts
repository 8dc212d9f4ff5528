/**
 * V8's heap growing factor set while capped threads judge (shared/heap-growth.ts, evaluate/parallel.ts):
 * set for the phase only, once for overlapping phases, and put back however the phase ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const flags = vi.hoisted(() => [] as string[]);
vi.mock('node:v8', async (importOriginal) => {
  const v8 = await importOriginal<typeof import('node:v8')>();
  return {
    ...v8,
    setFlagsFromString: (flag: string) => {
      flags.push(flag);
      v8.setFlagsFromString(flag);
    },
  };
});

const { withHeapGrowth } = await import('../../src/shared/heap-growth.ts');
const { DEFAULT_CONFIG } = await import('../../src/config/defaults.ts');
const { evaluateSnapshot } = await import('../../src/evaluate/pipeline.ts');
const { loadRules } = await import('../../src/rules/load.ts');
const { openSnapshot } = await import('../../src/snapshot/read.ts');
const { generateOrg } = await import('../bench/generate-org.ts');
const { writeSyntheticSnapshot } = await import('../bench/org-snapshot.ts');

const growth = () => flags.filter((f) => f.startsWith('--heap-growing-percent'));
beforeEach(() => void (flags.length = 0));

describe('withHeapGrowth', () => {
  it('sets the factor for the phase and puts it back after, also when the phase fails', async () => {
    await expect(
      withHeapGrowth(100, async () => {
        expect(growth()).toEqual(['--heap-growing-percent=100']);
        return 'judged';
      }),
    ).resolves.toBe('judged');
    expect(growth()).toEqual(['--heap-growing-percent=100', '--heap-growing-percent=0']);
    await expect(withHeapGrowth(100, () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(growth().at(-1)).toBe('--heap-growing-percent=0');
  });

  it('puts it back only once the last of overlapping phases is over', async () => {
    let endFirst = () => {};
    const first = withHeapGrowth(100, () => new Promise<void>((resolve) => (endFirst = resolve)));
    await withHeapGrowth(100, async () => {});
    expect(growth()).toEqual(['--heap-growing-percent=100']);
    endFirst();
    await first;
    expect(growth()).toEqual(['--heap-growing-percent=100', '--heap-growing-percent=0']);
  });
});

describe('judging threads', () => {
  let dir: string;
  let snapshot: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trailproof-heap-growth-'));
    snapshot = join(dir, 'org.snapshot.jsonl.gz');
    await writeSyntheticSnapshot(generateOrg({ accounts: 40, seed: 7 }), snapshot);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const evaluate = async (heapMb: number) =>
    evaluateSnapshot(await openSnapshot(snapshot, { validate: 'first-pass' }), { config: DEFAULT_CONFIG, rules: await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG), workers: 2, threading: { heapMb } });

  it('grow faster while workers with capped heaps judge, and as V8 chooses after', async () => {
    const capped = await evaluate(400);
    expect(growth()).toEqual(['--heap-growing-percent=100', '--heap-growing-percent=0']);
    flags.length = 0;
    const unthrottled = await evaluate(2048);
    expect(growth()).toEqual([]);
    expect(capped.verdicts.length).toBe(unthrottled.verdicts.length);
  }, 60_000);
});
