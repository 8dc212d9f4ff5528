/**
 * Facts for `cloudtrail-changes-alarmed` (CIS 4.5 / 5.5): would a tampering call recorded by the
 * trail reach a person? The chain is: the trail delivers to a CloudWatch Logs group → a metric
 * filter on that group matches the call → its metric (namespace + name) has an alarm → the alarm's
 * actions are enabled and go to an SNS topic → the topic has a confirmed subscription.
 *
 * Pure functions over the snapshot's detective-control shapes (src/snapshot/types.ts).
 */
import { known, unknownBecause, type Known } from './known.ts';
import { allTrue, anyTrue } from './known-logic.ts';
import { unknownReason } from './model-index.ts';
import { metricFilterCoverage, type ActionCoverage } from './tamper-coverage.ts';
import { TAMPER_ACTIONS, type TamperAction } from './tamper-events.ts';
import type { Fetched, MetricFilter, MetricAlarm, TopicSubscription } from '../snapshot/types.ts';

export type { MetricFilter, MetricAlarm, TopicSubscription };

/** What one account answered in the region of a trail's log group. */
export interface AlarmRegionInputs {
  /** DescribeMetricFilters per log group name. */
  metricFilters: Record<string, Fetched<MetricFilter[]>>;
  /** DescribeAlarms, all metric alarms of the region (undefined: not read). */
  metricAlarms: Fetched<MetricAlarm[]> | undefined;
  /** ListSubscriptionsByTopic per topic ARN named by an alarm action. */
  topicSubscriptions: Record<string, Fetched<TopicSubscription[]>>;
}

// ---------- facts ----------

export interface TopicFacts {
  topicArn: string;
  confirmedSubscriptions: Known<number>;
}

export interface AlarmFacts {
  alarmName: string;
  actionsEnabled: boolean;
  /** The SNS topics among the alarm actions (other actions, such as Auto Scaling, notify no one). */
  topics: TopicFacts[];
  /** Enabled actions reach a topic with a confirmed subscription. */
  notifies: Known<boolean>;
}

export interface MetricFacts {
  namespace: string;
  name: string;
  alarms: Known<AlarmFacts[]>;
}

export interface FilterFacts {
  filterName: string;
  filterPattern: string;
  coverage: ActionCoverage[];
  metrics: MetricFacts[];
}

export interface TrailAlarmFacts {
  /** Null when the trail has no CloudWatch Logs delivery (then nothing can be alarmed). */
  logGroupName: string | null;
  filters: FilterFacts[];
  /** Per action: caught by some filter whose metric has an alarm that notifies someone. */
  alarmed: { action: TamperAction; alarmed: Known<boolean> }[];
}

/** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (with or without `:*`) → region and name. */
export function parseLogGroupArn(arn: string): { region: string; name: string } | undefined {
  const match = /^arn:[^:]+:logs:([^:]+):\d*:log-group:(.+?)(:\*)?$/.exec(arn);
  return match ? { region: match[1]!, name: match[2]! } : undefined;
}

/**
 * The alarm chain for one trail. `logGroupArn` is the trail's CloudWatchLogsLogGroupArn;
 * `regions` holds what the trail's account answered per region.
 */
export function trailAlarmFacts(logGroupArn: string | null, regions: Readonly<Record<string, AlarmRegionInputs>>, actions: readonly TamperAction[] = TAMPER_ACTIONS): Known<TrailAlarmFacts> {
  if (!logGroupArn) return known({ logGroupName: null, filters: [], alarmed: actions.map((action) => ({ action, alarmed: known(false) })) });
  const group = parseLogGroupArn(logGroupArn);
  if (!group) return unknownBecause(`the trail's log group ARN ${logGroupArn} is not a CloudWatch Logs log-group ARN`);
  const inputs = regions[group.region];
  if (!inputs) return unknownBecause(`region ${group.region} of log group ${group.name} was not read`);
  const fetched = inputs.metricFilters[group.name];
  const missing = unknownReason(fetched, `logs:DescribeMetricFilters for ${group.name}`);
  if (missing !== undefined) return unknownBecause(missing);
  const filters = (fetched!.value ?? [])
    .filter((f) => f.logGroupName === group.name)
    .map((filter) => filterFacts(filter, inputs, actions));
  return known({ logGroupName: group.name, filters, alarmed: actions.map((action) => ({ action, alarmed: alarmedBy(action, filters) })) });
}

function filterFacts(filter: MetricFilter, inputs: AlarmRegionInputs, actions: readonly TamperAction[]): FilterFacts {
  const filterPattern = filter.filterPattern ?? '';
  return {
    filterName: filter.filterName,
    filterPattern,
    coverage: metricFilterCoverage(filterPattern, actions),
    metrics: filter.metricTransformations.map((t) => ({
      namespace: t.metricNamespace,
      name: t.metricName,
      alarms: alarmsOn(t.metricNamespace, t.metricName, t.dimensions, inputs),
    })),
  };
}

function alarmsOn(namespace: string, name: string, dimensions: Record<string, string> | undefined, inputs: AlarmRegionInputs): Known<AlarmFacts[]> {
  const missing = unknownReason(inputs.metricAlarms, 'cloudwatch:DescribeAlarms');
  if (missing !== undefined) return unknownBecause(missing);
  const watching = (inputs.metricAlarms!.value ?? []).filter((a) => a.Namespace === namespace && a.MetricName === name);
  const viaMath = (inputs.metricAlarms!.value ?? []).find((a) => a.Metrics?.some((m) => m.MetricStat?.Metric?.Namespace === namespace && m.MetricStat.Metric.MetricName === name));
  if (viaMath) return unknownBecause(`alarm ${viaMath.AlarmName} watches ${namespace}/${name} through metric math, which is not judged`);
  if (dimensions && Object.keys(dimensions).length > 0 && watching.length > 0) {
    // The filter publishes one series per dimension value; which of them an alarm watches depends on values we cannot enumerate.
    return unknownBecause(`metric ${namespace}/${name} is published with dimensions (${Object.keys(dimensions).join(', ')}), which are not judged`);
  }
  // Without dimensions on the filter, only an alarm without dimensions watches the series the filter publishes.
  return known(watching.filter((a) => (a.Dimensions ?? []).length === 0).map((alarm) => alarmFacts(alarm, inputs)));
}

function alarmFacts(alarm: MetricAlarm, inputs: AlarmRegionInputs): AlarmFacts {
  const actionsEnabled = alarm.ActionsEnabled !== false;
  const topics = (alarm.AlarmActions ?? [])
    .filter((arn) => arn.split(':')[2] === 'sns')
    .map((topicArn) => ({ topicArn, confirmedSubscriptions: confirmed(topicArn, inputs) }));
  return { alarmName: alarm.AlarmName, actionsEnabled, topics, notifies: notifies(actionsEnabled, topics) };
}

function confirmed(topicArn: string, inputs: AlarmRegionInputs): Known<number> {
  const fetched = inputs.topicSubscriptions[topicArn];
  const missing = unknownReason(fetched, `sns:ListSubscriptionsByTopic for ${topicArn}`);
  if (missing !== undefined) return unknownBecause(missing);
  if (fetched!.value === null) return known(0);
  return known(fetched!.value!.filter((s) => s.SubscriptionArn.startsWith('arn:')).length);
}

function notifies(actionsEnabled: boolean, topics: TopicFacts[]): Known<boolean> {
  if (!actionsEnabled) return known(false);
  return anyTrue(topics.map((t) => (t.confirmedSubscriptions.value === undefined ? unknownBecause<boolean>(t.confirmedSubscriptions.reason) : known(t.confirmedSubscriptions.value > 0))));
}

/** An action is alarmed when one filter both catches it and feeds an alarm that notifies. */
function alarmedBy(action: TamperAction, filters: FilterFacts[]): Known<boolean> {
  return anyTrue(
    filters.flatMap((filter) => {
      const caught = filter.coverage.find((c) => c.action === action)!.caught;
      return filter.metrics.map(({ alarms }) => allTrue([caught, alarms.value === undefined ? unknownBecause<boolean>(alarms.reason) : anyTrue(alarms.value.map((a) => a.notifies))]));
    }),
  );
}
