/**
 * What the rule engine judges and every later stage reads: severities, the resource a verdict is
 * about, the verdict itself and a rule's report-facing metadata.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for threshold comparisons: higher is more severe. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, info: 1 };

export type VerdictStatus = 'PASS' | 'FAIL' | 'ERROR' | 'NOT_APPLICABLE';

export type ResourceType = 'organization' | 'account' | 'trail' | 'bucket';

/** The resource one verdict is about. */
export interface ResourceRef {
  type: ResourceType;
  /** Stable id: org id, account id, trail ARN, bucket ARN. */
  id: string;
  accountId: string;
  region?: string;
  arn?: string;
  /** Human name (account name, trail name, bucket name). */
  name?: string;
  /** OU path of the account, for grouping in reports. */
  ouPath?: string;
}

/** What reports need to know about a rule (no expressions). */
export interface RuleMeta {
  id: string;
  title: string;
  description: string;
  rationale?: string;
  severity: Severity;
  resource: ResourceType;
  remediation: string;
  frameworks: Record<string, string[]>;
  tags: string[];
  helpUri?: string;
  /** Effective parameters (defaults merged with config). */
  params: Record<string, unknown>;
  /** Path of the rule file relative to the working directory; builtin rules are "rules/<id>.yaml". */
  source: string;
  /** SHA-256 of the rule file's bytes. */
  sha256: string;
}

export interface Suppression {
  reason: string;
  approver: string;
  expires: string; // YYYY-MM-DD
  /** The exception's index in config.yaml, for traceability. */
  exceptionId: string;
}

export interface Verdict {
  ruleId: string;
  status: VerdictStatus;
  severity: Severity;
  message: string;
  /** JSON-compatible proof (numbers, strings, booleans, lists, maps). */
  evidence: unknown;
  resource: ResourceRef;
  /** Present on a FAIL matched by a live exception: kept, but does not fail the gate. */
  suppressed?: Suppression;
}
