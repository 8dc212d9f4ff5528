/**
 * The detective controls of the synthetic organization, derived from it deterministically: one
 * CIS-style metric filter on every trail log group that exists, an alarm on its metric notifying a
 * topic of the same account with one confirmed subscription, an EventBridge rule on the tampering
 * calls in the management account's home region, an ENABLED GuardDuty detector in every
 * account-region, no delegated GuardDuty administrator, and a quiet event history. The simulated
 * AWS answers from it (installSimulatedDetective) and the generator writes the same blocks
 * (detectiveBlocks), so the collect benchmark still compares the two line by line.
 */
import { DescribeAlarmsCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand, ListOrganizationAdminAccountsCommand } from '@aws-sdk/client-guardduty';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { logGroupName } from '../../src/collect/trails.ts';
import { TAMPER_HISTORY_EVENT_NAMES } from '../../src/snapshot/tamper-history-names.ts';
import type { DetectiveRegionRecord, EventRule, Fetched, GuardDutyOrganizationConfiguration, MetricAlarm, MetricFilter, RegionRecord, RuleTarget, TopicSubscription } from '../../src/snapshot/types.ts';
import { HOME_REGION, type SimAccount, type SyntheticOrg } from './generate-org.ts';

const CIS_PATTERN = '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }';
const NAMESPACE = 'CloudTrailMetrics';
const METRIC = 'CloudTrailChanges';
const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 90;

const topicArn = (accountId: string, region: string) => `arn:aws:sns:${region}:${accountId}:trail-alerts`;

/** Log groups of this account in `region` (their ARN names the region). */
const groupsIn = (sim: SimAccount, region: string) => sim.logGroups.filter((g) => g.arn.split(':')[3] === region);

function filtersOf(logGroup: string): MetricFilter[] {
  return [{ filterName: 'CloudTrailChanges', logGroupName: logGroup, filterPattern: CIS_PATTERN, metricTransformations: [{ metricName: METRIC, metricNamespace: NAMESPACE, metricValue: '1' }] }];
}

function alarmsOf(sim: SimAccount, region: string): MetricAlarm[] {
  if (groupsIn(sim, region).length === 0) return [];
  const id = sim.account.Id;
  return [{ AlarmName: 'cloudtrail-changes', AlarmArn: `arn:aws:cloudwatch:${region}:${id}:alarm:cloudtrail-changes`, Namespace: NAMESPACE, MetricName: METRIC, Dimensions: [], ActionsEnabled: true, AlarmActions: [topicArn(id, region)], StateValue: 'OK' }];
}

function subscriptionsOf(arn: string): TopicSubscription[] {
  return [{ SubscriptionArn: `${arn}:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`, Protocol: 'email', TopicArn: arn }];
}

function rulesOf(org: SyntheticOrg, sim: SimAccount, region: string): (EventRule & { targets: RuleTarget[] })[] {
  if (sim.account.Id !== org.managementId || region !== HOME_REGION) return [];
  const id = sim.account.Id;
  return [{
    Name: 'trail-tampering', Arn: `arn:aws:events:${region}:${id}:rule/trail-tampering`, State: 'ENABLED', EventBusName: 'default',
    EventPattern: JSON.stringify({ source: ['aws.cloudtrail'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventSource: ['cloudtrail.amazonaws.com'] } }),
    targets: [{ Id: 'alerts', Arn: topicArn(id, region) }],
  }];
}

const detectorId = (sim: SimAccount, region: string) => `d${sim.account.Id}${region.replace(/-/g, '')}`;

/** What the collector writes for one entered account: the blocks it reads, region by region. */
export function detectiveBlocks(org: SyntheticOrg, sim: SimAccount, regions: RegionRecord[]): void {
  const end = new Date(org.collectedAt);
  const window = { start: new Date(end.getTime() - HISTORY_DAYS * DAY_MS).toISOString(), end: end.toISOString() };
  for (const record of regions) {
    const rules = rulesOf(org, sim, record.region);
    const block: DetectiveRegionRecord = {
      eventRules: { value: rules.map(({ targets: _, ...rule }) => rule) },
      ruleTargets: Object.fromEntries(rules.map((r) => [r.Name, { value: r.targets }])),
      guardDutyDetectors: { value: [{ DetectorId: detectorId(sim, record.region), Status: 'ENABLED' }] },
      tamperHistory: { window, events: Object.fromEntries(TAMPER_HISTORY_EVENT_NAMES.map((name) => [name, { value: [] }])) },
    };
    record.detective = block;
  }
  // The alarm chain lands on the log group's region, as the collector puts it.
  const byRegion = new Map<string, Set<string>>();
  for (const record of regions) {
    for (const t of record.trails.value ?? []) {
      if (t.TrailARN.split(':')[4] !== sim.account.Id || t.HomeRegion !== record.region || !t.CloudWatchLogsLogGroupArn) continue;
      const region = t.CloudWatchLogsLogGroupArn.split(':')[3] || t.HomeRegion;
      byRegion.set(region, (byRegion.get(region) ?? new Set()).add(logGroupName(t.CloudWatchLogsLogGroupArn)));
    }
  }
  for (const [region, names] of byRegion) {
    const record = regions.find((r) => r.region === region) ?? regions[0]!;
    const existing = new Set(groupsIn(sim, region).map((g) => g.logGroupName));
    const metricFilters: Record<string, Fetched<MetricFilter[]>> = Object.fromEntries(
      [...names].sort().map((name) => [name, existing.has(name) ? { value: filtersOf(name) } : { value: null, absent: 'ResourceNotFoundException' }]),
    );
    const d = record.detective!;
    d.metricFilters = metricFilters;
    if (Object.values(metricFilters).some((f) => (f.value ?? []).length > 0)) {
      const alarms = alarmsOf(sim, region);
      d.metricAlarms = { value: alarms };
      d.topicSubscriptions = Object.fromEntries(alarms.flatMap((a) => a.AlarmActions ?? []).map((arn) => [arn, { value: subscriptionsOf(arn) }]));
    }
  }
}

/** The header's GuardDuty organization configuration: no delegated administrator in any region. */
export function guardDutyOrganization(regions: readonly string[]): Record<string, Fetched<GuardDutyOrganizationConfiguration>> {
  return Object.fromEntries(regions.map((r) => [r, { value: null, absent: 'NoDelegatedAdministrator' }]));
}

type Input = Record<string, unknown>;
type Caller = { sim: SimAccount; region: string };

type Handlers = Record<string, [command: new (input: never) => object, handler: (caller: Caller, input: Input) => unknown]>;
type Mock = (clientClass: unknown, family: never, service: string, handlers: Handlers) => void;
type AwsError = (name: string, message: string, status: number) => Error;

/** Added to the simulated CloudWatch Logs client's handlers. */
export function detectiveLogsHandlers(awsError: AwsError): Handlers {
  return {
    DescribeMetricFilters: [DescribeMetricFiltersCommand, (c, input) => {
      const name = String(input.logGroupName);
      if (!groupsIn(c.sim, c.region).some((g) => g.logGroupName === name)) throw awsError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
      return { metricFilters: filtersOf(name).map((f) => ({ ...f, creationTime: 1_700_000_000_000 })) };
    }],
  };
}

/** Added to the simulated CloudTrail client's handlers: a quiet history (its quota is its own, see simulated-aws.ts). */
export function detectiveCloudTrailHandlers(): Handlers {
  return { LookupEvents: [LookupEventsCommand, () => ({ Events: [] })] };
}

/** The four clients only the detective controls use, through SimulatedAws's own mock (latency, quotas, counts). */
export function installSimulatedDetective(org: SyntheticOrg, mock: Mock): void {
  const family = (f: string) => f as never;
  mock(CloudWatchClient, family('cloudwatch'), 'cloudwatch', {
    DescribeAlarms: [DescribeAlarmsCommand, (c) => ({ MetricAlarms: alarmsOf(c.sim, c.region).map((a) => ({ ...a, Statistic: 'Sum', Period: 300, EvaluationPeriods: 1, Threshold: 1 })), CompositeAlarms: [] })],
  });
  mock(SNSClient, family('sns'), 'sns', {
    ListSubscriptionsByTopic: [ListSubscriptionsByTopicCommand, (_c, input) => ({ Subscriptions: subscriptionsOf(String(input.TopicArn)).map((s) => ({ ...s, Owner: s.TopicArn!.split(':')[4], Endpoint: 'soc@example.com' })) })],
  });
  mock(EventBridgeClient, family('events'), 'events', {
    ListRules: [ListRulesCommand, (c) => ({ Rules: rulesOf(org, c.sim, c.region).map(({ targets: _, ...rule }) => rule) })],
    ListTargetsByRule: [ListTargetsByRuleCommand, (c, input) => ({ Targets: rulesOf(org, c.sim, c.region).find((r) => r.Name === input.Rule)?.targets ?? [] })],
  });
  mock(GuardDutyClient, family('guardduty'), 'guardduty', {
    ListDetectors: [ListDetectorsCommand, (c) => ({ DetectorIds: [detectorId(c.sim, c.region)] })],
    GetDetector: [GetDetectorCommand, () => ({ Status: 'ENABLED', FindingPublishingFrequency: 'SIX_HOURS', CreatedAt: '2024-01-01T00:00:00.000Z' })],
    ListOrganizationAdminAccounts: [ListOrganizationAdminAccountsCommand, () => ({ AdminAccounts: [] })],
  });
}
