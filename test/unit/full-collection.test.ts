import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { collectGarbageNow } from '../../src/cli/full-collection.ts';

describe('collectGarbageNow', () => {
  it('collects what nothing references any more, and leaves no context with gc', async () => {
    const made = (() => new WeakRef({ rows: Array.from({ length: 1000 }, (_, i) => ({ i })) }))();
    // A WeakRef's target lives at least to the end of the job that made it.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbageNow();
    expect(made.deref()).toBeUndefined();
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });

  it('keeps what is still referenced', async () => {
    const kept = { rows: [1, 2, 3] };
    const ref = new WeakRef(kept);
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbageNow();
    expect(ref.deref()).toBe(kept);
  });
});
