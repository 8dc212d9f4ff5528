import { DescribeAlarmsCommand, type DescribeAlarmsCommandOutput, type MetricAlarm as SdkMetricAlarm } from '@aws-sdk/client-cloudwatch';
import { DescribeMetricFiltersCommand, type DescribeMetricFiltersCommandOutput, type MetricFilter as SdkMetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { ListSubscriptionsByTopicCommand, type ListSubscriptionsByTopicCommandOutput, type Subscription } from '@aws-sdk/client-sns';
import type { Fetched, MetricAlarm, MetricFilter, RegionRecord, TopicSubscription } from '../../snapshot/types.ts';
import { paginate, plain, toFetched } from '../fetch.ts';
import type { AccountSession } from '../session.ts';
import { logGroupName, ownedTrailsIn } from '../trails.ts';
import { detectiveOf, sortedBy } from './region-record.ts';

/**
 * The alarm chain of the trails this account owns: the metric filters on each trail's CloudWatch
 * Logs group, the metric alarms of that group's region, and the subscriptions of the SNS topics
 * the alarms on those filters' metrics notify. Everything lands on the log group's region record.
 *
 * Calls grow with what exists: DescribeMetricFilters per log group a trail delivers to;
 * DescribeAlarms once (and pages of 100) per region where such a group has a metric filter —
 * fewer calls than DescribeAlarmsForMetric per filter metric (a CIS set alone is 14 metrics), and
 * it also returns the metric-math alarms that use the metric, which DescribeAlarmsForMetric leaves
 * out; ListSubscriptionsByTopic per distinct SNS topic those alarms name.
 */
export async function readAlarmChains(session: AccountSession, records: readonly RegionRecord[]): Promise<void> {
  const groupsByRegion = new Map<string, Set<string>>();
  for (const record of records) {
    for (const trail of ownedTrailsIn(session.accountId, record.region, record.trails)) {
      const arn = trail.CloudWatchLogsLogGroupArn;
      if (typeof arn !== 'string' || arn === '') continue;
      const region = arn.split(':')[3] || trail.HomeRegion;
      const name = logGroupName(arn);
      if (name === '') continue;
      groupsByRegion.set(region, (groupsByRegion.get(region) ?? new Set()).add(name));
    }
  }
  await Promise.all(
    [...groupsByRegion].map(async ([region, names]) => {
      // The same record the log group itself lands on (trails.ts), else the first trail home's.
      const record = records.find((r) => r.region === region) ?? records[0]!;
      Object.assign(detectiveOf(record), await readRegionChain(session, region, [...names].sort()));
    }),
  );
}

async function readRegionChain(session: AccountSession, region: string, groupNames: string[]) {
  const filters = await Promise.all(groupNames.map((name) => readMetricFilters(session, region, name)));
  const metricFilters = Object.fromEntries(groupNames.map((name, i) => [name, filters[i]!]));
  const metrics = new Set(filters.flatMap((f) => f.value ?? []).flatMap((f) => f.metricTransformations ?? []).map((t) => metricKey(t.metricNamespace, t.metricName)));
  if (metrics.size === 0) return { metricFilters };

  const metricAlarms = await readMetricAlarms(session, region);
  // Which topics matter is unknown then; the model says so from the alarms' error.
  if (metricAlarms.error) return { metricFilters, metricAlarms };
  const watching = (metricAlarms.value ?? []).filter((a) => metrics.has(metricKey(a.Namespace, a.MetricName)));
  const topics = [...new Set(watching.flatMap((a) => a.AlarmActions ?? []).filter(isSnsTopicArn))].sort();
  const subscriptions = await Promise.all(topics.map((arn) => readSubscriptions(session, arn)));
  return { metricFilters, metricAlarms, topicSubscriptions: Object.fromEntries(topics.map((arn, i) => [arn, subscriptions[i]!])) };
}

function metricKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}\u0000${name ?? ''}`;
}

function isSnsTopicArn(arn: string): boolean {
  return /^arn:[^:]+:sns:[^:]+:\d{12}:[^:]+$/.test(arn);
}

async function readMetricFilters(session: AccountSession, region: string, logGroupName: string): Promise<Fetched<MetricFilter[]>> {
  const outcome = await paginate<DescribeMetricFiltersCommandOutput, SdkMetricFilter>(
    session, 'logs', region,
    (nextToken) => new DescribeMetricFiltersCommand({ logGroupName, limit: 50, nextToken }),
    (o) => o.metricFilters, (o) => o.nextToken,
  );
  // A log group that does not exist has no filters: the trail's alarms are then absent, not unknown.
  return toFetched(outcome, (list) => sortedBy(list.map(metricFilter), (f) => String(f.filterName)), ['ResourceNotFoundException']);
}

async function readMetricAlarms(session: AccountSession, region: string): Promise<Fetched<MetricAlarm[]>> {
  const outcome = await paginate<DescribeAlarmsCommandOutput, SdkMetricAlarm>(
    session, 'cloudwatch', region,
    (NextToken) => new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], MaxRecords: 100, NextToken }),
    (o) => o.MetricAlarms, (o) => o.NextToken,
  );
  return toFetched(outcome, (list) => sortedBy(list.map(metricAlarm), (a) => `${a.AlarmName}\u0000${a.AlarmArn ?? ''}`));
}

/** What decides what the filter counts; creationTime and the like are left out. */
function metricFilter(f: SdkMetricFilter): MetricFilter {
  return plain<MetricFilter>({
    filterName: f.filterName,
    logGroupName: f.logGroupName,
    filterPattern: f.filterPattern,
    metricTransformations: f.metricTransformations,
    // A filter on transformed logs matches the transformer's output, not the CloudTrail record.
    applyOnTransformedLogs: f.applyOnTransformedLogs,
  });
}

/** The fields the model reads: an alarm carries thresholds, state history and more that no rule needs. */
function metricAlarm(a: SdkMetricAlarm): MetricAlarm {
  return plain<MetricAlarm>({
    AlarmName: a.AlarmName,
    AlarmArn: a.AlarmArn,
    Namespace: a.Namespace,
    MetricName: a.MetricName,
    Dimensions: a.Dimensions,
    Metrics: a.Metrics?.map((m) => ({
      Id: m.Id,
      ...(m.MetricStat ? { MetricStat: { Metric: { Namespace: m.MetricStat.Metric?.Namespace, MetricName: m.MetricStat.Metric?.MetricName } } } : {}),
    })),
    ActionsEnabled: a.ActionsEnabled,
    AlarmActions: a.AlarmActions,
    StateValue: a.StateValue,
  });
}

/**
 * Read in the topic's own region. A topic of another account usually answers AuthorizationError
 * (the SDK names it AuthorizationErrorException) to our role: recorded as the error (the model
 * makes it unknown), never as "no subscribers". A deleted topic answers NotFound: no subscribers.
 */
async function readSubscriptions(session: AccountSession, topicArn: string): Promise<Fetched<TopicSubscription[]>> {
  const outcome = await paginate<ListSubscriptionsByTopicCommandOutput, Subscription>(
    session, 'sns', topicArn.split(':')[3]!,
    (NextToken) => new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }),
    (o) => o.Subscriptions, (o) => o.NextToken,
  );
  // Endpoint (an e-mail address, a URL) is left out: whether someone is subscribed is what matters.
  return toFetched(
    outcome,
    (list) => sortedBy(list.map((s) => plain<TopicSubscription>({ SubscriptionArn: s.SubscriptionArn, Protocol: s.Protocol, TopicArn: s.TopicArn })), (s) => String(s.SubscriptionArn)),
    ['NotFoundException', 'NotFound'],
  );
}
