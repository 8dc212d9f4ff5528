import type { Severity } from '../contracts/verdict.ts';

/** config.yaml after validation, with every default filled in. */
export interface TrailproofConfig {
  /** Path of the file this came from, or "(defaults)". */
  source: string;
  organization: {
    /** Role assumed in each member account. */
    memberRoleName: string;
    externalId?: string;
    /** Session name for AssumeRole. */
    sessionName: string;
    /** AWS profile for the starting (management / delegated administrator) credentials. */
    profile?: string;
    /** Region for global endpoints (Organizations, STS) and the default. */
    homeRegion: string;
  };
  scope: {
    /** Account ids to include; empty = all ACTIVE accounts. */
    accounts: string[];
    excludeAccounts: string[];
    /** OU paths ("Root/Workloads") or ids ("ou-...") to include; empty = all. */
    ous: string[];
    excludeOus: string[];
    /** Account tags that select ("key=value"); empty = no tag filter. */
    accountTags: string[];
    /** Regions to read; empty = every region enabled for each account. */
    regions: string[];
  };
  collection: {
    /** Accounts read at once. */
    accountConcurrency: number;
    /** Calls in flight per account. */
    callConcurrency: number;
    /** Per-call timeout in milliseconds. */
    callTimeoutMs: number;
    maxAttempts: number;
    /** Read the detective controls on trail tampering (alarms, EventBridge rules, GuardDuty, event history). */
    detective: boolean;
    /** Days of CloudTrail event history looked up for tampering calls (1 to 90). */
    historyDays: number;
    /**
     * CloudTrail LookupEvents sent per second per account and region: AWS's quota is 2, and the
     * collector paces itself at this rate rather than be throttled. Raise it only for an endpoint
     * without that quota (an emulator, a test server).
     */
    lookupEventsPerSecond: number;
  };
  rules: {
    /** Rule files or folders; "builtin" is the bundled pack. */
    paths: string[];
    disabled: string[];
    /** Rule tags whose rules are not evaluated (e.g. "detective", for organizations that detect in a SIEM). */
    disabledTags: string[];
    /** ruleId → params overriding the rule's defaults. */
    params: Record<string, Record<string, unknown>>;
  };
  /** How buckets that hold PII are recognised. */
  pii: {
    tags: { key: string; values: string[] }[];
    namePatterns: string[];
    buckets: string[];
  };
  exceptions: ExceptionEntry[];
  output: {
    dir: string;
    formats: string[];
    failOn: Severity;
    /** Keep suppressed results in SARIF (GitHub ignores SARIF suppressions and would open alerts). */
    sarifIncludeSuppressed: boolean;
  };
  /**
   * Where the entries of `rules.params`, `rules.disabled` and `rules.disabledTags` were written
   * ("rules.params.<id>.<name>", "rules.disabled.<i>" → line and column), so the rule loader can place its problems. Plain data:
   * it travels to worker threads with the config.
   */
  positions?: Record<string, { line: number; column: number }>;
}

export interface ExceptionEntry {
  /** Rule id (exact) this exception applies to. */
  rule: string;
  /** Resource id or glob over resource id / account id / ARN ("123456789012", "arn:aws:s3:::logs-*"). */
  resource: string;
  reason: string;
  approver: string;
  /** YYYY-MM-DD; the exception stops suppressing after this day. */
  expires: string;
}
