/** CloudTrail: trails, their status and selectors, event data stores, log groups, and what one account answered in one region. Part of the snapshot schema's one source (../schema-source.ts). */
import { arrayOf, aws, awsTimestamp, bool, doc, fetched, int, mapOf, named, nonEmpty, ref, type Schema, str, strict, strings } from './vocabulary.ts';

export const CLOUDTRAIL: Record<string, Schema> = {
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
};
