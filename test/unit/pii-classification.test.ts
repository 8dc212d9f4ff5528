import { describe, expect, it } from 'vitest';
import { classifyBucket, globToRegExp, type PiiRules } from '../../src/model/pii.ts';
import { DEFAULT_MODEL_OPTIONS } from '../../src/model/model-index.ts';
import type { Fetched, Tag } from '../../src/snapshot/types.ts';

const DEFAULTS = DEFAULT_MODEL_OPTIONS.pii;
const tagged = (map: Record<string, string>): Fetched<Tag[]> => ({ value: Object.entries(map).map(([Key, Value]) => ({ Key, Value })) });
const denied: Fetched<Tag[]> = { error: { operation: 's3:GetBucketTagging', code: 'AccessDenied', message: 'Access Denied', accountId: '222222222222' } };
const noTagSet: Fetched<Tag[]> = { value: null, absent: 'NoSuchTagSet' };

describe('classifyBucket', () => {
  it('uses the default tag DataClassification=PII, case-insensitively', () => {
    expect(classifyBucket('b', tagged({ DataClassification: 'PII' }), DEFAULTS).value).toEqual({ classified: true, reasons: ['tag DataClassification=PII'] });
    expect(classifyBucket('b', tagged({ dataclassification: 'pii' }), DEFAULTS).value?.classified).toBe(true);
    expect(classifyBucket('b', tagged({ DataClassification: 'Confidential' }), DEFAULTS).value).toEqual({ classified: false, reasons: [] });
    expect(classifyBucket('b', noTagSet, DEFAULTS).value).toEqual({ classified: false, reasons: [] });
  });

  it('accepts any of several values, or any value when none are listed', () => {
    const rules: PiiRules = { tags: [{ key: 'data-class', values: ['pii', 'phi'] }, { key: 'contains-pii', values: [] }], namePatterns: [], buckets: [] };
    expect(classifyBucket('b', tagged({ 'Data-Class': 'PHI' }), rules).value?.reasons).toEqual(['tag Data-Class=PHI']);
    expect(classifyBucket('b', tagged({ 'contains-pii': 'yes' }), rules).value?.classified).toBe(true);
    expect(classifyBucket('b', tagged({ 'data-class': 'public' }), rules).value?.classified).toBe(false);
  });

  it('matches name patterns and the explicit list, and says which', () => {
    const rules: PiiRules = { tags: [], namePatterns: ['*-customers-*', 'hr-?'], buckets: ['payroll', 'arn:aws:s3:::claims'] };
    expect(classifyBucket('acme-customers-eu', noTagSet, rules).value?.reasons).toEqual(['name matches pii.namePatterns *-customers-*']);
    expect(classifyBucket('hr-1', noTagSet, rules).value?.classified).toBe(true);
    expect(classifyBucket('hr-12', noTagSet, rules).value?.classified).toBe(false);
    expect(classifyBucket('payroll', noTagSet, rules).value?.reasons).toEqual(['listed in pii.buckets (payroll)']);
    expect(classifyBucket('claims', noTagSet, rules).value?.reasons).toEqual(['listed in pii.buckets (arn:aws:s3:::claims)']);
    expect(classifyBucket('payroll-archive', noTagSet, rules).value?.classified).toBe(false);
  });

  it('is unknown when the tags could not be read, unless the name decides', () => {
    const unknown = classifyBucket('b', denied, DEFAULTS);
    expect(unknown.value).toBeUndefined();
    expect(unknown.reason).toContain('AccessDenied');
    expect(classifyBucket('b', undefined, DEFAULTS).reason).toContain('s3:GetBucketTagging was not read');
    const byName = classifyBucket('pii-b', denied, { ...DEFAULTS, namePatterns: ['pii-*'] });
    expect(byName.value).toEqual({ classified: true, reasons: ['name matches pii.namePatterns pii-*'] });
    expect(classifyBucket('b', denied, { tags: [], namePatterns: [], buckets: [] }).value?.classified).toBe(false);
  });
});

describe('globToRegExp', () => {
  it('treats regex characters literally', () => {
    expect(globToRegExp('a.b*').test('a.bc')).toBe(true);
    expect(globToRegExp('a.b*').test('axbc')).toBe(false);
  });
});
