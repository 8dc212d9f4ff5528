import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Pacer, pacingOf } from '../../src/collect/pace.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { HISTORY_EVENT_NAMES } from '../../src/model/tamper-history.ts';
import { TAMPER_ACTIONS } from '../../src/model/tamper-events.ts';
import { TAMPER_HISTORY_EVENT_NAMES } from '../../src/snapshot/tamper-history-names.ts';
import type { AccountRecord, DetectiveRegionRecord } from '../../src/snapshot/types.ts';
import { writeSnapshot } from '../../src/snapshot/write.ts';
import { collect, COLLECTED_AT, testConfig } from '../fixtures/aws/collect-run.ts';
import { FakeAws } from '../fixtures/aws/fake-aws.ts';
import { AUDIT, AUDIT_TOPIC, defaultDetectiveWorld, MANAGEMENT, PROD, SECURITY_TOPIC, type DetectiveWorld } from '../fixtures/aws/detective-world.ts';

const DEFAULT_PACING = pacingOf(DEFAULT_CONFIG.collection);
let fake: FakeAws | undefined;
afterEach(() => fake?.restore());
const dir = mkdtempSync(join(tmpdir(), 'trailproof-detective-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const detectiveOf = (records: AccountRecord[], accountId: string, region: string): DetectiveRegionRecord | undefined =>
  records.find((r) => r.accountId === accountId)?.regions.find((r) => r.region === region)?.detective;

function world(change: (w: DetectiveWorld) => void): DetectiveWorld {
  const w = defaultDetectiveWorld();
  change(w);
  return w;
}

describe('detective controls in the snapshot', () => {
  it('follows the alarm chain of the trail log group: its filters only, all alarms of the region, the topics of alarms on filter metrics', async () => {
    fake = new FakeAws();
    const { records } = await collect();
    const d = detectiveOf(records, MANAGEMENT, 'us-east-1')!;
    expect(Object.keys(d.metricFilters!)).toEqual(['aws-cloudtrail-logs-org']); // app-logs: no trail delivers there
    expect(d.metricFilters!['aws-cloudtrail-logs-org']!.value!.map((f) => f.filterName)).toEqual(['CloudTrailChanges', 'RootUsage']);
    expect(d.metricFilters!['aws-cloudtrail-logs-org']!.value![0]!.metricTransformations).toEqual([{ metricName: 'CloudTrailEventCount', metricNamespace: 'CISBenchmark', metricValue: '1' }]);
    expect(d.metricAlarms!.value!.map((a) => a.AlarmName)).toEqual(['cloudtrail-changes', 'cpu-high']);
    // Only the fields the model reads: no thresholds, no timestamps.
    expect(d.metricAlarms!.value![0]).toEqual({
      AlarmName: 'cloudtrail-changes', AlarmArn: `arn:aws:cloudwatch:us-east-1:${MANAGEMENT}:alarm:cloudtrail-changes`, Namespace: 'CISBenchmark', MetricName: 'CloudTrailEventCount',
      Dimensions: [], ActionsEnabled: true, AlarmActions: [SECURITY_TOPIC, AUDIT_TOPIC], StateValue: 'OK',
    });
    expect(Object.keys(d.topicSubscriptions!).sort()).toEqual([AUDIT_TOPIC, SECURITY_TOPIC].sort());
    // The confirmed one and the pending one, without the subscribers' addresses.
    expect(d.topicSubscriptions![SECURITY_TOPIC]!.value!.map((s) => s.SubscriptionArn)).toEqual(['PendingConfirmation', `${SECURITY_TOPIC}:5f0b9c52-3c11-4c43-9e3f-0e5b0f1c2a11`]);
    expect(JSON.stringify(d.topicSubscriptions)).not.toContain('example.com');
    // Another account's topic: the refusal is the record, never "no subscribers".
    expect(d.topicSubscriptions![AUDIT_TOPIC]!.error).toMatchObject({ operation: 'sns:ListSubscriptionsByTopic', code: 'AuthorizationErrorException', accountId: MANAGEMENT, region: 'us-east-1' });
    // Other regions of the account hold no alarm chain: no trail log group is there.
    expect(detectiveOf(records, MANAGEMENT, 'eu-west-1')!.metricFilters).toBeUndefined();
  });

  it('EventBridge: every rule of the default bus, targets (Id and Arn only) of the rules with a pattern', async () => {
    fake = new FakeAws();
    const { records } = await collect();
    const d = detectiveOf(records, MANAGEMENT, 'us-east-1')!;
    expect(d.eventRules!.value!.map((r) => [r.Name, r.State, typeof r.EventPattern])).toEqual([['nightly', 'ENABLED', 'undefined'], ['trail-tampering', 'ENABLED', 'string']]);
    expect(d.ruleTargets).toEqual({ 'trail-tampering': { value: [{ Id: 'sns', Arn: SECURITY_TOPIC }] } });
    expect(fake.calls.filter((c) => c.operation === 'events:ListRules').every((c) => c.input.EventBusName === 'default')).toBe(true);
    expect(detectiveOf(records, PROD, 'af-south-1')!.eventRules).toEqual({ value: [] });
  });

  it('GuardDuty: a detector per region with its status, an empty list where there is none; the organization configuration from the administrator', async () => {
    fake = new FakeAws();
    const { header, records } = await collect();
    expect(detectiveOf(records, PROD, 'us-east-1')!.guardDutyDetectors).toEqual({ value: [{ DetectorId: `d${PROD}use1`, Status: 'ENABLED' }] });
    expect(detectiveOf(records, PROD, 'eu-west-1')!.guardDutyDetectors).toEqual({ value: [{ DetectorId: `d${PROD}euw1`, Status: 'DISABLED' }] });
    expect(detectiveOf(records, PROD, 'ap-south-1')!.guardDutyDetectors).toEqual({ value: [] });
    const org = header.guardDutyOrganization!;
    expect(Object.keys(org)).toEqual(header.scope.regions);
    expect(org['us-east-1']).toEqual({ value: { AdminAccountId: AUDIT, AutoEnableOrganizationMembers: 'ALL', AutoEnable: true } });
    expect(org['eu-west-1']).toEqual({ value: { AdminAccountId: AUDIT, AutoEnableOrganizationMembers: 'NEW', AutoEnable: true } });
    expect(org['ap-south-1']).toEqual({ value: null, absent: 'NoDetector' });
    // Read in the administrator's account, with its own detector.
    const described = fake.calls.filter((c) => c.operation === 'guardduty:DescribeOrganizationConfiguration');
    expect(described.map((c) => [c.accountId, c.region, c.input.DetectorId])).toEqual(expect.arrayContaining([[AUDIT, 'us-east-1', `d${AUDIT}use1`], [AUDIT, 'eu-west-1', `d${AUDIT}euw1`]]));
  });

  it('GuardDuty organization: no delegated administrator is "absent"; one outside the scan, or a denied listing, is an error per region', async () => {
    fake = new FakeAws({ detective: world((w) => delete w.guardDutyAdmin) });
    expect((await collect()).header.guardDutyOrganization!['us-east-1']).toEqual({ value: null, absent: 'NoDelegatedAdministrator' });
    fake.restore();

    fake = new FakeAws();
    const outside = (await collect(testConfig({ scope: { excludeOus: ['ou-a1b2-security'] } }))).header.guardDutyOrganization!['us-east-1']!;
    expect(outside.error).toMatchObject({ operation: 'guardduty:DescribeOrganizationConfiguration', code: 'AdministratorNotInScope', accountId: AUDIT, region: 'us-east-1' });
    expect(outside.error!.message).toContain('not among the accounts scanned');
    fake.restore();

    fake = new FakeAws({ deny: ['guardduty:ListOrganizationAdminAccounts'] });
    const { header } = await collect();
    expect(Object.values(header.guardDutyOrganization!).every((f) => f.error?.code === 'AccessDeniedException')).toBe(true);
  });

  it('history: nine queries per account-region over the window ending at collectedAt; events oldest first, with the fields the model reads', async () => {
    fake = new FakeAws();
    const { records } = await collect();
    const h = detectiveOf(records, MANAGEMENT, 'us-east-1')!.tamperHistory!;
    expect(h.window).toEqual({ start: '2026-08-23T06:00:00.000Z', end: COLLECTED_AT.toISOString() });
    expect(Object.keys(h.events)).toEqual([...TAMPER_HISTORY_EVENT_NAMES]);
    expect(h.events.StopLogging!.value!.map((e) => [e.EventTime, JSON.parse(e.CloudTrailEvent!).errorCode ?? null])).toEqual([
      ['2026-11-01T10:00:00.000Z', null],
      ['2026-11-10T08:00:00.000Z', 'AccessDenied'],
    ]);
    expect(Object.keys(h.events.StopLogging!.value![0]!).sort()).toEqual(['CloudTrailEvent', 'EventId', 'EventName', 'EventTime', 'Username']);
    expect(h.events.DeleteTrail!.value).toHaveLength(1);
    expect(h.events.UpdateTrail).toEqual({ value: [] });
    const lookups = fake.calls.filter((c) => c.operation === 'cloudtrail:LookupEvents' && c.accountId === MANAGEMENT && c.region === 'us-east-1');
    expect(lookups.map((c) => (c.input.LookupAttributes as { AttributeValue: string }[])[0]!.AttributeValue).sort()).toEqual([...TAMPER_HISTORY_EVENT_NAMES].sort());
    expect(lookups.every((c) => (c.input.EndTime as Date).toISOString() === COLLECTED_AT.toISOString())).toBe(true);
  });

  it('collection.historyDays narrows the window (the DeleteTrail attempt of September falls out of 30 days)', async () => {
    fake = new FakeAws();
    const { records } = await collect(testConfig({ collection: { historyDays: 30 } }));
    const h = detectiveOf(records, MANAGEMENT, 'us-east-1')!.tamperHistory!;
    expect(h.window.start).toBe('2026-10-22T06:00:00.000Z');
    expect(h.events.DeleteTrail).toEqual({ value: [] });
    expect(h.events.StopLogging!.value).toHaveLength(2);
  });

  it('pages every list (one item per page) to the same snapshot', async () => {
    fake = new FakeAws();
    const whole = await collect();
    fake.restore();
    fake = new FakeAws({ pageSize: 1 });
    const paged = await collect();
    const blocks = (records: AccountRecord[]) => records.map((r) => r.regions.map((x) => x.detective));
    expect(blocks(paged.records)).toEqual(blocks(whole.records));
    expect(paged.header.guardDutyOrganization).toEqual(whole.header.guardDutyOrganization);
    expect(fake.counts()['cloudtrail:LookupEvents']).toBe(86 * 9 + 1); // StopLogging's second page
  });

  it('the snapshot writer takes the blocks as they are (nothing kept as an unexpected answer)', async () => {
    fake = new FakeAws();
    const { header, records } = await collect();
    const written = await writeSnapshot(join(dir, 'detective.jsonl'), header, records);
    expect(written.keptAnswers).toEqual([]);
  });
});

describe('every failure is recorded where the answer would have been', () => {
  const at = (records: AccountRecord[]) => detectiveOf(records, MANAGEMENT, 'us-east-1')!;
  it.each([
    ['logs:DescribeMetricFilters', (d: DetectiveRegionRecord) => d.metricFilters!['aws-cloudtrail-logs-org']],
    ['cloudwatch:DescribeAlarms', (d: DetectiveRegionRecord) => d.metricAlarms],
    ['sns:ListSubscriptionsByTopic', (d: DetectiveRegionRecord) => d.topicSubscriptions![SECURITY_TOPIC]],
    ['events:ListRules', (d: DetectiveRegionRecord) => d.eventRules],
    ['events:ListTargetsByRule', (d: DetectiveRegionRecord) => d.ruleTargets!['trail-tampering']],
    ['guardduty:ListDetectors', (d: DetectiveRegionRecord) => d.guardDutyDetectors],
    ['cloudtrail:LookupEvents', (d: DetectiveRegionRecord) => d.tamperHistory!.events.StopLogging],
  ])('%s denied: an AccessDenied error in its place, the rest read', async (operation, pick) => {
    fake = new FakeAws({ deny: [operation] });
    const { records } = await collect();
    const d = at(records);
    expect(pick(d)).toMatchObject({ error: { operation, code: 'AccessDeniedException', accountId: MANAGEMENT, region: 'us-east-1' } });
    expect(pick(d)).not.toHaveProperty('value');
    // Something of another service is still read.
    const others = [d.eventRules, d.guardDutyDetectors, d.tamperHistory?.events.CreateTrail].filter((f) => f && !('error' in f && f.error));
    expect(others.length).toBeGreaterThanOrEqual(2);
  });

  it('alarms unreadable: no topic is guessed at; GetDetector denied: the detector stays listed with its error', async () => {
    fake = new FakeAws({ deny: ['cloudwatch:DescribeAlarms', 'guardduty:GetDetector'] });
    const { records } = await collect();
    expect(at(records).topicSubscriptions).toBeUndefined();
    expect(fake.counts()['sns:ListSubscriptionsByTopic']).toBeUndefined();
    expect(at(records).guardDutyDetectors!.value).toEqual([{ DetectorId: `d${MANAGEMENT}use1`, error: expect.objectContaining({ operation: 'guardduty:GetDetector', code: 'AccessDeniedException' }) }]);
  });

  it('LookupEvents throttled past every attempt: ThrottlingException recorded per event name, after maxAttempts tries', async () => {
    fake = new FakeAws({ throttle: { 'cloudtrail:LookupEvents': Infinity } });
    const { records } = await collect(testConfig({ scope: { regions: ['us-east-1'] }, collection: { maxAttempts: 3 } }));
    const h = at(records).tamperHistory!;
    expect(Object.values(h.events).every((f) => f.error?.code === 'ThrottlingException')).toBe(true);
    expect(fake.counts()['cloudtrail:LookupEvents']).toBe(5 * 9 * 3);
  });

  it('a log group that does not exist has no filters ("absent"), not an error', async () => {
    fake = new FakeAws({ detective: world((w) => delete w.accounts[MANAGEMENT]!['us-east-1']!.metricFilters) });
    const { records } = await collect();
    expect(at(records).metricFilters).toEqual({ 'aws-cloudtrail-logs-org': { value: null, absent: 'ResourceNotFoundException' } });
    expect(at(records).metricAlarms).toBeUndefined(); // nothing to alarm on: DescribeAlarms is not called
    expect(fake.counts()['cloudwatch:DescribeAlarms']).toBeUndefined();
  });

  it('answers with missing optional fields, extra fields and unknown enum values are kept as AWS gave them', async () => {
    fake = new FakeAws({
      detective: world((w) => {
        w.accounts[PROD]!['us-east-1']!.detector = { DetectorId: 'dnew', Status: 'PAUSED_BY_AWS' };
        const alarm = w.accounts[MANAGEMENT]!['us-east-1']!.alarms![0]!;
        delete alarm.ActionsEnabled;
        delete alarm.Dimensions;
        w.accounts[MANAGEMENT]!['us-east-1']!.rules![0]!.State = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
        w.subscriptions[SECURITY_TOPIC]![0] = { ...w.subscriptions[SECURITY_TOPIC]![0]!, Protocol: 'firehose' };
      }),
    });
    const { header, records } = await collect();
    expect(detectiveOf(records, PROD, 'us-east-1')!.guardDutyDetectors).toEqual({ value: [{ DetectorId: 'dnew', Status: 'PAUSED_BY_AWS' }] });
    expect(at(records).metricAlarms!.value![0]).not.toHaveProperty('ActionsEnabled');
    expect(at(records).eventRules!.value!.find((r) => r.Name === 'trail-tampering')!.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect((await writeSnapshot(join(dir, 'variations.jsonl'), header, records)).keptAnswers).toEqual([]);
  });
});

describe('the history names and their pacing', () => {
  it('the names the collector queries are the ones the model reads: the tamper actions, StartLogging, CreateTrail', () => {
    expect([...HISTORY_EVENT_NAMES]).toEqual([...TAMPER_HISTORY_EVENT_NAMES]);
    expect([...TAMPER_HISTORY_EVENT_NAMES]).toEqual([...TAMPER_ACTIONS, 'StartLogging', 'CreateTrail']);
  });

  it('a pacer at 2 per second gives turns 500 ms apart in arrival order, and none when idle long enough', async () => {
    let clock = 0;
    const slept: number[] = [];
    const pacer = new Pacer(DEFAULT_PACING['cloudtrail:LookupEvents']!, () => clock, async (ms) => void slept.push(ms));
    for (let i = 0; i < 4; i++) await pacer.turn();
    expect(slept).toEqual([500, 1000, 1500]);
    clock = 10_000; // long after the last turn
    await pacer.turn();
    expect(slept).toHaveLength(3);
    expect(DEFAULT_PACING['cloudtrail:LookupEvents']).toEqual({ ratePerSecond: 2, burst: 1 });
  });


  it('sends stay an interval apart even when calls reach their slot late and together', async () => {
    let clock = 0;
    const sends: number[] = [];
    const pacer = new Pacer(DEFAULT_PACING['cloudtrail:LookupEvents']!, () => clock, async (ms) => void (clock += ms));
    // Three turns taken on time (0, 500, 1000 ms), then all three wait for a slot until 3 s.
    for (let i = 0; i < 3; i++) await pacer.turn();
    clock = 3_000;
    for (let i = 0; i < 3; i++) {
      await pacer.beforeSend();
      sends.push(clock);
    }
    expect(sends).toEqual([3_000, 3_500, 4_000]);
  });
});
