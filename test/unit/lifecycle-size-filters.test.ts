/**
 * Lifecycle rules narrowed by object size or by several tags: the evidence sentence says exactly
 * which filter applies, and a size range that no log file fits makes the rule not apply.
 */
import { describe, expect, it } from 'vitest';
import type { LifecycleRule } from '../../src/snapshot/types.ts';
import { matchLifecycleRule } from '../../src/model/lifecycle.ts';

const LOGS = 'audit/AWSLogs/o-abc123/111111111111/CloudTrail/';
const rule = (Filter: LifecycleRule['Filter']): LifecycleRule => ({ Status: 'Enabled', Filter, Expiration: { Days: 1 } });

describe('lifecycle size filters', () => {
  it('an upper bound alone: some log files, named with its bound', () => {
    expect(matchLifecycleRule(rule({ ObjectSizeLessThan: 500 }), LOGS)).toEqual({ coverage: 'some', reason: 'no prefix filter (whole bucket), log files sized < 500 bytes covers some log files' });
  });

  it('a prefix and a lower bound are both named', () => {
    expect(matchLifecycleRule(rule({ And: { Prefix: 'audit/', ObjectSizeGreaterThan: 128 } }), LOGS)).toEqual({
      coverage: 'some',
      reason: 'prefix "audit/", log files sized > 128 bytes covers some log files',
    });
  });

  it('"smaller than 1 byte" (or 0) holds no log file', () => {
    expect(matchLifecycleRule(rule({ ObjectSizeLessThan: 1 }), LOGS)).toEqual({ coverage: 'none', reason: 'size range (0, 1) bytes holds no log file' });
    expect(matchLifecycleRule(rule({ ObjectSizeLessThan: 0 }), LOGS).coverage).toBe('none');
    expect(matchLifecycleRule(rule({ ObjectSizeLessThan: 2 }), LOGS).coverage).toBe('some');
  });
});

describe('lifecycle tag filters', () => {
  it('names every tag of an And filter', () => {
    const m = matchLifecycleRule(rule({ And: { Prefix: 'audit/', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] } }), LOGS);
    expect(m).toEqual({ coverage: 'none', reason: 'filters on tag a=1, b=2; CloudTrail log files are untagged' });
  });
});
