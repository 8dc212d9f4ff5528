/**
 * The one description of snapshot v1. Two files are generated from it by `npm run gen:snapshot`
 * (scripts/gen-snapshot.ts), and a test fails when either is stale:
 * - schemas/snapshot-v1.schema.json, the published JSON Schema that validates every line read;
 * - src/snapshot/types.ts, the TypeScript types every stage uses (each `description` here becomes
 *   the doc comment of its type or field there).
 * To add a field: add it here, with its description, then run `npm run gen:snapshot`.
 *
 * Written as code because every answer of an AWS call is wrapped in the same Fetched envelope:
 * one `fetched(...)` here instead of twenty hand-copied blocks in JSON.
 *
 * Policy: trailproof's own envelope (header, scope, account line, Fetched, ApiError, ...) is
 * strict (`additionalProperties: false`), so a typo or a field from a newer format is caught.
 * Objects that are AWS answers allow additional properties, because AWS adds fields over time,
 * but the fields trailproof reads are typed.
 *
 * `tsType` (a json-schema-to-typescript keyword) names the TypeScript type of a node whose type
 * the generator cannot spell itself (the generic Fetched<T>, contracts defined elsewhere); it is
 * removed from the published schema.
 */
import { fileURLToPath } from 'node:url';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './format.ts';
import { FINDING_KINDS } from './finding-kinds.ts';

type Schema = Record<string, unknown>;

export const SNAPSHOT_SCHEMA_ID = 'https://trailproof.dev/schemas/snapshot-v1.schema.json';

const str: Schema = { type: 'string' };
const nonEmpty: Schema = { type: 'string', minLength: 1 };
const bool: Schema = { type: 'boolean' };
const int: Schema = { type: 'integer', minimum: 0 };
const isoTime: Schema = { type: 'string', format: 'date-time' };
const strings: Schema = { type: 'array', items: str };
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
const mapOf = (values: Schema): Schema => ({ type: 'object', additionalProperties: values });
/**
 * An AWS enumeration the model decides by: closed in the schema, so a value AWS adds later is
 * kept as it came (an UnexpectedAnswer error, see tolerate.ts) and the facts built from it are
 * unknown; a plain string in TypeScript, so the model's code keeps its own check of the value.
 */
const awsEnum = (...values: string[]): Schema => ({ enum: values, tsType: [...values.map((v) => `'${v}'`), 'string'].join(' | ') });
/** The doc comment of a type or field (a JSON Schema `description`). */
const doc = (description: string, schema: Schema): Schema => ({ ...schema, description });
/** An inline object that gets its own named TypeScript type. */
const named = (title: string, schema: Schema): Schema => ({ title, ...schema });

/**
 * Definitions whose TypeScript type is written elsewhere (contracts every stage reads, the
 * log-integrity verifier's report): the schema validates them, the types name the existing type.
 */
const TYPE_DEFINED_ELSEWHERE: Record<string, string> = { ApiError: 'ApiError' };

function ref(name: string): Schema {
  const tsType = TYPE_DEFINED_ELSEWHERE[name];
  return tsType ? { $ref: `#/$defs/${name}`, tsType } : { $ref: `#/$defs/${name}` };
}

/** trailproof's own objects: every field known. */
function strict(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, required, additionalProperties: false };
}

/** An AWS answer: the fields trailproof reads are typed, others are kept as AWS sent them. */
function aws(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, required };
}

/** The TypeScript spelling of a Fetched value: a named definition, a list of one, or a string. */
function typeName(schema: Schema): string {
  if (typeof schema.tsType === 'string') return schema.tsType;
  if (typeof schema.title === 'string') return schema.title;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/$defs/', '');
    return (defs[name]?.title as string | undefined) ?? name;
  }
  if (schema.type === 'array') return `${typeName(schema.items as Schema)}[]`;
  if (schema.type === 'string') return 'string';
  throw new Error(`fetched(): give this value a $defs entry so its TypeScript type has a name: ${JSON.stringify(schema)}`);
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

/** The TypeScript of the envelope above (json-schema-to-typescript has no generics); written into types.ts. */
export const FETCHED_TYPESCRIPT = `/**
 * The answer to one call (or one paginated series of calls).
 * \`value: null\` with \`absent\` records a documented "nothing configured" answer
 * (e.g. NoSuchLifecycleConfiguration): that is knowledge, not an error.
 * An error with \`answer\` (code UnexpectedAnswer) is an answer whose shape was not the expected
 * one: kept as it came, as evidence, while every fact built from it is unknown.
 */
export type Fetched<T> =
  | { value: T; absent?: undefined; error?: undefined }
  | { value: null; absent: string; error?: undefined }
  | { value?: undefined; absent?: undefined; error: ApiError; answer?: unknown };
`;

const skippedAccount = strict({ accountId: nonEmpty, reason: nonEmpty }, ['accountId', 'reason']);
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
    { Id: nonEmpty, Arn: str, MasterAccountId: nonEmpty, MasterAccountEmail: str, FeatureSet: doc('ALL or CONSOLIDATED_BILLING.', nonEmpty) },
    ['Id', 'MasterAccountId', 'FeatureSet'],
  ),
  Root: aws(
    {
      Id: nonEmpty,
      Arn: str,
      Name: str,
      PolicyTypes: arrayOf(
        named(
          'PolicyTypeSummary',
          aws(
            { Type: doc('SERVICE_CONTROL_POLICY, ...', nonEmpty), Status: doc('ENABLED, PENDING_ENABLE or PENDING_DISABLE.', nonEmpty) },
            ['Type', 'Status'],
          ),
        ),
      ),
    },
    ['Id', 'PolicyTypes'],
  ),
  OrganizationalUnit: aws(
    {
      Id: nonEmpty,
      Arn: str,
      Name: str,
      ParentId: doc('Id of the root or OU this OU sits in (from ListOrganizationalUnitsForParent).', nonEmpty),
    },
    ['Id', 'Name', 'ParentId'],
  ),
  OrgAccount: aws(
    {
      Id: nonEmpty,
      Arn: str,
      Name: str,
      Email: str,
      Status: doc('ACTIVE, SUSPENDED or PENDING_CLOSURE.', nonEmpty),
      State: str,
      JoinedMethod: str,
      JoinedTimestamp: awsTimestamp,
      ParentId: doc('Id of the root or OU the account sits in (from ListAccountsForParent / ListParents).', nonEmpty),
      Tags: arrayOf(ref('Tag')),
    },
    ['Id', 'Name', 'Status', 'ParentId'],
  ),
  PolicyTarget: aws(
    { TargetId: nonEmpty, Arn: str, Name: str, Type: doc('ROOT, ORGANIZATIONAL_UNIT or ACCOUNT.', nonEmpty) },
    ['TargetId', 'Type'],
  ),
  ServiceControlPolicy: doc(
    'One service control policy, read once: ListPolicies → DescribePolicy + ListTargetsForPolicy.',
    aws(
      {
        Id: nonEmpty,
        Arn: str,
        Name: str,
        Description: str,
        AwsManaged: bool,
        Content: doc('The policy document as AWS returned it: a JSON string.', fetched(str)),
        Targets: fetched(arrayOf(ref('PolicyTarget'))),
      },
      ['Id', 'Name', 'Content', 'Targets'],
    ),
  ),

  // ---- CloudTrail ----
  Trail: doc(
    'One element of DescribeTrails.trailList.',
    aws(
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
    DataResources: arrayOf(named('DataResource', aws({ Type: nonEmpty, Values: strings }, ['Type', 'Values']))),
    ExcludeManagementEventSources: strings,
  }),
  AdvancedEventSelector: aws(
    {
      Name: str,
      FieldSelectors: arrayOf(
        named(
          'AdvancedFieldSelector',
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
      ),
    },
    ['FieldSelectors'],
  ),
  TrailEventSelectors: doc('GetEventSelectors: one of the two lists is present, never both.', {
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
  }),
  InsightSelector: aws({ InsightType: nonEmpty }, ['InsightType']),
  TrailDetail: doc(
    'What was read about one trail, once, in its home region, by its ARN.',
    strict(
      {
        TrailARN: nonEmpty,
        status: fetched(ref('TrailStatus')),
        eventSelectors: fetched(ref('TrailEventSelectors')),
        insightSelectors: fetched(arrayOf(ref('InsightSelector'))),
      },
      ['TrailARN', 'status', 'eventSelectors'],
    ),
  ),
  EventDataStore: doc(
    'GetEventDataStore (CloudTrail Lake).',
    aws(
      {
        EventDataStoreArn: nonEmpty,
        Name: str,
        Status: doc('ENABLED, CREATED, STOPPED_INGESTION, PENDING_DELETION, ...', str),
        MultiRegionEnabled: bool,
        OrganizationEnabled: bool,
        RetentionPeriod: doc('Days.', int),
        TerminationProtectionEnabled: bool,
        KmsKeyId: str,
        BillingMode: str,
        AdvancedEventSelectors: arrayOf(ref('AdvancedEventSelector')),
      },
      ['EventDataStoreArn'],
    ),
  ),
  LogGroup: aws(
    { logGroupName: nonEmpty, arn: str, retentionInDays: doc('Absent: never expires.', int) },
    ['logGroupName'],
  ),
  RegionRecord: doc(
    'What one account answered in one region.',
    strict(
      {
        region: nonEmpty,
        trails: doc('DescribeTrails with shadow trails included.', fetched(arrayOf(ref('Trail')))),
        eventDataStores: doc('ListEventDataStores + GetEventDataStore for each.', fetched(arrayOf(ref('EventDataStore')))),
        logGroups: doc(
          'CloudWatch Logs groups that trails deliver to (DescribeLogGroups), keyed by log group ARN.',
          mapOf(fetched(ref('LogGroup'))),
        ),
        detective: doc(
          'Detective controls on trail tampering; absent in snapshots collected without them (read as "not read").',
          ref('DetectiveRegionRecord'),
        ),
      },
      ['region', 'trails'],
    ),
  ),

  // ---- detective controls (per account and region) ----
  DetectiveRegionRecord: doc(
    'Who would notice a tampered trail, as read in one account and region. Each part is optional so a ' +
      'collection that skipped it (or an older snapshot) reads as "not read", which the model turns ' +
      'into an unknown fact, never a pass.',
    strict({
      metricFilters: doc(
        'CloudWatch Logs DescribeMetricFilters, keyed by the name of a log group a trail delivers to in this region.',
        mapOf(fetched(arrayOf(ref('MetricFilter')))),
      ),
      metricAlarms: doc(
        'CloudWatch DescribeAlarms (or DescribeAlarmsForMetric per filter metric, de-duplicated by AlarmArn).',
        fetched(arrayOf(ref('MetricAlarm'))),
      ),
      topicSubscriptions: doc(
        'SNS ListSubscriptionsByTopic, keyed by each topic ARN an alarm action names.',
        mapOf(fetched(arrayOf(ref('TopicSubscription')))),
      ),
      eventRules: doc('EventBridge ListRules on the default event bus.', fetched(arrayOf(ref('EventRule')))),
      ruleTargets: doc(
        'EventBridge ListTargetsByRule, keyed by rule name (rules with an event pattern).',
        mapOf(fetched(arrayOf(ref('RuleTarget')))),
      ),
      guardDutyDetectors: doc('GuardDuty ListDetectors, then GetDetector for each.', fetched(arrayOf(ref('GuardDutyDetector')))),
      tamperHistory: doc('CloudTrail LookupEvents, one query per event name over the window.', ref('TamperHistoryInputs')),
    }),
  ),
  MetricFilter: doc(
    'CloudWatch Logs DescribeMetricFilters: one filter.',
    aws(
      {
        filterName: nonEmpty,
        logGroupName: str,
        filterPattern: str,
        metricTransformations: arrayOf(
          aws(
            { metricName: nonEmpty, metricNamespace: nonEmpty, metricValue: str, dimensions: mapOf(str) },
            ['metricName', 'metricNamespace'],
          ),
        ),
      },
      ['filterName', 'logGroupName', 'metricTransformations'],
    ),
  ),
  MetricAlarm: doc(
    'CloudWatch DescribeAlarms (AlarmTypes MetricAlarm): the fields the model reads.',
    aws(
      {
        AlarmName: nonEmpty,
        AlarmArn: str,
        Namespace: str,
        MetricName: str,
        Dimensions: arrayOf(aws({ Name: str, Value: str }, ['Name', 'Value'])),
        Metrics: doc(
          'Metric-math alarms name their metrics here instead of Namespace/MetricName.',
          arrayOf(aws({ Id: str, MetricStat: aws({ Metric: aws({ Namespace: str, MetricName: str }) }) }, ['Id'])),
        ),
        ActionsEnabled: bool,
        AlarmActions: strings,
        StateValue: str,
      },
      ['AlarmName'],
    ),
  ),
  TopicSubscription: doc(
    'SNS ListSubscriptionsByTopic: one subscription (SubscriptionArn is "PendingConfirmation" until confirmed).',
    aws({ SubscriptionArn: nonEmpty, Protocol: str, Endpoint: str, TopicArn: str }, ['SubscriptionArn']),
  ),
  EventRule: doc(
    'EventBridge ListRules (EventBusName "default"): one rule.',
    aws(
      {
        Name: nonEmpty,
        Arn: str,
        EventPattern: doc('JSON text; absent on schedule-only rules.', str),
        State: doc('ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS.', str),
        EventBusName: str,
        ScheduleExpression: str,
        ManagedBy: str,
      },
      ['Name'],
    ),
  ),
  RuleTarget: doc('EventBridge ListTargetsByRule: one target.', aws({ Id: nonEmpty, Arn: nonEmpty }, ['Id', 'Arn'])),
  GuardDutyDetector: doc(
    'ListDetectors, then GetDetector for each id.',
    aws(
      {
        DetectorId: nonEmpty,
        Status: doc("GetDetector's Status (ENABLED, DISABLED); absent when GetDetector failed (then `error` says why).", str),
        error: ref('ApiError'),
      },
      ['DetectorId'],
    ),
  ),
  GuardDutyOrganizationConfiguration: doc(
    "GuardDuty DescribeOrganizationConfiguration, read in the delegated administrator's account.",
    aws(
      {
        AdminAccountId: nonEmpty,
        AutoEnableOrganizationMembers: doc('NEW, ALL or NONE (the current field).', str),
        AutoEnable: doc('The older boolean, still returned.', bool),
      },
      ['AdminAccountId'],
    ),
  ),
  LookedUpEvent: doc(
    'CloudTrail LookupEvents: one event (CloudTrailEvent is the record as JSON text).',
    aws(
      { EventId: nonEmpty, EventName: nonEmpty, EventTime: awsTimestamp, Username: str, CloudTrailEvent: str },
      ['EventId', 'EventName', 'EventTime'],
    ),
  ),
  TamperHistoryInputs: doc(
    "One region's management-event history: one LookupEvents query per event name (LookupAttributes takes one attribute).",
    strict(
      {
        window: strict({ start: isoTime, end: isoTime }, ['start', 'end']),
        events: mapOf(fetched(arrayOf(ref('LookedUpEvent')))),
      },
      ['window', 'events'],
    ),
  ),

  // ---- S3 ----
  BucketListing: aws({ Name: nonEmpty, CreationDate: awsTimestamp, BucketRegion: str }, ['Name']),
  PublicAccessBlock: aws({ BlockPublicAcls: bool, IgnorePublicAcls: bool, BlockPublicPolicy: bool, RestrictPublicBuckets: bool }),
  // Enumerations the model decides by are closed: a value AWS adds later is kept as it came and
  // makes the facts built from it unknown, rather than being read as "not COMPLIANCE", "not Enabled".
  ObjectLockConfiguration: aws({
    ObjectLockEnabled: awsEnum('Enabled'),
    Rule: aws({ DefaultRetention: aws({ Mode: awsEnum('GOVERNANCE', 'COMPLIANCE'), Days: int, Years: int }) }),
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
      Status: awsEnum('Enabled', 'Disabled'),
      Filter: ref('LifecycleFilter'),
      Prefix: doc('Legacy top-level prefix.', str),
      Expiration: aws({ Days: int, Date: awsTimestamp, ExpiredObjectDeleteMarker: bool }),
      NoncurrentVersionExpiration: aws({ NoncurrentDays: int, NewerNoncurrentVersions: int }),
      Transitions: arrayOf(aws({ Days: int, Date: awsTimestamp, StorageClass: str })),
      NoncurrentVersionTransitions: arrayOf(aws({ NoncurrentDays: int, StorageClass: str })),
    },
    ['Status'],
  ),
  BucketVersioning: aws({
    Status: doc('Absent: never enabled.', awsEnum('Enabled', 'Suspended')),
    MFADelete: awsEnum('Enabled', 'Disabled'),
  }),
  BucketEncryption: aws(
    {
      Rules: arrayOf(
        aws({
          ApplyServerSideEncryptionByDefault: aws({ SSEAlgorithm: awsEnum('AES256', 'aws:kms', 'aws:kms:dsse'), KMSMasterKeyID: str }, ['SSEAlgorithm']),
          BucketKeyEnabled: bool,
        }),
      ),
    },
    ['Rules'],
  ),
  BucketLogging: aws({ LoggingEnabled: aws({ TargetBucket: nonEmpty, TargetPrefix: str }, ['TargetBucket']) }),
  BucketPolicyStatus: doc('GetBucketPolicyStatus.', aws({ IsPublic: bool }, ['IsPublic'])),
  BucketRecord: doc(
    "What was read about one bucket, with its owner's credentials. Only `region` and `tags` are " +
      'read for every bucket; the rest only for buckets that matter (trail destinations, PII candidates).',
    strict(
      {
        Name: nonEmpty,
        region: fetched(nonEmpty),
        tags: fetched(arrayOf(ref('Tag'))),
        objectLock: fetched(ref('ObjectLockConfiguration')),
        lifecycle: fetched(arrayOf(ref('LifecycleRule'))),
        versioning: fetched(ref('BucketVersioning')),
        publicAccessBlock: fetched(ref('PublicAccessBlock')),
        policyStatus: fetched(ref('BucketPolicyStatus')),
        policy: doc('The bucket policy JSON string.', fetched(str)),
        encryption: fetched(ref('BucketEncryption')),
        logging: fetched(ref('BucketLogging')),
      },
      ['Name', 'region', 'tags'],
    ),
  ),

  // ---- the two kinds of line ----
  SnapshotHeader: strict(
    {
      format: { const: SNAPSHOT_FORMAT },
      version: { const: SNAPSHOT_VERSION },
      tool: strict({ name: nonEmpty, version: nonEmpty }, ['name', 'version']),
      collectedAt: doc('When collection started (ISO-8601, UTC). Reports take their times from here.', isoTime),
      source: doc('How the snapshot came to be: "aws", "demo", "synthetic", or a user label.', nonEmpty),
      partition: doc('"aws", "aws-us-gov", "aws-cn".', nonEmpty),
      scope: named(
        'SnapshotScope',
        strict(
          {
            regions: doc('Regions the collector was asked to read ("all enabled" is resolved to the list read).', strings),
            accountIds: doc('Accounts selected for reading, in the order of the account lines.', strings),
            skipped: arrayOf({ ...skippedAccount, tsType: 'SkippedAccount' }),
            shard: doc('Set when this snapshot is one shard of a larger scan: "K/N".', { type: 'string', pattern: '^[1-9][0-9]*/[1-9][0-9]*$' }),
          },
          ['regions', 'accountIds', 'skipped'],
        ),
      ),
      organization: fetched(ref('Organization')),
      roots: fetched(arrayOf(ref('Root'))),
      organizationalUnits: fetched(arrayOf(ref('OrganizationalUnit'))),
      accounts: fetched(arrayOf(ref('OrgAccount'))),
      policies: fetched(arrayOf(ref('ServiceControlPolicy'))),
      errors: doc('Errors not tied to one account line (e.g. ListRoots). Per-account errors live inline.', arrayOf(ref('ApiError'))),
      logIntegrity: doc('Present when the collection verified the CloudTrail digest chains (scan --verify-logs).', ref('LogIntegrityRun')),
      guardDutyOrganization: doc(
        "GuardDuty's organization configuration per region, read from the delegated administrator (detective controls).",
        mapOf(fetched(ref('GuardDutyOrganizationConfiguration'))),
      ),
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
      access: doc(
        'Set when the account could not be entered at all (AssumeRole denied, ...): every fact is unknown.',
        strict({ error: ref('ApiError') }, ['error']),
      ),
      regions: arrayOf(ref('RegionRecord')),
      trailDetails: doc('Details of the trails this account owns (home region reads), keyed by TrailARN.', mapOf(ref('TrailDetail'))),
      buckets: doc('ListBuckets.', fetched(arrayOf(ref('BucketListing')))),
      bucketDetails: doc('Per bucket owned by this account, keyed by bucket name.', mapOf(ref('BucketRecord'))),
      accountPublicAccessBlock: doc('S3 Control GetPublicAccessBlock for the account.', fetched(ref('PublicAccessBlock'))),
      enabledRegions: doc(
        'Regions enabled for this account, when read (account:ListRegions, else ec2:DescribeRegions).',
        fetched(strings),
      ),
      enabledRegionsSource: doc(
        'The call that gave `enabledRegions`; absent in snapshots written before it was recorded (account:ListRegions).',
        { enum: ['account:ListRegions', 'ec2:DescribeRegions'] },
      ),
      logIntegrity: doc(
        "The digest-chain verification of this account's logs, one per trail × region (with header.logIntegrity).",
        arrayOf(ref('LogIntegrityReport')),
      ),
    },
    ['accountId', 'regions', 'trailDetails'],
  ),

  // ---- log integrity (verify-logs; the verifier is src/collect/integrity, its other contracts src/snapshot/log-integrity.ts) ----
  LogIntegrityWindow: named('VerifyWindow', strict({ from: doc('ISO-8601, inclusive.', isoTime), to: doc('ISO-8601, exclusive.', isoTime) }, ['from', 'to'])),
  LogIntegrityRun: doc(
    'How the log-integrity verification recorded in this snapshot was run.',
    strict(
      {
        verifiedAt: isoTime,
        window: ref('LogIntegrityWindow'),
        hashLogs: doc('all | none | sample:N', { type: 'string', pattern: '^(all|none|sample:[1-9][0-9]*)$' }),
        sampleSeed: str,
        maxDigestAgeHours: { type: 'number', exclusiveMinimum: 0 },
      },
      ['verifiedAt', 'window', 'hashLogs', 'maxDigestAgeHours'],
    ),
  ),
  LogIntegrityReport: named(
    'TrailRegionReport',
    strict(
      {
        target: named(
          'IntegrityTarget',
          doc(
            "One trail's delivery into one region's digest chain, for one account.",
            strict(
              {
                trailArn: nonEmpty,
                trailName: nonEmpty,
                accountId: doc('The account whose logs these are (a member account for an organization trail).', nonEmpty),
                region: nonEmpty,
                bucket: nonEmpty,
                keyPrefix: doc("The trail's S3KeyPrefix, without the trailing slash; empty when none.", str),
                organizationId: doc('Set for organization trails: their objects sit under AWSLogs/<org-id>/<account>/.', str),
              },
              ['trailArn', 'trailName', 'accountId', 'region', 'bucket', 'keyPrefix'],
            ),
          ),
        ),
        window: ref('LogIntegrityWindow'),
        outcome: named('IntegrityOutcome', { enum: ['verified', 'failed', 'incomplete'] }),
        digests: strict(
          {
            expected: int,
            found: int,
            signatureValid: int,
            chained: int,
            missing: int,
            restarts: doc('Chains that start inside the window after StopLogging/StartLogging (not breaks).', strings),
          },
          ['expected', 'found', 'signatureValid', 'chained', 'missing', 'restarts'],
        ),
        logs: strict(
          {
            listed: int,
            hashed: int,
            valid: int,
            modified: int,
            missing: int,
            unreadable: int,
            presentNotHashed: doc('Present in the listing, not hashed (sampling or --hash-logs none).', int),
            unlisted: int,
            bytesHashed: int,
          },
          ['listed', 'hashed', 'valid', 'modified', 'missing', 'unreadable', 'presentNotHashed', 'unlisted', 'bytesHashed'],
        ),
        newestDigest: strict({ key: str, endTime: str, ageHours: { type: 'number' }, latestDigestDeliveryTime: str, latestDigestDeliveryError: str }),
        findings: doc(
          'Integrity problems, in hour order; the first one is the evidence a report leads with.',
          arrayOf(
            named(
              'Finding',
              strict(
                {
                  kind: named('FindingKind', {
                    ...nonEmpty,
                    tsType: FINDING_KINDS.map((kind) => `'${kind}'`).join(' | '),
                  }),
                  object: doc('The S3 key of the object concerned (bucket-relative); for a missing digest, the key expected.', str),
                  hour: doc("The digest hour (digestStartTime) or the log file's time, ISO.", str),
                  detail: str,
                },
                ['kind', 'object', 'hour', 'detail'],
              ),
            ),
          ),
        ),
        unreadable: doc(
          'What could not be read: the reason the outcome is incomplete.',
          arrayOf(
            named(
              'ReadFailure',
              strict(
                {
                  operation: doc('"s3:GetObject", "s3:ListObjectsV2", "cloudtrail:ListPublicKeys", "kms:Decrypt"...', nonEmpty),
                  code: nonEmpty,
                  message: str,
                  object: str,
                  accountId: str,
                  region: str,
                },
                ['operation', 'code', 'message'],
              ),
            ),
          ),
        ),
      },
      ['target', 'window', 'outcome', 'digests', 'logs', 'newestDigest', 'findings', 'unreadable'],
    ),
  ),
};

/** A deep copy without the `tsType` hints (a JSON Schema validator in strict mode rejects unknown keywords). */
function withoutTypeHints(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutTypeHints);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== 'tsType')
      .map(([key, value]) => [key, withoutTypeHints(value)]),
  );
}

/** The whole published schema: one line of a snapshot is either a header or an account record. */
export function snapshotSchema(): Schema {
  return withoutTypeHints({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SNAPSHOT_SCHEMA_ID,
    title: 'trailproof snapshot v1 (one JSON line)',
    description:
      'A trailproof snapshot is JSON Lines: line 1 is a SnapshotHeader, every further line one AccountRecord. ' +
      'Generated from src/snapshot/schema-source.ts; see docs/snapshot-format.md.',
    anyOf: [ref('SnapshotHeader'), ref('AccountRecord')],
    $defs: defs,
  }) as Schema;
}

/** The published file's exact text. */
export function snapshotSchemaText(): string {
  return JSON.stringify(snapshotSchema(), null, 2) + '\n';
}

/**
 * A deep copy where a node with a `tsType` or a `$ref` keeps only its type name and description:
 * the generator then names every definition itself, in this file's order, and a field's
 * description stays on the field instead of making a copy of the type it refers to.
 */
function typeHintsOnly(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(typeHintsOnly);
  if (node === null || typeof node !== 'object') return node;
  const { tsType, $ref, title, description } = node as Schema;
  const name =
    typeof tsType === 'string' ? tsType
    : $ref === '#/$defs/Fetched' ? `Fetched<${typeName(((node as { then: { properties: { value: Schema } } }).then.properties.value))}>`
    : typeof $ref === 'string' ? typeName(node as Schema)
    : undefined;
  if (name !== undefined) return { tsType: name, ...(title === undefined ? {} : { title }), ...(description === undefined ? {} : { description }) };
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, typeHintsOnly(value)]));
}

/**
 * The input of the TypeScript generator: a whole snapshot (header + account lines) over the same
 * definitions, with the `tsType` hints, and without the definitions whose type is written elsewhere.
 */
export function snapshotTypeSource(): Schema {
  const own = Object.fromEntries(Object.entries(defs).filter(([name]) => name !== 'Fetched' && !(name in TYPE_DEFINED_ELSEWHERE)));
  return {
    title: 'Snapshot',
    description: 'A whole snapshot in memory: the header line and every account line.',
    ...(typeHintsOnly(strict({ header: ref('SnapshotHeader'), accounts: arrayOf(ref('AccountRecord')) }, ['header', 'accounts'])) as Schema),
    $defs: typeHintsOnly(own),
  };
}

/**
 * The definitions whose TypeScript type is written elsewhere, as the generator would write them,
 * keyed by the name of that type, so types.ts can have the compiler compare the two.
 */
export function typesDefinedElsewhere(): Record<string, Schema> {
  return {
    ...Object.fromEntries(Object.entries(TYPE_DEFINED_ELSEWHERE).map(([def, tsName]) => [tsName, typeHintsOnly(defs[def]) as Schema])),
    SkippedAccount: skippedAccount,
  };
}

export const SNAPSHOT_SCHEMA_FILE = fileURLToPath(new URL('../../schemas/snapshot-v1.schema.json', import.meta.url));
