/**
 * Keeps the formats of one report run walking the verdict list together, so that a spooled list
 * is read once for all of them. Formatters stay plain pull-based plug-ins that walk
 * `result.verdicts` as often as they like; the writer hands them a view of the list that
 *
 * - records, per format, how far its current walk has got, so the writer can pull chunks from
 *   each format in turn only until its walk reaches a shared target (write.ts); and
 * - serves the walks that are near the front from one read of the list: the verdicts read lately
 *   are kept (a window of WINDOW_VERDICTS) and handed to every walk that reaches them, the same
 *   objects, so each line is parsed once and each piece of evidence is parsed (and turned into
 *   text, EvidenceTexts) once for all formats.
 *
 * A walk that would run far ahead of the others (a format that counts every verdict before it
 * writes anything) or has fallen out of the window goes on alone on its own read of the list, so
 * memory stays bounded whatever the formats do: at most WINDOW_VERDICTS verdicts are held. It
 * goes back to the shared read as soon as that serves its next verdict again.
 *
 * A list kept in memory (an array) is paced the same way: its verdicts are the same objects for
 * every walk anyway, but the texts of their evidence (EvidenceTexts) are remembered only for
 * recent objects, so formats left to their own pace made them again each.
 */
import { compareVerdicts } from '../contracts/order.ts';
import type { VerdictList } from '../contracts/result.ts';
import type { Verdict } from '../contracts/verdict.ts';

/** A list that can start a walk at any verdict (a spooled list: evaluate/verdict-spool.ts). */
interface Seekable {
  from(index: number): Iterator<Verdict>;
}

/** How far one format has got. */
export interface WalkProgress {
  /** Verdicts its current whole-list walk has read; undefined when it is not in such a walk. */
  position: number | undefined;
}

/**
 * Verdicts kept for the walks that follow the front one: several turns of every format (write.ts).
 * A format that reads ahead of what it writes (SARIF passes over PASS verdicts, a paged HTML
 * report gathers a page) may leave it, and comes back (canRejoin). 8,192 kept more walks on the
 * shared read but let most verdicts live long enough to be promoted to V8's old generation:
 * single formats cost up to 0.5 s more CPU at 10,000 accounts (md, JUnit, HTML), combined runs
 * gained nothing measurable.
 */
export const WINDOW_VERDICTS = 2_048;

export class Lockstep {
  /** The format whose chunks are being pulled: walks started now are its walks. */
  private current: WalkProgress | undefined;
  /** The view handed to the formatters (see view()). */
  readonly verdicts: VerdictList;
  private readonly window: Verdict[] = [];
  /** Verdicts read from the shared walk so far; the window holds the last windowSize of them. */
  private head = 0;
  private source: Iterator<Verdict> | undefined;
  private exhausted = false;
  private failure: { error: unknown } | undefined;
  /** The shared walk reads no further than this (the writer moves it on each round). */
  private limit = Infinity;

  private readonly list: VerdictList;

  constructor(
    list: VerdictList,
    private readonly windowSize = WINDOW_VERDICTS,
  ) {
    this.list = Array.isArray(list) ? inCanonicalOrder(list as readonly Verdict[]) : list;
    this.verdicts = this.view(this.list);
  }

  /** Runs `pull` as `progress`'s format: the walks it starts or advances are counted for it. */
  as<T>(progress: WalkProgress, pull: () => T): T {
    const previous = this.current;
    this.current = progress;
    try {
      return pull();
    } finally {
      this.current = previous;
    }
  }

  /** How far the shared walk may read ahead: a walk that needs more goes on alone. */
  readAheadTo(limit: number): void {
    this.limit = limit;
  }

  /**
   * A list that walks `list` through the shared window. Formatters sort an array (canonicalOrder)
   * and pass any other list through as already in canonical order, so an array is handed over in
   * that order here: its own when it is in it (an evaluation's list kept in memory is), else a
   * sorted copy. Sorting the list once, not once per format, and pacing the formats' walks of it
   * (so that a verdict's evidence is turned into text once for all of them, EvidenceTexts) is what
   * one thread writing several formats from a list in memory (up to 150,000 verdicts at 10,000
   * accounts) gains.
   */
  private view(list: VerdictList): VerdictList {
    if (Array.isArray(list)) return { length: list.length, [Symbol.iterator]: () => this.walk(this.current) };
    // Its other members (a spooled list's ofRules, ruleIds, spool) are kept: they read no walk.
    return { ...list, length: list.length, [Symbol.iterator]: () => this.walk(this.current) };
  }

  private *walk(owner: WalkProgress | undefined): Generator<Verdict> {
    let read = 0;
    let alone: Iterator<Verdict> | undefined;
    try {
      for (;;) {
        let verdict: Verdict | undefined;
        if (alone && this.canRejoin(read)) {
          alone.return?.();
          alone = undefined;
        }
        if (!alone) {
          if (read < this.head - this.windowSize) alone = this.skipped(read);
          else if (read < this.head) verdict = this.window[read % this.windowSize];
          else if (this.exhausted) return;
          else if (this.head < this.limit) verdict = this.readShared();
          else alone = this.skipped(read);
          if (verdict === undefined && !alone) return;
        }
        if (alone) {
          const next = alone.next();
          if (next.done) return;
          verdict = next.value;
        }
        read++;
        if (owner) owner.position = read;
        yield verdict!;
      }
    } finally {
      alone?.return?.();
      if (owner?.position === read) owner.position = undefined;
    }
  }

  /**
   * A walk on its own read may go back to the shared one once that keeps its next verdict (it
   * caught up from behind: a paged HTML report starts its pages after its summary) or reads it next
   * (the shared read caught up: SARIF ran ahead over PASS verdicts).
   */
  private canRejoin(read: number): boolean {
    if (read < this.head - this.windowSize || this.failure) return false;
    return read < this.head || (read === this.head && !this.exhausted && this.head < this.limit);
  }

  /** Ends the shared walk (its file is closed) should no format have read it to the end. */
  close(): void {
    this.source?.return?.();
    this.exhausted = true;
    this.window.length = 0;
  }

  /** The next verdict of the shared walk, kept in the window; undefined at the end of the list. */
  private readShared(): Verdict | undefined {
    // A read that failed (the spool file is gone) fails every walk that reaches it, not only the
    // first: the others must not take the end of the failed read for the end of the list.
    if (this.failure) throw this.failure.error;
    this.source ??= this.list[Symbol.iterator]();
    let next: IteratorResult<Verdict>;
    try {
      next = this.source.next();
    } catch (error) {
      this.failure = { error };
      throw error;
    }
    if (next.done) {
      this.exhausted = true;
      return undefined;
    }
    this.window[this.head % this.windowSize] = next.value;
    this.head++;
    return next.value;
  }

  /**
   * A walk of its own, past the first `count` verdicts: started near the count when the list can
   * (a spooled list, from()), else by reading those verdicts (their evidence is never parsed).
   */
  private skipped(count: number): Iterator<Verdict> {
    if (Array.isArray(this.list)) return arrayFrom(this.list as readonly Verdict[], count);
    const seekable = this.list as Partial<Seekable>;
    if (count > 0 && typeof seekable.from === 'function') return seekable.from(count);
    const own = this.list[Symbol.iterator]();
    for (let i = 0; i < count && !own.next().done; i++);
    return own;
  }
}

/** `verdicts` itself when it is in canonical order, else a sorted copy (Array sort is stable: what canonicalOrder gives). */
function inCanonicalOrder(verdicts: readonly Verdict[]): readonly Verdict[] {
  for (let i = 1; i < verdicts.length; i++) if (compareVerdicts(verdicts[i - 1]!, verdicts[i]!) > 0) return [...verdicts].sort(compareVerdicts);
  return verdicts;
}

function* arrayFrom(verdicts: readonly Verdict[], index: number): Generator<Verdict> {
  for (let i = index; i < verdicts.length; i++) yield verdicts[i]!;
}
