/**
 * The declaration of every fact rules can read: its name, its type (in CEL's type syntax), whether
 * it can be unknown, and one line saying what it is. One source for four readers: the CEL type
 * checker (src/rules/fact-types.ts), docs/model.md (src/model/fact-docs.ts), the check of the
 * `facts:` inputs of rule tests (src/model/fact-check.ts), and the TypeScript interfaces the model
 * computes into (src/model/fact-types.generated.ts, by src/model/fact-typescript.ts), so `tsc`
 * checks that the computation fits the declaration. test/unit/fact-declarations.test.ts fails when
 * a generated file is stale, and checks the demo organization's facts against the declaration.
 *
 * Adding a fact: declare it here, run `npm run gen:facts` and `npm run docs:model`, and compute it
 * in the model (`npx tsc --noEmit -p .` then says where the new field is missing or mistyped).
 */

export interface FactField {
  name: string;
  /** CEL type: string, bool, int, list<T>, map<string, T>, or a declared object type. */
  type: string;
  /** Absent when it could not be established; `unknown.<name>` on the same object says why. */
  unknowable?: boolean;
  /** May be null (a known absence: no KMS key, no default retention...). */
  nullable?: boolean;
  doc: string;
}

export interface FactObject {
  /** The CEL type name. */
  name: string;
  doc: string;
  fields: FactField[];
  /** Has an `unknown` map: field name → why that field is unknown. */
  withUnknowns?: boolean;
  /** A docs page with the longer story. */
  seeAlso?: string;
}

/** The activation roots, their object types, and the resource types of the rules that can read them. */
export const FACT_ROOTS: { name: string; type: string; resources: string[]; presentFor: string }[] = [
  { name: 'organization', type: 'Organization', resources: ['organization', 'account', 'trail', 'bucket'], presentFor: 'every rule' },
  { name: 'account', type: 'Account', resources: ['account', 'trail', 'bucket'], presentFor: '`resource: account`, `trail`, `bucket`' },
  { name: 'trail', type: 'Trail', resources: ['trail'], presentFor: '`resource: trail`' },
  { name: 'bucket', type: 'Bucket', resources: ['bucket'], presentFor: '`resource: bucket`' },
];

type Flags = { unknowable?: boolean; nullable?: boolean };
const f = (name: string, type: string, doc: string, flags: Flags = {}): FactField => ({ name, type, doc, ...flags });
const U: Flags = { unknowable: true };
const N: Flags = { nullable: true };
const UN: Flags = { unknowable: true, nullable: true };

const accessCoverageFields = [
  f('status', 'string', '`covered` (every object event of the kind, every object), `partial` or `not-covered`'),
  f('by', 'list<DataEventSelector>', 'the selectors that record some of these events'),
  f('missing', 'list<string>', 'what is left out, e.g. `eventName GetObject`, `objects arn:aws:s3:::b/tmp/*`'),
  f('notCounted', 'list<NotCountedRecorder>', 'recorders whose selectors would record some of these events but do not count'),
];

/** Every object type, in the order docs/model.md lists them. */
export const FACT_OBJECTS: FactObject[] = [
  {
    name: 'Organization',
    doc: 'The organization (`organization`).',
    withUnknowns: true,
    fields: [
      f('id', 'string', '`o-...`', U),
      f('managementAccountId', 'string', 'the management account (SCPs never restrict it)', U),
      f('featureSet', 'string', '`ALL` or `CONSOLIDATED_BILLING`', U),
      f('scpEnabled', 'bool', 'all features, and `SERVICE_CONTROL_POLICY` enabled on the root', U),
      f('accountCount', 'int', 'accounts listed by Organizations', U),
      f('guardDuty', 'OrganizationGuardDuty', "GuardDuty's organization configuration (auto-enable for new members), per region"),
    ],
  },
  {
    name: 'Account',
    doc: 'The account being judged, or the one owning the trail or bucket (`account`).',
    withUnknowns: true,
    fields: [
      f('id', 'string', 'account id'),
      f('name', 'string', 'account name from Organizations (the id when unknown)'),
      f('email', 'string', 'root email from Organizations', U),
      f('status', 'string', '`ACTIVE`, `SUSPENDED`, ... (`UNKNOWN` when not listed)'),
      f('isManagement', 'bool', "the organization's management account"),
      f('ouPath', 'string', '`Root/Workloads/Prod` (empty, and unknown, when the tree could not be read)', U),
      f('ouIds', 'list<string>', "root id first, then each OU down to the account's parent"),
      f('tags', 'map<string, string>', 'account tags'),
      f('regions', 'list<string>', 'regions read for this account'),
      f('trails', 'list<Trail>', "every trail that records this account, each once (own trails and the organization's), sorted by ARN", U),
      f('managementEvents', 'AccountManagementEvents', 'what the logging multi-region trails record together', U),
      f('scp', 'Scp', 'effective SCP protection', U),
      f('dataEvents', 'AccountDataEvents', 'account-wide S3 data event coverage', U),
      f('eventDataStores', 'list<EventDataStore>', 'CloudTrail Lake event data stores that record the account', U),
      f('logIntegrity', 'LogIntegrity', "the digest-chain verification of the account's logs (`scan --verify-logs`)"),
      f('tamperEventRules', 'TamperEventRules', 'EventBridge rules on the default bus that would alert on trail tampering, per region'),
      f('guardDuty', 'AccountGuardDuty', 'GuardDuty detectors, per region read', U),
      f('tamperHistory', 'TamperHistory', "trail-tampering calls in CloudTrail's event history (LookupEvents) and the logging gaps they left"),
    ],
  },
  {
    name: 'LogIntegrity',
    doc: "`account.logIntegrity`: the verification of the account's CloudTrail digest chains recorded in the snapshot by `scan --verify-logs`.",
    withUnknowns: true,
    seeAlso: 'operations/log-integrity.md',
    fields: [
      f('requested', 'bool', 'false when the snapshot holds no verification (the lists are then empty)'),
      f('window', 'IntegrityWindow', 'the window verified (null when not requested)', N),
      f('hashLogs', 'string', '`all`, `none` or `sample:N` (null when not requested)', N),
      f('trailRegions', 'list<TrailRegionIntegrity>', 'one per trail × region of the account, by trail ARN then region'),
      f('unverified', 'list<string>', '`<trail ARN> <region>` of validating trails recording the account with no verification record'),
      f('complete', 'bool', 'every trail-region was read in full; unknown otherwise, with what was not read', U),
    ],
  },
  {
    name: 'IntegrityWindow',
    doc: 'The window of `account.logIntegrity`.',
    fields: [f('from', 'string', 'start, ISO-8601'), f('to', 'string', 'end, ISO-8601')],
  },
  {
    name: 'TrailRegionIntegrity',
    doc: 'One trail × region chain of `account.logIntegrity.trailRegions`.',
    fields: [
      f('trail', 'string', 'trail ARN'),
      f('trailName', 'string', 'trail name'),
      f('region', 'string', 'the region whose chain this is'),
      f('outcome', 'string', '`verified`, `failed` or `incomplete`'),
      f('window', 'string', '`from..to`, ISO-8601'),
      f('digestsExpected', 'int', 'one per hour the trail logged, hours with no log files included'),
      f('digestsFound', 'int', 'digests found in the window'),
      f('digestsValid', 'int', 'digests whose signature verified with a listed key valid at the time'),
      f('digestsChained', 'int', 'digests whose link to the previous one verified'),
      f('gaps', 'int', 'missing digests plus broken links or signatures'),
      f('restarts', 'int', 'chains restarted after StopLogging/StartLogging (not gaps)'),
      f('logFilesListed', 'int', 'log files the verified digests list'),
      f('logFilesVerified', 'int', 'of them, hashed and equal to the digest'),
      f('logFilesModified', 'int', 'hashed and different'),
      f('logFilesMissing', 'int', 'listed but not in the bucket'),
      f('logFilesUnlisted', 'int', 'in the log folders, listed by no digest'),
      f('newestDigestAgeHours', 'double', 'age of the newest digest at the end of the window (absent when none was found)', U),
      f('latestDigestDeliveryError', 'string', 'GetTrailStatus LatestDigestDeliveryError, when set', U),
      f('problems', 'int', 'findings other than staleness'),
      f('firstProblem', 'IntegrityProblem', 'the first of them in hour order', N),
      f('notRead', 'string', 'the first read that failed, when the outcome is incomplete', U),
    ],
  },
  {
    name: 'IntegrityProblem',
    doc: 'The first problem of a trail-region (`firstProblem`).',
    fields: [
      f('kind', 'string', '`log-modified`, `log-missing`, `log-unlisted`, `digest-missing`, `digest-signature-invalid`, `digest-unknown-key`, `digest-key-outside-validity`, `chain-previous-hash-mismatch`, ...'),
      f('object', 'string', '`s3://bucket/key` of the object concerned'),
      f('hour', 'string', 'the digest hour or log file time, ISO-8601'),
      f('detail', 'string', 'what was found'),
    ],
  },
  {
    name: 'AccountManagementEvents',
    doc: '`account.managementEvents`: management events recorded by logging multi-region trails, possibly two trails together.',
    fields: [
      f('read', 'bool', 'read management events are recorded in every region'),
      f('write', 'bool', 'write management events are recorded in every region'),
      f('readTrails', 'list<string>', 'ARNs of the trails that contribute read events'),
      f('writeTrails', 'list<string>', 'ARNs of the trails that contribute write events'),
      f('excludedSources', 'list<string>', 'event sources (e.g. `kms.amazonaws.com`) that no contributing trail records'),
    ],
  },
  {
    name: 'Trail',
    doc: 'One trail (`trail`, and each of `account.trails`). When an account\'s trails could not be listed, `trail` is one stand-in for all of them (`arn` `arn:aws:cloudtrail:*:<account>:trail/*`) whose every other fact is unknown, so each trail rule gives ERROR there; its definition fields are known on every listed trail.',
    withUnknowns: true,
    fields: [
      f('arn', 'string', 'trail ARN'),
      f('name', 'string', 'trail name'),
      f('homeRegion', 'string', 'region the trail was created in', U),
      f('ownerAccountId', 'string', 'the account that created the trail'),
      f('source', 'string', '`organization` (an organization trail) or `own`', U),
      f('isMultiRegion', 'bool', 'records every region', U),
      f('isOrganizationTrail', 'bool', 'records every account of the organization', U),
      f('includeGlobalServiceEvents', 'bool', 'records global service events (IAM, STS, ...)', U),
      f('logFileValidation', 'bool', 'log file integrity digests are written', U),
      f('kmsKeyId', 'string', 'KMS key the log files are encrypted with', UN),
      f('cloudWatchLogsLogGroupArn', 'string', 'CloudWatch Logs group the trail delivers to', UN),
      f('regions', 'list<string>', "regions of the account whose events the trail records", U),
      f('isLogging', 'bool', '`GetTrailStatus.IsLogging`', U),
      f('latestDeliveryError', 'string', '`GetTrailStatus.LatestDeliveryError`', UN),
      f('latestDeliveryTime', 'string', '`GetTrailStatus.LatestDeliveryTime`', UN),
      f('managementEvents', 'TrailManagementEvents', 'management events captured by the event selectors', U),
      f('selectorKind', 'string', '`classic`, `advanced` or `default` (no custom selectors)', U),
      f('bucket', 'TrailBucket', 'destination bucket and its configuration', UN),
      f('retention', 'Retention', 'how long the logs are kept and guaranteed kept', U),
      f('changeAlarms', 'TrailChangeAlarms', "metric filters and alarms on the trail's CloudWatch Logs group that would notify someone of trail tampering (trails the account owns; unknown on others)", U),
    ],
    seeAlso: 'model/retention.md',
  },
  {
    name: 'TrailManagementEvents',
    doc: "`trail.managementEvents`, from `GetEventSelectors` (classic or advanced selectors; a selector's `Name` is never read).",
    fields: [
      f('read', 'bool', 'read management events are captured'),
      f('write', 'bool', 'write management events are captured'),
      f('excludedSources', 'list<string>', 'excluded event sources'),
    ],
  },
  {
    name: 'TrailBucket',
    doc: "`trail.bucket`: the destination bucket, read with its owner's credentials; its configuration is unknown when the bucket is outside the organization or a call failed.",
    withUnknowns: true,
    seeAlso: 'model/retention.md',
    fields: [
      f('name', 'string', 'bucket name'),
      f('ownerAccountId', 'string', 'owner within the organization; null when outside it (or not found in it)', UN),
      f('region', 'string', 'bucket region', U),
      f('objectLock', 'ObjectLock', 'Object Lock configuration', U),
      f('versioning', 'string', '`Enabled`, `Suspended` or `Disabled` (never enabled)', U),
      f('mfaDelete', 'bool', 'MFA delete enabled', U),
      f('publicAccessBlock', 'PublicAccessBlock', 'bucket and account public access blocks', U),
      f('policyIsPublic', 'bool', '`GetBucketPolicyStatus.IsPublic`; false without a policy', U),
      f('exposure', 'list<string>', 'why the bucket may be public; empty when it is not', U),
      f('encryption', 'BucketEncryption', 'default encryption', U),
      f('accessLogging', 'AccessLogging', 'server access logging', U),
    ],
  },
  {
    name: 'ObjectLock',
    doc: '`trail.bucket.objectLock`.',
    fields: [
      f('enabled', 'bool', 'Object Lock is enabled on the bucket'),
      f('mode', 'string', '`COMPLIANCE` or `GOVERNANCE`; null without default retention', N),
      f('days', 'int', 'default retention in days (`Years` × 365); null without default retention', N),
    ],
  },
  {
    name: 'PublicAccessBlock',
    doc: '`trail.bucket.publicAccessBlock`: `effective` is the flag-wise OR of the bucket and account levels.',
    withUnknowns: true,
    fields: [
      f('effective', 'PublicAccessFlags', 'the flags in force'),
      f('bucket', 'PublicAccessFlags', 'bucket level; null without configuration', UN),
      f('account', 'PublicAccessFlags', 'account level (S3 Control); null without configuration', UN),
    ],
  },
  {
    name: 'PublicAccessFlags',
    doc: 'The four S3 public access block flags.',
    fields: [
      f('blockPublicAcls', 'bool', 'BlockPublicAcls'),
      f('ignorePublicAcls', 'bool', 'IgnorePublicAcls'),
      f('blockPublicPolicy', 'bool', 'BlockPublicPolicy'),
      f('restrictPublicBuckets', 'bool', 'RestrictPublicBuckets'),
    ],
  },
  {
    name: 'BucketEncryption',
    doc: '`trail.bucket.encryption`: default encryption (nulls when none is configured).',
    fields: [
      f('algorithm', 'string', '`AES256`, `aws:kms` or `aws:kms:dsse`', N),
      f('kmsKeyId', 'string', 'KMS key of `aws:kms` encryption', N),
    ],
  },
  {
    name: 'AccessLogging',
    doc: '`trail.bucket.accessLogging`: server access logging.',
    fields: [
      f('enabled', 'bool', 'access logging is on'),
      f('targetBucket', 'string', 'where the access logs go', N),
      f('targetPrefix', 'string', 'their key prefix', N),
    ],
  },
  {
    name: 'Retention',
    doc: '`trail.retention`: how long the logs of the trail are kept for the account judged.',
    withUnknowns: true,
    seeAlso: 'model/retention.md',
    fields: [
      f('logObjectPrefix', 'string', "`<S3KeyPrefix>/AWSLogs/[<org-id>/]<account-id>/CloudTrail/`"),
      f('lifecycleRules', 'list<LifecycleRuleVerdict>', 'every lifecycle rule of the bucket, with whether it acts on the logs', U),
      f('availableDays', 'int', 'days until the last copy is gone; null when nothing removes the logs', UN),
      f('keptIndefinitely', 'bool', 'nothing removes the logs', U),
      f('availableLimitedBy', 'string', 'what limits `availableDays`', U),
      f('immediateDays', 'int', 'days until the logs leave immediately readable storage; null when never', UN),
      f('immediateLimitedBy', 'string', 'what limits `immediateDays`', U),
      f('guaranteedDays', 'int', 'Object Lock COMPLIANCE default retention (0 when none)', U),
      f('guaranteedLimitedBy', 'string', 'what limits `guaranteedDays`', U),
      f('governanceDays', 'int', 'Object Lock GOVERNANCE default retention (reported, not guaranteed)', U),
      f('cloudWatchLogs', 'CloudWatchLogsRetention', "retention of the trail's CloudWatch Logs group; null when it does not deliver there", UN),
    ],
  },
  {
    name: 'LifecycleRuleVerdict',
    doc: 'One lifecycle rule of the bucket as it applies to the log files.',
    fields: [
      f('rule', 'string', 'rule id'),
      f('applies', 'bool', 'the rule acts on the log files'),
      f('coverage', 'string', '`all`, `some` or `none` of the log files'),
      f('reason', 'string', 'why'),
    ],
  },
  {
    name: 'CloudWatchLogsRetention',
    doc: "`trail.retention.cloudWatchLogs`: the trail's log group.",
    fields: [
      f('logGroupArn', 'string', 'log group ARN'),
      f('retentionDays', 'int', 'retention in days; null when events never expire', N),
      f('neverExpires', 'bool', 'no retention is set'),
    ],
  },
  {
    name: 'Scp',
    doc: '`account.scp`: effective SCP protection of the actions the model evaluates.',
    seeAlso: 'model/scp.md',
    fields: [
      f('applicable', 'bool', 'false for the management account, an organization without all features, or SCPs disabled on the root'),
      f('reason', 'string', 'why SCPs do not apply (present when `applicable` is false)', U),
      f('actions', 'map<string, ScpAction>', 'keyed by action: the defaults and those rules ask for (`model.scpActionsParam`)'),
    ],
  },
  {
    name: 'ScpAction',
    doc: "One action's protection (`account.scp.actions[action]`).",
    withUnknowns: true,
    fields: [
      f('action', 'string', 'the action'),
      f('outcome', 'string', '`denied`, `denied-except`, `conditional`, `not-denied` or `not-applicable`', U),
      f('reason', 'string', 'why, in words'),
      f('denials', 'list<ScpDenial>', 'the Deny statements that match, strongest first'),
      f('allowedByPath', 'bool', 'every level of the path has an SCP allowing the action', U),
      f('notAllowedAt', 'ScpLevel', 'the first level that does not allow it', U),
    ],
  },
  {
    name: 'ScpDenial',
    doc: 'One Deny statement that matches the action.',
    fields: [
      f('policyId', 'string', 'policy id'),
      f('policyName', 'string', 'policy name'),
      f('statement', 'string', "the statement's Sid, or `#N` (its position)"),
      f('level', 'ScpLevel', 'where the policy is attached'),
      f('mode', 'string', '`unconditional`, `except-principals` or `conditional`'),
      f('exemptPrincipals', 'list<string>', 'principals the Deny does not apply to'),
      f('conditions', 'list<string>', 'other conditions and resource limits that narrow the Deny'),
    ],
  },
  {
    name: 'ScpLevel',
    doc: 'A level of the account\'s path: the root, an OU or the account.',
    fields: [
      f('kind', 'string', '`ROOT`, `ORGANIZATIONAL_UNIT` or `ACCOUNT`'),
      f('id', 'string', 'its id'),
      f('name', 'string', 'its name'),
    ],
  },
  {
    name: 'AccountDataEvents',
    doc: '`account.dataEvents`: S3 data events recorded for every bucket of the account.',
    withUnknowns: true,
    seeAlso: 'model/data-events.md',
    fields: [f('read', 'AllBucketsCoverage', 'object read events', U), f('write', 'AllBucketsCoverage', 'object write events', U)],
  },
  {
    name: 'AllBucketsCoverage',
    doc: 'Coverage of every bucket of the account by multi-region recorders.',
    fields: [
      ...accessCoverageFields,
      f('allBuckets', 'bool', 'every current and future bucket in every region is recorded'),
      f('uncoveredBuckets', 'list<string>', 'current buckets the recorders leave (partly) out'),
    ],
  },
  {
    name: 'DataEventSelector',
    doc: 'A selector that records some data events.',
    fields: [
      f('source', 'string', 'trail or event data store ARN'),
      f('kind', 'string', '`trail` or `event-data-store`'),
      f('selector', 'int', "the selector's position (`GetEventSelectors` order)"),
      f('selectorType', 'string', '`classic` or `advanced`'),
      f('scope', 'string', '`all` when that one selector covers everything, else `partial`'),
    ],
  },
  {
    name: 'NotCountedRecorder',
    doc: 'A recorder whose selectors match but that does not count.',
    fields: [f('source', 'string', 'trail or event data store ARN'), f('reason', 'string', 'e.g. `the trail is not logging`')],
  },
  {
    name: 'EventDataStore',
    doc: 'A CloudTrail Lake event data store that records the account (each of `account.eventDataStores`).',
    withUnknowns: true,
    fields: [
      f('arn', 'string', 'event data store ARN'),
      f('name', 'string', 'its name'),
      f('homeRegion', 'string', 'its region'),
      f('ownerAccountId', 'string', 'the account that created it'),
      f('source', 'string', '`own` or `organization`'),
      f('status', 'string', '`ENABLED`, `STOPPED_INGESTION`, ...', U),
      f('multiRegionEnabled', 'bool', 'records every region', U),
      f('organizationEnabled', 'bool', 'records every account of the organization', U),
      f('retentionPeriod', 'int', 'retention in days', U),
      f('terminationProtectionEnabled', 'bool', 'termination protection', U),
      f('billingMode', 'string', '`EXTENDABLE_RETENTION_PRICING` or `FIXED_RETENTION_PRICING`', U),
      f('kmsKeyId', 'string', 'KMS key', UN),
    ],
  },
  {
    name: 'Bucket',
    doc: 'A bucket rules judge (`bucket`): PII buckets, see the data events page.',
    withUnknowns: true,
    seeAlso: 'model/data-events.md',
    fields: [
      f('name', 'string', 'bucket name'),
      f('accountId', 'string', 'owner account'),
      f('region', 'string', '`BucketRegion` from ListBuckets, else `GetBucketLocation`', U),
      f('arn', 'string', 'bucket ARN'),
      f('tags', 'map<string, string>', "tags, read with the owner's credentials", U),
      f('pii', 'PiiClassification', 'why the bucket counts as PII', U),
      f('dataEvents', 'BucketDataEvents', 'which trails and event data stores record its object reads and writes', U),
    ],
  },
  {
    name: 'PiiClassification',
    doc: '`bucket.pii`.',
    fields: [f('classified', 'bool', 'the bucket holds PII'), f('reasons', 'list<string>', 'e.g. `tag DataClassification=PII`')],
  },
  {
    name: 'BucketDataEvents',
    doc: '`bucket.dataEvents`.',
    withUnknowns: true,
    fields: [f('read', 'AccessCoverage', 'object read events', U), f('write', 'AccessCoverage', 'object write events', U)],
  },
  {
    name: 'AccessCoverage',
    doc: 'Coverage of one bucket for one kind of object event.',
    fields: accessCoverageFields,
  },

  // ---------- detective controls on trail tampering (docs/model/detective.md) ----------
  {
    name: 'TrailChangeAlarms',
    doc: "`trail.changeAlarms`: would a tampering call recorded by the trail reach a person? Log group → metric filter whose pattern matches the call (evaluated on canonical CloudTrail records, never by reading its text) → alarm on that exact metric → enabled actions → SNS topic → confirmed subscription.",
    seeAlso: 'model/detective.md',
    fields: [
      f('logGroup', 'string', "the trail's CloudWatch Logs group name; null when the trail does not deliver there (nothing can be alarmed)", N),
      f('actions', 'map<string, ActionAlarm>', 'keyed by tampering action: the defaults and those rules ask for (`model.tamperActionsParam`)'),
      f('filters', 'list<ChangeAlarmFilter>', 'the metric filters on the log group'),
    ],
  },
  {
    name: 'ActionAlarm',
    doc: 'One action of `trail.changeAlarms.actions`.',
    withUnknowns: true,
    fields: [
      f('action', 'string', 'the CloudTrail action, e.g. `StopLogging`'),
      f('alarmed', 'bool', 'a filter matches every successful call of it (any caller) and feeds an alarm that notifies someone', U),
      f('via', 'list<string>', '`filter → namespace/metric → alarm → topic` for each chain that alarms'),
      f('reason', 'string', 'why it is alarmed, or the first broken link'),
    ],
  },
  {
    name: 'ChangeAlarmFilter',
    doc: 'A metric filter on the trail\'s log group.',
    withUnknowns: true,
    fields: [
      f('name', 'string', 'filter name'),
      f('pattern', 'string', 'its filter pattern'),
      f('catches', 'list<string>', 'tampering actions it matches for every caller'),
      f('undecided', 'list<string>', '`action: reason` where the pattern could not be judged (a syntax the evaluator does not know)'),
      f('metrics', 'list<string>', '`namespace/name` of the metrics it publishes'),
      f('alarms', 'list<ChangeAlarm>', 'alarms on exactly those metrics', U),
    ],
  },
  {
    name: 'ChangeAlarm',
    doc: 'An alarm on a filter\'s metric.',
    withUnknowns: true,
    fields: [
      f('alarmName', 'string', 'alarm name'),
      f('metric', 'string', '`namespace/name`'),
      f('actionsEnabled', 'bool', '`ActionsEnabled`'),
      f('snsTopics', 'list<string>', 'SNS topics among its alarm actions'),
      f('confirmedSubscriptions', 'int', 'confirmed subscriptions of those topics together', U),
      f('notifies', 'bool', 'actions enabled and some topic has a confirmed subscription', U),
    ],
  },
  {
    name: 'TamperEventRules',
    doc: '`account.tamperEventRules`: EventBridge rules on the default bus that fire on trail tampering. A tampering call lands on the default bus of the region it is made in: the home region of the trail or event data store.',
    withUnknowns: true,
    seeAlso: 'model/detective.md',
    fields: [
      f('regions', 'list<string>', 'the home regions of the trails and event data stores the account owns: where a rule is needed', U),
      f('byRegion', 'map<string, RegionTamperEventRules>', 'every region read, and every region in `regions`'),
    ],
  },
  {
    name: 'RegionTamperEventRules',
    doc: 'One region of `account.tamperEventRules.byRegion`.',
    withUnknowns: true,
    fields: [
      f('region', 'string', 'the region'),
      f('actions', 'map<string, TamperEventAction>', 'keyed by tampering action (the defaults and `model.tamperActionsParam`)', U),
      f('rules', 'list<TamperEventRule>', 'rules on the default bus with an event pattern', U),
    ],
  },
  {
    name: 'TamperEventAction',
    doc: 'One action of a region.',
    withUnknowns: true,
    fields: [
      f('action', 'string', 'the CloudTrail action'),
      f('caught', 'bool', 'an ENABLED rule with a target matches every successful call of it', U),
      f('by', 'list<string>', 'the rules that do'),
    ],
  },
  {
    name: 'TamperEventRule',
    doc: 'An EventBridge rule of the default bus.',
    withUnknowns: true,
    fields: [
      f('name', 'string', 'rule name'),
      f('state', 'string', '`ENABLED`, `DISABLED`, `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`'),
      f('enabled', 'bool', 'the state fires on events', U),
      f('targets', 'int', 'targets (`ListTargetsByRule`)', U),
      f('catches', 'list<string>', 'tampering actions its pattern matches for every caller'),
      f('undecided', 'list<string>', '`action: reason` where the pattern could not be judged'),
    ],
  },
  {
    name: 'AccountGuardDuty',
    doc: '`account.guardDuty`: GuardDuty raises `Stealth:IAMUser/CloudTrailLoggingDisabled` even when the trail is deleted first.',
    seeAlso: 'model/detective.md',
    fields: [f('regions', 'list<GuardDutyRegion>', 'every region read for the account, sorted')],
  },
  {
    name: 'GuardDutyRegion',
    doc: 'One region of `account.guardDuty`.',
    withUnknowns: true,
    fields: [
      f('region', 'string', 'the region'),
      f('enabled', 'bool', 'a detector with `Status: ENABLED`', U),
      f('detail', 'string', '`detector <id> ENABLED`, `no detector`, `... DISABLED (suspended)`, or why unknown'),
    ],
  },
  {
    name: 'OrganizationGuardDuty',
    doc: '`organization.guardDuty`: `DescribeOrganizationConfiguration`, read in the delegated administrator account.',
    fields: [
      f('collected', 'bool', 'the snapshot holds the configuration (false: collected without it; `regions` is then empty)'),
      f('regions', 'list<GuardDutyOrganizationRegion>', 'per region, sorted'),
    ],
  },
  {
    name: 'GuardDutyOrganizationRegion',
    doc: 'One region of `organization.guardDuty`.',
    withUnknowns: true,
    fields: [
      f('region', 'string', 'the region'),
      f('adminAccountId', 'string', 'the delegated administrator; null without one', UN),
      f('autoEnable', 'bool', '`AutoEnableOrganizationMembers` is `NEW` or `ALL` (or the older `AutoEnable`)', U),
      f('mode', 'string', '`NEW`, `ALL` or `NONE`', UN),
    ],
  },
  {
    name: 'TamperHistory',
    doc: "`account.tamperHistory`: CloudTrail's event history (LookupEvents, up to 90 days) of the tampering actions, every region.",
    withUnknowns: true,
    seeAlso: 'model/detective.md',
    fields: [
      f('window', 'IntegrityWindow', 'the window queried; null when no region was read', N),
      f('regionsRead', 'list<string>', 'regions whose history was read in full'),
      f('calls', 'list<TamperCall>', 'tampering calls of the regions read, oldest first (successful and refused)'),
      f('complete', 'bool', 'every region was read; unknown otherwise, with the first that was not', U),
      f('gaps', 'list<LoggingGap>', "intervals of the window in which no logging multi-region trail recorded the account's write management events", U),
    ],
  },
  {
    name: 'TamperCall',
    doc: 'One call of `account.tamperHistory.calls`.',
    fields: [
      f('region', 'string', 'region of the call'),
      f('eventName', 'string', '`StopLogging`, `DeleteTrail`, ...'),
      f('eventId', 'string', 'CloudTrail event id'),
      f('time', 'string', 'ISO-8601'),
      f('who', 'string', '`userIdentity.arn`, else the user name', N),
      f('sourceIPAddress', 'string', 'source IP (or AWS service)', N),
      f('userAgent', 'string', 'user agent', N),
      f('errorCode', 'string', 'null when the call succeeded; `AccessDenied` and the like when refused', N),
      f('succeeded', 'bool', 'no error code'),
      f('target', 'string', 'the trail or event data store named by the call', N),
    ],
  },
  {
    name: 'LoggingGap',
    doc: 'An interval with no logging trail.',
    fields: [f('from', 'string', 'start, ISO-8601'), f('to', 'string', 'end, ISO-8601'), f('minutes', 'int', 'length in minutes, rounded')],
  },
];

/** The `unknown` map of objects that have one. */
export const UNKNOWN_FIELD: FactField = { name: 'unknown', type: 'map<string, string>', doc: 'field name → why that field is unknown' };

const byName = new Map(FACT_OBJECTS.map((o) => [o.name, o]));

export function factObject(name: string): FactObject | undefined {
  return byName.get(name);
}

/** The object's fields as rules see them, its `unknown` map included. */
export function fieldsOf(object: FactObject): FactField[] {
  return object.withUnknowns ? [...object.fields, UNKNOWN_FIELD] : object.fields;
}

/** `list<T>` → T, `map<string, T>` → T; undefined for other types. */
export function elementType(type: string): string | undefined {
  return /^list<(.+)>$/.exec(type)?.[1] ?? /^map<string, (.+)>$/.exec(type)?.[1];
}
