/** Detective controls (per account and region): metric filters, alarms, subscriptions, EventBridge rules, GuardDuty, the event history. Part of the snapshot schema's one source (../schema-source.ts). */
import { arrayOf, aws, awsTimestamp, bool, doc, fetched, isoTime, mapOf, nonEmpty, ref, type Schema, str, strict, strings } from './vocabulary.ts';

export const DETECTIVE: Record<string, Schema> = {
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
};
