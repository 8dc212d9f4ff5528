/**
 * Pass 1's records, kept for pass 2 when this thread judges alone: a line read, decoded, parsed and
 * validated once instead of read and parsed again (JSON.parse of every line was the largest part of
 * pass 2 after the rules). Kept up to a budget of line characters, from the first line in scope on;
 * once a line does not fit, none after it is kept, so the kept records are the first lines in scope
 * and pass 2 judges them, then reads the rest, in file order as before.
 *
 * What pass 2 gets is what it read before: a validated line resolves its references as a trusted
 * one does (same-as.ts), and pass 1 mutates no record (the model index only refers to parts of
 * them, as it does for a snapshot in memory, whose records both passes share).
 */
import type { NumberedRecord } from '../snapshot/read.ts';

/**
 * The default budget, in characters of the lines kept: a parsed, resolved record holds about twice
 * its line's characters in heap (~14 KB for a 7.7 KB line at 10,000 accounts).
 */
export const KEPT_RECORD_CHARS = 96 * 2 ** 20;

export class KeptRecords {
  private records: (NumberedRecord | undefined)[] = [];
  private chars = 0;
  private full = false;

  constructor(private readonly budgetChars: number = KEPT_RECORD_CHARS) {}

  /** A record in scope, in file order: kept if it fits, with every one before it. */
  offer(numbered: NumberedRecord): void {
    if (this.full) return;
    this.chars += numbered.chars ?? 0;
    if (this.chars > this.budgetChars) {
      this.full = true;
      return;
    }
    this.records.push({ line: numbered.line, record: numbered.record });
  }

  /** How many records are kept: the first that many lines in scope. */
  get count(): number {
    return this.records.length;
  }

  /** The kept records on these lines (pass 1's lines to read again, before pass 2 takes them), in file order. */
  on(lines: ReadonlySet<number>): NumberedRecord[] {
    return this.records.filter((numbered): numbered is NumberedRecord => numbered !== undefined && lines.has(numbered.line));
  }

  /** The kept records in file order, each let go as it is handed over: pass 2 holds only the one it judges. */
  *take(): Generator<NumberedRecord> {
    const records = this.records;
    this.records = [];
    for (let at = 0; at < records.length; at++) {
      const numbered = records[at]!;
      records[at] = undefined;
      yield numbered;
    }
  }
}
