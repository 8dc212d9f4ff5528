import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_SCHEMA_FILE, validateHeader, validateRecord } from '../../src/snapshot/schema.ts';
import { snapshotSchemaText } from '../../src/snapshot/schema-source.ts';
import { SNAPSHOT_TYPES_FILE, snapshotTypesText } from '../../scripts/gen-snapshot.ts';
import { minimalSnapshot } from '../fixtures/snapshots/minimal.ts';

describe('published snapshot schema', () => {
  it('is what src/snapshot/schema-source.ts generates (run `npm run gen:snapshot` after editing it)', () => {
    expect(readFileSync(SNAPSHOT_SCHEMA_FILE, 'utf8')).toBe(snapshotSchemaText());
  });

  it('and src/snapshot/types.ts are generated from the same source (run `npm run gen:snapshot` after editing it)', async () => {
    expect(readFileSync(SNAPSHOT_TYPES_FILE, 'utf8')).toBe(await snapshotTypesText());
  });

  it('accepts the three forms of a Fetched answer and nothing else', () => {
    const record = minimalSnapshot().accounts[0]!;
    const withBuckets = (buckets: unknown) => validateRecord({ ...record, buckets });
    expect(withBuckets({ value: [] })).toBeUndefined();
    expect(withBuckets({ value: null, absent: 'NoSuchBucket' })).toBeUndefined();
    expect(withBuckets({ error: { operation: 's3:ListBuckets', code: 'AccessDenied', message: '' } })).toBeUndefined();
    expect(withBuckets({})?.pointer).toBe('/buckets/value');
    expect(withBuckets({ value: [], absent: 'X' })?.pointer).toBe('/buckets');
    expect(withBuckets({ error: { operation: 's3:ListBuckets', code: 'AccessDenied', message: '' }, value: null })?.pointer).toBe('/buckets');
    expect(withBuckets({ value: [{ Name: 3 }] })).toEqual({ pointer: '/buckets/value/0/Name', message: 'expected string' });
    expect(withBuckets({ value: [], extra: 1 })?.pointer).toBe('/buckets/extra');
  });

  it('takes an empty list beside the other as absent, and refuses both lists non-empty', () => {
    const record = minimalSnapshot().accounts[0]!;
    const detail = Object.values(record.trailDetails)[0]!;
    const classic = [{ ReadWriteType: 'All' as const, IncludeManagementEvents: true }];
    const advanced = [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }];
    detail.eventSelectors = { value: { EventSelectors: [], AdvancedEventSelectors: [] } };
    expect(validateRecord(record)).toBeUndefined();
    detail.eventSelectors = { value: { EventSelectors: classic, AdvancedEventSelectors: [] } };
    expect(validateRecord(record)).toBeUndefined();
    detail.eventSelectors = { value: { EventSelectors: [], AdvancedEventSelectors: advanced } };
    expect(validateRecord(record)).toBeUndefined();
    detail.eventSelectors = { value: { EventSelectors: classic, AdvancedEventSelectors: advanced } };
    expect(validateRecord(record)?.message).toBe('EventSelectors and AdvancedEventSelectors cannot both be non-empty');
  });

  it('accepts an answer kept as it came only beside its error', () => {
    const record = minimalSnapshot().accounts[0]!;
    const error = { operation: 's3:ListBuckets', code: 'UnexpectedAnswer', message: 'at /0/Name: expected string' };
    expect(validateRecord({ ...record, buckets: { error, answer: [{ Name: 3 }] } })).toBeUndefined();
    expect(validateRecord({ ...record, buckets: { value: [], answer: [{ Name: 3 }] } })).toEqual({
      pointer: '/buckets/error',
      message: 'missing required field (answer goes with it)',
    });
  });

  it('checks the header identity before its fields', () => {
    expect(validateHeader([])?.message).toMatch(/^expected the snapshot header/);
    expect(validateHeader({ format: 'other' })?.message).toBe('not a trailproof snapshot: expected "trailproof-snapshot", found "other"');
    const header = minimalSnapshot().header;
    expect(validateHeader({ ...header, collectedAt: 'yesterday' })?.pointer).toBe('/collectedAt');
    expect(validateHeader({ ...header, scope: { ...header.scope, shard: '2 of 4' } })?.pointer).toBe('/scope/shard');
    expect(validateHeader(header)).toBeUndefined();
  });
});
