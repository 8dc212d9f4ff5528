/**
 * The detective controls of the synthetic organization, derived from it deterministically: one
 * CIS-style metric filter on every trail log group that exists, an alarm on its metric notifying a
 * topic of the same account with one confirmed subscription, an EventBridge rule on the tampering
 * calls in the management account's home region, an ENABLED GuardDuty detector in every
 * account-region, no delegated GuardDuty administrator, and a quiet event history. The simulated
 * AWS answers from it (syntheticDetectiveWorld, the world's `detective`) and the generator writes the same blocks
 * (detectiveBlocks), so the collect benchmark still compares the two line by line.
 */
import { logGroupName } from '../../src/collect/trails.ts';
import { TAMPER_HISTORY_EVENT_NAMES } from '../../src/snapshot/tamper-history-names.ts';
import type { DetectiveRegionRecord, Fetched, GuardDutyOrganizationConfiguration, MetricFilter, RegionRecord, TopicSubscription } from '../../src/snapshot/types.ts';
import { detectiveIn, emptyDetectiveWorld, type DetectiveWorld, type WorldAlarm, type WorldMetricFilter, type WorldRule } from '../fixtures/world/detective.ts';
import { HOME_REGION, type SimAccount, type SyntheticOrg } from './generate-org.ts';

const CIS_PATTERN = '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }';
const NAMESPACE = 'CloudTrailMetrics';
const METRIC = 'CloudTrailChanges';
const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 90;

const topicArn = (accountId: string, region: string) => `arn:aws:sns:${region}:${accountId}:trail-alerts`;

/** Log groups of this account in `region` (their ARN names the region). */
const groupsIn = (sim: SimAccount, region: string) => sim.logGroups.filter((g) => g.arn.split(':')[3] === region);

function filtersOf(logGroup: string): WorldMetricFilter[] {
  return [{ filterName: 'CloudTrailChanges', logGroupName: logGroup, filterPattern: CIS_PATTERN, metricTransformations: [{ metricName: METRIC, metricNamespace: NAMESPACE, metricValue: '1' }] }];
}

function alarmsOf(sim: SimAccount, region: string): WorldAlarm[] {
  if (groupsIn(sim, region).length === 0) return [];
  const id = sim.account.Id;
  return [{ AlarmName: 'cloudtrail-changes', AlarmArn: `arn:aws:cloudwatch:${region}:${id}:alarm:cloudtrail-changes`, Namespace: NAMESPACE, MetricName: METRIC, Dimensions: [], ActionsEnabled: true, AlarmActions: [topicArn(id, region)], StateValue: 'OK' }];
}

function subscriptionsOf(arn: string): TopicSubscription[] {
  return [{ SubscriptionArn: `${arn}:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`, Protocol: 'email', TopicArn: arn }];
}

function rulesOf(org: Pick<SyntheticOrg, 'managementId'>, sim: SimAccount, region: string): WorldRule[] {
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

/**
 * The header's GuardDuty organization configuration: no delegated administrator in any region the
 * management account has enabled; in an opt-in region it has not, GuardDuty refuses its credentials
 * (what the world answers), and the collector keeps that refusal.
 */
export function guardDutyOrganization(management: SimAccount, regions: readonly string[]): Record<string, Fetched<GuardDutyOrganizationConfiguration>> {
  return Object.fromEntries(
    regions.map((region) => [
      region,
      management.enabledRegions.includes(region)
        ? { value: null, absent: 'NoDelegatedAdministrator' }
        : { error: { operation: 'guardduty:ListOrganizationAdminAccounts', code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.', accountId: management.account.Id, region } },
    ]),
  );
}

/**
 * The same controls as world data (../fixtures/world/detective.ts), which every transport answers
 * from: a filter on every log group, an alarm where the account has log groups, the tampering rule,
 * a detector in every enabled region, no delegated administrator, a quiet history.
 */
export function syntheticDetectiveWorld(org: Pick<SyntheticOrg, 'accounts' | 'managementId'>): DetectiveWorld {
  const world = emptyDetectiveWorld();
  for (const sim of org.accounts) {
    const id = sim.account.Id;
    for (const region of sim.enabledRegions) {
      const here = detectiveIn(world, id, region);
      here.detector = { DetectorId: detectorId(sim, region), Status: 'ENABLED' };
      const groups = groupsIn(sim, region);
      if (groups.length > 0) {
        here.metricFilters = Object.fromEntries(groups.map((g) => [g.logGroupName, filtersOf(g.logGroupName).map((f) => ({ ...f, creationTime: 1_700_000_000_000 }))]));
        const alarms = alarmsOf(sim, region);
        here.alarms = alarms.map((a) => ({ ...a, Statistic: 'Sum', Period: 300, EvaluationPeriods: 1, Threshold: 1 }));
        for (const arn of alarms.flatMap((a) => a.AlarmActions ?? [])) {
          world.subscriptions[arn] = subscriptionsOf(arn).map((sub) => ({ SubscriptionArn: sub.SubscriptionArn!, Owner: id, Protocol: sub.Protocol!, Endpoint: 'soc@example.com', TopicArn: arn }));
        }
      }
      const rules = rulesOf(org, sim, region);
      if (rules.length > 0) here.rules = rules;
    }
  }
  return world;
}
