/**
 * Pass 2's deal between the judging threads, where each kept records of its own block of pass 1
 * (kept-records.ts): a thread judges the lines it kept itself, from those records, and only the
 * lines nobody kept are dealt. They are dealt one at a time, in file order, each to the thread that
 * has the fewest lines so far, kept ones counted (the lowest-numbered on a tie), so that every
 * thread has about as many lines before the shared tail (shared-tail.ts) as the others; with
 * nothing kept that is the round-robin deal, line i to thread i mod N. The tail is the last of the
 * lines nobody kept, as long as the tail of every line in scope (none kept lies in it), claimed
 * chunk by chunk as before: a thread that judges kept records, with no line to read and parse for
 * them, arrives there sooner and claims more of it, so the threads still finish together.
 *
 * Which thread judges a line changes no report: every thread's verdicts are spooled in sorted
 * runs and merged by key (run-merge.ts), and the tallies and notes are sums.
 */
import { tailLength, withSharedTail, type SharedTail } from './shared-tail.ts';

export interface PassTwoDeal {
  /** Each thread's fixed share of the lines to read, in file order (its kept lines are not in it). */
  shares: number[][];
  tail: SharedTail;
}

/**
 * `lines`: the account lines in scope, in file order; `kept[t]`: the lines judging thread t kept
 * the records of (one entry per thread, empty when it kept none).
 */
export function dealAroundKept(lines: readonly number[], kept: readonly (readonly number[])[]): PassTwoDeal {
  const keptLines = new Set(kept.flat());
  const unkept = keptLines.size === 0 ? lines : lines.filter((line) => !keptLines.has(line));
  const { dealt, tail } = withSharedTail(unkept, tailLength(lines.length));
  const shares: number[][] = kept.map(() => []);
  const counts = kept.map((k) => k.length);
  for (const line of dealt) {
    let fewest = 0;
    for (let t = 1; t < counts.length; t++) if (counts[t]! < counts[fewest]!) fewest = t;
    shares[fewest]!.push(line);
    counts[fewest]!++;
  }
  return { shares, tail };
}
