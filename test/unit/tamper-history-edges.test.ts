import { describe, expect, it } from 'vitest';
import { HISTORY_EVENT_NAMES, loggingGaps, regionTamperHistory, type HistoryCall, type LookedUpEvent } from '../../src/model/tamper-history.ts';
import { accountTamperHistory } from '../../src/model/tamper-history-facts.ts';
import { organizationAutoEnable, regionGuardDuty } from '../../src/model/guardduty.ts';
import { organizationGuardDutyFacts } from '../../src/model/guardduty-facts.ts';
import type { TrailFacts } from '../../src/model/facts.ts';
import type { AccountRecord, SnapshotHeader, TrailDetail } from '../../src/snapshot/types.ts';

/**
 * Edges of the tamper history (window bounds, records that are not objects, the order of calls
 * across regions, which calls date a stop) and of the GuardDuty answers (absent lists, unread
 * detectors, several suspended detectors, auto-enable without a mode).
 */
const WINDOW = { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' };
const ACCOUNT = '222222222222';
const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;

const looked = (EventName: string, EventTime: string, EventId: string, record: unknown = { requestParameters: { name: TRAIL } }): LookedUpEvent => ({ EventId, EventName, EventTime, CloudTrailEvent: JSON.stringify(record) });
const inputs = (events: LookedUpEvent[]) => ({ window: WINDOW, events: Object.fromEntries(HISTORY_EVENT_NAMES.map((n) => [n, { value: events.filter((e) => e.EventName === n) }])) });
const call = (eventName: string, time: string, target: string | null = TRAIL, errorCode: string | null = null): HistoryCall => ({ eventName, eventId: time, time, who: null, sourceIPAddress: null, userAgent: null, errorCode, target });

describe('regionTamperHistory edges', () => {
  it('keeps calls exactly at the window bounds and keeps StartLogging / CreateTrail apart', () => {
    const h = regionTamperHistory('us-east-1', inputs([looked('StopLogging', WINDOW.start, 'a'), looked('StartLogging', WINDOW.end, 'b'), looked('CreateTrail', '2026-11-15T00:00:00Z', 'c')])).value!;
    expect(h.tamperCalls.map((c) => c.eventId)).toEqual(['a']);
    expect(h.otherCalls.map((c) => c.eventId)).toEqual(['c', 'b']);
  });

  it('a record that is JSON null or not an object gives no detail, but the call is listed', () => {
    const h = regionTamperHistory('us-east-1', inputs([looked('StopLogging', '2026-11-02T00:00:00Z', 'n', null), looked('DeleteTrail', '2026-11-03T00:00:00Z', 's', 'text')])).value!;
    expect(h.tamperCalls).toEqual([
      { eventName: 'StopLogging', eventId: 'n', time: '2026-11-02T00:00:00Z', who: null, sourceIPAddress: null, userAgent: null, errorCode: null, target: null },
      { eventName: 'DeleteTrail', eventId: 's', time: '2026-11-03T00:00:00Z', who: null, sourceIPAddress: null, userAgent: null, errorCode: null, target: null },
    ]);
  });

  it('names the event data store a call targets', () => {
    const store = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:eventdatastore/lake`;
    const h = regionTamperHistory('us-east-1', inputs([looked('StopEventDataStoreIngestion', '2026-11-02T00:00:00Z', 'e', { requestParameters: { eventDataStore: store } })])).value!;
    expect(h.tamperCalls[0]?.target).toBe(store);
  });
});

describe('loggingGaps edges', () => {
  it('orders a trail\'s switches by time whatever order the calls come in', () => {
    const calls = [call('StartLogging', '2026-11-20T00:00:00Z'), call('StopLogging', '2026-11-10T00:00:00Z')];
    expect(loggingGaps(WINDOW, [{ arn: TRAIL, isLogging: true }], calls)).toEqual([{ start: '2026-11-10T00:00:00Z', end: '2026-11-20T00:00:00Z' }]);
  });

  it('a second stop inside a gap does not move its start', () => {
    const calls = [call('StopLogging', '2026-11-10T00:00:00Z'), call('DeleteTrail', '2026-11-12T00:00:00Z')];
    expect(loggingGaps(WINDOW, [{ arn: TRAIL, isLogging: false }], calls)).toEqual([{ start: '2026-11-10T00:00:00Z', end: WINDOW.end }]);
  });
});

describe('account.tamperHistory: how calls and StopLoggingTime date a gap', () => {
  const record = (regions: Record<string, LookedUpEvent[]>): AccountRecord => ({
    accountId: ACCOUNT,
    regions: Object.entries(regions).map(([region, events]) => ({ region, trails: { value: [] }, detective: { tamperHistory: inputs(events) } })),
    trailDetails: {},
  });
  const trail = (over: Partial<TrailFacts> = {}): TrailFacts => ({ arn: TRAIL, name: 'main', isMultiRegion: true, isLogging: false, managementEvents: { read: true, write: true, excludedSources: [] }, ...over }) as TrailFacts;
  const status = (IsLogging: boolean, StopLoggingTime?: string) => (): TrailDetail => ({ TrailARN: TRAIL, status: { value: { IsLogging, ...(StopLoggingTime ? { StopLoggingTime } : {}) } }, eventSelectors: { value: {} } });

  it('sorts the calls of all regions by time, then by event id', () => {
    const facts = accountTamperHistory(record({ 'eu-west-1': [looked('StopLogging', '2026-11-20T00:00:00Z', 'late'), looked('DeleteTrail', '2026-11-10T00:00:00Z', 'y')], 'us-east-1': [looked('UpdateTrail', '2026-11-10T00:00:00Z', 'x'), looked('UpdateTrail', '2026-11-05T00:00:00Z', 'first')] }), { value: [trail({ isLogging: true })] }, () => undefined);
    expect(facts.calls.map((c) => c.eventId)).toEqual(['first', 'x', 'y', 'late']);
  });

  it('a logging trail\'s last StopLoggingTime opens no gap', () => {
    expect(accountTamperHistory(record({ 'us-east-1': [] }), { value: [trail({ isLogging: true })] }, status(true, '2026-11-15T00:00:00Z')).gaps).toEqual([]);
  });

  it('StopLoggingTime before or after the window does not date the gap: the whole window is one', () => {
    const whole = [{ from: WINDOW.start, to: WINDOW.end, minutes: 43200 }];
    expect(accountTamperHistory(record({ 'us-east-1': [] }), { value: [trail()] }, status(false, '2026-10-01T00:00:00Z')).gaps).toEqual(whole);
    expect(accountTamperHistory(record({ 'us-east-1': [] }), { value: [trail()] }, status(false, '2026-12-02T00:00:00Z')).gaps).toEqual(whole);
  });

  it('a trail whose status could not be read has no StopLoggingTime to add', () => {
    const failed = (): TrailDetail => ({ TrailARN: TRAIL, status: { error: { operation: 'cloudtrail:GetTrailStatus', code: 'AccessDenied', message: 'no' } }, eventSelectors: { value: {} } });
    expect(accountTamperHistory(record({ 'us-east-1': [] }), { value: [trail()] }, failed).gaps).toEqual([{ from: WINDOW.start, to: WINDOW.end, minutes: 43200 }]);
  });

  it('successful calls naming the trail (by ARN or by name) date its switches; StopLoggingTime is then not added', () => {
    for (const target of [TRAIL, 'main']) {
      const events = [looked('StopLogging', '2026-11-10T00:00:00Z', 'a', { requestParameters: { name: target } }), looked('StartLogging', '2026-11-12T00:00:00Z', 'b', { requestParameters: { name: target } })];
      expect(accountTamperHistory(record({ 'us-east-1': events }), { value: [trail()] }, status(false, '2026-11-20T00:00:00Z')).gaps).toEqual([{ from: '2026-11-10T00:00:00Z', to: '2026-11-12T00:00:00Z', minutes: 2880 }]);
    }
  });

  it('a denied call, or a call on another trail, does not date the trail: StopLoggingTime does', () => {
    const denied = [looked('StopLogging', '2026-11-10T00:00:00Z', 'a', { requestParameters: { name: TRAIL }, errorCode: 'AccessDenied' })];
    const other = [looked('StopLogging', '2026-11-10T00:00:00Z', 'a', { requestParameters: { name: 'other-trail' } })];
    for (const events of [denied, other]) {
      expect(accountTamperHistory(record({ 'us-east-1': events }), { value: [trail()] }, status(false, '2026-11-20T00:00:00Z')).gaps).toEqual([{ from: '2026-11-20T00:00:00Z', to: WINDOW.end, minutes: 15840 }]);
    }
  });

  it('a trail of unknown management events with no reason says "not read"', () => {
    const unsure = trail({ managementEvents: undefined });
    expect(accountTamperHistory(record({ 'us-east-1': [] }), { value: [trail({ arn: `${TRAIL}-2`, name: 'other' }), unsure] }, () => undefined).unknown).toEqual({ gaps: `managementEvents of ${TRAIL} is unknown: not read` });
  });
});

describe('GuardDuty edges', () => {
  it('an absent detector list is no detector; a detector never read is unknown, naming it', () => {
    expect(regionGuardDuty('eu-west-1', { value: null, absent: 'none' })).toEqual({ region: 'eu-west-1', enabled: { value: false }, detail: 'no detector' });
    expect(regionGuardDuty('eu-west-1', { value: [{ DetectorId: 'd9' }] })).toEqual({ region: 'eu-west-1', enabled: { reason: 'guardduty:GetDetector d9 was not read' }, detail: 'guardduty:GetDetector d9 was not read' });
  });

  it('several suspended detectors are all named', () => {
    expect(regionGuardDuty('eu-west-1', { value: [{ DetectorId: 'a', Status: 'DISABLED' }, { DetectorId: 'b', Status: 'DISABLED' }] }).detail).toBe('detector a, b DISABLED (suspended)');
  });

  it('auto-enable: the legacy flag counts only without a mode; neither is unknown', () => {
    expect(organizationAutoEnable({ value: { AdminAccountId: '1' } })).toEqual({ reason: 'AutoEnableOrganizationMembers null is not a value this scanner knows' });
    expect(organizationAutoEnable({ value: { AdminAccountId: '1', AutoEnableOrganizationMembers: 'SOME', AutoEnable: true } })).toEqual({ reason: 'AutoEnableOrganizationMembers "SOME" is not a value this scanner knows' });
    expect(organizationAutoEnable({ value: { AdminAccountId: '1', AutoEnable: false } })).toEqual({ value: false });
  });

  it('a region of the organization configuration with no answer is not read, naming the region', () => {
    const header = { guardDutyOrganization: { 'us-east-1': undefined } } as unknown as SnapshotHeader;
    const reason = 'guardduty:DescribeOrganizationConfiguration in us-east-1 was not read';
    expect(organizationGuardDutyFacts(header).regions).toEqual([{ region: 'us-east-1', unknown: { adminAccountId: reason, mode: reason, autoEnable: 'guardduty:DescribeOrganizationConfiguration was not read' } }]);
  });
});
