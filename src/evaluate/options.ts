import type { TrailproofConfig } from '../config/types.ts';
import type { FrameworkPack } from '../rules/framework-packs.ts';
import type { LoadedRule } from '../rules/load.ts';
import type { HeapCeiling } from '../shared/full-collection.ts';
import type { SkippedAccount } from '../snapshot/types.ts';

/** How to evaluate a snapshot: the pipeline's input beside the snapshot, shared with its worker threads. */
export interface EvaluateOptions {
  config: TrailproofConfig;
  rules: LoadedRule[];
  /** Date exceptions are judged against (YYYY-MM-DD); defaults to the snapshot's collection day. */
  asOf?: string;
  /** "K/N": evaluate only the accounts of shard K of N. */
  shard?: string;
  /**
   * Evaluate only these accounts of the snapshot (`--accounts`/`--ous` on a saved snapshot); the
   * others are reported as skipped, with their reason. Cross-account facts still see every account.
   */
  only?: { accountIds: readonly string[]; skipped: readonly SkippedAccount[] };
  /** Threads that judge accounts at once, this one included (see parallel.ts). Default 1. */
  workers?: number;
  /** How those threads are started (tests: a worker module that hoards memory, a small heap). */
  threading?: WorkerThreading;
  /** Verdicts a spool holds before it writes a sorted run (verdict-spool.ts RUN_VERDICTS): tests lower it to exercise the runs. */
  spoolRunVerdicts?: number;
  /**
   * Characters of account lines pass 1 keeps parsed for pass 2 when this thread judges alone
   * (kept-records.ts; default KEPT_RECORD_CHARS): tests give 0, a few lines' worth, or Infinity.
   */
  keptRecordChars?: number;
  /** Framework packs (--framework) whose control-level view is added to the result, in this order. */
  frameworks?: readonly FrameworkPack[];
}

/** How evaluation's worker threads are started (parallel.ts); tests give a module that hoards memory, and a small heap. */
export interface WorkerThreading {
  /** The worker's module (default: parallel-worker). */
  module?: URL;
  /** Its old generation's cap, in MB (default: workerHeapMb of the organization's size). */
  heapMb?: number;
  /** This thread's heap ceiling while it judges (default: HEAP_ROOM_MB beyond what is in use when pass 2 starts, shared/full-collection.ts; tests watch it). */
  heapCeiling?: HeapCeiling;
}
