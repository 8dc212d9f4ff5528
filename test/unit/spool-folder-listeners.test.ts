/**
 * The listeners that remove the process's temporary folder on a signal are in place before the
 * folder exists: a signal that arrived between the two would end the process by its default action
 * and leave the folder behind (seen once in CI: spool-folder-signal.test.ts killed the process right
 * after the folder appeared).
 */
import type * as Fs from 'node:fs';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const listenersWhenMade: Record<string, number>[] = [];

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const mkdtempSync = ((prefix: string, options?: unknown) => {
    if (prefix.endsWith('trailproof-verdicts-')) listenersWhenMade.push(Object.fromEntries(['SIGINT', 'SIGTERM', 'SIGHUP', 'exit'].map((e) => [e, process.listenerCount(e)])));
    return (fs.mkdtempSync as (p: string, o?: unknown) => string)(prefix, options);
  }) as typeof fs.mkdtempSync;
  return { ...fs, default: { ...fs, mkdtempSync }, mkdtempSync };
});

describe('the temporary folder of a run', () => {
  it('is made after its removal listeners are in place', async () => {
    const before = Object.fromEntries(['SIGINT', 'SIGTERM', 'SIGHUP', 'exit'].map((e) => [e, process.listenerCount(e)]));
    const { sharedSpoolDir } = await import('../../src/evaluate/verdict-spool.ts');
    const spoolDir = sharedSpoolDir();
    try {
      expect(listenersWhenMade).toHaveLength(1);
      for (const [event, count] of Object.entries(before)) expect(listenersWhenMade[0]![event], event).toBe(count + 1);
    } finally {
      rmSync(dirname(spoolDir), { recursive: true, force: true });
    }
  });
});
