/**
 * The reports of a list in memory written on this thread alone go on under the heap ceiling of this
 * thread's last full collection (judging's, a moment before) while the heap is still under it,
 * instead of collecting again at once; a report worker, or a heap already over that ceiling, still
 * starts them from a collection (report/write.ts reportHeapCeiling).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { compareVerdicts } from '../../src/contracts/order.ts';
import { RUN_VERDICTS } from '../../src/evaluate/verdict-spool.ts';
import { writeReports } from '../../src/report/write.ts';
import * as fullCollection from '../../src/shared/full-collection.ts';
import { sampleResult } from '../fixtures/results/sample-result.ts';

// Counts the collections the report writer asks for itself (the ceilings' own go through the module's binding).
vi.mock('../../src/shared/full-collection.ts', async (importOriginal) => {
  const original = await importOriginal<typeof fullCollection>();
  return { ...original, collectGarbageNow: vi.fn(() => original.collectGarbageNow()) };
});
const collectGarbageNow = vi.mocked(fullCollection.collectGarbageNow);

const dir = mkdtempSync(join(tmpdir(), 'trailproof-heap-continued-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A list in memory as long as a spool's run: held under a ceiling while its reports are written. */
function longResult() {
  const result = sampleResult();
  const some = [...result.verdicts];
  return { ...result, verdicts: Array.from({ length: RUN_VERDICTS }, (_, i) => some[i % some.length]!).sort(compareVerdicts) };
}

describe('the heap ceiling of a list in memory\'s reports', () => {
  const result = longResult();
  let expected: string;

  beforeEach(async () => {
    expected ??= await writtenMd('expected', 1);
    collectGarbageNow();
    collectGarbageNow.mockClear();
  });

  async function writtenMd(name: string, threads: number, spoolOnceFromSeconds?: number): Promise<string> {
    const out = join(dir, name);
    await writeReports(result, ['md', 'json'], out, {}, { threads, ...(spoolOnceFromSeconds === undefined ? {} : { spoolOnceFromSeconds }) });
    return readFileSync(join(out, 'trailproof.md'), 'utf8');
  }

  it('goes on from this thread\'s last full collection on one thread: no collection at once, the same bytes', async () => {
    expect(await writtenMd('continued', 1)).toBe(expected);
    expect(collectGarbageNow).not.toHaveBeenCalled();
  });

  it('starts from a collection when a report worker is to write beside this thread', async () => {
    expect(await writtenMd('worker', 2, 0)).toBe(expected);
    expect(collectGarbageNow).toHaveBeenCalledTimes(1);
  });

  it('starts from a collection when the heap is already over the last collection\'s ceiling', async () => {
    const held = Buffer.alloc((fullCollection.HEAP_ROOM_MB + 16) * 2 ** 20, 1);
    expect(fullCollection.HeapCeiling.continued()).toBeUndefined();
    expect(await writtenMd('over', 1)).toBe(expected);
    expect(collectGarbageNow).toHaveBeenCalledTimes(1);
    expect(held[0]).toBe(1);
  });
});
