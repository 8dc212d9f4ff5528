/**
 * Facts behind `cloudtrail-tamper-history`: the tampering calls of the window with who, when, from
 * where and their error code, read from LookupEvents answers built from the canonical records; and
 * the logging gaps derived from StopLogging / StartLogging calls and the trails' current status.
 */
import { describe, expect, it } from 'vitest';
import { HISTORY_EVENT_NAMES, loggingGaps, regionTamperHistory, type HistoryCall, type LookedUpEvent, type TamperHistoryInputs } from '../../src/model/tamper-history.ts';
import { cloudTrailRecord, type JsonObject, type TamperAction, type TamperCaller } from '../../src/model/tamper-events.ts';
import type { Fetched } from '../../src/snapshot/types.ts';

const WINDOW = { start: '2026-01-01T00:00:00Z', end: '2026-03-31T00:00:00Z' };
const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/organization-trail';
const OTHER = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/backup-trail';

/** A LookupEvents result as AWS returns it: a few fields, and the whole record as JSON text. */
function lookedUp(action: TamperAction, caller: TamperCaller, time: string): LookedUpEvent {
  const record: JsonObject = { ...cloudTrailRecord(action, caller), eventTime: time };
  return { EventId: String(record['eventID']), EventName: action, EventTime: time, Username: 'mallory', CloudTrailEvent: JSON.stringify(record) };
}

function inputs(events: LookedUpEvent[], over: Record<string, Fetched<LookedUpEvent[]>> = {}): TamperHistoryInputs {
  const byName = Object.fromEntries(HISTORY_EVENT_NAMES.map((name) => [name, { value: events.filter((e) => e.EventName === name) }]));
  return { window: WINDOW, events: { ...byName, ...over } };
}

describe('regionTamperHistory', () => {
  it('lists no call when the window is quiet', () => {
    expect(regionTamperHistory('us-east-1', inputs([])).value).toEqual({ region: 'us-east-1', tamperCalls: [], otherCalls: [] });
  });

  it('gives every quiet window of a region (calls outside it too) one frozen answer, and a region with a call its own lists', () => {
    const quiet = regionTamperHistory('eu-west-3', inputs([]));
    const outside = regionTamperHistory('eu-west-3', inputs([lookedUp('StopLogging', 'assumed-role-cli', '2025-12-31T23:59:59Z')]));
    expect(outside).toBe(quiet);
    expect(Object.isFrozen(quiet.value!.tamperCalls)).toBe(true);
    expect(regionTamperHistory('eu-west-2', inputs([])).value).toEqual({ region: 'eu-west-2', tamperCalls: [], otherCalls: [] });
    const busy = regionTamperHistory('eu-west-3', inputs([lookedUp('StopLogging', 'assumed-role-cli', '2026-02-01T00:00:00Z')])).value!;
    expect(busy.tamperCalls).toHaveLength(1);
    expect(busy.otherCalls).toEqual([]);
    expect(Object.isFrozen(busy.otherCalls)).toBe(false);
  });

  it('lists each call, oldest first, with who, when, from where, the target and the error code', () => {
    const history = regionTamperHistory(
      'us-east-1',
      inputs([lookedUp('StopLogging', 'assumed-role-cli', '2026-03-02T14:05:11Z'), lookedUp('StopLogging', 'denied-attempt', '2026-02-10T09:00:00Z')]),
    ).value!;
    const stopLogging = { eventName: 'StopLogging', eventId: expect.any(String) as string, sourceIPAddress: '203.0.113.75', target: TRAIL };
    expect(history.tamperCalls).toEqual<HistoryCall[]>([
      { ...stopLogging, time: '2026-02-10T09:00:00Z', who: 'arn:aws:sts::111122223333:assumed-role/Developer/mallory', userAgent: expect.stringContaining('aws-cli/2.15.30') as string, errorCode: 'AccessDenied' },
      {
        ...stopLogging,
        time: '2026-03-02T14:05:11Z',
        who: 'arn:aws:sts::111122223333:assumed-role/AdministratorAccess/mallory',
        userAgent: expect.stringContaining('command/cloudtrail.stop-logging') as string,
        errorCode: null,
      },
    ]);
  });

  it('names the event data store an event data store call targets, and keeps calls outside the window out', () => {
    const history = regionTamperHistory(
      'us-east-1',
      inputs([lookedUp('DeleteEventDataStore', 'root-console', '2026-01-05T00:00:00Z'), lookedUp('DeleteTrail', 'root-console', '2025-12-31T23:59:59Z')]),
    ).value!;
    expect(history.tamperCalls.map((c) => [c.eventName, c.target, c.who])).toEqual([
      ['DeleteEventDataStore', expect.stringContaining(':eventdatastore/'), 'arn:aws:iam::111122223333:root'],
    ]);
  });

  it('still lists a call whose CloudTrailEvent is not JSON, from LookupEvents’ own fields', () => {
    const broken = { ...lookedUp('UpdateTrail', 'iam-user-console', '2026-02-01T00:00:00Z'), CloudTrailEvent: '{"truncated' };
    expect(regionTamperHistory('us-east-1', inputs([broken])).value!.tamperCalls[0]).toMatchObject({ eventName: 'UpdateTrail', who: 'mallory', errorCode: null, target: null });
  });

  it('is unknown, with the failed call, when one name’s history could not be read', () => {
    const throttled = { error: { operation: 'cloudtrail:LookupEvents', code: 'ThrottlingException', message: 'Rate exceeded', region: 'us-east-1' } };
    expect(regionTamperHistory('us-east-1', inputs([], { PutEventSelectors: throttled })).reason).toBe('cloudtrail:LookupEvents (us-east-1) failed: ThrottlingException: Rate exceeded');
    const partial = inputs([]);
    delete partial.events['StartLogging'];
    expect(regionTamperHistory('us-east-1', partial).reason).toBe('cloudtrail:LookupEvents for StartLogging in us-east-1 was not read');
    expect(regionTamperHistory('eu-west-1', undefined).reason).toBe('cloudtrail:LookupEvents in eu-west-1 was not read');
  });
});

describe('loggingGaps', () => {
  const call = (eventName: string, time: string, target = TRAIL, errorCode: string | null = null): HistoryCall => ({
    eventName,
    eventId: `${eventName}-${time}`,
    time,
    who: null,
    sourceIPAddress: null,
    userAgent: null,
    errorCode,
    target,
  });

  it('finds none when the trail logged throughout', () => {
    expect(loggingGaps(WINDOW, [{ arn: TRAIL, isLogging: true }], [])).toEqual([]);
  });

  it('finds the interval between a StopLogging and the StartLogging that ended it', () => {
    const calls = [call('StopLogging', '2026-02-01T10:00:00Z'), call('StartLogging', '2026-02-01T10:45:00Z')];
    expect(loggingGaps(WINDOW, [{ arn: TRAIL, isLogging: true }], calls)).toEqual([{ start: '2026-02-01T10:00:00Z', end: '2026-02-01T10:45:00Z' }]);
  });

  it('runs a gap to the end of the window when logging never restarted', () => {
    expect(loggingGaps(WINDOW, [{ arn: TRAIL, isLogging: false }], [call('StopLogging', '2026-03-02T14:05:11Z', 'organization-trail')])).toEqual([
      { start: '2026-03-02T14:05:11Z', end: WINDOW.end },
    ]);
  });

  it('starts a gap at the window when the first call seen is a StartLogging', () => {
    expect(loggingGaps(WINDOW, [{ arn: TRAIL, isLogging: true }], [call('StartLogging', '2026-01-03T00:00:00Z')])).toEqual([{ start: WINDOW.start, end: '2026-01-03T00:00:00Z' }]);
  });

  it('ignores a denied StopLogging', () => {
    expect(loggingGaps(WINDOW, [{ arn: TRAIL, isLogging: true }], [call('StopLogging', '2026-02-01T10:00:00Z', TRAIL, 'AccessDenied')])).toEqual([]);
  });

  it('counts no gap while a second trail was still logging, only the overlap of both stopped', () => {
    const calls = [
      call('StopLogging', '2026-02-01T10:00:00Z'),
      call('StopLogging', '2026-02-01T10:20:00Z', OTHER),
      call('StartLogging', '2026-02-01T10:30:00Z'),
      call('StartLogging', '2026-02-01T11:00:00Z', OTHER),
    ];
    const trails = [
      { arn: TRAIL, isLogging: true },
      { arn: OTHER, isLogging: true },
    ];
    expect(loggingGaps(WINDOW, trails, calls)).toEqual([{ start: '2026-02-01T10:20:00Z', end: '2026-02-01T10:30:00Z' }]);
  });

  it('treats a DeleteTrail as the end of that trail’s logging, and the whole window as a gap without any trail', () => {
    expect(loggingGaps(WINDOW, [{ arn: TRAIL, isLogging: false }], [call('DeleteTrail', '2026-03-01T00:00:00Z')])).toEqual([{ start: '2026-03-01T00:00:00Z', end: WINDOW.end }]);
    expect(loggingGaps(WINDOW, [], [])).toEqual([{ start: WINDOW.start, end: WINDOW.end }]);
  });
});
