/**
 * The canonical tampering records, and which actions a metric filter or an EventBridge rule catches
 * when run over them. The traps are the ones a regex on the pattern text, or "a filter exists",
 * gets wrong.
 */
import { describe, expect, it } from 'vitest';
import { caughtActions, eventRuleCoverage, metricFilterCoverage } from '../../src/model/tamper-coverage.ts';
import { cloudTrailRecord, eventBridgeEvent, TAMPER_ACTIONS, tamperSamples, type TamperAction } from '../../src/model/tamper-events.ts';

const ALL = [...TAMPER_ACTIONS];
const TRAIL_ACTIONS: TamperAction[] = ['StopLogging', 'DeleteTrail', 'UpdateTrail'];

describe('the canonical records', () => {
  it('have one record per action and caller, each naming its action on CloudTrail', () => {
    const samples = tamperSamples();
    expect(samples).toHaveLength(TAMPER_ACTIONS.length * 4);
    for (const { action, record } of samples) {
      expect(record).toMatchObject({ eventName: action, eventSource: 'cloudtrail.amazonaws.com', eventType: 'AwsApiCall', managementEvent: true, readOnly: false });
    }
    expect(new Set(samples.map((s) => s.record['eventID'])).size).toBe(samples.length);
  });

  it('record a denied attempt with its error code and no response, and a successful call without one', () => {
    expect(cloudTrailRecord('StopLogging', 'denied-attempt')).toMatchObject({ errorCode: 'AccessDenied', responseElements: null });
    expect(cloudTrailRecord('UpdateTrail')).not.toHaveProperty('errorCode');
    expect(cloudTrailRecord('UpdateTrail')['responseElements']).toMatchObject({ logFileValidationEnabled: false });
  });

  it('survive the trip through a log event message (JSON text) unchanged', () => {
    for (const { record } of tamperSamples()) expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('are fresh copies, so one caller changing a sample cannot change another', () => {
    const first = cloudTrailRecord('StopLogging');
    (first['userIdentity'] as Record<string, unknown>)['type'] = 'Changed';
    expect(cloudTrailRecord('StopLogging')['userIdentity']).toMatchObject({ type: 'AssumedRole' });
  });

  it('arrive on EventBridge as "AWS API Call via CloudTrail" from aws.cloudtrail, the record as detail', () => {
    const record = cloudTrailRecord('DeleteEventDataStore', 'root-console');
    expect(eventBridgeEvent(record)).toMatchObject({
      version: '0',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.cloudtrail',
      account: '111122223333',
      region: 'us-east-1',
      time: record['eventTime'],
      detail: { eventName: 'DeleteEventDataStore', eventSource: 'cloudtrail.amazonaws.com', userIdentity: { type: 'Root' } },
    });
  });
});

describe('metric filters: which tampering actions a pattern catches', () => {
  it.each<[string, string, TamperAction[]]>([
    ['every CloudTrail call', '{ $.eventSource = cloudtrail.amazonaws.com }', ALL],
    ['every CloudTrail call, quoted', '{ ($.eventSource = "cloudtrail.amazonaws.com") }', ALL],
    ['every event (empty pattern)', '', ALL],
    [
      'CIS 4.5: misses the selectors and the event data store actions',
      '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
      TRAIL_ACTIONS,
    ],
    [
      'all seven, listed',
      '{ ($.eventName = StopLogging) || ($.eventName = "DeleteTrail") || ($.eventName = UpdateTrail) || ($.eventName = PutEventSelectors) || ($.eventName = PutInsightSelectors) || ($.eventName = DeleteEventDataStore) || ($.eventName = StopEventDataStoreIngestion) }',
      ALL,
    ],
    ['a typo in an event name misses StopLogging', '{ ($.eventName = StopLoging) || ($.eventName = DeleteTrail) || ($.eventName = UpdateTrail) }', ['DeleteTrail', 'UpdateTrail']],
    ['event names are case-sensitive', '{ $.eventName = stoplogging }', []],
    ['!= StopLogging names StopLogging but excludes it', '{ $.eventSource = cloudtrail.amazonaws.com && $.eventName != StopLogging }', ALL.filter((a) => a !== 'StopLogging')],
    ['a trailing wildcard', '{ $.eventName = Stop* }', ['StopLogging', 'StopEventDataStoreIngestion']],
    ['a leading wildcard', '{ $.eventName = "*Trail" }', ['DeleteTrail', 'UpdateTrail']],
    [
      'every write to CloudTrail',
      '{ ($.eventSource = cloudtrail.amazonaws.com) && ($.eventName != Describe*) && ($.eventName != Get*) && ($.eventName != List*) && ($.eventName != LookupEvents) }',
      ALL,
    ],
    ['only IAM users: misses roles and root', '{ $.eventSource = cloudtrail.amazonaws.com && $.userIdentity.type = IAMUser }', []],
    ['only failed calls', '{ $.eventName = StopLogging && $.errorCode = "AccessDenied" }', []],
    ['only successful calls', '{ $.eventName = StopLogging && $.errorCode NOT EXISTS }', ['StopLogging']],
    ['another service', '{ $.eventSource = kms.amazonaws.com }', []],
    ['a field no record has', '{ $.eventSource = cloudtrail.amazonaws.com && $.additionalEventData.MFAUsed = Yes }', []],
  ])('%s', (_name, pattern, caught) => {
    expect(caughtActions(metricFilterCoverage(pattern))).toEqual(caught);
  });

  it('names the callers a pattern misses', () => {
    const coverage = metricFilterCoverage('{ $.eventName = StopLogging && $.userIdentity.type = Root }', ['StopLogging']);
    expect(coverage).toEqual([{ action: 'StopLogging', caught: { value: false }, missedCallers: ['assumed-role-cli', 'iam-user-console'], deniedAttemptCaught: { value: false } }]);
  });

  it('says whether a denied attempt would be caught too', () => {
    const [all] = metricFilterCoverage('{ $.eventName = StopLogging }', ['StopLogging']);
    const [successOnly] = metricFilterCoverage('{ $.eventName = StopLogging && $.errorCode NOT EXISTS }', ['StopLogging']);
    expect(all!.deniedAttemptCaught).toEqual({ value: true });
    expect(successOnly!.deniedAttemptCaught).toEqual({ value: false });
  });

  it('leaves a pattern it cannot read unknown for every action, with the reason', () => {
    const coverage = metricFilterCoverage('?StopLogging ?DeleteTrail');
    expect(caughtActions(coverage)).toEqual([]);
    for (const c of coverage) {
      expect(c.caught.value).toBeUndefined();
      expect(c.caught.reason).toContain('"?StopLogging ?DeleteTrail" is not a JSON filter pattern');
    }
  });

  it('is unknown only where an undecidable comparison matters', () => {
    const coverage = metricFilterCoverage('{ $.eventName = StopLogging || ($.eventName = DeleteTrail && $.readOnly = false) }', ['StopLogging', 'DeleteTrail', 'UpdateTrail']);
    expect(coverage.map((c) => [c.action, c.caught.value])).toEqual([
      ['StopLogging', true],
      ['DeleteTrail', undefined],
      ['UpdateTrail', false],
    ]);
  });
});

describe('EventBridge rules: which tampering actions a pattern catches', () => {
  const onCloudTrail = (detail: object) => JSON.stringify({ source: ['aws.cloudtrail'], 'detail-type': ['AWS API Call via CloudTrail'], detail });
  it.each<[string, string, TamperAction[]]>([
    ['all seven, listed', onCloudTrail({ eventSource: ['cloudtrail.amazonaws.com'], eventName: ALL }), ALL],
    ['every CloudTrail call', JSON.stringify({ source: ['aws.cloudtrail'] }), ALL],
    ['the trail actions only', onCloudTrail({ eventName: ['StopLogging', 'DeleteTrail', 'UpdateTrail'] }), TRAIL_ACTIONS],
    ['a prefix that misses UpdateTrail', onCloudTrail({ eventName: [{ prefix: 'StopLog' }, { prefix: 'DeleteT' }] }), ['StopLogging', 'DeleteTrail']],
    ['a prefix in the wrong case', onCloudTrail({ eventName: [{ prefix: 'stop' }] }), []],
    ['a prefix ignoring case', onCloudTrail({ eventName: [{ prefix: { 'equals-ignore-case': 'stop' } }] }), ['StopLogging', 'StopEventDataStoreIngestion']],
    ['anything-but that excludes StopLogging', onCloudTrail({ eventName: [{ 'anything-but': ['StopLogging', 'StartLogging'] }] }), ALL.filter((a) => a !== 'StopLogging')],
    ['anything-but a prefix', onCloudTrail({ eventName: [{ 'anything-but': { prefix: 'Stop' } }] }), ['DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors', 'DeleteEventDataStore']],
    ['anything-but the read-only calls', onCloudTrail({ eventName: [{ 'anything-but': { wildcard: ['Describe*', 'Get*', 'List*'] } }] }), ALL],
    ['a typo', onCloudTrail({ eventName: ['StopLoging', 'DeleteTrail'] }), ['DeleteTrail']],
    ['a suffix', onCloudTrail({ eventName: [{ suffix: 'Trail' }] }), ['DeleteTrail', 'UpdateTrail']],
    ['a wildcard', onCloudTrail({ eventName: [{ wildcard: '*EventDataStore*' }] }), ['DeleteEventDataStore', 'StopEventDataStoreIngestion']],
    ['equals-ignore-case', onCloudTrail({ eventName: [{ 'equals-ignore-case': 'stoplogging' }] }), ['StopLogging']],
    ['the console sign-in detail type', JSON.stringify({ source: ['aws.cloudtrail'], 'detail-type': ['AWS Console Sign In via CloudTrail'] }), []],
    ['another source', JSON.stringify({ source: ['aws.s3'], detail: { eventName: ['StopLogging'] } }), []],
    ['only root', onCloudTrail({ userIdentity: { type: ['Root'] } }), []],
    ['only successful calls', onCloudTrail({ errorCode: [{ exists: false }] }), ALL],
    ['only one address range', onCloudTrail({ sourceIPAddress: [{ cidr: '203.0.113.0/24' }] }), []],
    [
      '$or of two lists',
      JSON.stringify({ source: ['aws.cloudtrail'], $or: [{ detail: { eventName: ['StopLogging', 'DeleteTrail'] } }, { detail: { eventName: [{ prefix: 'Put' }] } }] }),
      ['StopLogging', 'DeleteTrail', 'PutEventSelectors', 'PutInsightSelectors'],
    ],
  ])('%s', (_name, pattern, caught) => {
    expect(caughtActions(eventRuleCoverage(pattern))).toEqual(caught);
  });

  it('leaves a pattern with an operator it does not know unknown, with the reason', () => {
    const coverage = eventRuleCoverage(onCloudTrail({ eventName: [{ contains: 'Logging' }] }));
    expect(caughtActions(coverage)).toEqual([]);
    expect(coverage[0]!.caught.reason).toContain('uses the operator "contains", which this matcher does not know');
  });
});

describe('coverage of a pattern met again', () => {
  const filter = '{ ($.eventSource = cloudtrail.amazonaws.com) && ($.eventName = StopLogging) }';
  const event = JSON.stringify({ source: ['aws.cloudtrail'], detail: { eventName: ['StopLogging'] } });

  it('is the coverage judged the first time, shared and frozen, for the same text and actions only', () => {
    const first = metricFilterCoverage(filter, TRAIL_ACTIONS);
    expect(metricFilterCoverage(filter, TRAIL_ACTIONS)).toBe(first);
    expect(Object.isFrozen(first[0]?.missedCallers)).toBe(true);
    expect(caughtActions(first)).toEqual(['StopLogging']);
    // Other actions, another text, or the same text read as the other kind of pattern: judged on their own.
    expect(metricFilterCoverage(filter, ['StopLogging']).map((c) => c.action)).toEqual(['StopLogging']);
    expect(caughtActions(metricFilterCoverage(filter.replace('StopLogging', 'DeleteTrail'), TRAIL_ACTIONS))).toEqual(['DeleteTrail']);
    expect(caughtActions(eventRuleCoverage(event, TRAIL_ACTIONS))).toEqual(['StopLogging']);
    expect(eventRuleCoverage(filter, TRAIL_ACTIONS)).not.toBe(first);
    expect(caughtActions(eventRuleCoverage(filter, TRAIL_ACTIONS))).toEqual([]);
  });
});
