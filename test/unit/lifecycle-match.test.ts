import { describe, expect, it } from 'vitest';
import type { LifecycleRule } from '../../src/snapshot/types.ts';
import { lifecycleRuleLabel, matchLifecycleRule, sharedLifecycleMatch, type LifecycleCoverage } from '../../src/model/lifecycle.ts';
import { logObjectPrefix } from '../../src/model/retention.ts';

const ORG = 'o-abc123';
const rule = (Filter: LifecycleRule['Filter'], extra: Partial<LifecycleRule> = {}): LifecycleRule => ({ Status: 'Enabled', Filter, Expiration: { Days: 1 }, ...extra });

describe('matchLifecycleRule against an organization trail with S3KeyPrefix "audit"', () => {
  const member = logObjectPrefix('audit', ORG, '111111111111');
  const cases: { name: string; rule: LifecycleRule; coverage: LifecycleCoverage; reason: RegExp }[] = [
    { name: 'empty filter: whole bucket', rule: rule({}), coverage: 'all', reason: /whole bucket/ },
    { name: 'no Filter at all (legacy, no Prefix)', rule: { Status: 'Enabled', Expiration: { Days: 1 } }, coverage: 'all', reason: /whole bucket/ },
    { name: 'the key prefix itself', rule: rule({ Prefix: 'audit/' }), coverage: 'all', reason: /prefix "audit\/" covers every log file/ },
    { name: 'the organization folder', rule: rule({ Prefix: `audit/AWSLogs/${ORG}/` }), coverage: 'all', reason: /covers every/ },
    { name: 'this account exactly', rule: rule({ Prefix: `audit/AWSLogs/${ORG}/111111111111/` }), coverage: 'all', reason: /covers every/ },
    { name: 'another account of the organization', rule: rule({ Prefix: `audit/AWSLogs/${ORG}/222222222222/` }), coverage: 'none', reason: /does not cover/ },
    { name: 'AWSLogs/ without the key prefix', rule: rule({ Prefix: 'AWSLogs/' }), coverage: 'none', reason: /does not cover/ },
    { name: 'the pre-organization layout AWSLogs/<account>/', rule: rule({ Prefix: 'audit/AWSLogs/111111111111/' }), coverage: 'none', reason: /does not cover/ },
    { name: 'digest files only', rule: rule({ Prefix: `audit/AWSLogs/${ORG}/111111111111/CloudTrail-Digest/` }), coverage: 'none', reason: /does not cover/ },
    { name: 'one region of the logs', rule: rule({ Prefix: `${member}us-east-1/` }), coverage: 'some', reason: /covers some/ },
    { name: 'a partial word that still prefixes the keys', rule: rule({ Prefix: 'aud' }), coverage: 'all', reason: /covers every/ },
    { name: 'legacy top-level Prefix elsewhere', rule: { Status: 'Enabled', Prefix: 'tmp/', Expiration: { Days: 1 } }, coverage: 'none', reason: /"tmp\/" does not cover/ },
    { name: 'Disabled', rule: rule({}, { Status: 'Disabled' }), coverage: 'none', reason: /status is Disabled/ },
    { name: 'Tag filter', rule: rule({ Tag: { Key: 'k', Value: 'v' } }), coverage: 'none', reason: /tag k=v; CloudTrail log files are untagged/ },
    { name: 'And with prefix and tags', rule: rule({ And: { Prefix: 'audit/', Tags: [{ Key: 'k', Value: 'v' }] } }), coverage: 'none', reason: /untagged/ },
    { name: 'size greater than', rule: rule({ ObjectSizeGreaterThan: 128 }), coverage: 'some', reason: /log files sized > 128 bytes covers some/ },
    { name: 'And with prefix and size range', rule: rule({ And: { Prefix: 'audit/', ObjectSizeGreaterThan: 10, ObjectSizeLessThan: 500 } }), coverage: 'some', reason: /> 10 and < 500 bytes/ },
    { name: 'an empty size range', rule: rule({ And: { ObjectSizeGreaterThan: 500, ObjectSizeLessThan: 400 } }), coverage: 'none', reason: /holds no log file/ },
    // Both bounds are exclusive and sizes are whole bytes: (10, 11) holds no size, (10, 12) holds 11 bytes.
    { name: 'the empty size range at its boundary (> 10 and < 11 bytes)', rule: rule({ And: { Prefix: 'audit/', ObjectSizeGreaterThan: 10, ObjectSizeLessThan: 11 } }), coverage: 'none', reason: /size range \(10, 11\) bytes holds no log file/ },
    { name: 'the smallest non-empty size range (> 10 and < 12 bytes)', rule: rule({ And: { Prefix: 'audit/', ObjectSizeGreaterThan: 10, ObjectSizeLessThan: 12 } }), coverage: 'some', reason: /> 10 and < 12 bytes covers some/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const m = matchLifecycleRule(c.rule, member);
      expect(m.coverage).toBe(c.coverage);
      expect(m.reason).toMatch(c.reason);
    });
  }
});

describe('sharedLifecycleMatch: one answer per rule where the answer does not name the account', () => {
  const members = ['111111111111', '222222222222', '333333333333'].map((id) => logObjectPrefix('audit', ORG, id));

  it('answers as matchLifecycleRule does, for every case above and every member', () => {
    const rules = [
      rule({}), { Status: 'Enabled', Expiration: { Days: 1 } } as LifecycleRule, rule({ Prefix: 'audit/' }), rule({ Prefix: `audit/AWSLogs/${ORG}/111111111111/` }),
      rule({ Prefix: `${members[0]}us-east-1/` }), rule({ Prefix: 'AWSLogs/' }), rule({}, { Status: 'Disabled' }), rule({ Tag: { Key: 'k', Value: 'v' } }),
      rule({ And: { Prefix: 'audit/', Tags: [{ Key: 'k', Value: 'v' }] } }), rule({ And: { Tags: [] } }), rule({ ObjectSizeGreaterThan: 128 }),
      rule({ And: { ObjectSizeGreaterThan: 500, ObjectSizeLessThan: 400 } }), { Status: 'Enabled', Prefix: 'tmp/', Expiration: { Days: 1 } } as LifecycleRule,
    ];
    for (const r of rules) for (const prefix of [...members, ...members]) expect(sharedLifecycleMatch(r, prefix), `${JSON.stringify(r)} ${prefix}`).toEqual(matchLifecycleRule(r, prefix));
  });

  it('gives members whose logs a rule covers alike the same frozen answer, and "does not cover" (naming the prefix) afresh to each', () => {
    const whole = rule({ Prefix: 'audit/' });
    const [a, b] = [sharedLifecycleMatch(whole, members[0]!), sharedLifecycleMatch(whole, members[1]!)];
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
    const disabled = rule({}, { Status: 'Disabled' });
    expect(sharedLifecycleMatch(disabled, members[0]!)).toBe(sharedLifecycleMatch(disabled, members[2]!));
    // Covers the first member's folder: all of it for the first, nothing of the others, whose answers name their own folders.
    const first = rule({ Prefix: members[0]! });
    expect(sharedLifecycleMatch(first, members[0]!).coverage).toBe('all');
    const [other, third] = [sharedLifecycleMatch(first, members[1]!), sharedLifecycleMatch(first, members[2]!)];
    expect(other.reason).toContain(members[1]);
    expect(third.reason).toContain(members[2]);
    expect(other).not.toBe(sharedLifecycleMatch(first, members[1]!));
  });
});

describe('lifecycleRuleLabel', () => {
  it('names a rule by ID, or by position when it has none', () => {
    expect(lifecycleRuleLabel({ ID: 'keep', Status: 'Enabled' }, 0)).toBe('lifecycle rule "keep"');
    expect(lifecycleRuleLabel({ Status: 'Enabled' }, 2)).toBe('lifecycle rule #3');
  });
});
