/**
 * A page's chunks as the chunks of its parts in turn, each part's iterator called directly. A page
 * written as a generator that delegates to its verdict list or matrix (`yield*`) resumes itself for
 * every chunk of the part and makes a result object of its own for it: ~400 instructions a chunk,
 * ~0.8 % of writing HTML at 10,000 accounts (callgrind), over ~300,000 verdict-row chunks. Here a
 * part's own results are handed on.
 */
export class ChunkChain implements IterableIterator<string> {
  private taken = 0;
  private current: Iterator<string> | undefined;

  /**
   * Each part is iterated once, when the one before it is done: a generator's code runs no sooner
   * than it would have. A part is let go once taken, and its iterator once done (a finished
   * generator keeps its locals: a verdict list holds its page's verdicts).
   */
  private readonly parts: (Iterable<string> | undefined)[];

  constructor(parts: readonly Iterable<string>[]) {
    this.parts = [...parts];
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<string> {
    for (;;) {
      if (this.current) {
        const result = this.current.next();
        if (!result.done) return result;
        this.current = undefined;
      }
      if (this.taken === this.parts.length)
        return { done: true, value: undefined };
      const part = this.parts[this.taken]!;
      this.parts[this.taken++] = undefined;
      this.current = part[Symbol.iterator]();
    }
  }
}
