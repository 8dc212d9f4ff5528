/**
 * Snapshot contract v1: the evidence of what a collection saw.
 *
 * Answers are kept close to the shapes AWS returned (PascalCase fields, ISO-8601 strings for
 * timestamps) so an auditor can compare them with the API references. Nothing here imports the
 * AWS SDK: the collector converts SDK answers into these shapes.
 *
 * On disk a snapshot is JSON Lines (optionally gzipped): line 1 is a {@link SnapshotHeader},
 * every further line one {@link AccountRecord}. A large organization therefore streams.
 */

import type { ApiError } from '../contracts/api-error.ts';
import type { SkippedAccount } from '../contracts/result.ts';
import type { TrailRegionReport, VerifyWindow } from './log-integrity.ts';

export const SNAPSHOT_FORMAT = 'trailproof-snapshot';
export const SNAPSHOT_VERSION = 1;

/** The error record and the skipped account are contracts every stage reads; the snapshot holds them. */
export type { ApiError, SkippedAccount };

/**
 * The answer to one call (or one paginated series of calls).
 * `value: null` with `absent` records a documented "nothing configured" answer
 * (e.g. NoSuchLifecycleConfiguration): that is knowledge, not an error.
 * An error with `answer` (code UnexpectedAnswer) is an answer whose shape was not the expected
 * one: kept as it came, as evidence, while every fact built from it is unknown.
 */
export type Fetched<T> =
  | { value: T; absent?: undefined; error?: undefined }
  | { value: null; absent: string; error?: undefined }
  | { value?: undefined; absent?: undefined; error: ApiError; answer?: unknown };

export type Tag = { Key: string; Value: string };

// ---------- Organizations ----------

export interface Organization {
  Id: string;
  Arn?: string;
  MasterAccountId: string;
  MasterAccountEmail?: string;
  FeatureSet: 'ALL' | 'CONSOLIDATED_BILLING' | string;
}

export interface PolicyTypeSummary {
  Type: string; // SERVICE_CONTROL_POLICY, ...
  Status: 'ENABLED' | 'PENDING_ENABLE' | 'PENDING_DISABLE' | string;
}

export interface Root {
  Id: string;
  Arn?: string;
  Name?: string;
  PolicyTypes: PolicyTypeSummary[];
}

export interface OrganizationalUnit {
  Id: string;
  Arn?: string;
  Name: string;
  /** Id of the root or OU this OU sits in (from ListOrganizationalUnitsForParent). */
  ParentId: string;
}

export interface OrgAccount {
  Id: string;
  Arn?: string;
  Name: string;
  Email?: string;
  Status: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | string;
  State?: string;
  JoinedMethod?: string;
  JoinedTimestamp?: string;
  /** Id of the root or OU the account sits in (from ListAccountsForParent / ListParents). */
  ParentId: string;
  Tags?: Tag[];
}

export interface PolicyTarget {
  TargetId: string;
  Arn?: string;
  Name?: string;
  Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT' | string;
}

/** One service control policy, read once: ListPolicies → DescribePolicy + ListTargetsForPolicy. */
export interface ServiceControlPolicy {
  Id: string;
  Arn?: string;
  Name: string;
  Description?: string;
  AwsManaged?: boolean;
  /** The policy document as AWS returned it: a JSON string. */
  Content: Fetched<string>;
  Targets: Fetched<PolicyTarget[]>;
}

// ---------- Scope ----------

export interface SnapshotScope {
  /** Regions the collector was asked to read ("all enabled" is resolved to the list read). */
  regions: string[];
  /** Accounts selected for reading, in the order of the account lines. */
  accountIds: string[];
  skipped: SkippedAccount[];
  /** Set when this snapshot is one shard of a larger scan: "K/N". */
  shard?: string;
}

export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  tool: { name: string; version: string };
  /** When collection started (ISO-8601, UTC). Reports take their times from here. */
  collectedAt: string;
  /** How the snapshot came to be: "aws", "demo", "synthetic", or a user label. */
  source: string;
  partition: string; // "aws", "aws-us-gov", "aws-cn"
  scope: SnapshotScope;
  organization: Fetched<Organization>;
  roots: Fetched<Root[]>;
  organizationalUnits: Fetched<OrganizationalUnit[]>;
  accounts: Fetched<OrgAccount[]>;
  policies: Fetched<ServiceControlPolicy[]>;
  /** Errors not tied to one account line (e.g. ListRoots). Per-account errors live inline. */
  errors: ApiError[];
  /** Present when the collection verified the CloudTrail digest chains (scan --verify-logs). */
  logIntegrity?: LogIntegrityRun;
  /** GuardDuty's organization configuration per region, read from the delegated administrator (detective controls). */
  guardDutyOrganization?: Record<string, Fetched<GuardDutyOrganizationConfiguration>>;
}

/** How the log-integrity verification recorded in this snapshot was run. */
export interface LogIntegrityRun {
  verifiedAt: string;
  window: VerifyWindow;
  /** all | none | sample:N */
  hashLogs: string;
  sampleSeed?: string;
  maxDigestAgeHours: number;
}

// ---------- CloudTrail ----------

/** One element of DescribeTrails.trailList. */
export interface Trail {
  Name: string;
  TrailARN: string;
  HomeRegion: string;
  IsMultiRegionTrail: boolean;
  IsOrganizationTrail: boolean;
  IncludeGlobalServiceEvents?: boolean;
  LogFileValidationEnabled?: boolean;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  KmsKeyId?: string;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  SnsTopicARN?: string;
  HasCustomEventSelectors?: boolean;
  HasInsightSelectors?: boolean;
}

export interface TrailStatus {
  IsLogging: boolean;
  LatestDeliveryError?: string;
  LatestDeliveryTime?: string;
  LatestDigestDeliveryError?: string;
  LatestDigestDeliveryTime?: string;
  StartLoggingTime?: string;
  StopLoggingTime?: string;
}

export interface DataResource {
  Type: string;
  Values: string[];
}

export interface EventSelector {
  ReadWriteType?: 'ReadOnly' | 'WriteOnly' | 'All';
  IncludeManagementEvents?: boolean;
  DataResources?: DataResource[];
  ExcludeManagementEventSources?: string[];
}

export interface AdvancedFieldSelector {
  Field: string;
  Equals?: string[];
  StartsWith?: string[];
  EndsWith?: string[];
  NotEquals?: string[];
  NotStartsWith?: string[];
  NotEndsWith?: string[];
}

export interface AdvancedEventSelector {
  Name?: string;
  FieldSelectors: AdvancedFieldSelector[];
}

/** GetEventSelectors: one of the two lists is present, never both. */
export interface TrailEventSelectors {
  EventSelectors?: EventSelector[];
  AdvancedEventSelectors?: AdvancedEventSelector[];
}

export interface InsightSelector {
  InsightType: string;
}

/** What was read about one trail, once, in its home region, by its ARN. */
export interface TrailDetail {
  TrailARN: string;
  status: Fetched<TrailStatus>;
  eventSelectors: Fetched<TrailEventSelectors>;
  insightSelectors?: Fetched<InsightSelector[]>;
}

/** GetEventDataStore (CloudTrail Lake). */
export interface EventDataStore {
  EventDataStoreArn: string;
  Name?: string;
  Status?: string; // ENABLED, CREATED, STOPPED_INGESTION, PENDING_DELETION, ...
  MultiRegionEnabled?: boolean;
  OrganizationEnabled?: boolean;
  RetentionPeriod?: number; // days
  TerminationProtectionEnabled?: boolean;
  KmsKeyId?: string;
  BillingMode?: string;
  AdvancedEventSelectors?: AdvancedEventSelector[];
}

/** What one account answered in one region. */
export interface RegionRecord {
  region: string;
  /** DescribeTrails with shadow trails included. */
  trails: Fetched<Trail[]>;
  /** ListEventDataStores + GetEventDataStore for each. */
  eventDataStores?: Fetched<EventDataStore[]>;
  /** CloudWatch Logs groups that trails deliver to (DescribeLogGroups), keyed by log group ARN. */
  logGroups?: Record<string, Fetched<LogGroup>>;
  /** Detective controls on trail tampering; absent in snapshots collected without them (read as "not read"). */
  detective?: DetectiveRegionRecord;
}

// ---------- detective controls (per account and region) ----------

/**
 * Who would notice a tampered trail, as read in one account and region. Each part is optional so a
 * collection that skipped it (or an older snapshot) reads as "not read", which the model turns
 * into an unknown fact, never a pass.
 */
export interface DetectiveRegionRecord {
  /** CloudWatch Logs DescribeMetricFilters, keyed by the name of a log group a trail delivers to in this region. */
  metricFilters?: Record<string, Fetched<MetricFilter[]>>;
  /** CloudWatch DescribeAlarms (or DescribeAlarmsForMetric per filter metric, de-duplicated by AlarmArn). */
  metricAlarms?: Fetched<MetricAlarm[]>;
  /** SNS ListSubscriptionsByTopic, keyed by each topic ARN an alarm action names. */
  topicSubscriptions?: Record<string, Fetched<TopicSubscription[]>>;
  /** EventBridge ListRules on the default event bus. */
  eventRules?: Fetched<EventRule[]>;
  /** EventBridge ListTargetsByRule, keyed by rule name (rules with an event pattern). */
  ruleTargets?: Record<string, Fetched<RuleTarget[]>>;
  /** GuardDuty ListDetectors, then GetDetector for each. */
  guardDutyDetectors?: Fetched<GuardDutyDetector[]>;
  /** CloudTrail LookupEvents, one query per event name over the window. */
  tamperHistory?: TamperHistoryInputs;
}

/** CloudWatch Logs DescribeMetricFilters: one filter. */
export interface MetricFilter {
  filterName: string;
  logGroupName: string;
  filterPattern?: string;
  metricTransformations: { metricName: string; metricNamespace: string; metricValue?: string; dimensions?: Record<string, string> }[];
}

/** CloudWatch DescribeAlarms (AlarmTypes MetricAlarm): the fields the model reads. */
export interface MetricAlarm {
  AlarmName: string;
  AlarmArn?: string;
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value: string }[];
  /** Metric-math alarms name their metrics here instead of Namespace/MetricName. */
  Metrics?: { Id: string; MetricStat?: { Metric?: { Namespace?: string; MetricName?: string } } }[];
  ActionsEnabled?: boolean;
  AlarmActions?: string[];
  StateValue?: string;
}

/** SNS ListSubscriptionsByTopic: one subscription (SubscriptionArn is "PendingConfirmation" until confirmed). */
export interface TopicSubscription {
  SubscriptionArn: string;
  Protocol?: string;
  Endpoint?: string;
  TopicArn?: string;
}

/** EventBridge ListRules (EventBusName "default"): one rule. */
export interface EventRule {
  Name: string;
  Arn?: string;
  /** JSON text; absent on schedule-only rules. */
  EventPattern?: string;
  State?: string; // ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
  EventBusName?: string;
  ScheduleExpression?: string;
  ManagedBy?: string;
}

/** EventBridge ListTargetsByRule: one target. */
export interface RuleTarget {
  Id: string;
  Arn: string;
}

/** ListDetectors, then GetDetector for each id. */
export interface GuardDutyDetector {
  DetectorId: string;
  /** GetDetector's Status; absent when GetDetector failed (then `error` says why). */
  Status?: string; // ENABLED, DISABLED
  error?: ApiError;
}

/** GuardDuty DescribeOrganizationConfiguration, read in the delegated administrator's account. */
export interface GuardDutyOrganizationConfiguration {
  AdminAccountId: string;
  /** NEW, ALL or NONE (the current field). */
  AutoEnableOrganizationMembers?: string;
  /** The older boolean, still returned. */
  AutoEnable?: boolean;
}

/** CloudTrail LookupEvents: one event (CloudTrailEvent is the record as JSON text). */
export interface LookedUpEvent {
  EventId: string;
  EventName: string;
  EventTime: string;
  Username?: string;
  CloudTrailEvent?: string;
}

/** One region's management-event history: one LookupEvents query per event name (LookupAttributes takes one attribute). */
export interface TamperHistoryInputs {
  window: { start: string; end: string };
  events: Record<string, Fetched<LookedUpEvent[]>>;
}

export interface LogGroup {
  logGroupName: string;
  arn?: string;
  retentionInDays?: number; // absent: never expires
}

// ---------- S3 ----------

export interface BucketListing {
  Name: string;
  CreationDate?: string;
  BucketRegion?: string;
}

export interface PublicAccessBlock {
  BlockPublicAcls?: boolean;
  IgnorePublicAcls?: boolean;
  BlockPublicPolicy?: boolean;
  RestrictPublicBuckets?: boolean;
}

export interface ObjectLockConfiguration {
  ObjectLockEnabled?: 'Enabled' | string;
  Rule?: { DefaultRetention?: { Mode?: 'GOVERNANCE' | 'COMPLIANCE' | string; Days?: number; Years?: number } };
}

export interface LifecycleFilter {
  Prefix?: string;
  Tag?: Tag;
  ObjectSizeGreaterThan?: number;
  ObjectSizeLessThan?: number;
  And?: { Prefix?: string; Tags?: Tag[]; ObjectSizeGreaterThan?: number; ObjectSizeLessThan?: number };
}

export interface LifecycleRule {
  ID?: string;
  Status: 'Enabled' | 'Disabled' | string;
  Filter?: LifecycleFilter;
  /** Legacy top-level prefix. */
  Prefix?: string;
  Expiration?: { Days?: number; Date?: string; ExpiredObjectDeleteMarker?: boolean };
  NoncurrentVersionExpiration?: { NoncurrentDays?: number; NewerNoncurrentVersions?: number };
  Transitions?: { Days?: number; Date?: string; StorageClass?: string }[];
  NoncurrentVersionTransitions?: { NoncurrentDays?: number; StorageClass?: string }[];
}

export interface BucketVersioning {
  Status?: 'Enabled' | 'Suspended' | string; // absent: never enabled
  MFADelete?: 'Enabled' | 'Disabled' | string;
}

export interface BucketEncryption {
  Rules: { ApplyServerSideEncryptionByDefault?: { SSEAlgorithm: string; KMSMasterKeyID?: string }; BucketKeyEnabled?: boolean }[];
}

export interface BucketLogging {
  LoggingEnabled?: { TargetBucket: string; TargetPrefix?: string };
}

/**
 * What was read about one bucket, with its owner's credentials. Only `region` and `tags` are
 * read for every bucket; the rest only for buckets that matter (trail destinations, PII candidates).
 */
export interface BucketRecord {
  Name: string;
  region: Fetched<string>;
  tags: Fetched<Tag[]>;
  objectLock?: Fetched<ObjectLockConfiguration>;
  lifecycle?: Fetched<LifecycleRule[]>;
  versioning?: Fetched<BucketVersioning>;
  publicAccessBlock?: Fetched<PublicAccessBlock>;
  policyStatus?: Fetched<{ IsPublic: boolean }>;
  /** The bucket policy JSON string. */
  policy?: Fetched<string>;
  encryption?: Fetched<BucketEncryption>;
  logging?: Fetched<BucketLogging>;
}

// ---------- One account line ----------

export interface AccountRecord {
  accountId: string;
  /** Set when the account could not be entered at all (AssumeRole denied, ...): every fact is unknown. */
  access?: { error: ApiError };
  regions: RegionRecord[];
  /** Details of the trails this account owns (home region reads), keyed by TrailARN. */
  trailDetails: Record<string, TrailDetail>;
  /** ListBuckets. */
  buckets?: Fetched<BucketListing[]>;
  /** Per bucket owned by this account, keyed by bucket name. */
  bucketDetails?: Record<string, BucketRecord>;
  /** S3 Control GetPublicAccessBlock for the account. */
  accountPublicAccessBlock?: Fetched<PublicAccessBlock>;
  /** Regions enabled for this account, when read (account:ListRegions, else ec2:DescribeRegions). */
  enabledRegions?: Fetched<string[]>;
  /** The call that gave `enabledRegions`; absent in snapshots written before it was recorded (account:ListRegions). */
  enabledRegionsSource?: 'account:ListRegions' | 'ec2:DescribeRegions';
  /** The digest-chain verification of this account's logs, one per trail × region (with header.logIntegrity). */
  logIntegrity?: TrailRegionReport[];
}

export interface Snapshot {
  header: SnapshotHeader;
  accounts: AccountRecord[];
}
