import { describe, expect, it } from 'vitest';
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '../../src/snapshot/types.ts';
import {
  bucketAccessCoverage,
  classicAsAdvanced,
  type AccessKind,
  type CoverageStatus,
  type CoverageTarget,
  type DataEventRecorder,
} from '../../src/model/data-event-coverage.ts';
import { known, unknownBecause } from '../../src/model/known.ts';

const TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/main';
const ORG_TRAIL = 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org';
const EDS = 'arn:aws:cloudtrail:us-east-1:111111111111:eventdatastore/abc';
const BUCKET: CoverageTarget = { bucket: 'customer-pii', region: 'us-east-1', partition: 'aws' };

function classicTrail(selectors: EventSelector[], over: Partial<DataEventRecorder> = {}): DataEventRecorder {
  return { arn: TRAIL, kind: 'trail', multiRegion: true, homeRegion: 'us-east-1', active: known(true), selectors: known({ type: 'classic', selectors }), ...over };
}
function advancedTrail(selectors: AdvancedEventSelector[], over: Partial<DataEventRecorder> = {}): DataEventRecorder {
  return { arn: TRAIL, kind: 'trail', multiRegion: true, homeRegion: 'us-east-1', active: known(true), selectors: known({ type: 'advanced', selectors }), ...over };
}
const s3Values = (values: string[], ReadWriteType: EventSelector['ReadWriteType'] = 'All'): EventSelector => ({
  ReadWriteType,
  IncludeManagementEvents: true,
  DataResources: [{ Type: 'AWS::S3::Object', Values: values }],
});
/** An advanced selector for S3 object data events plus extra field selectors. */
const s3Adv = (...extra: AdvancedFieldSelector[]): AdvancedEventSelector => ({
  Name: 'Log all S3 reads and writes of everything',
  FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, ...extra],
});

type Row = [name: string, recorders: DataEventRecorder[], read: CoverageStatus, write: CoverageStatus, target?: CoverageTarget];

const rows: Row[] = [
  // ---- classic DataResources ----
  ['classic arn:aws:s3 (every bucket)', [classicTrail([s3Values(['arn:aws:s3'])])], 'covered', 'covered'],
  ['classic arn:aws:s3::: (older every-bucket form)', [classicTrail([s3Values(['arn:aws:s3:::'])])], 'covered', 'covered'],
  ['classic whole bucket arn:aws:s3:::customer-pii/', [classicTrail([s3Values(['arn:aws:s3:::customer-pii/'])])], 'covered', 'covered'],
  ['classic bucket without trailing slash', [classicTrail([s3Values(['arn:aws:s3:::customer-pii'])])], 'covered', 'covered'],
  ['classic object prefix only', [classicTrail([s3Values(['arn:aws:s3:::customer-pii/exports/'])])], 'partial', 'partial'],
  ['classic other bucket sharing a name prefix', [classicTrail([s3Values(['arn:aws:s3:::customer-pii-archive/'])])], 'not-covered', 'not-covered'],
  ['classic ReadOnly', [classicTrail([s3Values(['arn:aws:s3'], 'ReadOnly')])], 'covered', 'not-covered'],
  ['classic WriteOnly', [classicTrail([s3Values(['arn:aws:s3:::customer-pii/'], 'WriteOnly')])], 'not-covered', 'covered'],
  ['classic ReadOnly + WriteOnly selectors together', [classicTrail([s3Values(['arn:aws:s3'], 'ReadOnly'), s3Values(['arn:aws:s3:::customer-pii/'], 'WriteOnly')])], 'covered', 'covered'],
  ['classic management events only', [classicTrail([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }])], 'not-covered', 'not-covered'],
  ['classic Lambda data resources only', [classicTrail([{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }] }])], 'not-covered', 'not-covered'],
  // ---- advanced: resources.ARN with every operator ----
  ['advanced, no ARN restriction', [advancedTrail([s3Adv()])], 'covered', 'covered'],
  ['advanced ARN StartsWith bucket/', [advancedTrail([s3Adv({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::customer-pii/'] })])], 'covered', 'covered'],
  ['advanced ARN StartsWith arn:aws:s3:::', [advancedTrail([s3Adv({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::'] })])], 'covered', 'covered'],
  ['advanced ARN StartsWith a prefix', [advancedTrail([s3Adv({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::customer-pii/pii/'] })])], 'partial', 'partial'],
  ['advanced ARN StartsWith a name-prefix sibling bucket', [advancedTrail([s3Adv({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::customer-pii-archive/'] })])], 'not-covered', 'not-covered'],
  ['advanced ARN Equals one object', [advancedTrail([s3Adv({ Field: 'resources.ARN', Equals: ['arn:aws:s3:::customer-pii/a.csv'] })])], 'partial', 'partial'],
  ['advanced ARN Equals the bucket ARN (matches no object)', [advancedTrail([s3Adv({ Field: 'resources.ARN', Equals: ['arn:aws:s3:::customer-pii'] })])], 'not-covered', 'not-covered'],
  ['advanced ARN EndsWith .csv', [advancedTrail([s3Adv({ Field: 'resources.ARN', EndsWith: ['.csv'] })])], 'partial', 'partial'],
  ['advanced ARN NotEquals one object', [advancedTrail([s3Adv({ Field: 'resources.ARN', NotEquals: ['arn:aws:s3:::customer-pii/secret'] })])], 'partial', 'partial'],
  ['advanced ARN NotEquals another bucket object', [advancedTrail([s3Adv({ Field: 'resources.ARN', NotEquals: ['arn:aws:s3:::other/secret'] })])], 'covered', 'covered'],
  ['advanced ARN NotStartsWith tmp/', [advancedTrail([s3Adv({ Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::customer-pii/tmp/'] })])], 'partial', 'partial'],
  ['advanced ARN NotStartsWith the bucket', [advancedTrail([s3Adv({ Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::customer-pii/'] })])], 'not-covered', 'not-covered'],
  ['advanced ARN NotStartsWith another bucket', [advancedTrail([s3Adv({ Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::scratch/'] })])], 'covered', 'covered'],
  ['advanced ARN NotEndsWith .tmp', [advancedTrail([s3Adv({ Field: 'resources.ARN', NotEndsWith: ['.tmp'] })])], 'partial', 'partial'],
  ['advanced prefix + its complement in two selectors', [advancedTrail([s3Adv({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::customer-pii/a/'] }), s3Adv({ Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::customer-pii/a/'] })])], 'covered', 'covered'],
  ['advanced StartsWith and NotStartsWith the same prefix', [advancedTrail([s3Adv({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::customer-pii/a/'], NotStartsWith: ['arn:aws:s3:::customer-pii/a/'] })])], 'not-covered', 'not-covered'],
  // ---- advanced: readOnly, eventCategory, resources.type ----
  ['advanced readOnly Equals true', [advancedTrail([s3Adv({ Field: 'readOnly', Equals: ['true'] })])], 'covered', 'not-covered'],
  ['advanced readOnly Equals false', [advancedTrail([s3Adv({ Field: 'readOnly', Equals: ['false'] })])], 'not-covered', 'covered'],
  ['advanced readOnly NotEquals true', [advancedTrail([s3Adv({ Field: 'readOnly', NotEquals: ['true'] })])], 'not-covered', 'covered'],
  ['advanced eventCategory Management', [advancedTrail([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }])], 'not-covered', 'not-covered'],
  ['advanced eventCategory NotEquals Management (all data)', [advancedTrail([{ FieldSelectors: [{ Field: 'eventCategory', NotEquals: ['Management'] }] }])], 'covered', 'covered'],
  ['advanced resources.type Lambda', [advancedTrail([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] }] }])], 'not-covered', 'not-covered'],
  ['advanced resources.type StartsWith AWS::S3::', [advancedTrail([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', StartsWith: ['AWS::S3::'] }] }])], 'covered', 'covered'],
  ['advanced resources.type EndsWith ::Object', [advancedTrail([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', EndsWith: ['::Object'] }] }])], 'covered', 'covered'],
  ['advanced resources.type NotStartsWith AWS::S3', [advancedTrail([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', NotStartsWith: ['AWS::S3'] }] }])], 'not-covered', 'not-covered'],
  ['advanced resources.type NotEndsWith ::Object', [advancedTrail([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', NotEndsWith: ['::Object'] }] }])], 'not-covered', 'not-covered'],
  // ---- advanced: eventName ----
  ['advanced eventName NotEquals GetObject', [advancedTrail([s3Adv({ Field: 'eventName', NotEquals: ['GetObject'] })])], 'partial', 'covered'],
  ['advanced eventName Equals PutObject only', [advancedTrail([s3Adv({ Field: 'eventName', Equals: ['PutObject'] })])], 'not-covered', 'partial'],
  ['advanced eventName StartsWith Get', [advancedTrail([s3Adv({ Field: 'eventName', StartsWith: ['Get'] })])], 'partial', 'not-covered'],
  ['advanced eventName NotStartsWith Delete', [advancedTrail([s3Adv({ Field: 'eventName', NotStartsWith: ['Delete'] })])], 'covered', 'partial'],
  ['advanced eventName EndsWith Object', [advancedTrail([s3Adv({ Field: 'eventName', EndsWith: ['Object'] })])], 'partial', 'partial'],
  ['advanced eventName NotEndsWith Tagging', [advancedTrail([s3Adv({ Field: 'eventName', NotEndsWith: ['Tagging'] })])], 'partial', 'partial'],
  // ---- advanced: other fields ----
  ['advanced userIdentity.arn NotStartsWith a role', [advancedTrail([s3Adv({ Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::111111111111:assumed-role/etl/'] })])], 'partial', 'partial'],
  ['advanced eventSource Equals s3.amazonaws.com', [advancedTrail([s3Adv({ Field: 'eventSource', Equals: ['s3.amazonaws.com'] })])], 'covered', 'covered'],
  ['advanced errorCode Equals AccessDenied', [advancedTrail([s3Adv({ Field: 'errorCode', Equals: ['AccessDenied'] })])], 'partial', 'partial'],
  // ---- which recorders count ----
  ['trail not logging', [classicTrail([s3Values(['arn:aws:s3'])], { active: known(false), inactiveBecause: 'not logging' })], 'not-covered', 'not-covered'],
  ['trail logging status unknown', [classicTrail([s3Values(['arn:aws:s3'])], { active: unknownBecause('GetTrailStatus failed') })], 'unknown', 'unknown'],
  ['logging status unknown, but it records no S3 objects', [classicTrail([{ ReadWriteType: 'All', IncludeManagementEvents: true }], { active: unknownBecause('GetTrailStatus failed') })], 'not-covered', 'not-covered'],
  ['selectors unreadable', [classicTrail([], { selectors: unknownBecause('GetEventSelectors failed: AccessDenied') })], 'unknown', 'unknown'],
  ['selectors unreadable, but another trail covers all', [classicTrail([s3Values(['arn:aws:s3'])]), classicTrail([], { arn: ORG_TRAIL, selectors: unknownBecause('GetEventSelectors failed') })], 'covered', 'covered'],
  ['single-region trail in the bucket region', [classicTrail([s3Values(['arn:aws:s3'])], { multiRegion: false })], 'covered', 'covered'],
  ['single-region trail in another region', [classicTrail([s3Values(['arn:aws:s3'])], { multiRegion: false, homeRegion: 'eu-west-1' })], 'not-covered', 'not-covered'],
  ['single-region trail, bucket region unknown', [classicTrail([s3Values(['arn:aws:s3'])], { multiRegion: false })], 'unknown', 'unknown', { bucket: 'customer-pii', partition: 'aws' }],
  ['multi-region trail, bucket region unknown', [classicTrail([s3Values(['arn:aws:s3'])])], 'covered', 'covered', { bucket: 'customer-pii', partition: 'aws' }],
  ['organization trail', [classicTrail([s3Values(['arn:aws:s3:::customer-pii/'])], { arn: ORG_TRAIL })], 'covered', 'covered'],
  ['event data store, all S3 objects', [advancedTrail([s3Adv()], { arn: EDS, kind: 'event-data-store' })], 'covered', 'covered'],
  ['event data store, not ENABLED', [advancedTrail([s3Adv()], { arn: EDS, kind: 'event-data-store', active: known(false), inactiveBecause: 'status STOPPED_INGESTION' })], 'not-covered', 'not-covered'],
  ['reads by a trail, writes by an event data store', [classicTrail([s3Values(['arn:aws:s3'], 'ReadOnly')]), advancedTrail([s3Adv({ Field: 'readOnly', Equals: ['false'] })], { arn: EDS, kind: 'event-data-store' })], 'covered', 'covered'],
  ['no recorders', [], 'not-covered', 'not-covered'],
  ['GovCloud partition', [classicTrail([s3Values(['arn:aws-us-gov:s3'])])], 'covered', 'covered', { bucket: 'customer-pii', region: 'us-gov-west-1', partition: 'aws-us-gov' }],
];

describe('bucketAccessCoverage', () => {
  const cases = rows.flatMap(([name, recorders, read, write, target]) => [
    [name, recorders, 'read', read, target ?? BUCKET] as const,
    [name, recorders, 'write', write, target ?? BUCKET] as const,
  ]);
  it.each(cases)('%s → %s is %s', (_name, recorders, access: AccessKind, expected, target) => {
    expect(bucketAccessCoverage(target, access, recorders).status).toBe(expected);
  });

  it('names the trail ARN and selector position as evidence, never the selector name', () => {
    const r = bucketAccessCoverage(BUCKET, 'read', [
      classicTrail([{ ReadWriteType: 'All', IncludeManagementEvents: true }, s3Values(['arn:aws:s3:::customer-pii/'])]),
    ]);
    expect(r.by).toEqual([{ source: TRAIL, kind: 'trail', selector: 1, selectorType: 'classic', scope: 'all' }]);
    const named = bucketAccessCoverage(BUCKET, 'read', [advancedTrail([{ Name: 'covers customer-pii', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }])]);
    expect(named.status).toBe('not-covered');
    expect(named.by).toEqual([]);
  });

  it('reports the prefixes that are left out', () => {
    const r = bucketAccessCoverage(BUCKET, 'write', [classicTrail([s3Values(['arn:aws:s3:::customer-pii/exports/'])])]);
    expect(r.missing).toEqual(['objects arn:aws:s3:::customer-pii/* except arn:aws:s3:::customer-pii/exports/*']);
    expect(r.by[0]?.scope).toBe('partial');
    const excluded = bucketAccessCoverage(BUCKET, 'read', [advancedTrail([s3Adv({ Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::customer-pii/tmp/'] })])]);
    expect(excluded.missing).toEqual(['objects arn:aws:s3:::customer-pii/tmp/*']);
  });

  it('reports the event names that are dropped', () => {
    const r = bucketAccessCoverage(BUCKET, 'read', [advancedTrail([s3Adv({ Field: 'eventName', NotEquals: ['GetObject'] })])]);
    expect(r.missing).toEqual(['eventName GetObject']);
    const w = bucketAccessCoverage(BUCKET, 'write', [advancedTrail([s3Adv({ Field: 'eventName', Equals: ['PutObject'] })])]);
    expect(w.missing[0]).toContain('DeleteObject');
    expect(w.missing[0]).not.toContain('PutObject,');
    expect(w.missing).toContain('other write event names');
  });

  it('reports filters on other fields', () => {
    const r = bucketAccessCoverage(BUCKET, 'read', [advancedTrail([s3Adv({ Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::111111111111:assumed-role/etl/'] })])]);
    expect(r.missing).toEqual(['events filtered on userIdentity.arn']);
  });

  it('explains trails that would record but do not count', () => {
    const r = bucketAccessCoverage(BUCKET, 'read', [classicTrail([s3Values(['arn:aws:s3'])], { multiRegion: false, homeRegion: 'eu-west-1' })]);
    expect(r.notCounted).toEqual([{ source: TRAIL, reason: 'records only eu-west-1, the bucket is in us-east-1' }]);
    expect(r.missing).toEqual(['all object read events']);
  });

  it('keeps the reason when coverage is unknown', () => {
    const r = bucketAccessCoverage(BUCKET, 'write', [classicTrail([], { selectors: unknownBecause('GetEventSelectors failed: AccessDenied') })]);
    expect(r.unknownReasons).toEqual([`${TRAIL}: GetEventSelectors failed: AccessDenied`]);
  });
});

describe('classicAsAdvanced', () => {
  it('matches bucket names exactly', () => {
    expect(classicAsAdvanced(s3Values(['arn:aws:s3:::logs']))?.FieldSelectors).toContainEqual({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::logs/'] });
  });
  it('drops selectors without S3 object resources', () => {
    expect(classicAsAdvanced({ ReadWriteType: 'All', IncludeManagementEvents: true })).toBeNull();
  });
});

describe('bucketAccessCoverage: evidence and gaps', () => {
  it('a recorder of unknown state counts as a doubt only where the counted ones leave a gap', () => {
    const doubtful = classicTrail([s3Values(['arn:aws:s3'])], { arn: ORG_TRAIL, active: unknownBecause('GetTrailStatus failed') });
    const partial = bucketAccessCoverage(BUCKET, 'read', [classicTrail([s3Values(['arn:aws:s3:::customer-pii/exports/'])]), doubtful]);
    expect(partial.status).toBe('unknown');
    expect(partial.unknownReasons).toEqual([`${ORG_TRAIL}: GetTrailStatus failed`]);
    const full = bucketAccessCoverage(BUCKET, 'read', [classicTrail([s3Values(['arn:aws:s3'])]), doubtful]);
    expect(full.status).toBe('covered');
    expect(full.unknownReasons).toEqual([]);
    expect(full.missing).toEqual([]);
  });

  it('a gap with no doubt is partial and carries no unknown reasons', () => {
    const r = bucketAccessCoverage(BUCKET, 'read', [classicTrail([s3Values(['arn:aws:s3:::customer-pii/exports/'])])]);
    expect(r.status).toBe('partial');
    expect(r.unknownReasons).toEqual([]);
  });

  it('a single-region recorder with the bucket region unknown is named as the doubt', () => {
    const r = bucketAccessCoverage({ bucket: 'customer-pii', partition: 'aws' }, 'write', [classicTrail([s3Values(['arn:aws:s3'])], { multiRegion: false })]);
    expect(r.unknownReasons).toEqual([`${TRAIL} records only us-east-1 and the bucket's region is unknown`]);
  });

  it('a not-counted recorder is listed once however many of its selectors would record, and only if one would', () => {
    const stopped = { active: known(false) };
    const r = bucketAccessCoverage(BUCKET, 'read', [
      classicTrail([s3Values(['arn:aws:s3']), s3Values(['arn:aws:s3:::customer-pii/'])], stopped),
      classicTrail([s3Values(['arn:aws:s3:::elsewhere/'])], { ...stopped, arn: ORG_TRAIL, inactiveBecause: 'not logging' }),
    ]);
    expect(r.notCounted).toEqual([{ source: TRAIL, reason: 'not recording' }]);
    expect(r.status).toBe('not-covered');
  });

  it('the evidence lists recorders sorted by ARN, each selector that records some of the events with its scope', () => {
    const r = bucketAccessCoverage(BUCKET, 'write', [
      advancedTrail([s3Adv({ Field: 'readOnly', Equals: ['false'] })], { arn: EDS, kind: 'event-data-store' }),
      classicTrail([s3Values(['arn:aws:s3:::customer-pii/exports/'], 'WriteOnly'), s3Values(['arn:aws:s3'], 'ReadOnly')]),
    ]);
    expect(r.status).toBe('covered');
    expect(r.by).toEqual([
      { source: EDS, kind: 'event-data-store', selector: 0, selectorType: 'advanced', scope: 'all' },
      { source: TRAIL, kind: 'trail', selector: 0, selectorType: 'classic', scope: 'partial' },
    ]);
  });

  it('selectors too complex to decide exhaustively give unknown, never a guess', () => {
    const many = (field: string, n: number): AdvancedFieldSelector => ({ Field: field, Equals: Array.from({ length: n }, (_, i) => `${field}-${i}`) });
    const r = bucketAccessCoverage(BUCKET, 'read', [advancedTrail([s3Adv(many('userIdentity.arn', 60), many('errorCode', 60), many('sourceIPAddress', 60))])]);
    expect(r).toEqual({ status: 'unknown', by: [], missing: [], notCounted: [], unknownReasons: ['the selectors are too complex to decide coverage exhaustively'] });
    expect(bucketAccessCoverage(BUCKET, 'read', [advancedTrail([s3Adv(many('userIdentity.arn', 3))])]).status).toBe('partial');
  });

  it('names the covered exceptions inside a missing object range, and the field filters left unexplained', () => {
    const r = bucketAccessCoverage(BUCKET, 'read', [
      advancedTrail([
        s3Adv({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::customer-pii/a/'] }),
        s3Adv({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::customer-pii/b/'] }, { Field: 'errorCode', Equals: ['AccessDenied'] }),
      ]),
    ]);
    expect(r.status).toBe('partial');
    // b/ is recorded for some events (AccessDenied ones), so it is not wholly missing: an exception too.
    expect(r.missing).toEqual(['objects arn:aws:s3:::customer-pii/* except arn:aws:s3:::customer-pii/a/*, arn:aws:s3:::customer-pii/b/*', 'events filtered on errorCode']);
  });

  it('a whole event name dropped for some objects only is a combination, not a named gap', () => {
    const r = bucketAccessCoverage(BUCKET, 'read', [
      advancedTrail([
        s3Adv({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::customer-pii/a/'] }),
        s3Adv({ Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::customer-pii/a/'] }, { Field: 'eventName', NotEquals: ['GetObject'] }),
      ]),
    ]);
    expect(r.status).toBe('partial');
    expect(r.missing).toEqual(['some combinations of event name and object']);
  });
});

describe('classicAsAdvanced: the translation', () => {
  it('keeps object prefixes as they are, adds the slash to bucket names, and restricts read/write', () => {
    const sel = classicAsAdvanced({ ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::logs', 'arn:aws:s3:::data/in/'] }, { Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }] });
    expect(sel).toEqual({
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        { Field: 'readOnly', Equals: ['false'] },
        { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::logs/', 'arn:aws:s3:::data/in/'] },
      ],
    });
    expect(classicAsAdvanced({ ReadWriteType: 'ReadOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] })?.FieldSelectors).toEqual([
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      { Field: 'readOnly', Equals: ['true'] },
    ]);
    expect(classicAsAdvanced({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws-cn:s3:::'] }] })?.FieldSelectors).toHaveLength(2);
    expect(classicAsAdvanced({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::b/arn:aws:s3'] }] })?.FieldSelectors).toHaveLength(3);
  });
});
