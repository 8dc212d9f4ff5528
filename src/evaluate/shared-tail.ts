/**
 * The end of pass 2 shared between the judging threads. Account lines are dealt round-robin, each
 * thread its fixed share, but for the last TAIL_SHARE of them: those are cut into chunks of
 * CHUNK_LINES lines that a thread claims, through a counter in shared memory, as its reading of the
 * file arrives at them, so the thread that arrives first judges more of the tail and both finish
 * together. With fixed shares this thread waited 0-0.2 s for the worker at 10,000 accounts and
 * 2.0-2.2 s at 100,000 (issue 16, eighteenth round; docs/operations/scale-measurements.md, "The
 * evaluation's end on both threads").
 *
 * Every thread reads the file in order and is asked about every line in turn (snapshot/read.ts
 * numberedRecords `only`), so chunks are claimed in increasing order: a thread claims the next
 * chunk nobody has when it arrives at a chunk past its own; every chunk before the counter has a
 * thread, and a thread never passes its own chunk without judging it. Who claimed each chunk is
 * recorded, so that a worker's chunks can be judged again by this thread if it ran out of memory.
 */
import type { LineSelection } from '../snapshot/read.ts';

/**
 * The share of the account lines, at the end of the file, claimed chunk by chunk: enough to even
 * out what one thread lags (about 6 % of judging at 100,000 accounts, 2.0-2.2 s), and no more, for
 * a worker places every account of the tail in its model index (a quarter of the lines held about
 * 20 MB more there at 100,000 accounts than a tenth).
 */
const TAIL_SHARE = 0.1;
/** Lines of a chunk: a few milliseconds of judging. */
const CHUNK_LINES = 16;

/** The tail's lines and its claims (plain data: every judging thread is handed the same). */
export interface SharedTail {
  /** The tail's account lines, in file order. */
  lines: number[];
  /** [next chunk to claim, then for each chunk 1 + the number of the thread that claimed it]. */
  claims: SharedArrayBuffer;
}

/** `lines` (the account lines in scope, in file order) as a fixed part to deal and a shared tail. */
export function withSharedTail(lines: readonly number[]): { dealt: number[]; tail: SharedTail } {
  const cut = lines.length - Math.floor(lines.length * TAIL_SHARE);
  const tail = lines.slice(cut);
  return { dealt: lines.slice(0, cut), tail: { lines: tail, claims: new SharedArrayBuffer(4 * (1 + Math.ceil(tail.length / CHUNK_LINES))) } };
}

/**
 * The lines a thread judges: its fixed share, and the tail's chunks it claims as it reads. A pass
 * asks about every line once, in file order (snapshot/read.ts LineSelection), so the first line of
 * a chunk past the last one claimed is where the next chunk nobody has is claimed.
 */
export class ClaimedLines implements LineSelection {
  /** Every line it may judge: 0 when there is nothing to read. */
  readonly size: number;
  private readonly fixed: ReadonlySet<number>;
  private readonly chunkOf = new Map<number, number>();
  private readonly claims: Int32Array;
  private readonly chunks: number;
  /** The chunk this thread claimed last (-1: none yet). */
  private own = -1;

  constructor(
    fixed: readonly number[],
    tail: SharedTail,
    private readonly thread: number,
  ) {
    this.size = fixed.length + tail.lines.length;
    this.fixed = new Set(fixed);
    tail.lines.forEach((line, i) => this.chunkOf.set(line, Math.floor(i / CHUNK_LINES)));
    this.claims = new Int32Array(tail.claims);
    this.chunks = this.claims.length - 1;
  }

  has(line: number): boolean {
    if (this.fixed.has(line)) return true;
    const chunk = this.chunkOf.get(line);
    if (chunk === undefined) return false;
    if (this.own < chunk) {
      this.own = Atomics.add(this.claims, 0, 1);
      if (this.own < this.chunks) Atomics.store(this.claims, 1 + this.own, 1 + this.thread);
    }
    return this.own === chunk;
  }
}

/** The tail's lines claimed by `thread` (read once every thread has stopped claiming). */
export function claimedBy(tail: SharedTail, thread: number): number[] {
  const claims = new Int32Array(tail.claims);
  return tail.lines.filter((_, i) => Atomics.load(claims, 1 + Math.floor(i / CHUNK_LINES)) === 1 + thread);
}
