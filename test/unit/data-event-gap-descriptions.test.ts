import { describe, expect, it } from 'vitest';
import type { AdvancedFieldSelector } from '../../src/snapshot/types.ts';
import { bucketAccessCoverage, type CoverageTarget, type DataEventRecorder } from '../../src/model/data-event-coverage.ts';
import { known } from '../../src/model/known.ts';

/**
 * What bucket.dataEvents.*.missing says is left out: the S3 object event names of each access kind
 * (CloudTrail "Amazon S3 data events"), the object ranges and the filtered fields, word for word.
 */
const TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/main';
const BUCKET: CoverageTarget = { bucket: 'customer-pii', region: 'us-east-1', partition: 'aws' };

function recording(...extra: AdvancedFieldSelector[][]): DataEventRecorder[] {
  const selectors = extra.map((fields) => ({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, ...fields] }));
  return [{ arn: TRAIL, kind: 'trail', multiRegion: true, homeRegion: 'us-east-1', active: known(true), selectors: known({ type: 'advanced', selectors }) }];
}

describe('the S3 object event names each access kind must record', () => {
  it('a selector that keeps only event names AWS may add names every known read event as missing', () => {
    const r = bucketAccessCoverage(BUCKET, 'read', recording([{ Field: 'eventName', NotStartsWith: ['Get', 'Head', 'List', 'Select'] }]));
    expect(r.status).toBe('partial');
    expect(r.missing).toEqual([
      'eventName GetObject, GetObjectAcl, GetObjectAttributes, GetObjectLegalHold, GetObjectRetention, GetObjectTagging, GetObjectTorrent, HeadObject, ListParts, SelectObjectContent',
    ]);
  });

  it('a selector that keeps only event names AWS may add names every known write event as missing', () => {
    const r = bucketAccessCoverage(BUCKET, 'write', recording([{ Field: 'eventName', NotStartsWith: ['Abort', 'Complete', 'Copy', 'Create', 'Delete', 'Put', 'Restore', 'Upload'] }]));
    expect(r.status).toBe('partial');
    expect(r.missing).toEqual([
      'eventName AbortMultipartUpload, CompleteMultipartUpload, CopyObject, CreateMultipartUpload, DeleteObject, DeleteObjectTagging, DeleteObjects, PutObject, PutObjectAcl, PutObjectLegalHold, PutObjectRetention, PutObjectTagging, RestoreObject, UploadPart, UploadPartCopy',
    ]);
  });

  it('listing today\'s names exactly records every known event but leaves out the ones AWS may add', () => {
    const reads = ['GetObject', 'GetObjectAcl', 'GetObjectAttributes', 'GetObjectLegalHold', 'GetObjectRetention', 'GetObjectTagging', 'GetObjectTorrent', 'HeadObject', 'ListParts', 'SelectObjectContent'];
    const r = bucketAccessCoverage(BUCKET, 'read', recording([{ Field: 'eventName', Equals: reads }]));
    expect(r).toMatchObject({ status: 'partial', missing: ['other read event names'] });
    // The same list does not reach a single write.
    expect(bucketAccessCoverage(BUCKET, 'write', recording([{ Field: 'eventName', Equals: reads }])).missing).toEqual(['all object write events']);
  });

  it('read and write events are told apart by readOnly, with the other fixed fields of an S3 object data event', () => {
    const fixed: AdvancedFieldSelector[] = [
      { Field: 'eventSource', Equals: ['s3.amazonaws.com'] },
      { Field: 'eventType', Equals: ['AwsApiCall'] },
    ];
    expect(bucketAccessCoverage(BUCKET, 'read', recording([...fixed, { Field: 'readOnly', Equals: ['true'] }])).status).toBe('covered');
    expect(bucketAccessCoverage(BUCKET, 'write', recording([...fixed, { Field: 'readOnly', Equals: ['false'] }])).status).toBe('covered');
    expect(bucketAccessCoverage(BUCKET, 'write', recording([...fixed, { Field: 'readOnly', Equals: ['true'] }])).status).toBe('not-covered');
  });
});

describe('the object ranges left out', () => {
  const arn = (key: string) => `arn:aws:s3:::customer-pii/${key}`;

  it('one recorded object inside an unrecorded bucket is the exception', () => {
    const r = bucketAccessCoverage(BUCKET, 'read', recording([{ Field: 'resources.ARN', Equals: [arn('keep.csv')] }]));
    expect(r.missing).toEqual([`objects ${arn('*')} except ${arn('keep.csv')}`]);
  });

  it('a recorded suffix inside an unrecorded bucket is the exception', () => {
    const r = bucketAccessCoverage(BUCKET, 'write', recording([{ Field: 'resources.ARN', EndsWith: ['.csv'] }]));
    expect(r.missing).toEqual([`objects ${arn('*')} except ${arn('*.csv')}`]);
  });

  it('an unrecorded suffix is named alone when nothing inside it is recorded', () => {
    const r = bucketAccessCoverage(BUCKET, 'read', recording([{ Field: 'resources.ARN', NotEndsWith: ['.tmp'] }]));
    expect(r.missing).toEqual([`objects ${arn('*.tmp')}`]);
  });

  it('an unrecorded single object is named as it is', () => {
    const r = bucketAccessCoverage(BUCKET, 'read', recording([{ Field: 'resources.ARN', NotEquals: [arn('secret')] }]));
    expect(r.missing).toEqual([`objects ${arn('secret')}`]);
  });

  it('only the recorded objects inside the range are exceptions: same prefix, same suffix', () => {
    const prefix = bucketAccessCoverage(BUCKET, 'read', recording([{ Field: 'resources.ARN', NotStartsWith: [arn('a/')] }], [{ Field: 'resources.ARN', Equals: [arn('a/x.csv'), arn('b/y.csv')] }]));
    expect(prefix.missing).toEqual([`objects ${arn('a/*')} except ${arn('a/x.csv')}`]);
    const suffix = bucketAccessCoverage(BUCKET, 'read', recording([{ Field: 'resources.ARN', NotEndsWith: ['.tmp'] }], [{ Field: 'resources.ARN', Equals: [arn('x.tmp'), arn('y.csv')] }]));
    expect(suffix.missing).toEqual([`objects ${arn('*.tmp')} except ${arn('x.tmp')}`]);
    const both = bucketAccessCoverage(BUCKET, 'read', recording([{ Field: 'resources.ARN', NotStartsWith: [arn('a/')] }], [{ Field: 'resources.ARN', StartsWith: [arn('a/b/')], EndsWith: ['.csv'] }], [{ Field: 'resources.ARN', StartsWith: [arn('c/')], EndsWith: ['.csv'] }]));
    // c/*.csv is recorded too, but lies outside every unrecorded range.
    expect(both.missing).toEqual([
      `objects ${arn('a/*')} except ${arn('a/b/*.csv')}`,
      `objects ${arn('a/*.csv')} except ${arn('a/b/*.csv')}`,
      `objects ${arn('a/b/*')} except ${arn('a/b/*.csv')}`,
    ]);
  });

  it('several unrecorded ranges are listed in ARN order, single objects among them', () => {
    const r = bucketAccessCoverage(BUCKET, 'write', recording([{ Field: 'resources.ARN', NotStartsWith: [arn('b/')], NotEquals: [arn('a.txt')] }]));
    expect(r.missing).toEqual([`objects ${arn('a.txt')}`, `objects ${arn('b/*')}`]);
  });

  it('names every field an unexplained gap is filtered on, sorted, and none of the fixed ones', () => {
    const r = bucketAccessCoverage(
      BUCKET,
      'read',
      recording([{ Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::111111111111:assumed-role/etl/'] }, { Field: 'errorCode', NotEquals: ['AccessDenied'] }, { Field: 'eventSource', Equals: ['s3.amazonaws.com'] }]),
    );
    expect(r.missing).toEqual(['events filtered on errorCode, userIdentity.arn']);
  });
});

describe('exceptions by suffix, and classic every-bucket values among others', () => {
  const arn = (key: string) => `arn:aws:s3:::customer-pii/${key}`;

  it('a recorded longer suffix inside an unrecorded suffix is the exception', () => {
    const r = bucketAccessCoverage(BUCKET, 'read', recording([{ Field: 'resources.ARN', NotEndsWith: ['.csv'] }], [{ Field: 'resources.ARN', EndsWith: ['x.csv'] }]));
    expect(r.missing).toEqual([`objects ${arn('*.csv')} except ${arn('*x.csv')}`]);
  });

  it('a classic selector naming every bucket among named ones records every bucket', () => {
    const classic: DataEventRecorder = {
      arn: TRAIL,
      kind: 'trail',
      multiRegion: true,
      homeRegion: 'us-east-1',
      active: known(true),
      selectors: known({ type: 'classic', selectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::other/', 'arn:aws:s3'] }] }] }),
    };
    expect(bucketAccessCoverage(BUCKET, 'write', [classic])).toMatchObject({ status: 'covered', missing: [] });
  });
});
