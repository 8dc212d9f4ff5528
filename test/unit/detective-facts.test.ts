/**
 * The detective-control facts as the model publishes them (trail.changeAlarms,
 * account.tamperEventRules, account.guardDuty, account.tamperHistory, organization.guardDuty):
 * computed from the account's `detective` blocks, and unknown, with the reason, when a block or a
 * call is missing, never a pass.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex, DEFAULT_MODEL_OPTIONS, organizationSubject, subjectsForAccount, type ModelOptions } from '../../src/model/index.ts';
import type { AccountFacts, TrailFacts } from '../../src/model/facts.ts';
import { expandCompactSnapshot, type CompactSnapshot } from '../../src/rules/compact-snapshot.ts';
import type { DetectiveRegionRecord, RegionRecord, TrailDetail } from '../../src/snapshot/types.ts';

const MANAGEMENT = '111111111111';
const MEMBER = '222222222222';
const ORG_TRAIL = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org`;
const GROUP = 'org-trail';
const TOPIC = `arn:aws:sns:us-east-1:${MANAGEMENT}:alerts`;

const orgTrail = {
  Name: 'org',
  TrailARN: ORG_TRAIL,
  HomeRegion: 'us-east-1',
  IsMultiRegionTrail: true,
  IsOrganizationTrail: true,
  S3BucketName: 'logs',
  CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${MANAGEMENT}:log-group:${GROUP}:*`,
};

const alarmChain = (pattern: string): DetectiveRegionRecord => ({
  metricFilters: { [GROUP]: { value: [{ filterName: 'changes', logGroupName: GROUP, filterPattern: pattern, metricTransformations: [{ metricName: 'TrailChanges', metricNamespace: 'Security' }] }] } },
  metricAlarms: { value: [{ AlarmName: 'changes', Namespace: 'Security', MetricName: 'TrailChanges', ActionsEnabled: true, AlarmActions: [TOPIC] }] },
  topicSubscriptions: { [TOPIC]: { value: [{ SubscriptionArn: `${TOPIC}:1`, Protocol: 'email' }] } },
});

const EMPTY_HISTORY = Object.fromEntries(
  ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors', 'DeleteEventDataStore', 'StopEventDataStoreIngestion', 'StartLogging', 'CreateTrail'].map((n) => [n, { value: [] }]),
);
const WINDOW = { start: '2026-09-02T00:00:00Z', end: '2026-12-01T00:00:00Z' };

function model(options: { management?: Partial<RegionRecord>; member?: Partial<RegionRecord> | false; details?: Record<string, TrailDetail>; header?: CompactSnapshot['header']; modelOptions?: ModelOptions }) {
  const compact: CompactSnapshot = {
    accounts: [
      {
        id: MANAGEMENT,
        management: true,
        record: {
          regions: [{ region: 'us-east-1', trails: { value: [orgTrail] }, ...options.management }],
          trailDetails: options.details ?? { [ORG_TRAIL]: { TrailARN: ORG_TRAIL, status: { value: { IsLogging: true } }, eventSelectors: { value: {} } } },
        },
      },
      ...(options.member === false ? [] : [{ id: MEMBER, ou: 'Root/Workloads', record: { regions: [{ region: 'us-east-1', trails: { value: [orgTrail] }, ...options.member }] } }]),
    ],
    ...(options.header ? { header: options.header } : {}),
  };
  const snapshot = expandCompactSnapshot(compact);
  const index = buildIndex(snapshot.header, snapshot.accounts, options.modelOptions ?? DEFAULT_MODEL_OPTIONS);
  // Facts are plain JSON-like objects; the tests read them as such.
  const accountOf = (id: string): Record<string, any> => subjectsForAccount(index, snapshot.accounts.find((r) => r.accountId === id)!)[0]!.activation.account!;
  return { organization: organizationSubject(index).activation.organization as Record<string, any>, accountOf };
}

const trailOf = (account: Record<string, any>): Record<string, any> => (account as AccountFacts).trails!.find((t: TrailFacts) => t.arn === ORG_TRAIL)!;

describe('trail.changeAlarms', () => {
  it('is computed on the trail in its owner account, per action of the model options', () => {
    const { accountOf } = model({ management: { detective: alarmChain('{ $.eventSource = cloudtrail.amazonaws.com }') } });
    const alarms = trailOf(accountOf(MANAGEMENT)).changeAlarms;
    expect(Object.keys(alarms.actions)).toEqual(['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors']);
    expect(alarms.actions.StopLogging).toEqual({ action: 'StopLogging', alarmed: true, via: [`changes → Security/TrailChanges → changes → ${TOPIC}`], reason: `alarmed via changes → Security/TrailChanges → changes → ${TOPIC}` });
    expect(alarms.filters[0]).toMatchObject({ name: 'changes', catches: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'], undecided: [], alarms: [{ alarmName: 'changes', confirmedSubscriptions: 1, notifies: true }] });
  });

  it('follows a rule that asks for more actions (ModelOptions.tamperActions)', () => {
    const { accountOf } = model({ management: { detective: alarmChain('{ $.eventName = StopLogging }') }, modelOptions: { ...DEFAULT_MODEL_OPTIONS, tamperActions: ['StopLogging', 'StopEventDataStoreIngestion'] } });
    const alarms = trailOf(accountOf(MANAGEMENT)).changeAlarms;
    expect(Object.keys(alarms.actions)).toEqual(['StopLogging', 'StopEventDataStoreIngestion']);
    expect(alarms.actions.StopEventDataStoreIngestion).toMatchObject({ alarmed: false, reason: 'no metric filter on org-trail matches StopEventDataStoreIngestion' });
  });

  it('is unknown in a member account, where the organization trail is not judged', () => {
    const { accountOf } = model({ management: { detective: alarmChain('{ $.eventSource = cloudtrail.amazonaws.com }') }, member: { detective: {} } });
    const trail = trailOf(accountOf(MEMBER));
    expect(trail.changeAlarms).toBeUndefined();
    expect(trail.unknown?.changeAlarms).toBe(`judged on the trail in its owner account ${MANAGEMENT}, where its log group is`);
  });

  it('is unknown with the reason when the snapshot has no detective block (older snapshot or collection off)', () => {
    const { accountOf } = model({});
    const trail = trailOf(accountOf(MANAGEMENT));
    expect(trail.changeAlarms).toBeUndefined();
    expect(trail.unknown?.changeAlarms).toMatch(/^the snapshot holds no detective-control data for account 111111111111 in us-east-1 \(collected without detective controls, or by an older version\); .*rules\.disabledTags: \[detective\]$/);
  });

  it('leaves alarms unknown when DescribeAlarms failed, and the action with them', () => {
    const chain = alarmChain('{ $.eventName = StopLogging }');
    chain.metricAlarms = { error: { operation: 'cloudwatch:DescribeAlarms', code: 'AccessDenied', message: 'no', accountId: MANAGEMENT, region: 'us-east-1' } };
    const alarms = trailOf(model({ management: { detective: chain } }).accountOf(MANAGEMENT)).changeAlarms;
    const reason = 'cloudwatch:DescribeAlarms (111111111111/us-east-1) failed: AccessDenied: no';
    expect(alarms.filters[0].unknown).toEqual({ alarms: reason });
    expect(alarms.actions.StopLogging.unknown).toEqual({ alarmed: reason });
    // DeleteTrail is not matched by the filter: known false whatever the alarms are.
    expect(alarms.actions.DeleteTrail.alarmed).toBe(false);
  });

  it('is known false with no log group when the trail does not deliver to CloudWatch Logs, even without a detective block', () => {
    const { CloudWatchLogsLogGroupArn: _, ...noLogs } = orgTrail;
    const { accountOf } = model({ management: { trails: { value: [noLogs] } }, member: false });
    const alarms = trailOf(accountOf(MANAGEMENT)).changeAlarms;
    expect(alarms.logGroup).toBeNull();
    expect(alarms.actions.StopLogging).toMatchObject({ alarmed: false, reason: 'the trail does not deliver to CloudWatch Logs' });
  });
});

describe('account.tamperEventRules', () => {
  const rule = { Name: 'tamper', State: 'ENABLED', EventPattern: JSON.stringify({ source: ['aws.cloudtrail'], detail: { eventName: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'] } }) };

  it('needs the home regions of the trails the account owns; members that own none need none', () => {
    const { accountOf } = model({ management: { detective: { eventRules: { value: [rule] }, ruleTargets: { tamper: { value: [{ Id: 't', Arn: TOPIC }] } } } }, member: { detective: { eventRules: { value: [] } } } });
    const management = accountOf(MANAGEMENT).tamperEventRules;
    expect(management.regions).toEqual(['us-east-1']);
    expect(management.byRegion['us-east-1'].actions.StopLogging).toEqual({ action: 'StopLogging', caught: true, by: ['tamper'] });
    expect(management.byRegion['us-east-1'].rules).toEqual([{ name: 'tamper', state: 'ENABLED', enabled: true, targets: 1, catches: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'], undecided: [] }]);
    expect(accountOf(MEMBER).tamperEventRules.regions).toEqual([]);
  });

  it('is unknown per region without a detective block, and targets are unknown when not read', () => {
    const { accountOf } = model({ management: { detective: { eventRules: { value: [rule] } } } });
    expect(accountOf(MANAGEMENT).tamperEventRules.byRegion['us-east-1'].rules[0].unknown).toEqual({ targets: 'events:ListTargetsByRule for tamper was not read' });
    expect(accountOf(MANAGEMENT).tamperEventRules.byRegion['us-east-1'].actions.StopLogging.unknown).toEqual({ caught: 'events:ListTargetsByRule for tamper was not read' });
    expect(accountOf(MEMBER).tamperEventRules.byRegion['us-east-1'].unknown.actions).toMatch(/^the snapshot holds no detective-control data for account 222222222222 in us-east-1/);
  });
});

describe('account.guardDuty and organization.guardDuty', () => {
  it('judges each region and says why; no block is unknown', () => {
    const { accountOf } = model({ management: { detective: { guardDutyDetectors: { value: [{ DetectorId: 'd1', Status: 'DISABLED' }] } } } });
    expect(accountOf(MANAGEMENT).guardDuty.regions).toEqual([{ region: 'us-east-1', enabled: false, detail: 'detector d1 DISABLED (suspended)' }]);
    expect(accountOf(MEMBER).guardDuty.regions[0].unknown.enabled).toMatch(/no detective-control data for account 222222222222 in us-east-1/);
  });

  it('organization: not collected is an empty list, a failed read is unknown, a read one is judged', () => {
    expect(model({}).organization.guardDuty).toEqual({ collected: false, regions: [] });
    const { organization } = model({
      header: {
        guardDutyOrganization: {
          'eu-west-1': { value: { AdminAccountId: '333333333333', AutoEnableOrganizationMembers: 'ALL' } },
          'us-east-1': { error: { operation: 'guardduty:DescribeOrganizationConfiguration', code: 'BadRequestException', message: 'not the administrator', region: 'us-east-1' } },
        },
      },
    });
    const reason = 'guardduty:DescribeOrganizationConfiguration (us-east-1) failed: BadRequestException: not the administrator';
    // Shared by every subject, frozen all the way down: the verdict cache keys it once (verdict-cache.ts project).
    const frozen = (value: unknown): boolean => value === null || typeof value !== 'object' || (Object.isFrozen(value) && Object.values(value).every(frozen));
    expect(Object.isFrozen(organization.guardDuty.regions[0])).toBe(true);
    expect(frozen(organization)).toBe(true);
    expect(organization.guardDuty).toEqual({
      collected: true,
      regions: [
        { region: 'eu-west-1', adminAccountId: '333333333333', mode: 'ALL', autoEnable: true },
        { region: 'us-east-1', unknown: { adminAccountId: reason, mode: reason, autoEnable: reason } },
      ],
    });
  });
});

describe('an account that could not be entered', () => {
  it('has unknown GuardDuty and an incomplete history, never an empty pass', () => {
    const snapshot = expandCompactSnapshot({ accounts: [{ id: MEMBER, record: { access: { error: { operation: 'sts:AssumeRole', code: 'AccessDenied', message: 'no', accountId: MEMBER } }, regions: [] } }] });
    const index = buildIndex(snapshot.header, snapshot.accounts);
    const account: Record<string, any> = subjectsForAccount(index, snapshot.accounts[0]!)[0]!.activation.account!;
    const reason = 'could not read the account: sts:AssumeRole (222222222222) failed: AccessDenied: no';
    expect(account.guardDuty).toBeUndefined();
    expect(account.unknown.guardDuty).toBe(reason);
    expect(account.tamperHistory.unknown).toEqual({ complete: reason, gaps: reason });
    expect(account.tamperEventRules.unknown.regions).toBe(reason);
  });
});

describe('account.tamperHistory', () => {
  const stop = {
    EventId: 'e1',
    EventName: 'StopLogging',
    EventTime: '2026-11-19T03:00:00Z',
    CloudTrailEvent: JSON.stringify({ userIdentity: { arn: 'arn:aws:sts::111111111111:assumed-role/r/s' }, sourceIPAddress: '198.51.100.1', userAgent: 'aws-cli/2', requestParameters: { name: ORG_TRAIL } }),
  };

  it('lists the calls with who, where and the error code, and the gap a stop left', () => {
    const { accountOf } = model({
      management: { detective: { tamperHistory: { window: WINDOW, events: { ...EMPTY_HISTORY, StopLogging: { value: [stop] } } } } },
      details: { [ORG_TRAIL]: { TrailARN: ORG_TRAIL, status: { value: { IsLogging: false } }, eventSelectors: { value: {} } } },
      member: false,
    });
    const history = accountOf(MANAGEMENT).tamperHistory;
    expect(history).toEqual({
      window: { from: WINDOW.start, to: WINDOW.end },
      regionsRead: ['us-east-1'],
      calls: [{ region: 'us-east-1', eventName: 'StopLogging', eventId: 'e1', time: '2026-11-19T03:00:00Z', who: 'arn:aws:sts::111111111111:assumed-role/r/s', sourceIPAddress: '198.51.100.1', userAgent: 'aws-cli/2', errorCode: null, succeeded: true, target: ORG_TRAIL }],
      complete: true,
      gaps: [{ from: '2026-11-19T03:00:00Z', to: WINDOW.end, minutes: 17100 }],
    });
  });

  it("dates a member's gap from the organization trail's StopLoggingTime (the stop is in another account's history)", () => {
    const { accountOf } = model({
      management: { detective: { tamperHistory: { window: WINDOW, events: EMPTY_HISTORY } } },
      member: { detective: { tamperHistory: { window: WINDOW, events: EMPTY_HISTORY } } },
      details: { [ORG_TRAIL]: { TrailARN: ORG_TRAIL, status: { value: { IsLogging: false, StopLoggingTime: '2026-11-30T00:00:00Z' } }, eventSelectors: { value: {} } } },
    });
    expect(accountOf(MEMBER).tamperHistory.gaps).toEqual([{ from: '2026-11-30T00:00:00Z', to: WINDOW.end, minutes: 1440 }]);
  });

  it('finds no gap when a known trail logged throughout, even if another trail\'s state is unknown; a gap then is unknown', () => {
    const { CloudWatchLogsLogGroupArn: _, ...own } = { ...orgTrail, Name: 'own', TrailARN: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/own`, IsOrganizationTrail: false };
    const unreadable = { TrailARN: own.TrailARN, status: { error: { operation: 'cloudtrail:GetTrailStatus', code: 'AccessDenied', message: 'no' } }, eventSelectors: { value: {} } } as TrailDetail;
    const history = { detective: { tamperHistory: { window: WINDOW, events: EMPTY_HISTORY } }, trails: { value: [orgTrail, own] } };
    const status = (IsLogging: boolean) => ({ TrailARN: ORG_TRAIL, status: { value: { IsLogging } }, eventSelectors: { value: {} } });
    const logging = model({ management: history, member: false, details: { [ORG_TRAIL]: status(true), [own.TrailARN]: unreadable } });
    expect(logging.accountOf(MANAGEMENT).tamperHistory.gaps).toEqual([]);
    const stopped = model({ management: history, member: false, details: { [ORG_TRAIL]: status(false), [own.TrailARN]: unreadable } });
    expect(stopped.accountOf(MANAGEMENT).tamperHistory.unknown.gaps).toMatch(/^isLogging of arn:aws:cloudtrail:us-east-1:111111111111:trail\/own is unknown: cloudtrail:GetTrailStatus failed: AccessDenied: no$/);
  });

  it('a logging single-region trail does not close the gap the stopped multi-region trail leaves', () => {
    const single = { ...orgTrail, Name: 'single', TrailARN: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/single`, IsOrganizationTrail: false, IsMultiRegionTrail: false };
    const detail = (arn: string, IsLogging: boolean, StopLoggingTime?: string) => ({ TrailARN: arn, status: { value: { IsLogging, ...(StopLoggingTime ? { StopLoggingTime } : {}) } }, eventSelectors: { value: {} } });
    const { accountOf } = model({
      management: { detective: { tamperHistory: { window: WINDOW, events: EMPTY_HISTORY } }, trails: { value: [orgTrail, single] } },
      member: false,
      details: { [ORG_TRAIL]: detail(ORG_TRAIL, false, '2026-11-30T12:00:00Z'), [single.TrailARN]: detail(single.TrailARN, true) },
    });
    expect(accountOf(MANAGEMENT).tamperHistory.gaps).toEqual([{ from: '2026-11-30T12:00:00Z', to: WINDOW.end, minutes: 720 }]);
  });

  it('is incomplete, and its gaps unknown, when a name was not read or the block is absent', () => {
    const { accountOf } = model({ management: { detective: { tamperHistory: { window: WINDOW, events: { ...EMPTY_HISTORY, CreateTrail: undefined as never } } } } });
    const history = accountOf(MANAGEMENT).tamperHistory;
    expect(history.unknown).toEqual({ complete: 'cloudtrail:LookupEvents for CreateTrail in us-east-1 was not read', gaps: 'cloudtrail:LookupEvents for CreateTrail in us-east-1 was not read' });
    expect(history.calls).toEqual([]);
    expect(accountOf(MEMBER).tamperHistory).toMatchObject({ window: null, regionsRead: [], calls: [], unknown: { complete: expect.stringMatching(/no detective-control data/) } });
  });
});
