import type { ApiError } from './api-error.ts';
import type { FrameworkAssessment } from './frameworks.ts';
import type { RuleMeta, Severity, Verdict } from './verdict.ts';

/**
 * The one in-memory result every report format is rendered from.
 * Everything in it is derived from the snapshot, the rules and the config: no clock, no host.
 */
export interface ScanResult {
  tool: { name: string; version: string };
  rulePack: { version: string; sha256: string };
  snapshot: {
    collectedAt: string;
    source: string;
    /** SHA-256 of the snapshot file's bytes (as read, before decompression), when read from a file. */
    sha256?: string;
    organizationId?: string;
    managementAccountId?: string;
  };
  scope: {
    regions: string[];
    accountIds: string[];
    skipped: SkippedAccount[];
    shard?: string;
  };
  /** Account id → name and OU path, for grouping. */
  accounts: { id: string; name: string; ouPath: string; status: string }[];
  rules: RuleMeta[];
  /**
   * In canonical order (contracts/order.ts): by ruleId, then resource id. At organization scale it
   * lives on disk (evaluate/verdict-spool.ts): walk it with for..of (each walk may re-read the
   * file) and use only `.length`; never index it or copy it whole.
   */
  verdicts: VerdictList;
  /** Collection errors from the snapshot, in canonical order. */
  errors: ApiError[];
  /** Exceptions that are past their expiry, or matched nothing. */
  exceptionNotes: ExceptionNote[];
  summary: ScanSummary;
  /** The gate threshold used for the exit code. */
  failOn: Severity;
  /** Present when frameworks were selected (--framework): the control-level view, in the order asked. */
  frameworks?: FrameworkAssessment[];
}

/**
 * A re-iterable list of verdicts: an array, or a list spooled to disk that is read again on every
 * walk. Only iteration and `length` are promised, so a report of 100,000 accounts never holds every
 * verdict at once.
 */
export type VerdictList = Iterable<Verdict> & { readonly length: number };

/** An account the collection did not read, and why. */
export interface SkippedAccount {
  accountId: string;
  reason: string; // "SUSPENDED", "outside --ous", ...
}

export interface ExceptionNote {
  exceptionId: string;
  rule: string;
  resource: string;
  /** expired: past its expiry date (it no longer suppresses); stale: it matched no verdict. */
  kind: 'expired' | 'stale';
  expires: string;
}

export interface ScanSummary {
  counts: { PASS: number; FAIL: number; ERROR: number; NOT_APPLICABLE: number; suppressed: number };
  /** Unsuppressed FAILs at or above the threshold. */
  gatingFailures: number;
  /** True when any verdict is ERROR or any collection error was recorded. */
  partial: boolean;
  exitCode: 0 | 1 | 3;
}
