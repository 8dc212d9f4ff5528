/**
 * S3 Object Lock default retention as the rules read it: only an enabled lock with a default
 * retention counts, `Years` is 365 days each, and the evidence sentence says which case applies.
 */
import { describe, expect, it } from 'vitest';
import { describeObjectLock, objectLockFacts } from '../../src/model/object-lock.ts';

describe('objectLockFacts', () => {
  it('no configuration (ObjectLockConfigurationNotFoundError) is no lock', () => {
    expect(objectLockFacts(null)).toEqual({ value: { enabled: false, mode: null, days: null } });
  });

  it('reads the mode and the days of the default retention', () => {
    expect(objectLockFacts({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } })).toEqual({
      value: { enabled: true, mode: 'COMPLIANCE', days: 400 },
    });
  });

  it('counts a year as 365 days', () => {
    expect(objectLockFacts({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Years: 2 } } }).value?.days).toBe(730);
  });

  it('a zero in the other field (as some endpoints send) does not hide the period', () => {
    expect(objectLockFacts({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 0, Years: 1 } } }).value?.days).toBe(365);
    expect(objectLockFacts({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30, Years: 0 } } }).value?.days).toBe(30);
  });

  it('enabled without a default retention has neither mode nor days', () => {
    expect(objectLockFacts({ ObjectLockEnabled: 'Enabled' })).toEqual({ value: { enabled: true, mode: null, days: null } });
    expect(objectLockFacts({ ObjectLockEnabled: 'Enabled', Rule: {} })).toEqual({ value: { enabled: true, mode: null, days: null } });
  });

  it('a retention rule on a bucket whose lock is not enabled is ignored', () => {
    const rule = { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } };
    expect(objectLockFacts({ Rule: rule })).toEqual({ value: { enabled: false, mode: null, days: null } });
    expect(objectLockFacts({ ObjectLockEnabled: 'Disabled', Rule: rule })).toEqual({ value: { enabled: false, mode: null, days: null } });
  });
});

describe('describeObjectLock', () => {
  it('names the mode and the days', () => {
    expect(describeObjectLock({ enabled: true, mode: 'COMPLIANCE', days: 400 })).toBe('Object Lock COMPLIANCE default retention 400 days');
  });

  it('says when the lock is off', () => {
    expect(describeObjectLock({ enabled: false, mode: null, days: null })).toBe('Object Lock is not enabled');
  });

  it('says when an enabled lock has no default retention (no mode, or no period)', () => {
    expect(describeObjectLock({ enabled: true, mode: null, days: null })).toBe('Object Lock has no default retention');
    expect(describeObjectLock({ enabled: true, mode: 'GOVERNANCE', days: null })).toBe('Object Lock has no default retention');
    expect(describeObjectLock({ enabled: true, mode: null, days: 30 })).toBe('Object Lock has no default retention');
  });
});
