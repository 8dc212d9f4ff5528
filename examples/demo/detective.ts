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
import { detectiveIn, type WorldAlarm, type WorldEvent, type WorldMetricFilter, type WorldRule } from '../../test/fixtures/world/detective.ts';
import { DEMO_ACCOUNTS as A, DEMO_REGIONS, MANAGEMENT, ORG_ID, ORG_TRAIL_ARN } from './accounts.ts';
import { accountOf, addFault, denied, trailArn, trailOf, type DemoDraft } from './draft.ts';
import { ORG_TRAIL_STOPPED_AT } from './stopped-organization-trail.ts';

const ORG_LOG_GROUP = `aws-cloudtrail-logs-${ORG_ID}`;
const SECURITY_TOPIC = `arn:aws:sns:us-east-1:${MANAGEMENT}:security-alerts`;

const TAMPER_PATTERN = JSON.stringify({
  source: ['aws.cloudtrail'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: { eventSource: ['cloudtrail.amazonaws.com'], eventName: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'] },
});

export function addDemoDetective(draft: DemoDraft): void {
  addAlarmChains(draft);
  addEventRules(draft);
  addGuardDuty(draft);
  addTamperHistory(draft);
}

// ---------- cloudtrail-changes-alarmed ----------

function addAlarmChains(draft: DemoDraft): void {
  const d = draft.detective;
  const management = detectiveIn(d, MANAGEMENT, 'us-east-1');
  management.metricFilters = {
    [ORG_LOG_GROUP]: [
      filter(ORG_LOG_GROUP, 'cloudtrail-tampering', '{ ($.eventSource = cloudtrail.amazonaws.com) && (($.eventName = StopLogging) || ($.eventName = DeleteTrail) || ($.eventName = UpdateTrail) || ($.eventName = PutEventSelectors)) }', 'Security', 'CloudTrailTampering'),
      filter(ORG_LOG_GROUP, 'root-usage', '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }', 'Security', 'RootUsage'),
    ],
  };
  management.alarms = [alarm(MANAGEMENT, 'cloudtrail-tampering', 'Security', 'CloudTrailTampering', [SECURITY_TOPIC]), alarm(MANAGEMENT, 'root-usage', 'Security', 'RootUsage', [SECURITY_TOPIC])];
  d.subscriptions[SECURITY_TOPIC] = [
    { SubscriptionArn: `${SECURITY_TOPIC}:7d3c1e52-9a4f-4b8e-a1d6-3f0c2b9e8d71`, Owner: MANAGEMENT, Protocol: 'email', Endpoint: 'soc@acme.example', TopicArn: SECURITY_TOPIC },
    { SubscriptionArn: 'PendingConfirmation', Owner: MANAGEMENT, Protocol: 'email', Endpoint: 'new-hire@acme.example', TopicArn: SECURITY_TOPIC },
  ];

  // data-prod followed the CIS benchmark to the letter: its pattern has no PutEventSelectors.
  const dataGroup = 'data-prod-cloudtrail';
  deliverToCloudWatchLogs(draft, trailArn('eu-west-1', A.dataProd, 'data-prod-trail'), dataGroup, 180);
  const dataTopic = `arn:aws:sns:eu-west-1:${A.dataProd}:data-security`;
  const dataProd = detectiveIn(d, A.dataProd, 'eu-west-1');
  dataProd.metricFilters = {
    [dataGroup]: [filter(dataGroup, 'cis-4.5-cloudtrail-changes', '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }', 'CISBenchmark', 'CloudTrailChanges')],
  };
  dataProd.alarms = [alarm(A.dataProd, 'cis-4.5-cloudtrail-changes', 'CISBenchmark', 'CloudTrailChanges', [dataTopic], 'eu-west-1')];
  d.subscriptions[dataTopic] = [{ SubscriptionArn: `${dataTopic}:0b6e4f3a-2c1d-4e5f-9a8b-7c6d5e4f3a2b`, Owner: A.dataProd, Protocol: 'email', Endpoint: 'data-oncall@acme.example', TopicArn: dataTopic }];

  // analytics-dev delivers its write trail too, but the filters could not be read.
  const analyticsGroup = 'analytics-write-trail';
  deliverToCloudWatchLogs(draft, trailArn('us-east-1', A.analyticsDev, 'analytics-write-trail'), analyticsGroup, 30);
  detectiveIn(d, A.analyticsDev, 'us-east-1').metricFilters = { [analyticsGroup]: [] };
  addFault(draft, A.analyticsDev, { operation: 'logs:DescribeMetricFilters', region: 'us-east-1', code: 'ThrottlingException', message: 'Rate exceeded', httpStatusCode: 400 });
}

/** The trail delivers to a log group of its owner's home region too. */
function deliverToCloudWatchLogs(draft: DemoDraft, arn: string, groupName: string, retentionInDays: number): void {
  const entry = trailOf(draft, arn);
  const owner = arn.split(':')[4]!;
  const groupArn = `arn:aws:logs:${entry.trail.HomeRegion}:${owner}:log-group:${groupName}:*`;
  entry.trail.CloudWatchLogsLogGroupArn = groupArn;
  entry.trail.CloudWatchLogsRoleArn = `arn:aws:iam::${owner}:role/CloudTrailRoleForCloudWatchLogs`;
  accountOf(draft, owner).logGroups.push({ logGroupName: groupName, arn: groupArn, retentionInDays });
}

function filter(logGroupName: string, filterName: string, filterPattern: string, metricNamespace: string, metricName: string): WorldMetricFilter {
  return { filterName, logGroupName, filterPattern, metricTransformations: [{ metricName, metricNamespace, metricValue: '1' }] };
}

function alarm(accountId: string, name: string, namespace: string, metric: string, actions: string[], region = 'us-east-1'): WorldAlarm {
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

function addEventRules(draft: DemoDraft): void {
  const set = (accountId: string, region: string, Name: string, EventPattern: string, targets: string[], State = 'ENABLED') => {
    const rule: WorldRule = {
      Name,
      Arn: `arn:aws:events:${region}:${accountId}:rule/${Name}`,
      EventPattern,
      State,
      EventBusName: 'default',
      targets: targets.map((Arn, i) => ({ Id: `target-${i + 1}`, Arn })),
    };
    detectiveIn(draft.detective, accountId, region).rules = [rule];
  };
  const siemBus = `arn:aws:events:us-east-1:${A.audit}:event-bus/security-hub`;

  set(MANAGEMENT, 'us-east-1', 'cloudtrail-tampering', TAMPER_PATTERN, [SECURITY_TOPIC]);
  set(A.paymentsProd, 'us-east-1', 'forward-cloudtrail-changes', TAMPER_PATTERN, [siemBus]);
  // Disabled during a deploy freeze and never turned back on.
  set(A.webDev, 'us-east-1', 'cloudtrail-tampering', TAMPER_PATTERN, [siemBus], 'DISABLED');
  // The nightly job toggles logging, so someone filtered its calls out, StopLogging with them.
  const quieter = JSON.stringify({
    source: ['aws.cloudtrail'],
    detail: { eventSource: ['cloudtrail.amazonaws.com'], eventName: [{ 'anything-but': ['StopLogging', 'StartLogging', 'LookupEvents', 'DescribeTrails', 'GetTrailStatus'] }] },
  });
  set(A.dataProd, 'eu-west-1', 'cloudtrail-changes-quiet', quieter, [`arn:aws:sns:eu-west-1:${A.dataProd}:data-security`]);
  // A complete rule, in the wrong region: the sandbox trail lives in us-west-2.
  set(A.sandboxAlice, 'us-east-1', 'cloudtrail-tampering', TAMPER_PATTERN, [siemBus]);
  // Created from a template whose target step failed.
  set(A.mlResearch, 'us-west-2', 'cloudtrail-tampering', TAMPER_PATTERN, []);
  set(A.analyticsDev, 'us-east-1', 'cloudtrail-tampering', TAMPER_PATTERN, [siemBus]);
  addFault(draft, A.analyticsDev, {
    operation: 'events:ListRules',
    region: 'eu-west-1',
    code: 'AccessDeniedException',
    message: denied(A.analyticsDev, 'events:ListRules', ' with an explicit deny in a service control policy'),
    httpStatusCode: 400,
  });
}

// ---------- guardduty-enabled ----------

/** A detector everywhere but the exceptions; audit is the delegated administrator. */
function addGuardDuty(draft: DemoDraft): void {
  const d = draft.detective;
  for (const { account } of draft.accounts) {
    for (const region of DEMO_REGIONS) {
      if (account.Id === A.sandboxAlice && region === 'eu-west-1') continue; // no detector there
      const suspended = account.Id === A.webDev && region === 'us-west-2';
      // Detector ids are 32 hex characters; stable per account and region.
      detectiveIn(d, account.Id, region).detector = { DetectorId: createHash('md5').update(`${account.Id}/${region}`).digest('hex'), Status: suspended ? 'DISABLED' : 'ENABLED' };
    }
  }
  addFault(draft, A.mlResearch, {
    operation: 'guardduty:ListDetectors',
    region: 'us-west-2',
    code: 'AccessDeniedException',
    message: denied(A.mlResearch, 'guardduty:ListDetectors', ' with an explicit deny in a service control policy'),
    httpStatusCode: 403,
  });
  d.guardDutyAdmin = A.audit;
  for (const region of DEMO_REGIONS) d.autoEnable[region] = region === 'eu-west-1' ? 'NONE' : 'ALL';
}

// ---------- cloudtrail-tamper-history ----------

interface Caller {
  type: string;
  arn: string;
  ip: string;
  agent: string;
}

function lookedUp(id: string, name: string, time: string, caller: Caller, request: Record<string, string>, errorCode?: string): WorldEvent {
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
  return {
    EventId: id,
    EventName: name,
    EventTime: time,
    Username: caller.arn.slice(caller.arn.lastIndexOf('/') + 1),
    EventSource: 'cloudtrail.amazonaws.com',
    ReadOnly: 'false',
    CloudTrailEvent: JSON.stringify(record),
  };
}

function addTamperHistory(draft: DemoDraft): void {
  const history = (accountId: string, region: string, events: WorldEvent[]) => void (detectiveIn(draft.detective, accountId, region).events = events);
  const deployer: Caller = { type: 'AssumedRole', arn: `arn:aws:sts::${A.webDev}:assumed-role/web-dev-deployer/gh-actions-7731`, ip: '20.29.134.18', agent: 'aws-cli/2.17.4 md/command#cloudtrail.stop-logging' };
  const webDevTrail = trailArn('us-east-1', A.webDev, 'web-dev-trail');
  history(A.webDev, 'us-east-1', [lookedUp('5d0f7c1a-3b2e-4f9d-8a6c-1e2d3c4b5a69', 'StopLogging', '2026-10-14T17:42:08.000Z', deployer, { name: webDevTrail })]);

  // The intruder first tries from the payments batch host, where the SCP refuses it, then pivots
  // into the management account, where SCPs do not apply, and stops the organization trail.
  const intruder: Caller = { type: 'AssumedRole', arn: `arn:aws:sts::${A.paymentsProd}:assumed-role/payments-batch/i-0a1b2c3d4e5f67890`, ip: '10.40.12.7', agent: 'Boto3/1.34.2 Python/3.12.1' };
  history(A.paymentsProd, 'us-east-1', [lookedUp('f1e2d3c4-b5a6-4978-8a1b-2c3d4e5f6a7b', 'StopLogging', '2026-11-02T08:31:12.000Z', intruder, { name: ORG_TRAIL_ARN }, 'AccessDenied')]);
  const pivot: Caller = { type: 'AssumedRole', arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/OrganizationAccountAccessRole/i-0a1b2c3d4e5f67890`, ip: '203.0.113.77', agent: 'Boto3/1.34.2 Python/3.12.1' };
  history(MANAGEMENT, 'us-east-1', [lookedUp('8a4e2b1c-6d7f-4e3a-9b2c-5f1e0d9c8b7a', 'StopLogging', ORG_TRAIL_STOPPED_AT, pivot, { name: 'org-trail' })]);

  addFault(draft, A.analyticsDev, { operation: 'cloudtrail:LookupEvents', region: 'eu-west-1', target: 'PutEventSelectors', code: 'ThrottlingException', message: 'Rate exceeded', httpStatusCode: 400 });
}
