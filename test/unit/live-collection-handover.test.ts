/**
 * A live scan's collection hands its opened snapshot over once and keeps no reference to it, so
 * that the snapshot (its header holds every account and policy) is garbage once judging is done,
 * as on the --snapshot path (report-stage-releases.test.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { collectGarbageNow } from '../../src/shared/full-collection.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type * as Collect from '../../src/collect/index.ts';

const DEMO = fileURLToPath(new URL('../../examples/demo-org.snapshot.jsonl', import.meta.url));

// The collection itself is tested elsewhere: here it writes the demo organization's snapshot.
vi.mock('../../src/collect/index.ts', async (importOriginal) => {
  const collect = await importOriginal<typeof Collect>();
  const collectToFile = (async (_options: unknown, file: string) => {
    writeFileSync(file, gzipSync(readFileSync(DEMO)));
    return { keptAnswers: [] };
  }) as unknown as typeof collect.collectToFile;
  return { ...collect, collectToFile };
});

describe('a live collection', () => {
  it('hands its snapshot over once, and holds it no more', async () => {
    const { collectLive } = await import('../../src/cli/live.ts');
    const live = await collectLive(structuredClone(DEFAULT_CONFIG), { quiet: true });
    let source: object | undefined = live.takeSource();
    expect((source as { header: { accounts: unknown } }).header.accounts).toBeDefined();
    const taken = new WeakRef(source);
    expect(() => live.takeSource()).toThrow(/already handed over/);
    source = undefined;
    // A WeakRef's target lives at least to the end of the job that made or read it.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbageNow();
    expect(taken.deref()).toBeUndefined();
    expect(typeof live.keep).toBe('function');
  });
});
