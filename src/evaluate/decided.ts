/**
 * Where each verdict goes as it is decided, in every thread that judges: the exceptions, then the
 * gate's tally and the spool. A worker thread ends with its share (share()); the main thread
 * absorbs every worker's share and finishes with one external merge of all the threads' runs.
 */
import type { ExceptionEntry } from '../config/types.ts';
import type { ExceptionNote, ScanSummary, VerdictList } from '../contracts/result.ts';
import type { ApiError } from '../contracts/api-error.ts';
import type { Severity, Verdict } from '../contracts/verdict.ts';
import type { HeapCeiling } from '../shared/full-collection.ts';
import { ExceptionMatcher } from './exceptions.ts';
import { GateTally, type TallyState } from './gate.ts';
import type { PartMerger } from './run-merge.ts';
import { VerdictSpool, type SpoolRuns } from './verdict-spool.ts';

export interface DecidedOptions {
  exceptions: ExceptionEntry[];
  /** The day exceptions are judged against (YYYY-MM-DD). */
  asOf: string;
  failOn: Severity;
  /** The spool's folder (default: this process's temporary one) and its run size (default RUN_VERDICTS). */
  spoolDir?: string;
  spoolRunVerdicts?: number;
}

/** A thread's verdicts, exceptions applied, in canonical order (an array, or its spool's runs), with its tally (plain data). */
export interface DecidedShare {
  verdicts: Verdict[] | SpoolRuns;
  tally: TallyState;
  /** Positions of the exceptions that matched one of these verdicts. */
  matchedExceptions: number[];
}

export class DecidedVerdicts {
  private readonly matcher: ExceptionMatcher;
  private readonly tally: GateTally;
  private readonly spool: VerdictSpool;
  private readonly otherRuns: SpoolRuns[] = [];

  constructor(options: DecidedOptions) {
    this.matcher = new ExceptionMatcher(options.exceptions, options.asOf);
    this.tally = new GateTally(options.failOn);
    this.spool = new VerdictSpool(options.spoolDir, options.spoolRunVerdicts);
  }

  readonly add = (raw: Verdict): void => {
    const verdict = this.matcher.apply(raw);
    this.tally.add(verdict);
    this.spool.add(verdict);
  };

  /** Another thread's share: counted now, its runs merged with this thread's by finish(). */
  absorb(share: DecidedShare): void {
    this.tally.absorb(share.tally);
    this.matcher.adoptMatched(share.matchedExceptions);
    if (Array.isArray(share.verdicts)) for (const v of share.verdicts) this.spool.add(v);
    else this.otherRuns.push(share.verdicts);
  }

  /** This thread has judged its share: what it holds is written as a run while the other threads' shares come (VerdictSpool.writePending). */
  ownShareJudged(): void {
    this.spool.writePending();
  }

  /** Ends a worker thread's part: its runs are left for the main thread's merge. */
  share(): DecidedShare {
    return { verdicts: this.spool.finishRuns(), tally: this.tally.state(), matchedExceptions: this.matcher.matchedSoFar() };
  }

  /**
   * Once every verdict is in: the list in canonical order (merged under `heapCeiling`, parts of the
   * merge by `elsewhere`: other threads), the exceptions' notes and the gate's summary.
   */
  async finish(errors: readonly ApiError[], heapCeiling?: HeapCeiling, elsewhere: readonly PartMerger[] = []): Promise<{ verdicts: VerdictList; exceptionNotes: ExceptionNote[]; summary: ScanSummary }> {
    return { verdicts: await this.spool.finishInParts(this.otherRuns, elsewhere, heapCeiling), exceptionNotes: this.matcher.notes(), summary: this.tally.summary(errors) };
  }
}
