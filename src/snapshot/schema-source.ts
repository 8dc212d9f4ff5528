/**
 * The source of schemas/snapshot-v1.schema.json (the published JSON Schema of snapshot v1).
 *
 * Written as code because every answer of an AWS call is wrapped in the same Fetched envelope:
 * one `fetched(...)` here instead of twenty hand-copied blocks in JSON. The published file is
 * generated from this (`npx tsx src/snapshot/schema-source.ts`) and a test fails when they differ.
 *
 * Policy: trailproof's own envelope (header, scope, account line, Fetched, ApiError, ...) is
 * strict (`additionalProperties: false`), so a typo or a field from a newer format is caught.
 * Objects that are AWS answers allow additional properties, because AWS adds fields over time,
 * but the fields trailproof reads are typed.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './types.ts';

type Schema = Record<string, unknown>;

export const SNAPSHOT_SCHEMA_ID = 'https://trailproof.dev/schemas/snapshot-v1.schema.json';

const str: Schema = { type: 'string' };
const nonEmpty: Schema = { type: 'string', minLength: 1 };
const bool: Schema = { type: 'boolean' };
const int: Schema = { type: 'integer', minimum: 0 };
const strings: Schema = { type: 'array', items: str };
const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });

/** trailproof's own objects: every field known. */
function strict(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, required, additionalProperties: false };
}

/** An AWS answer: the fields trailproof reads are typed, others are kept as AWS sent them. */
function aws(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, required };
}

/**
 * Fetched<T>: exactly one of `{value}`, `{value: null, absent}` or `{error}` (the envelope, in
 * $defs.Fetched), and when `value` is not null it must be a T.
 * Written with if/then rather than oneOf so that a wrong field deep inside `value` is reported at
 * its own path, not drowned by the failures of the two other branches.
 */
function fetched(value: Schema): Schema {
  return {
    type: 'object',
    $ref: '#/$defs/Fetched',
    if: { required: ['value'], properties: { value: { not: { type: 'null' } } } },
    then: { properties: { value } },
  };
}

const fetchedEnvelope: Schema = {
  type: 'object',
  // `answer`: with an error only; an answer kept as it came because its shape was not the expected one.
  properties: { value: true, absent: nonEmpty, error: ref('ApiError'), answer: true },
  additionalProperties: false,
  dependentRequired: { answer: ['error'] },
  if: { required: ['error'] },
  then: { not: { anyOf: [{ required: ['value'] }, { required: ['absent'] }] } },
  else: {
    required: ['value'],
    if: { required: ['value'], properties: { value: { type: 'null' } } },
    then: { required: ['absent'] },
    else: { not: { required: ['absent'] } },
  },
};

const tag = aws({ Key: str, Value: str }, ['Key', 'Value']);
const awsTimestamp = str;

const defs: Record<string, Schema> = {
  Fetched: fetchedEnvelope,
  ApiError: strict(
    { operation: nonEmpty, code: nonEmpty, message: str, accountId: str, region: str },
    ['operation', 'code', 'message'],
  ),
  Tag: tag,

  // ---- Organizations ----
  Organization: aws(
    { Id: nonEmpty, Arn: str, MasterAccountId: nonEmpty, MasterAccountEmail: str, FeatureSet: nonEmpty },
    ['Id', 'MasterAccountId', 'FeatureSet'],
  ),
  Root: aws(
    { Id: nonEmpty, Arn: str, Name: str, PolicyTypes: arrayOf(aws({ Type: nonEmpty, Status: nonEmpty }, ['Type', 'Status'])) },
    ['Id', 'PolicyTypes'],
  ),
  OrganizationalUnit: aws({ Id: nonEmpty, Arn: str, Name: str, ParentId: nonEmpty }, ['Id', 'Name', 'ParentId']),
  OrgAccount: aws(
    {
      Id: nonEmpty,
      Arn: str,
      Name: str,
      Email: str,
      Status: nonEmpty,
      State: str,
      JoinedMethod: str,
      JoinedTimestamp: awsTimestamp,
      ParentId: nonEmpty,
      Tags: arrayOf(ref('Tag')),
    },
    ['Id', 'Name', 'Status', 'ParentId'],
  ),
  PolicyTarget: aws({ TargetId: nonEmpty, Arn: str, Name: str, Type: nonEmpty }, ['TargetId', 'Type']),
  ServiceControlPolicy: aws(
    {
      Id: nonEmpty,
      Arn: str,
      Name: str,
      Description: str,
      AwsManaged: bool,
      Content: fetched(str),
      Targets: fetched(arrayOf(ref('PolicyTarget'))),
    },
    ['Id', 'Name', 'Content', 'Targets'],
  ),

  // ---- CloudTrail ----
  Trail: aws(
    {
      Name: nonEmpty,
      TrailARN: nonEmpty,
      HomeRegion: nonEmpty,
      IsMultiRegionTrail: bool,
      IsOrganizationTrail: bool,
      IncludeGlobalServiceEvents: bool,
      LogFileValidationEnabled: bool,
      S3BucketName: str,
      S3KeyPrefix: str,
      KmsKeyId: str,
      CloudWatchLogsLogGroupArn: str,
      CloudWatchLogsRoleArn: str,
      SnsTopicARN: str,
      HasCustomEventSelectors: bool,
      HasInsightSelectors: bool,
    },
    ['Name', 'TrailARN', 'HomeRegion', 'IsMultiRegionTrail', 'IsOrganizationTrail'],
  ),
  TrailStatus: aws(
    {
      IsLogging: bool,
      LatestDeliveryError: str,
      LatestDeliveryTime: awsTimestamp,
      LatestDigestDeliveryError: str,
      LatestDigestDeliveryTime: awsTimestamp,
      StartLoggingTime: awsTimestamp,
      StopLoggingTime: awsTimestamp,
    },
    ['IsLogging'],
  ),
  EventSelector: aws({
    ReadWriteType: { enum: ['ReadOnly', 'WriteOnly', 'All'] },
    IncludeManagementEvents: bool,
    DataResources: arrayOf(aws({ Type: nonEmpty, Values: strings }, ['Type', 'Values'])),
    ExcludeManagementEventSources: strings,
  }),
  AdvancedEventSelector: aws(
    {
      Name: str,
      FieldSelectors: arrayOf(
        aws(
          {
            Field: nonEmpty,
            Equals: strings,
            StartsWith: strings,
            EndsWith: strings,
            NotEquals: strings,
            NotStartsWith: strings,
            NotEndsWith: strings,
          },
          ['Field'],
        ),
      ),
    },
    ['FieldSelectors'],
  ),
  TrailEventSelectors: {
    ...aws({ EventSelectors: arrayOf(ref('EventSelector')), AdvancedEventSelectors: arrayOf(ref('AdvancedEventSelector')) }),
    // AWS returns one list or the other, never both; some endpoints add the other one empty.
    dependentSchemas: {
      AdvancedEventSelectors: {
        not: {
          required: ['EventSelectors'],
          properties: { EventSelectors: { type: 'array', minItems: 1 }, AdvancedEventSelectors: { type: 'array', minItems: 1 } },
        },
      },
    },
  },
  TrailDetail: strict(
    {
      TrailARN: nonEmpty,
      status: fetched(ref('TrailStatus')),
      eventSelectors: fetched(ref('TrailEventSelectors')),
      insightSelectors: fetched(arrayOf(aws({ InsightType: nonEmpty }, ['InsightType']))),
    },
    ['TrailARN', 'status', 'eventSelectors'],
  ),
  EventDataStore: aws(
    {
      EventDataStoreArn: nonEmpty,
      Name: str,
      Status: str,
      MultiRegionEnabled: bool,
      OrganizationEnabled: bool,
      RetentionPeriod: int,
      TerminationProtectionEnabled: bool,
      KmsKeyId: str,
      BillingMode: str,
      AdvancedEventSelectors: arrayOf(ref('AdvancedEventSelector')),
    },
    ['EventDataStoreArn'],
  ),
  LogGroup: aws({ logGroupName: nonEmpty, arn: str, retentionInDays: int }, ['logGroupName']),
  RegionRecord: strict(
    {
      region: nonEmpty,
      trails: fetched(arrayOf(ref('Trail'))),
      eventDataStores: fetched(arrayOf(ref('EventDataStore'))),
      logGroups: { type: 'object', additionalProperties: fetched(ref('LogGroup')) },
      detective: ref('DetectiveRegionRecord'),
    },
    ['region', 'trails'],
  ),

  // ---- detective controls ----
  DetectiveRegionRecord: strict({
    metricFilters: { type: 'object', additionalProperties: fetched(arrayOf(ref('MetricFilter'))) },
    metricAlarms: fetched(arrayOf(ref('MetricAlarm'))),
    topicSubscriptions: { type: 'object', additionalProperties: fetched(arrayOf(ref('TopicSubscription'))) },
    eventRules: fetched(arrayOf(ref('EventRule'))),
    ruleTargets: { type: 'object', additionalProperties: fetched(arrayOf(ref('RuleTarget'))) },
    guardDutyDetectors: fetched(arrayOf(ref('GuardDutyDetector'))),
    tamperHistory: ref('TamperHistoryInputs'),
  }),
  MetricFilter: aws(
    {
      filterName: nonEmpty,
      logGroupName: str,
      filterPattern: str,
      metricTransformations: arrayOf(
        aws(
          { metricName: nonEmpty, metricNamespace: nonEmpty, metricValue: str, dimensions: { type: 'object', additionalProperties: str } },
          ['metricName', 'metricNamespace'],
        ),
      ),
    },
    ['filterName', 'logGroupName', 'metricTransformations'],
  ),
  MetricAlarm: aws(
    {
      AlarmName: nonEmpty,
      AlarmArn: str,
      Namespace: str,
      MetricName: str,
      Dimensions: arrayOf(aws({ Name: str, Value: str }, ['Name', 'Value'])),
      Metrics: arrayOf(
        aws({ Id: str, MetricStat: aws({ Metric: aws({ Namespace: str, MetricName: str }) }) }, ['Id']),
      ),
      ActionsEnabled: bool,
      AlarmActions: strings,
      StateValue: str,
    },
    ['AlarmName'],
  ),
  TopicSubscription: aws({ SubscriptionArn: nonEmpty, Protocol: str, Endpoint: str, TopicArn: str }, ['SubscriptionArn']),
  EventRule: aws(
    { Name: nonEmpty, Arn: str, EventPattern: str, State: str, EventBusName: str, ScheduleExpression: str, ManagedBy: str },
    ['Name'],
  ),
  RuleTarget: aws({ Id: nonEmpty, Arn: nonEmpty }, ['Id', 'Arn']),
  GuardDutyDetector: aws({ DetectorId: nonEmpty, Status: str, error: ref('ApiError') }, ['DetectorId']),
  GuardDutyOrganizationConfiguration: aws(
    { AdminAccountId: nonEmpty, AutoEnableOrganizationMembers: str, AutoEnable: bool },
    ['AdminAccountId'],
  ),
  LookedUpEvent: aws(
    { EventId: nonEmpty, EventName: nonEmpty, EventTime: awsTimestamp, Username: str, CloudTrailEvent: str },
    ['EventId', 'EventName', 'EventTime'],
  ),
  TamperHistoryInputs: strict(
    {
      window: strict({ start: { type: 'string', format: 'date-time' }, end: { type: 'string', format: 'date-time' } }, ['start', 'end']),
      events: { type: 'object', additionalProperties: fetched(arrayOf(ref('LookedUpEvent'))) },
    },
    ['window', 'events'],
  ),

  // ---- S3 ----
  BucketListing: aws({ Name: nonEmpty, CreationDate: awsTimestamp, BucketRegion: str }, ['Name']),
  PublicAccessBlock: aws({ BlockPublicAcls: bool, IgnorePublicAcls: bool, BlockPublicPolicy: bool, RestrictPublicBuckets: bool }),
  // Enumerations the model decides by are closed: a value AWS adds later is kept as it came and
  // makes the facts built from it unknown, rather than being read as "not COMPLIANCE", "not Enabled".
  ObjectLockConfiguration: aws({
    ObjectLockEnabled: { enum: ['Enabled'] },
    Rule: aws({ DefaultRetention: aws({ Mode: { enum: ['GOVERNANCE', 'COMPLIANCE'] }, Days: int, Years: int }) }),
  }),
  LifecycleFilter: aws({
    Prefix: str,
    Tag: ref('Tag'),
    ObjectSizeGreaterThan: int,
    ObjectSizeLessThan: int,
    And: aws({ Prefix: str, Tags: arrayOf(ref('Tag')), ObjectSizeGreaterThan: int, ObjectSizeLessThan: int }),
  }),
  LifecycleRule: aws(
    {
      ID: str,
      Status: { enum: ['Enabled', 'Disabled'] },
      Filter: ref('LifecycleFilter'),
      Prefix: str,
      Expiration: aws({ Days: int, Date: awsTimestamp, ExpiredObjectDeleteMarker: bool }),
      NoncurrentVersionExpiration: aws({ NoncurrentDays: int, NewerNoncurrentVersions: int }),
      Transitions: arrayOf(aws({ Days: int, Date: awsTimestamp, StorageClass: str })),
      NoncurrentVersionTransitions: arrayOf(aws({ NoncurrentDays: int, StorageClass: str })),
    },
    ['Status'],
  ),
  BucketVersioning: aws({ Status: { enum: ['Enabled', 'Suspended'] }, MFADelete: { enum: ['Enabled', 'Disabled'] } }),
  BucketEncryption: aws(
    {
      Rules: arrayOf(
        aws({
          ApplyServerSideEncryptionByDefault: aws({ SSEAlgorithm: { enum: ['AES256', 'aws:kms', 'aws:kms:dsse'] }, KMSMasterKeyID: str }, ['SSEAlgorithm']),
          BucketKeyEnabled: bool,
        }),
      ),
    },
    ['Rules'],
  ),
  BucketLogging: aws({ LoggingEnabled: aws({ TargetBucket: nonEmpty, TargetPrefix: str }, ['TargetBucket']) }),
  BucketRecord: strict(
    {
      Name: nonEmpty,
      region: fetched(nonEmpty),
      tags: fetched(arrayOf(ref('Tag'))),
      objectLock: fetched(ref('ObjectLockConfiguration')),
      lifecycle: fetched(arrayOf(ref('LifecycleRule'))),
      versioning: fetched(ref('BucketVersioning')),
      publicAccessBlock: fetched(ref('PublicAccessBlock')),
      policyStatus: fetched(aws({ IsPublic: bool }, ['IsPublic'])),
      policy: fetched(str),
      encryption: fetched(ref('BucketEncryption')),
      logging: fetched(ref('BucketLogging')),
    },
    ['Name', 'region', 'tags'],
  ),

  // ---- the two kinds of line ----
  SnapshotHeader: strict(
    {
      format: { const: SNAPSHOT_FORMAT },
      version: { const: SNAPSHOT_VERSION },
      tool: strict({ name: nonEmpty, version: nonEmpty }, ['name', 'version']),
      collectedAt: { type: 'string', format: 'date-time' },
      source: nonEmpty,
      partition: nonEmpty,
      scope: strict(
        {
          regions: strings,
          accountIds: strings,
          skipped: arrayOf(strict({ accountId: nonEmpty, reason: nonEmpty }, ['accountId', 'reason'])),
          shard: { type: 'string', pattern: '^[1-9][0-9]*/[1-9][0-9]*$' },
        },
        ['regions', 'accountIds', 'skipped'],
      ),
      organization: fetched(ref('Organization')),
      roots: fetched(arrayOf(ref('Root'))),
      organizationalUnits: fetched(arrayOf(ref('OrganizationalUnit'))),
      accounts: fetched(arrayOf(ref('OrgAccount'))),
      policies: fetched(arrayOf(ref('ServiceControlPolicy'))),
      errors: arrayOf(ref('ApiError')),
      logIntegrity: ref('LogIntegrityRun'),
      guardDutyOrganization: { type: 'object', additionalProperties: fetched(ref('GuardDutyOrganizationConfiguration')) },
    },
    [
      'format',
      'version',
      'tool',
      'collectedAt',
      'source',
      'partition',
      'scope',
      'organization',
      'roots',
      'organizationalUnits',
      'accounts',
      'policies',
      'errors',
    ],
  ),
  AccountRecord: strict(
    {
      accountId: { type: 'string', pattern: '^[0-9]{12}$' },
      access: strict({ error: ref('ApiError') }, ['error']),
      regions: arrayOf(ref('RegionRecord')),
      trailDetails: { type: 'object', additionalProperties: ref('TrailDetail') },
      buckets: fetched(arrayOf(ref('BucketListing'))),
      bucketDetails: { type: 'object', additionalProperties: ref('BucketRecord') },
      accountPublicAccessBlock: fetched(ref('PublicAccessBlock')),
      enabledRegions: fetched(strings),
      enabledRegionsSource: { enum: ['account:ListRegions', 'ec2:DescribeRegions'] },
      logIntegrity: arrayOf(ref('LogIntegrityReport')),
    },
    ['accountId', 'regions', 'trailDetails'],
  ),

  // ---- log integrity (verify-logs; src/snapshot/log-integrity.ts) ----
  LogIntegrityWindow: strict({ from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } }, ['from', 'to']),
  LogIntegrityRun: strict(
    { verifiedAt: { type: 'string', format: 'date-time' }, window: ref('LogIntegrityWindow'), hashLogs: { type: 'string', pattern: '^(all|none|sample:[1-9][0-9]*)$' }, sampleSeed: str, maxDigestAgeHours: { type: 'number', exclusiveMinimum: 0 } },
    ['verifiedAt', 'window', 'hashLogs', 'maxDigestAgeHours'],
  ),
  LogIntegrityReport: strict(
    {
      target: strict(
        { trailArn: nonEmpty, trailName: nonEmpty, accountId: nonEmpty, region: nonEmpty, bucket: nonEmpty, keyPrefix: str, organizationId: str },
        ['trailArn', 'trailName', 'accountId', 'region', 'bucket', 'keyPrefix'],
      ),
      window: ref('LogIntegrityWindow'),
      outcome: { enum: ['verified', 'failed', 'incomplete'] },
      digests: strict({ expected: int, found: int, signatureValid: int, chained: int, missing: int, restarts: strings }, ['expected', 'found', 'signatureValid', 'chained', 'missing', 'restarts']),
      logs: strict(
        { listed: int, hashed: int, valid: int, modified: int, missing: int, unreadable: int, presentNotHashed: int, unlisted: int, bytesHashed: int },
        ['listed', 'hashed', 'valid', 'modified', 'missing', 'unreadable', 'presentNotHashed', 'unlisted', 'bytesHashed'],
      ),
      newestDigest: strict({ key: str, endTime: str, ageHours: { type: 'number' }, latestDigestDeliveryTime: str, latestDigestDeliveryError: str }),
      findings: arrayOf(strict({ kind: nonEmpty, object: str, hour: str, detail: str }, ['kind', 'object', 'hour', 'detail'])),
      unreadable: arrayOf(strict({ operation: nonEmpty, code: nonEmpty, message: str, object: str, accountId: str, region: str }, ['operation', 'code', 'message'])),
    },
    ['target', 'window', 'outcome', 'digests', 'logs', 'newestDigest', 'findings', 'unreadable'],
  ),
};

/** The whole published schema: one line of a snapshot is either a header or an account record. */
export function snapshotSchema(): Schema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SNAPSHOT_SCHEMA_ID,
    title: 'trailproof snapshot v1 (one JSON line)',
    description:
      'A trailproof snapshot is JSON Lines: line 1 is a SnapshotHeader, every further line one AccountRecord. ' +
      'Generated from src/snapshot/schema-source.ts; see docs/snapshot-format.md.',
    anyOf: [ref('SnapshotHeader'), ref('AccountRecord')],
    $defs: defs,
  };
}

/** The published file's exact text. */
export function snapshotSchemaText(): string {
  return JSON.stringify(snapshotSchema(), null, 2) + '\n';
}

export const SNAPSHOT_SCHEMA_FILE = fileURLToPath(new URL('../../schemas/snapshot-v1.schema.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SNAPSHOT_SCHEMA_FILE, snapshotSchemaText());
  process.stdout.write(`wrote ${SNAPSHOT_SCHEMA_FILE}\n`);
}
