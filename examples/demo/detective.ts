/**
 * The demo's detective controls on trail tampering (issue 14), one story per rule:
 *
 * - cloudtrail-changes-alarmed: org-trail's log group has a filter on the CloudTrail changes, an
 *   alarm and a confirmed SNS subscriber (PASS). data-prod's trail delivers to CloudWatch Logs with
 *   the CIS benchmark's filter, which does not match PutEventSelectors (FAIL). analytics-dev's
 *   write trail delivers too, but DescribeMetricFilters was throttled (ERROR). The other trails do
 *   not deliver to CloudWatch Logs (FAIL, saying so), or record no write management events (N/A).
 * - cloudtrail-changes-eventbridge: the management account and payments-prod alert from the home
 *   region of their trails (PASS); web-dev's rule is DISABLED, data-prod's `anything-but` leaves
 *   out StopLogging, sandbox-alice's rule is in us-east-1 while its trail lives in us-west-2,
 *   ml-research's rule has no target (FAIL); analytics-dev's ListRules was denied in eu-west-1
 *   (ERROR). Accounts that own no trail are NOT_APPLICABLE.
 * - guardduty-enabled: a detector everywhere, except web-dev (suspended in us-west-2),
 *   sandbox-alice (none in eu-west-1) and ml-research (ListDetectors denied in us-west-2, ERROR);
 *   the organization does not auto-enable new members in eu-west-1 (the management account FAILs).
 * - cloudtrail-tamper-history: the intruder of stopped-organization-trail.ts first tried
 *   StopLogging in payments-prod, where the SCP refused it (listed), then stopped org-trail from
 *   the management account, where SCPs do not apply (FAIL with who, when, from where, and the gap
 *   to the collection, which every account relying on org-trail shares); web-dev's own trail was
 *   stopped by its deploy role on 14 October; data-prod's own trail kept logging (PASS);
 *   analytics-dev's history in eu-west-1 was throttled (ERROR).
 */
import { createHash } from 'node:crypto';
import type { DetectiveRegionRecord, EventRule, GuardDutyDetector, LookedUpEvent, MetricFilter, SnapshotHeader } from '../../src/snapshot/types.ts';
import { DEMO_ACCOUNTS as A, DEMO_COLLECTED_AT, MANAGEMENT, ORG_ID, ORG_TRAIL_ARN } from './accounts.ts';
import { apiError, failed, ok, trailArn, type DemoOrg } from './builder.ts';
import { ORG_TRAIL_STOPPED_AT } from './stopped-organization-trail.ts';

const WINDOW = { start: '2026-08-04T09:00:00.000Z', end: DEMO_COLLECTED_AT };
const HISTORY_NAMES = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors', 'DeleteEventDataStore', 'StopEventDataStoreIngestion', 'StartLogging', 'CreateTrail'];
const ORG_LOG_GROUP = `aws-cloudtrail-logs-${ORG_ID}`;
const SECURITY_TOPIC = `arn:aws:sns:us-east-1:${MANAGEMENT}:security-alerts`;

const TAMPER_PATTERN = JSON.stringify({
  source: ['aws.cloudtrail'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: { eventSource: ['cloudtrail.amazonaws.com'], eventName: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'] },
});

export function addDemoDetective(demo: DemoOrg): void {
  for (const record of demo.records) {
    if (record.access) continue; // sandbox-bob: nothing could be read
    for (const region of demo.regions) demo.region(record.accountId, region).detective = baseline(record.accountId, region);
  }
  addAlarmChains(demo);
  addEventRules(demo);
  addGuardDutyCases(demo);
  addTamperHistory(demo);
  demo.header.guardDutyOrganization = guardDutyOrganization(demo.regions);
}

/** What a quiet account answers: no filters or alarms, no rules, GuardDuty on, an empty history. */
function baseline(accountId: string, region: string): DetectiveRegionRecord {
  return {
    metricFilters: {},
    metricAlarms: ok([]),
    topicSubscriptions: {},
    eventRules: ok([]),
    ruleTargets: {},
    guardDutyDetectors: ok([detector(accountId, region, 'ENABLED')]),
    tamperHistory: { window: WINDOW, events: Object.fromEntries(HISTORY_NAMES.map((name) => [name, ok<LookedUpEvent[]>([])])) },
  };
}

const detectiveOf = (demo: DemoOrg, accountId: string, region: string): DetectiveRegionRecord => demo.region(accountId, region).detective!;

// ---------- cloudtrail-changes-alarmed ----------

function addAlarmChains(demo: DemoOrg): void {
  const management = detectiveOf(demo, MANAGEMENT, 'us-east-1');
  management.metricFilters = {
    [ORG_LOG_GROUP]: ok([
      filter(ORG_LOG_GROUP, 'cloudtrail-tampering', '{ ($.eventSource = cloudtrail.amazonaws.com) && (($.eventName = StopLogging) || ($.eventName = DeleteTrail) || ($.eventName = UpdateTrail) || ($.eventName = PutEventSelectors)) }', 'Security', 'CloudTrailTampering'),
      filter(ORG_LOG_GROUP, 'root-usage', '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }', 'Security', 'RootUsage'),
    ]),
  };
  management.metricAlarms = ok([alarm(MANAGEMENT, 'cloudtrail-tampering', 'Security', 'CloudTrailTampering', [SECURITY_TOPIC]), alarm(MANAGEMENT, 'root-usage', 'Security', 'RootUsage', [SECURITY_TOPIC])]);
  management.topicSubscriptions = {
    [SECURITY_TOPIC]: ok([
      { SubscriptionArn: `${SECURITY_TOPIC}:7d3c1e52-9a4f-4b8e-a1d6-3f0c2b9e8d71`, Protocol: 'email', Endpoint: 'soc@acme.example', TopicArn: SECURITY_TOPIC },
      { SubscriptionArn: 'PendingConfirmation', Protocol: 'email', Endpoint: 'new-hire@acme.example', TopicArn: SECURITY_TOPIC },
    ]),
  };

  // data-prod followed the CIS benchmark to the letter: its pattern has no PutEventSelectors.
  const dataGroup = 'data-prod-cloudtrail';
  deliverToCloudWatchLogs(demo, trailArn('eu-west-1', A.dataProd, 'data-prod-trail'), A.dataProd, 'eu-west-1', dataGroup, 180);
  const dataProd = detectiveOf(demo, A.dataProd, 'eu-west-1');
  const dataTopic = `arn:aws:sns:eu-west-1:${A.dataProd}:data-security`;
  dataProd.metricFilters = {
    [dataGroup]: ok([
      filter(dataGroup, 'cis-4.5-cloudtrail-changes', '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }', 'CISBenchmark', 'CloudTrailChanges'),
    ]),
  };
  dataProd.metricAlarms = ok([alarm(A.dataProd, 'cis-4.5-cloudtrail-changes', 'CISBenchmark', 'CloudTrailChanges', [dataTopic], 'eu-west-1')]);
  dataProd.topicSubscriptions = { [dataTopic]: ok([{ SubscriptionArn: `${dataTopic}:0b6e4f3a-2c1d-4e5f-9a8b-7c6d5e4f3a2b`, Protocol: 'email', Endpoint: 'data-oncall@acme.example' }]) };

  // analytics-dev delivers its write trail too, but the filters could not be read.
  const analyticsGroup = 'analytics-write-trail';
  deliverToCloudWatchLogs(demo, trailArn('us-east-1', A.analyticsDev, 'analytics-write-trail'), A.analyticsDev, 'us-east-1', analyticsGroup, 30);
  detectiveOf(demo, A.analyticsDev, 'us-east-1').metricFilters = {
    [analyticsGroup]: failed(apiError('logs:DescribeMetricFilters', 'ThrottlingException', 'Rate exceeded', A.analyticsDev, 'us-east-1')),
  };
}

/** Sets CloudWatchLogsLogGroupArn on every copy of a trail (home and shadows) and records the group in its home region. */
function deliverToCloudWatchLogs(demo: DemoOrg, arn: string, owner: string, home: string, groupName: string, retentionInDays: number): void {
  const groupArn = `arn:aws:logs:${home}:${owner}:log-group:${groupName}:*`;
  for (const record of demo.records) {
    for (const region of record.regions) {
      for (const trail of region.trails.value ?? []) {
        if (trail.TrailARN !== arn) continue;
        trail.CloudWatchLogsLogGroupArn = groupArn;
        trail.CloudWatchLogsRoleArn = `arn:aws:iam::${owner}:role/CloudTrailRoleForCloudWatchLogs`;
      }
    }
  }
  const bare = groupArn.slice(0, -2);
  demo.region(owner, home).logGroups = { ...demo.region(owner, home).logGroups, [groupArn]: ok({ logGroupName: groupName, arn: bare, retentionInDays }) };
}

function filter(logGroupName: string, filterName: string, filterPattern: string, metricNamespace: string, metricName: string): MetricFilter {
  return { filterName, logGroupName, filterPattern, metricTransformations: [{ metricName, metricNamespace, metricValue: '1' }] };
}

function alarm(accountId: string, name: string, namespace: string, metric: string, actions: string[], region = 'us-east-1') {
  return {
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`,
    Namespace: namespace,
    MetricName: metric,
    Dimensions: [],
    ActionsEnabled: true,
    AlarmActions: actions,
    StateValue: 'OK',
  };
}

// ---------- cloudtrail-changes-eventbridge ----------

function addEventRules(demo: DemoOrg): void {
  const rule = (accountId: string, region: string, Name: string, EventPattern: string, State = 'ENABLED'): EventRule => ({
    Name,
    Arn: `arn:aws:events:${region}:${accountId}:rule/${Name}`,
    EventPattern,
    State,
    EventBusName: 'default',
  });
  const set = (accountId: string, region: string, rules: EventRule[], targets: Record<string, string[]>) => {
    const d = detectiveOf(demo, accountId, region);
    d.eventRules = ok(rules);
    d.ruleTargets = Object.fromEntries(Object.entries(targets).map(([name, arns]) => [name, ok(arns.map((Arn, i) => ({ Id: `target-${i + 1}`, Arn })))]));
  };
  const siemBus = `arn:aws:events:us-east-1:${A.audit}:event-bus/security-hub`;

  set(MANAGEMENT, 'us-east-1', [rule(MANAGEMENT, 'us-east-1', 'cloudtrail-tampering', TAMPER_PATTERN)], { 'cloudtrail-tampering': [SECURITY_TOPIC] });
  set(A.paymentsProd, 'us-east-1', [rule(A.paymentsProd, 'us-east-1', 'forward-cloudtrail-changes', TAMPER_PATTERN)], { 'forward-cloudtrail-changes': [siemBus] });
  // Disabled during a deploy freeze and never turned back on.
  set(A.webDev, 'us-east-1', [rule(A.webDev, 'us-east-1', 'cloudtrail-tampering', TAMPER_PATTERN, 'DISABLED')], { 'cloudtrail-tampering': [siemBus] });
  // The nightly job toggles logging, so someone filtered its calls out, StopLogging with them.
  const quieter = JSON.stringify({
    source: ['aws.cloudtrail'],
    detail: { eventSource: ['cloudtrail.amazonaws.com'], eventName: [{ 'anything-but': ['StopLogging', 'StartLogging', 'LookupEvents', 'DescribeTrails', 'GetTrailStatus'] }] },
  });
  set(A.dataProd, 'eu-west-1', [rule(A.dataProd, 'eu-west-1', 'cloudtrail-changes-quiet', quieter)], { 'cloudtrail-changes-quiet': [`arn:aws:sns:eu-west-1:${A.dataProd}:data-security`] });
  // A complete rule, in the wrong region: the sandbox trail lives in us-west-2.
  set(A.sandboxAlice, 'us-east-1', [rule(A.sandboxAlice, 'us-east-1', 'cloudtrail-tampering', TAMPER_PATTERN)], { 'cloudtrail-tampering': [siemBus] });
  // Created from a template whose target step failed.
  set(A.mlResearch, 'us-west-2', [rule(A.mlResearch, 'us-west-2', 'cloudtrail-tampering', TAMPER_PATTERN)], { 'cloudtrail-tampering': [] });
  set(A.analyticsDev, 'us-east-1', [rule(A.analyticsDev, 'us-east-1', 'cloudtrail-tampering', TAMPER_PATTERN)], { 'cloudtrail-tampering': [siemBus] });
  detectiveOf(demo, A.analyticsDev, 'eu-west-1').eventRules = failed(
    apiError('events:ListRules', 'AccessDeniedException', `User: arn:aws:sts::${A.analyticsDev}:assumed-role/TrailproofReadOnly/trailproof is not authorized to perform: events:ListRules with an explicit deny in a service control policy`, A.analyticsDev, 'eu-west-1'),
  );
}

// ---------- guardduty-enabled ----------

function detector(accountId: string, region: string, Status: string): GuardDutyDetector {
  // Detector ids are 32 hex characters; stable per account and region.
  return { DetectorId: createHash('md5').update(`${accountId}/${region}`).digest('hex'), Status };
}

function addGuardDutyCases(demo: DemoOrg): void {
  detectiveOf(demo, A.webDev, 'us-west-2').guardDutyDetectors = ok([detector(A.webDev, 'us-west-2', 'DISABLED')]);
  detectiveOf(demo, A.sandboxAlice, 'eu-west-1').guardDutyDetectors = ok([]);
  detectiveOf(demo, A.mlResearch, 'us-west-2').guardDutyDetectors = failed(
    apiError('guardduty:ListDetectors', 'AccessDeniedException', `User: arn:aws:sts::${A.mlResearch}:assumed-role/TrailproofReadOnly/trailproof is not authorized to perform: guardduty:ListDetectors with an explicit deny in a service control policy`, A.mlResearch, 'us-west-2'),
  );
}

function guardDutyOrganization(regions: string[]): NonNullable<SnapshotHeader['guardDutyOrganization']> {
  return Object.fromEntries(regions.map((region) => [region, ok({ AdminAccountId: A.audit, AutoEnableOrganizationMembers: region === 'eu-west-1' ? 'NONE' : 'ALL', AutoEnable: region !== 'eu-west-1' })]));
}

// ---------- cloudtrail-tamper-history ----------

interface Caller {
  type: string;
  arn: string;
  ip: string;
  agent: string;
}

function lookedUp(id: string, name: string, time: string, caller: Caller, request: Record<string, string>, errorCode?: string): LookedUpEvent {
  const record = {
    eventVersion: '1.09',
    userIdentity: { type: caller.type, arn: caller.arn },
    eventTime: time.replace('.000Z', 'Z'),
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: name,
    sourceIPAddress: caller.ip,
    userAgent: caller.agent,
    requestParameters: request,
    ...(errorCode ? { errorCode, errorMessage: 'with an explicit deny in a service control policy' } : { responseElements: null }),
    eventID: id,
  };
  return { EventId: id, EventName: name, EventTime: time, Username: caller.arn.slice(caller.arn.lastIndexOf('/') + 1), CloudTrailEvent: JSON.stringify(record) };
}

function addTamperHistory(demo: DemoOrg): void {
  const events = (accountId: string, region: string) => detectiveOf(demo, accountId, region).tamperHistory!.events;

  const deployer: Caller = { type: 'AssumedRole', arn: `arn:aws:sts::${A.webDev}:assumed-role/web-dev-deployer/gh-actions-7731`, ip: '20.29.134.18', agent: 'aws-cli/2.17.4 md/command#cloudtrail.stop-logging' };
  const webDevTrail = trailArn('us-east-1', A.webDev, 'web-dev-trail');
  events(A.webDev, 'us-east-1').StopLogging = ok([lookedUp('5d0f7c1a-3b2e-4f9d-8a6c-1e2d3c4b5a69', 'StopLogging', '2026-10-14T17:42:08.000Z', deployer, { name: webDevTrail })]);

  // The intruder first tries from the payments batch host, where the SCP refuses it, then pivots
  // into the management account, where SCPs do not apply, and stops the organization trail.
  const intruder: Caller = { type: 'AssumedRole', arn: `arn:aws:sts::${A.paymentsProd}:assumed-role/payments-batch/i-0a1b2c3d4e5f67890`, ip: '10.40.12.7', agent: 'Boto3/1.34.2 Python/3.12.1' };
  events(A.paymentsProd, 'us-east-1').StopLogging = ok([
    lookedUp('f1e2d3c4-b5a6-4978-8a1b-2c3d4e5f6a7b', 'StopLogging', '2026-11-02T08:31:12.000Z', intruder, { name: ORG_TRAIL_ARN }, 'AccessDenied'),
  ]);
  const pivot: Caller = { type: 'AssumedRole', arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/OrganizationAccountAccessRole/i-0a1b2c3d4e5f67890`, ip: '203.0.113.77', agent: 'Boto3/1.34.2 Python/3.12.1' };
  events(MANAGEMENT, 'us-east-1').StopLogging = ok([lookedUp('8a4e2b1c-6d7f-4e3a-9b2c-5f1e0d9c8b7a', 'StopLogging', ORG_TRAIL_STOPPED_AT, pivot, { name: 'org-trail' })]);

  events(A.analyticsDev, 'eu-west-1').PutEventSelectors = failed(apiError('cloudtrail:LookupEvents', 'ThrottlingException', 'Rate exceeded', A.analyticsDev, 'eu-west-1'));
}
