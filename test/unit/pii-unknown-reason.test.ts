/** A bucket whose tags could not be read is not assumed to be free of PII: the reason names the failed call. */
import { describe, expect, it } from 'vitest';
import { classifyBucket } from '../../src/model/pii.ts';
import { DEFAULT_MODEL_OPTIONS } from '../../src/model/model-index.ts';

describe('PII classification with unreadable tags', () => {
  it('names the failed GetBucketTagging call, or that it was not read', () => {
    const denied = { error: { operation: 's3:GetBucketTagging', code: 'AccessDenied', message: 'Access Denied', accountId: '222222222222' } };
    expect(classifyBucket('b', denied, DEFAULT_MODEL_OPTIONS.pii)).toEqual({ reason: 'tags unknown: s3:GetBucketTagging (222222222222) failed: AccessDenied: Access Denied' });
    expect(classifyBucket('b', undefined, DEFAULT_MODEL_OPTIONS.pii)).toEqual({ reason: 'tags unknown: s3:GetBucketTagging was not read' });
  });

  it('a bucket without tags (NoSuchTagSet) is classified by its name alone', () => {
    const rules = { ...DEFAULT_MODEL_OPTIONS.pii, namePatterns: ['pii-*'] };
    expect(classifyBucket('pii-1', { value: null, absent: 'NoSuchTagSet' }, rules)).toEqual({ value: { classified: true, reasons: ['name matches pii.namePatterns pii-*'] } });
    expect(classifyBucket('other', { value: null, absent: 'NoSuchTagSet' }, rules)).toEqual({ value: { classified: false, reasons: [] } });
  });
});
