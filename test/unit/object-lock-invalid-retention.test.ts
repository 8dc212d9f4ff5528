/**
 * An Object Lock default retention with both Days and Years set is not a valid AWS answer: the
 * retention is unknown (the rule gives ERROR) rather than one of the two guessed.
 */
import { describe, expect, it } from 'vitest';
import { objectLockFacts } from '../../src/model/object-lock.ts';

const lock = (DefaultRetention: { Mode?: string; Days?: number; Years?: number }) => objectLockFacts({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention } });

describe('an Object Lock default retention that is not a valid answer', () => {
  it('both Days and Years: unknown, with both figures named', () => {
    expect(lock({ Mode: 'COMPLIANCE', Days: 30, Years: 1 })).toEqual({
      reason: 's3:GetObjectLockConfiguration answered DefaultRetention with both Days (30) and Years (1); AWS allows only one',
    });
  });

  it('both zero: a zero-day period, not "no period"', () => {
    expect(lock({ Mode: 'GOVERNANCE', Days: 0, Years: 0 })).toEqual({ value: { enabled: true, mode: 'GOVERNANCE', days: 0 } });
    expect(lock({ Mode: 'GOVERNANCE', Years: 0 })).toEqual({ value: { enabled: true, mode: 'GOVERNANCE', days: 0 } });
  });

  it('a mode without a period has no days', () => {
    expect(lock({ Mode: 'GOVERNANCE' })).toEqual({ value: { enabled: true, mode: 'GOVERNANCE', days: null } });
  });
});
