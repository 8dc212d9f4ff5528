/**
 * One full garbage collection, on demand, without starting Node with `--expose-gc`: the flag is
 * turned on just long enough to get `gc` in a fresh context (what Jest's leak detector does), and
 * off again so no other context gets it.
 *
 * Why the reports of a spooled verdict list start from one (report/write.ts): V8 lets a heap grow to about four
 * times what its last full collection found live before the next one. Judging ends with a large
 * heap of its own garbage and a limit sized from what judging kept live (its working set: 264-271
 * MB at 100,000 accounts), so the reports first filled that room on top of it. Collected once when judging is over, the report stage's heap is sized
 * from what the reports need (~110 MB there). Measured at 100,000 accounts, JSON + SARIF + HTML:
 * report-stage peak RSS 990 MB without, 831 MB with (docs/operations/scale-measurements.md, "Memory").
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function collectGarbageNow(): void {
  (collect ??= exposedGc())();
  liveAfterCollection = heapInUse();
}

/** This thread's heap in use right after its last collectGarbageNow (HeapCeiling.continued). */
let liveAfterCollection: number | undefined;

/** This thread's `gc`, got once: the flag is the process's, not the thread's. */
let collect: (() => void) | undefined;

/** Attempts at getting `gc` (exposedGc): losing the race to another thread even twice in a row is rare. */
const GC_ATTEMPTS = 100;

/**
 * `gc` from a fresh context. V8's flags are the whole process's: another thread that turns
 * `--expose-gc` off between this one turning it on and making its context (a report worker and
 * this thread each collecting at its own ceiling) leaves that context without `gc`, which is then
 * asked for again. Kept per thread, it is asked for once per thread, not on every collection.
 */
function exposedGc(): () => void {
  for (let attempt = 1; ; attempt++) {
    setFlagsFromString('--expose-gc');
    let gc: unknown;
    try {
      gc = runInNewContext('typeof gc === "function" ? gc : undefined');
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
    if (typeof gc === 'function') return gc as () => void;
    if (attempt === GC_ATTEMPTS) throw new Error(`V8's gc function was not exposed in ${GC_ATTEMPTS} attempts`);
  }
}

/** This thread's heap in use, with the memory outside it that its objects hold (Buffers). */
export function heapInUse(): number {
  const heap = getHeapStatistics();
  return heap.used_heap_size + heap.external_memory;
}

/**
 * What the main thread's heap may hold beyond its live data while it judges accounts or writes a
 * spooled list's reports (HeapCeiling), in MB: its garbage is collected at this much, not when V8
 * would (at up to about four times the live data). Measured at 100,000 accounts: the report
 * phase's peak moved between ~750 and ~950 MB from run to run with when that fell, 687-697 MB with
 * the ceiling (twelfth round); judging on this thread beside a worker peaked at 1,105 MB without
 * it and 833-871 MB with it (thirteenth round; docs/operations/scale-measurements.md, "Memory").
 */
export const HEAP_ROOM_MB = 128;

/**
 * A ceiling on what this thread's heap may hold beyond what the last full collection left live:
 * over it, one full collection now. For the main thread while it judges accounts
 * (evaluate/judge.ts) and while it writes a spooled list's reports (alone, or beside capped worker
 * threads: report/write-threads.ts), and for a judging worker (evaluate/judging-worker.ts): a heap
 * with no cap, or one too high to bound it (a worker's below 30,001 accounts: evaluate/parallel.ts
 * workerHeapMb), and V8 let it
 * grow to about four times its live data between full collections, later or sooner from run to
 * run.
 */
export class HeapCeiling {
  private limit: number;
  /** Full collections asked for so far. */
  collections = 0;

  /** `live`: what the ceiling's room is counted from (default: the heap in use now). */
  constructor(
    private readonly roomBytes: number = HEAP_ROOM_MB * 2 ** 20,
    private readonly inUse: () => number = heapInUse,
    private readonly collect: () => void = collectGarbageNow,
    live = inUse(),
  ) {
    this.limit = live + roomBytes;
  }

  /**
   * The ceiling of this thread's last full collection (collectGarbageNow), as it was set right
   * after it, while the heap is still under it; undefined before any, or once over it. A phase that
   * begins shortly after a collection (the reports after a judging thread's last one) goes on
   * under it instead of collecting again at once.
   */
  static continued(): HeapCeiling | undefined {
    if (liveAfterCollection === undefined) return undefined;
    const ceiling = new HeapCeiling(HEAP_ROOM_MB * 2 ** 20, heapInUse, collectGarbageNow, liveAfterCollection);
    return heapInUse() <= ceiling.limit ? ceiling : undefined;
  }

  /** Collects when over the ceiling, and sets the next one from what is live after it. */
  check(): void {
    if (this.inUse() <= this.limit) return;
    this.collect();
    this.collections++;
    this.limit = this.inUse() + this.roomBytes;
  }
}
