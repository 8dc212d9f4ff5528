/**
 * SARIF's finding fingerprints (src/report/fingerprints.ts): the same hex SHA-256 of rule and
 * resource id as ever, made in one hashing call rather than with a Hash object per finding (a
 * report of 100,000 accounts has hundreds of thousands of findings).
 */
import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { findingFingerprint } from '../../src/report/fingerprints.ts';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, createHash: vi.fn(original.createHash) };
});

describe('findingFingerprint', () => {
  it('is the hex SHA-256 of the rule id, a NUL and the resource id', () => {
    const expected = crypto.createHash('sha256').update('s3-pii-data-events\u0000arn:aws:s3:::pii-bucket').digest('hex');
    expect(findingFingerprint('s3-pii-data-events', { id: 'arn:aws:s3:::pii-bucket' })).toBe(expected);
    // Not ASCII: hashed as UTF-8, as update() of a string does.
    const wide = crypto.createHash('sha256').update('rule\u0000bucket—é').digest('hex');
    expect(findingFingerprint('rule', { id: 'bucket—é' })).toBe(wide);
  });

  it('makes no Hash object per finding', () => {
    vi.mocked(crypto.createHash).mockClear();
    for (let i = 0; i < 100; i++) findingFingerprint('rule', { id: `resource-${i}` });
    expect(vi.mocked(crypto.createHash)).not.toHaveBeenCalled();
  });
});
