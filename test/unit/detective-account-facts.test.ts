import { describe, expect, it } from 'vitest';
import { accountGuardDutyFacts, organizationGuardDutyFacts } from '../../src/model/guardduty-facts.ts';
import { accountTamperEventRules } from '../../src/model/event-rule-facts.ts';
import { accountTamperHistory } from '../../src/model/tamper-history-facts.ts';
import { setKnown, tamperActionsOf, withUnknown } from '../../src/model/detective-inputs.ts';
import type { TrailFacts } from '../../src/model/facts.ts';
import type { AccountRecord, DetectiveRegionRecord, SnapshotHeader, TrailDetail } from '../../src/snapshot/types.ts';

/**
 * The account-level detective facts read straight from an account record: account.guardDuty,
 * organization.guardDuty, account.tamperEventRules and account.tamperHistory, with the regions
 * each one covers and the reasons when a region or a call is missing.
 */
const ACCOUNT = '222222222222';
const NO_BLOCK = (region: string) => `the snapshot holds no detective-control data for account ${ACCOUNT} in ${region} (collected without detective controls, or by an older version); collect again, or turn the detective rules off with rules.disabledTags: [detective]`;

function record(regions: Record<string, DetectiveRegionRecord | undefined>, over: Partial<AccountRecord> = {}): AccountRecord {
  return {
    accountId: ACCOUNT,
    regions: Object.entries(regions).map(([region, detective]) => ({ region, trails: { value: [] }, ...(detective ? { detective } : {}) })),
    trailDetails: {},
    ...over,
  };
}

describe('account.guardDuty', () => {
  const enabled = { guardDutyDetectors: { value: [{ DetectorId: 'd', Status: 'ENABLED' }] } };

  it('judges every region read, sorted, and every enabled region in scope that was not read', () => {
    const r = record({ 'us-east-1': enabled, 'ap-south-1': undefined }, { enabledRegions: { value: ['eu-west-1', 'us-east-1', 'sa-east-1'] } });
    expect(accountGuardDutyFacts(r, ['us-east-1', 'eu-west-1', 'ap-south-1']).value).toEqual({
      regions: [
        { region: 'ap-south-1', detail: NO_BLOCK('ap-south-1'), unknown: { enabled: NO_BLOCK('ap-south-1') } },
        { region: 'eu-west-1', detail: `region eu-west-1 of account ${ACCOUNT} was not read`, unknown: { enabled: `region eu-west-1 of account ${ACCOUNT} was not read` } },
        { region: 'us-east-1', enabled: true, detail: 'detector d ENABLED' },
      ],
    });
  });

  it('an empty scope means every enabled region', () => {
    const r = record({ 'us-east-1': enabled }, { enabledRegions: { value: ['sa-east-1', 'us-east-1'] } });
    expect(accountGuardDutyFacts(r, []).value?.regions.map((g) => g.region)).toEqual(['sa-east-1', 'us-east-1']);
  });

  it('enabled regions that could not be listed add nothing; the regions read are still judged', () => {
    const r = record({ 'us-east-1': enabled }, { enabledRegions: { error: { operation: 'account:ListRegions', code: 'AccessDenied', message: 'no' } } });
    expect(accountGuardDutyFacts(r, []).value?.regions).toEqual([{ region: 'us-east-1', enabled: true, detail: 'detector d ENABLED' }]);
  });

  it('an account that could not be entered, or with no region read, is unknown as a whole', () => {
    const entered = record({}, { access: { error: { operation: 'sts:AssumeRole', code: 'AccessDenied', message: 'no', accountId: ACCOUNT } } });
    expect(accountGuardDutyFacts(entered, []).reason).toBe(`could not read the account: sts:AssumeRole (${ACCOUNT}) failed: AccessDenied: no`);
    expect(accountGuardDutyFacts(record({}), []).reason).toBe('no region of the account was read');
  });
});

describe('organization.guardDuty', () => {
  it('per region, sorted: the administrator, the mode and auto-enable; no administrator is null', () => {
    const header = { guardDutyOrganization: { 'us-east-1': { value: { AdminAccountId: '333333333333', AutoEnable: true } }, 'eu-west-1': { value: null, absent: 'NotAdministrator' }, 'ap-south-1': { value: { AdminAccountId: '333333333333', AutoEnableOrganizationMembers: 'NEW' } } } } as unknown as SnapshotHeader;
    expect(organizationGuardDutyFacts(header)).toEqual({
      collected: true,
      regions: [
        { region: 'ap-south-1', adminAccountId: '333333333333', mode: 'NEW', autoEnable: true },
        { region: 'eu-west-1', adminAccountId: null, mode: null, autoEnable: false },
        { region: 'us-east-1', adminAccountId: '333333333333', mode: null, autoEnable: true },
      ],
    });
  });
});

describe('account.tamperEventRules', () => {
  const rule = { Name: 'stops', State: 'DISABLED', EventPattern: JSON.stringify({ source: ['aws.cloudtrail'], detail: { eventName: ['StopLogging'] } }) };

  it('judges the regions read and the regions needed, sorted; the needed ones listed once', () => {
    const r = record({ 'us-east-1': { eventRules: { value: [rule] }, ruleTargets: { stops: { value: [] } } } });
    const facts = accountTamperEventRules(r, { value: ['eu-west-1', 'us-east-1', 'eu-west-1'] }, ['StopLogging', 'DeleteTrail']);
    expect(facts.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(Object.keys(facts.byRegion)).toEqual(['eu-west-1', 'us-east-1']);
    expect(facts.byRegion['eu-west-1']).toEqual({ region: 'eu-west-1', unknown: { actions: `region eu-west-1 of account ${ACCOUNT} was not read`, rules: `region eu-west-1 of account ${ACCOUNT} was not read` } });
    expect(facts.byRegion['us-east-1']).toEqual({
      region: 'us-east-1',
      rules: [{ name: 'stops', state: 'DISABLED', enabled: false, targets: 0, catches: ['StopLogging'], undecided: [] }],
      actions: { StopLogging: { action: 'StopLogging', caught: false, by: [] }, DeleteTrail: { action: 'DeleteTrail', caught: false, by: [] } },
    });
    expect(facts).not.toHaveProperty('unknown');
  });

  it('a block without targets read leaves each rule\'s targets unknown', () => {
    const r = record({ 'us-east-1': { eventRules: { value: [{ ...rule, State: 'ENABLED' }] } } });
    const region = accountTamperEventRules(r, { value: [] }, ['StopLogging']).byRegion['us-east-1'];
    expect(region?.rules?.[0]).toEqual({ name: 'stops', state: 'ENABLED', enabled: true, catches: ['StopLogging'], undecided: [], unknown: { targets: 'events:ListTargetsByRule for stops was not read' } });
  });

  it('names the actions a pattern cannot be judged on', () => {
    const odd = { Name: 'odd', State: 'ENABLED', EventPattern: JSON.stringify({ detail: { eventName: [{ contains: 'Stop' }] } }) };
    const region = accountTamperEventRules(record({ 'us-east-1': { eventRules: { value: [odd] }, ruleTargets: { odd: { value: [] } } } }), { value: [] }, ['StopLogging']).byRegion['us-east-1'];
    expect(region?.rules?.[0]?.catches).toEqual([]);
    expect(region?.rules?.[0]?.undecided).toEqual([expect.stringMatching(/^StopLogging: event pattern .* is not understood: .*"contains"/)]);
  });

  it('the needed regions unknown are unknown with the reason; the regions read are still judged', () => {
    const facts = accountTamperEventRules(record({ 'us-east-1': { eventRules: { value: [] } } }), { reason: 'trails unknown' }, ['StopLogging']);
    expect(facts.unknown).toEqual({ regions: 'trails unknown' });
    expect(facts).not.toHaveProperty('regions');
    expect(facts.byRegion['us-east-1']?.actions).toEqual({ StopLogging: { action: 'StopLogging', caught: false, by: [] } });
  });
});

describe('account.tamperEventRules shared between accounts', () => {
  const stops = { Name: 'stops', State: 'ENABLED', EventPattern: JSON.stringify({ source: ['aws.cloudtrail'], detail: { eventName: ['StopLogging'] } }) };

  it('a region without rules has the same frozen facts in every account; a region with rules its own', () => {
    const withoutRules = new Map();
    const other = (id: string) => ({ ...record({ 'us-east-1': { eventRules: { value: [] } }, 'eu-west-1': { eventRules: { value: [stops] }, ruleTargets: { stops: { value: [{ Id: 't', Arn: 'arn:t' }] } } } }), accountId: id });
    const first = accountTamperEventRules(other('111111111111'), { value: ['us-east-1'] }, ['StopLogging'], withoutRules);
    const second = accountTamperEventRules(other('333333333333'), { value: ['us-east-1'] }, ['StopLogging'], withoutRules);
    expect(second.byRegion['us-east-1']).toBe(first.byRegion['us-east-1']);
    expect(first.byRegion['us-east-1']).toEqual({ region: 'us-east-1', rules: [], actions: { StopLogging: { action: 'StopLogging', caught: false, by: [] } } });
    expect(Object.isFrozen(first.byRegion['us-east-1']?.actions?.StopLogging?.by)).toBe(true);
    // Rules (each account's own, by name) are never shared, nor is a region that was not read.
    expect(second.byRegion['eu-west-1']).not.toBe(first.byRegion['eu-west-1']);
    expect(second.byRegion['eu-west-1']?.actions).toEqual({ StopLogging: { action: 'StopLogging', caught: true, by: ['stops'] } });
    expect(Object.isFrozen(second.byRegion['eu-west-1'])).toBe(false);
    const unread = accountTamperEventRules(record({}), { value: ['us-east-1'] }, ['StopLogging'], withoutRules);
    expect(unread.byRegion['us-east-1']?.unknown).toEqual({ actions: `region us-east-1 of account ${ACCOUNT} was not read`, rules: `region us-east-1 of account ${ACCOUNT} was not read` });
  });
});

describe('account.tamperHistory', () => {
  const WINDOW = { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' };
  const NAMES = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors', 'DeleteEventDataStore', 'StopEventDataStoreIngestion', 'StartLogging', 'CreateTrail'];
  const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
  const call = (EventName: string, EventTime: string, EventId: string, extra: Record<string, unknown> = {}) => ({ EventId, EventName, EventTime, CloudTrailEvent: JSON.stringify({ requestParameters: { name: TRAIL }, ...extra }) });
  const history = (calls: ReturnType<typeof call>[]): DetectiveRegionRecord => ({
    tamperHistory: { window: WINDOW, events: Object.fromEntries(NAMES.map((n) => [n, { value: calls.filter((c) => c.EventName === n) }])) },
  });
  const trail = (over: Partial<TrailFacts> = {}): TrailFacts => ({ arn: TRAIL, name: 'main', isMultiRegion: true, isLogging: true, managementEvents: { read: true, write: true, excludedSources: [] }, ...over }) as TrailFacts;
  const noDetail = (): TrailDetail | undefined => undefined;

  it('lists the calls of every region read, oldest first (then by event id), each with its region and whether it succeeded', () => {
    const r = record({
      'us-east-1': history([call('StopLogging', '2026-11-10T00:00:00Z', 'b'), call('StartLogging', '2026-11-10T01:00:00Z', 'c')]),
      'eu-west-1': history([call('StopLogging', '2026-11-10T00:00:00Z', 'a', { errorCode: 'AccessDenied' }), call('DeleteTrail', '2026-11-05T00:00:00Z', 'z', { errorCode: 'AccessDenied' })]),
    });
    const facts = accountTamperHistory(r, { value: [trail()] }, noDetail);
    expect(facts.regionsRead).toEqual(['eu-west-1', 'us-east-1']);
    expect(facts.window).toEqual({ from: WINDOW.start, to: WINDOW.end });
    expect(facts.calls.map((c) => [c.eventId, c.region, c.succeeded])).toEqual([
      ['z', 'eu-west-1', false],
      ['a', 'eu-west-1', false],
      ['b', 'us-east-1', true],
    ]);
    expect(facts.complete).toBe(true);
    expect(facts.gaps).toEqual([{ from: '2026-11-10T00:00:00Z', to: '2026-11-10T01:00:00Z', minutes: 60 }]);
  });

  it('a region without its history leaves the history incomplete and the gaps unknown, while the others are listed', () => {
    const r = record({ 'us-east-1': history([call('StopLogging', '2026-11-10T00:00:00Z', 'b')]), 'eu-west-1': undefined });
    const facts = accountTamperHistory(r, { value: [trail()] }, noDetail);
    expect(facts.regionsRead).toEqual(['us-east-1']);
    expect(facts.calls).toHaveLength(1);
    expect(facts.unknown).toEqual({ complete: NO_BLOCK('eu-west-1'), gaps: NO_BLOCK('eu-west-1') });
    expect(facts).not.toHaveProperty('complete');
  });

  it('the trails unknown leave the gaps unknown with their reason', () => {
    const facts = accountTamperHistory(record({ 'us-east-1': history([]) }), { reason: 'DescribeTrails failed' }, noDetail);
    expect(facts.complete).toBe(true);
    expect(facts.unknown).toEqual({ gaps: 'DescribeTrails failed' });
  });

  it('a trail whose management events are unknown makes a gap unknown, naming it', () => {
    const stopped = trail({ arn: `${TRAIL}-2`, name: 'other', isLogging: false });
    const unsure = trail({ managementEvents: undefined, unknown: { managementEvents: 'GetEventSelectors failed' } });
    const facts = accountTamperHistory(record({ 'us-east-1': history([]) }), { value: [stopped, unsure] }, noDetail);
    expect(facts.unknown).toEqual({ gaps: `managementEvents of ${TRAIL} is unknown: GetEventSelectors failed` });
    const unread = trail({ isLogging: undefined });
    expect(accountTamperHistory(record({ 'us-east-1': history([]) }), { value: [stopped, unread] }, noDetail).unknown).toEqual({ gaps: `isLogging of ${TRAIL} is unknown: not read` });
  });

  it('a read-only trail does not close a gap; a stopped trail with no call is a gap from its StopLoggingTime inside the window', () => {
    const stopped = trail({ isLogging: false });
    const readOnly = trail({ arn: `${TRAIL}-ro`, name: 'ro', managementEvents: { read: true, write: false, excludedSources: [] } });
    const detail = (StopLoggingTime: string): TrailDetail => ({ TrailARN: TRAIL, status: { value: { IsLogging: false, StopLoggingTime } }, eventSelectors: { value: {} } });
    const r = record({ 'us-east-1': history([]) });
    expect(accountTamperHistory(r, { value: [stopped, readOnly] }, () => detail('2026-11-30T00:00:00Z')).gaps).toEqual([{ from: '2026-11-30T00:00:00Z', to: WINDOW.end, minutes: 1440 }]);
    // Stopped before the window (or at its very start): the whole window is the gap.
    expect(accountTamperHistory(r, { value: [stopped] }, () => detail(WINDOW.start)).gaps).toEqual([{ from: WINDOW.start, to: WINDOW.end, minutes: 43200 }]);
    // A stop time at the window's end still opens a gap of no length there.
    expect(accountTamperHistory(r, { value: [stopped] }, () => detail(WINDOW.end)).gaps).toEqual([{ from: WINDOW.end, to: WINDOW.end, minutes: 0 }]);
  });

  it('a stopped trail named by a successful call in the history is dated by the call, not by StopLoggingTime', () => {
    const r = record({ 'us-east-1': history([call('StopLogging', '2026-11-20T00:00:00Z', 'e1', { requestParameters: { name: 'main' } })]) });
    const detail = (): TrailDetail => ({ TrailARN: TRAIL, status: { value: { IsLogging: false, StopLoggingTime: '2026-11-25T00:00:00Z' } }, eventSelectors: { value: {} } });
    expect(accountTamperHistory(r, { value: [trail({ isLogging: false })] }, detail).gaps).toEqual([{ from: '2026-11-20T00:00:00Z', to: WINDOW.end, minutes: 15840 }]);
  });
});

describe('detective inputs helpers', () => {
  it('keeps the canonical order of the tampering actions asked for, and only known ones', () => {
    expect(tamperActionsOf(['DeleteTrail', 'Nonsense', 'StopLogging'])).toEqual(['StopLogging', 'DeleteTrail']);
  });

  it('splits a Known into a value or an unknown entry, and attaches unknown only when it has entries', () => {
    const facts: { a?: number; b?: number } = {};
    const unknown: Record<string, string> = {};
    setKnown(facts, unknown, 'a', { value: 0 });
    setKnown(facts, unknown, 'b', { reason: 'why' });
    expect(facts).toEqual({ a: 0 });
    expect(unknown).toEqual({ b: 'why' });
    expect(withUnknown(facts, unknown)).toEqual({ a: 0, unknown: { b: 'why' } });
    expect(withUnknown({ a: 1 }, {})).toEqual({ a: 1 });
  });
});
