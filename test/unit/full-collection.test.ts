import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { collectGarbageNow, HEAP_ROOM_MB, HeapCeiling, heapInUse } from '../../src/shared/full-collection.ts';

describe('collectGarbageNow', () => {
  it('collects what nothing references any more, and leaves no context with gc', async () => {
    const made = (() => new WeakRef({ rows: Array.from({ length: 1000 }, (_, i) => ({ i })) }))();
    // A WeakRef's target lives at least to the end of the job that made it.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbageNow();
    expect(made.deref()).toBeUndefined();
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });

  it('collects while another thread turns the process-wide --expose-gc flag on and off (a report worker collecting at its own ceiling)', async () => {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const toggler = new Worker(
      `const { setFlagsFromString } = require('node:v8');
      const { parentPort, workerData } = require('node:worker_threads');
      parentPort.postMessage('toggling');
      for (let i = 0; Atomics.load(workerData, 0) === 0; i++) setFlagsFromString(i % 2 === 0 ? '--expose-gc' : '--no-expose-gc');
      setFlagsFromString('--no-expose-gc');`,
      { eval: true, workerData: stop },
    );
    const ended = new Promise((resolve) => toggler.once('exit', resolve));
    await new Promise((resolve) => toggler.once('message', resolve));
    try {
      for (let i = 0; i < 200; i++) collectGarbageNow();
    } finally {
      Atomics.store(stop, 0, 1);
      await ended;
    }
    expect(runInNewContext('typeof gc')).toBe('undefined');
  }, 60_000);

  it('keeps what is still referenced', async () => {
    const kept = { rows: [1, 2, 3] };
    const ref = new WeakRef(kept);
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbageNow();
    expect(ref.deref()).toBe(kept);
  });
});

describe('HeapCeiling', () => {
  /** A heap whose use the test sets, and a collection that leaves `live` in use. */
  function fakeHeap(start: number) {
    const heap = { inUse: start, live: start, collections: 0 };
    const collect = () => {
      heap.collections++;
      heap.inUse = heap.live;
    };
    return { heap, collect, inUse: () => heap.inUse };
  }

  /** Sets the heap's use to each of `uses` in turn and checks; the collections counted after each. */
  function collectionsAfter(ceiling: HeapCeiling, heap: { inUse: number }, uses: number[]): number[] {
    return uses.map((use) => {
      heap.inUse = use;
      ceiling.check();
      return ceiling.collections;
    });
  }

  it('collects only once the heap holds more than the room beyond what was live', () => {
    const { heap, collect, inUse } = fakeHeap(100);
    const ceiling = new HeapCeiling(50, inUse, collect);
    expect(collectionsAfter(ceiling, heap, [150, 151])).toEqual([0, 1]);
    expect(heap.collections).toBe(1);
  });

  it('sets the next ceiling from what the collection left live', () => {
    const { heap, collect, inUse } = fakeHeap(100);
    const ceiling = new HeapCeiling(50, inUse, collect);
    heap.live = 130;
    expect(collectionsAfter(ceiling, heap, [200, 180, 181])).toEqual([1, 1, 2]);
  });

  it('counts its room from a given live size: a ceiling set as if right after an earlier collection', () => {
    const { heap, collect, inUse } = fakeHeap(120);
    const ceiling = new HeapCeiling(50, inUse, collect, 100);
    expect(collectionsAfter(ceiling, heap, [150, 151])).toEqual([0, 1]);
  });

  it('goes on from this thread\'s last full collection while the heap is under its ceiling (HeapCeiling.continued)', () => {
    collectGarbageNow();
    const continued = HeapCeiling.continued();
    expect(continued).toBeDefined();
    continued!.check();
    expect(continued!.collections).toBe(0);
    // Outside V8's heap but counted (heapInUse): more than the room beyond what the collection left.
    const held = Buffer.alloc((HEAP_ROOM_MB + 16) * 2 ** 20, 1);
    expect(HeapCeiling.continued()).toBeUndefined();
    continued!.check();
    expect(continued!.collections).toBe(1);
    expect(held[0]).toBe(1);
  });

  it('reads this thread\'s heap by default', () => {
    expect(heapInUse()).toBeGreaterThan(0);
    const ceiling = new HeapCeiling(0);
    // Room 0: anything allocated after it was made is over the ceiling.
    const held = Array.from({ length: 100_000 }, (_, i) => ({ i }));
    ceiling.check();
    expect(ceiling.collections).toBe(1);
    expect(held).toHaveLength(100_000);
  });
});
