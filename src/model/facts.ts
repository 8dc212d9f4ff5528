/**
 * The facts rules see. Plain JSON-like objects (CEL reads them as maps), built by pure functions
 * from a snapshot.
 *
 * Unknown facts: a fact that could not be established (its call failed, or it was never read) is
 * left OUT of its object, and the object's `unknown` map says why, keyed by the missing field's
 * name. A CEL expression that touches it fails with "No such key", which the engine turns into an
 * ERROR verdict carrying that reason. `has(x.field)` lets a rule ask explicitly.
 * The facts rules can read are declared once, with CEL types, in fact-declarations.ts (the type
 * checker, docs/model.md and the check of rule tests' facts come from it); a test keeps these
 * interfaces and the model's output in step with it.
 */

import type { ResourceRef } from '../contracts/verdict.ts';

/** field name → why it is unknown (operation, code, message). */
export type UnknownReasons = Record<string, string>;

export interface WithUnknowns {
  unknown?: UnknownReasons;
}

export interface OrganizationFacts extends WithUnknowns {
  id?: string;
  managementAccountId?: string;
  featureSet?: string;
  /** SCPs are in force: all features and SERVICE_CONTROL_POLICY enabled on the root. */
  scpEnabled?: boolean;
  accountCount?: number;
  /** GuardDuty auto-enable for new members, per region (src/model/guardduty-facts.ts). */
  guardDuty?: { collected: boolean; regions: object[] };
}

export type TrailSource = 'own' | 'organization';

export interface ManagementEventCapture {
  read: boolean;
  write: boolean;
  /** ExcludeManagementEventSources (classic) or eventSource NotEquals (advanced) on the capturing selectors. */
  excludedSources: string[];
}

export interface TrailBucketRef extends WithUnknowns {
  name: string;
  /** Account id of the bucket's owner within the organization; null when it is outside (or not found in) the organization. */
  ownerAccountId?: string | null;
  region?: string;
  // --- the destination bucket's configuration, read with its owner's credentials (src/model/trail-bucket.ts);
  // unknown when the bucket is outside the organization or a call failed ---
  objectLock?: { enabled: boolean; mode: string | null; days: number | null };
  /** GetBucketVersioning Status: Enabled, Suspended, or Disabled (never enabled). */
  versioning?: string;
  mfaDelete?: boolean;
  publicAccessBlock?: PublicAccessBlockFacts;
  /** GetBucketPolicyStatus IsPublic (AWS's judgement of the bucket policy); false when there is no policy. */
  policyIsPublic?: boolean;
  /** Why the bucket may be public; empty when it is not. */
  exposure?: string[];
  /** Default encryption: SSEAlgorithm (AES256, aws:kms, aws:kms:dsse) or null when none is configured. */
  encryption?: { algorithm: string | null; kmsKeyId: string | null };
  accessLogging?: { enabled: boolean; targetBucket: string | null; targetPrefix: string | null };
}

export interface PublicAccessFlags {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

/** Bucket and account-level (S3 Control) public access blocks; `effective` is their union, flag by flag. */
export interface PublicAccessBlockFacts extends WithUnknowns {
  effective: PublicAccessFlags;
  /** null: no configuration at that level. */
  bucket?: PublicAccessFlags | null;
  account?: PublicAccessFlags | null;
}

export interface TrailFacts extends WithUnknowns {
  arn: string;
  name: string;
  homeRegion: string;
  /** Account that owns (created) the trail. */
  ownerAccountId: string;
  /** Why the trail records this account: its own trail, or the organization's trail. */
  source: TrailSource;
  isMultiRegion: boolean;
  isOrganizationTrail: boolean;
  includeGlobalServiceEvents: boolean;
  logFileValidation: boolean;
  kmsKeyId: string | null;
  cloudWatchLogsLogGroupArn: string | null;
  /** Regions of the account this trail records events of. */
  regions: string[];
  // --- from GetTrailStatus (unknown when it failed) ---
  isLogging?: boolean;
  latestDeliveryError?: string | null;
  latestDeliveryTime?: string | null;
  // --- from GetEventSelectors (unknown when it failed) ---
  managementEvents?: ManagementEventCapture;
  /** "classic" | "advanced" | "default" (no custom selectors). */
  selectorKind?: string;
  bucket: TrailBucketRef | null;
  /** Filled by the retention module (issue: trail bucket). */
  retention?: Record<string, unknown>;
  [extension: string]: unknown;
}

/** Cross-trail result: what the logging multi-region trails together record for the account. */
export interface AccountManagementCoverage {
  /** Read and write management events recorded in every region by logging multi-region trails. */
  read: boolean;
  write: boolean;
  /** Trails (ARNs) that contribute. */
  readTrails: string[];
  writeTrails: string[];
  /** Sources excluded by every contributing trail (an event from them is not recorded). */
  excludedSources: string[];
}

export interface AccountFacts extends WithUnknowns {
  id: string;
  name: string;
  email?: string;
  status: string;
  isManagement: boolean;
  /** OU path from the root, e.g. "Root/Workloads/Prod". */
  ouPath: string;
  /** OU ids from root to the account's parent, root id first. */
  ouIds: string[];
  tags: Record<string, string>;
  /** Regions in scope for this account. */
  regions: string[];
  /** Every trail that records this account, each once (shadows folded), sorted by ARN. */
  trails?: TrailFacts[];
  /** Management events recorded by logging multi-region trails, combined. */
  managementEvents?: AccountManagementCoverage;
  /** Filled by the SCP module. */
  scp?: Record<string, unknown>;
  /** Filled by the data-events module. */
  dataEvents?: Record<string, unknown>;
  /** Filled by the CloudTrail Lake view. */
  eventDataStores?: Record<string, unknown>[];
  /** The digest-chain verification of the account's logs (scan --verify-logs; src/model/log-integrity.ts). */
  logIntegrity?: LogIntegrityFacts;
  // --- detective controls on trail tampering (src/model/{event-rule,guardduty,tamper-history}-facts.ts) ---
  tamperEventRules?: object;
  guardDuty?: { regions: object[] };
  tamperHistory?: object;
  [extension: string]: unknown;
}

export interface LogIntegrityFacts extends WithUnknowns {
  /** False when the snapshot has no verification (scan without --verify-logs). */
  requested: boolean;
  window: { from: string; to: string } | null;
  hashLogs: string | null;
  /** One per trail × region verified for this account, by trail ARN then region. */
  trailRegions: TrailRegionIntegrityFacts[];
  /** "<trail ARN> <region>" of validating trails recording the account with no verification record. */
  unverified: string[];
  /** True when every trail-region was read in full; unknown (with what was not read) otherwise. */
  complete?: boolean;
}

export interface TrailRegionIntegrityFacts {
  trail: string;
  trailName: string;
  region: string;
  /** verified | failed | incomplete */
  outcome: string;
  /** "from..to", ISO. */
  window: string;
  digestsExpected: number;
  digestsFound: number;
  digestsValid: number;
  digestsChained: number;
  /** Missing digests plus chain breaks (a link or a signature that does not verify). */
  gaps: number;
  /** Legitimate chain restarts after StopLogging/StartLogging. */
  restarts: number;
  logFilesListed: number;
  logFilesVerified: number;
  logFilesModified: number;
  logFilesMissing: number;
  logFilesUnlisted: number;
  /** Absent when no digest was found. */
  newestDigestAgeHours?: number;
  latestDigestDeliveryError?: string;
  /** Findings other than staleness. */
  problems: number;
  /** The first of them, in hour order: kind, s3:// object, hour, detail. */
  firstProblem: { kind: string; object: string; hour: string; detail: string } | null;
  /** The first thing that could not be read, when the outcome is incomplete. */
  notRead?: string;
}

export interface BucketFacts extends WithUnknowns {
  name: string;
  accountId: string;
  region?: string;
  arn: string;
  tags?: Record<string, string>;
  /** Why the bucket counts as PII (data-events module; see src/model/pii.ts). */
  pii?: { classified: boolean; reasons: string[] };
  /** Which trails / event data stores record its object reads and writes (see src/model/data-events.ts). */
  dataEvents?: Record<string, unknown>;
  [extension: string]: unknown;
}

/**
 * One resource ready for evaluation: the CEL activation holds `organization` always, plus
 * `account` (for account, trail and bucket resources), and `trail` / `bucket` for those.
 */
export interface EvaluationSubject {
  resource: ResourceRef;
  activation: {
    organization: OrganizationFacts;
    account?: AccountFacts;
    trail?: TrailFacts;
    bucket?: BucketFacts;
  };
}
