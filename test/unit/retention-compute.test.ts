import { describe, expect, it } from 'vitest';
import type { LifecycleRule } from '../../src/snapshot/types.ts';
import { known, unknownBecause, type Known } from '../../src/model/known.ts';
import type { ObjectLockFacts } from '../../src/model/facts.ts';
import { objectLockFacts } from '../../src/model/object-lock.ts';
import { computeRetention, logObjectPrefix, type RetentionInput } from '../../src/model/retention.ts';

const PREFIX = 'AWSLogs/o-abc123/111111111111/CloudTrail/';
const AS_OF = '2025-06-01T00:00:00Z';
const NO_LOCK = objectLockFacts(null).value!;
const lock = (Mode: string, period: { Days?: number; Years?: number }): ObjectLockFacts =>
  objectLockFacts({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode, ...period } } }).value!;
const expire = (Days: number, extra: Partial<LifecycleRule> = {}): LifecycleRule => ({ ID: `expire-${Days}`, Status: 'Enabled', Filter: {}, Expiration: { Days }, ...extra });

function input(overrides: { rules?: Known<LifecycleRule[]>; versioning?: Known<string>; objectLock?: Known<ObjectLockFacts> } = {}): RetentionInput {
  return {
    logObjectPrefix: PREFIX,
    asOf: AS_OF,
    lifecycle: overrides.rules ?? known([]),
    versioning: overrides.versioning ?? known('Disabled'),
    objectLock: overrides.objectLock ?? known(NO_LOCK),
  };
}

describe('computeRetention: days until the logs are no longer available', () => {
  const cases: { name: string; in: RetentionInput; days: number | null; by: RegExp }[] = [
    { name: 'no lifecycle configuration keeps logs indefinitely', in: input(), days: null, by: /no enabled lifecycle rule/ },
    {
      name: 'a rule on another prefix does not apply',
      in: input({ rules: known([expire(30, { Filter: { Prefix: 'elb-logs/' } })]) }),
      days: null,
      by: /no enabled lifecycle rule/,
    },
    { name: '30-day expiry on an unversioned bucket', in: input({ rules: known([expire(30)]) }), days: 30, by: /"expire-30" \(Expiration\.Days 30\) on a bucket without versioning/ },
    {
      name: 'versioned bucket: expiry 30 + noncurrent expiry 30',
      in: input({ rules: known([expire(30, { NoncurrentVersionExpiration: { NoncurrentDays: 30 } })]), versioning: known('Enabled') }),
      days: 60,
      by: /Expiration\.Days 30\) then .*NoncurrentDays 30\) on a versioned bucket/,
    },
    {
      name: 'versioned bucket without noncurrent expiry keeps noncurrent versions indefinitely',
      in: input({ rules: known([expire(30)]), versioning: known('Enabled') }),
      days: null,
      by: /only makes them noncurrent/,
    },
    {
      name: 'noncurrent expiry from a second rule combines with the current expiry',
      in: input({ rules: known([expire(400), { ID: 'nc', Status: 'Enabled', Filter: { Prefix: 'AWSLogs/' }, NoncurrentVersionExpiration: { NoncurrentDays: 10 } }]), versioning: known('Enabled') }),
      days: 410,
      by: /"nc"/,
    },
    { name: 'versioning suspended: expiry deletes', in: input({ rules: known([expire(30)]), versioning: known('Suspended') }), days: 30, by: /without versioning/ },
    {
      name: 'a tag-filtered rule does not match untagged log files',
      in: input({ rules: known([expire(7, { Filter: { Tag: { Key: 'tier', Value: 'temp' } } })]) }),
      days: null,
      by: /no enabled lifecycle rule/,
    },
    {
      name: 'an And filter with tags does not match',
      in: input({ rules: known([expire(7, { Filter: { And: { Prefix: 'AWSLogs/', Tags: [{ Key: 'a', Value: 'b' }] } } })]) }),
      days: null,
      by: /no enabled lifecycle rule/,
    },
    {
      name: 'a size filter applies to some log files',
      in: input({ rules: known([expire(14, { Filter: { ObjectSizeGreaterThan: 1024 } })]) }),
      days: 14,
      by: /expire-14/,
    },
    {
      name: 'an And filter with prefix and size range applies',
      in: input({ rules: known([expire(21, { Filter: { And: { Prefix: 'AWSLogs/o-abc123/', ObjectSizeGreaterThan: 10, ObjectSizeLessThan: 1_000_000 } } })]) }),
      days: 21,
      by: /expire-21/,
    },
    {
      name: 'a legacy top-level Prefix that covers the logs applies',
      in: input({ rules: known([{ ID: 'legacy', Status: 'Enabled', Prefix: 'AWSLogs/', Expiration: { Days: 45 } }]) }),
      days: 45,
      by: /"legacy"/,
    },
    {
      name: 'a prefix narrower than the logs (one region) still applies',
      in: input({ rules: known([expire(5, { Filter: { Prefix: `${PREFIX}eu-west-1/` } })]) }),
      days: 5,
      by: /expire-5/,
    },
    { name: 'a disabled rule does not apply', in: input({ rules: known([expire(1, { Status: 'Disabled' })]) }), days: null, by: /no enabled lifecycle rule/ },
    { name: 'the shortest of several expiries wins', in: input({ rules: known([expire(90), expire(60), expire(365)]) }), days: 60, by: /expire-60/ },
    {
      name: 'a date-based expiry in the past removes new logs at once',
      in: input({ rules: known([{ ID: 'cutoff', Status: 'Enabled', Filter: {}, Expiration: { Date: '2024-01-01T00:00:00Z' } }]) }),
      days: 0,
      by: /Expiration\.Date 2024-01-01T00:00:00Z\), 0 days after the snapshot/,
    },
    {
      name: 'a date-based expiry in the future counts the days from the snapshot',
      in: input({ rules: known([{ ID: 'cutoff', Status: 'Enabled', Filter: {}, Expiration: { Date: '2025-07-01T00:00:00Z' } }]) }),
      days: 30,
      by: /30 days after the snapshot/,
    },
    {
      name: 'from a snapshot taken at noon, a date 29.5 days on is 29 whole days',
      in: { ...input({ rules: known([{ ID: 'cutoff', Status: 'Enabled', Filter: {}, Expiration: { Date: '2025-07-01T00:00:00Z' } }]) }), asOf: '2025-06-01T12:00:00.000Z' },
      days: 29,
      by: /Expiration\.Date 2025-07-01T00:00:00Z\), 29 days after the snapshot/,
    },
    {
      name: 'an expiry whose size range (> 10, < 11 bytes) holds no object deletes no log',
      in: input({ rules: known([expire(7, { Filter: { And: { Prefix: 'AWSLogs/', ObjectSizeGreaterThan: 10, ObjectSizeLessThan: 11 } } })]) }),
      days: null,
      by: /no enabled lifecycle rule/,
    },
    {
      name: 'Object Lock longer than the lifecycle expiry holds the logs',
      in: input({ rules: known([expire(30, { NoncurrentVersionExpiration: { NoncurrentDays: 30 } })]), versioning: known('Enabled'), objectLock: known(lock('COMPLIANCE', { Days: 400 })) }),
      days: 400,
      by: /Object Lock COMPLIANCE default retention 400 days, outlasting/,
    },
    {
      name: 'lifecycle longer than Object Lock is the limit (seven years)',
      in: input({ rules: known([expire(2555, { NoncurrentVersionExpiration: { NoncurrentDays: 1 } })]), versioning: known('Enabled'), objectLock: known(lock('COMPLIANCE', { Days: 400 })) }),
      days: 2556,
      by: /Expiration\.Days 2555/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = computeRetention(c.in);
      expect(r.unknown).toBeUndefined();
      expect(r.availableDays).toBe(c.days);
      expect(r.keptIndefinitely).toBe(c.days === null);
      expect(r.availableLimitedBy).toMatch(c.by);
    });
  }
});

describe('computeRetention: days in immediately available storage', () => {
  const transition = (StorageClass: string, Days: number): LifecycleRule => ({ ID: `to-${StorageClass}`, Status: 'Enabled', Filter: {}, Transitions: [{ Days, StorageClass }] });
  const cases: { name: string; in: RetentionInput; days: number | null; by: RegExp }[] = [
    { name: 'no transition, no expiry: always available', in: input(), days: null, by: /no lifecycle rule archives/ },
    { name: 'transition to GLACIER after 90 days', in: input({ rules: known([transition('GLACIER', 90)]) }), days: 90, by: /transition to GLACIER after 90 days/ },
    { name: 'transition to DEEP_ARCHIVE after 180 days', in: input({ rules: known([transition('DEEP_ARCHIVE', 180)]) }), days: 180, by: /DEEP_ARCHIVE/ },
    { name: 'GLACIER_IR stays immediately available', in: input({ rules: known([transition('GLACIER_IR', 30)]) }), days: null, by: /no lifecycle rule archives/ },
    { name: 'STANDARD_IA stays immediately available', in: input({ rules: known([transition('STANDARD_IA', 30)]) }), days: null, by: /no lifecycle rule archives/ },
    { name: 'expiry before any transition ends availability', in: input({ rules: known([transition('GLACIER', 90), expire(30)]) }), days: 30, by: /Expiration\.Days 30/ },
    {
      name: 'noncurrent versions archived after the current expiry',
      in: input({
        rules: known([expire(30, { NoncurrentVersionTransitions: [{ NoncurrentDays: 10, StorageClass: 'GLACIER' }], NoncurrentVersionExpiration: { NoncurrentDays: 365 } })]),
        versioning: known('Enabled'),
      }),
      days: 40,
      by: /noncurrent versions to GLACIER after 10 days/,
    },
    {
      name: 'a date-based transition counts from the snapshot',
      in: input({ rules: known([{ ID: 'archive', Status: 'Enabled', Filter: {}, Transitions: [{ Date: '2025-06-11T00:00:00Z', StorageClass: 'GLACIER' }] }]) }),
      days: 10,
      by: /transition to GLACIER on 2025-06-11/,
    },
    {
      name: 'a transition on a tag filter does not apply',
      in: input({ rules: known([{ ...transition('GLACIER', 1), Filter: { Tag: { Key: 'archive', Value: 'yes' } } }]) }),
      days: null,
      by: /no lifecycle rule archives/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = computeRetention(c.in);
      expect(r.immediateDays).toBe(c.days);
      expect(r.immediateLimitedBy).toMatch(c.by);
    });
  }
});

describe('computeRetention: days guaranteed by Object Lock', () => {
  const cases: { name: string; lock: ObjectLockFacts; guaranteed: number; governance: number; by: RegExp }[] = [
    { name: 'no Object Lock', lock: NO_LOCK, guaranteed: 0, governance: 0, by: /not enabled; nothing guarantees/ },
    { name: 'COMPLIANCE 400 days', lock: lock('COMPLIANCE', { Days: 400 }), guaranteed: 400, governance: 0, by: /^Object Lock COMPLIANCE default retention 400 days$/ },
    { name: 'COMPLIANCE Years: 1 counts 365 days', lock: lock('COMPLIANCE', { Years: 1 }), guaranteed: 365, governance: 0, by: /365 days/ },
    // Some endpoints send the unused unit as 0: one year, not 0 days (a false FAIL with requireGuaranteed).
    { name: 'COMPLIANCE {Days: 0, Years: 1} counts 365 days', lock: lock('COMPLIANCE', { Days: 0, Years: 1 }), guaranteed: 365, governance: 0, by: /COMPLIANCE default retention 365 days$/ },
    { name: 'COMPLIANCE {Days: 30, Years: 0} counts 30 days', lock: lock('COMPLIANCE', { Days: 30, Years: 0 }), guaranteed: 30, governance: 0, by: /30 days$/ },
    { name: 'GOVERNANCE is reported but guarantees nothing', lock: lock('GOVERNANCE', { Days: 365 }), guaranteed: 0, governance: 365, by: /BypassGovernanceRetention/ },
    {
      name: 'enabled without default retention',
      lock: objectLockFacts({ ObjectLockEnabled: 'Enabled' }).value!,
      guaranteed: 0,
      governance: 0,
      by: /no default retention/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = computeRetention(input({ objectLock: known(c.lock), versioning: known('Enabled') }));
      expect(r.guaranteedDays).toBe(c.guaranteed);
      expect(r.governanceDays).toBe(c.governance);
      expect(r.guaranteedLimitedBy).toMatch(c.by);
    });
  }
});

describe('objectLockFacts: an invalid default retention', () => {
  it('Days and Years both non-zero is unknown, with the reason', () => {
    const facts = objectLockFacts({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30, Years: 1 } } });
    expect(facts.value).toBeUndefined();
    expect(facts.reason).toMatch(/both Days \(30\) and Years \(1\)/);
  });
});

describe('computeRetention: unknown inputs never become figures', () => {
  it('lifecycle unknown: availability and immediate days unknown, the lock still known', () => {
    const r = computeRetention(input({ rules: unknownBecause('s3:GetBucketLifecycleConfiguration failed: AccessDenied: no') }));
    expect(r.availableDays).toBeUndefined();
    expect(r.immediateDays).toBeUndefined();
    expect(r.unknown?.availableDays).toMatch(/lifecycle configuration unknown: .*AccessDenied/);
    expect(r.guaranteedDays).toBe(0);
  });
  it('versioning unknown matters only when a rule expires the logs', () => {
    expect(computeRetention(input({ versioning: unknownBecause('denied') })).availableDays).toBeNull();
    const r = computeRetention(input({ rules: known([expire(30)]), versioning: unknownBecause('denied') }));
    expect(r.availableDays).toBeUndefined();
    expect(r.unknown?.availableDays).toMatch(/versioning unknown \(denied\)/);
  });
  it('Object Lock unknown: nothing guaranteed, and an expiring lifecycle is not the last word', () => {
    const r = computeRetention(input({ rules: known([expire(30)]), objectLock: unknownBecause('denied') }));
    expect(r.guaranteedDays).toBeUndefined();
    expect(r.unknown?.guaranteedDays).toMatch(/Object Lock configuration unknown: denied/);
    expect(r.availableDays).toBeUndefined();
    expect(computeRetention(input({ objectLock: unknownBecause('denied') })).availableDays).toBeNull();
  });
});

describe('logObjectPrefix', () => {
  it.each([
    [undefined, undefined, '111111111111', 'AWSLogs/111111111111/CloudTrail/'],
    ['audit', undefined, '111111111111', 'audit/AWSLogs/111111111111/CloudTrail/'],
    ['audit/', 'o-abc123', '222222222222', 'audit/AWSLogs/o-abc123/222222222222/CloudTrail/'],
    ['', 'o-abc123', '333333333333', 'AWSLogs/o-abc123/333333333333/CloudTrail/'],
  ])('S3KeyPrefix %s, org %s, account %s → %s', (keyPrefix, orgId, account, expected) => {
    expect(logObjectPrefix(keyPrefix, orgId, account)).toBe(expected);
  });
});

describe('computeRetention: the evidence behind each figure', () => {
  it('lists every lifecycle rule with whether it acts on the log files, labelled by ID or position', () => {
    const r = computeRetention(input({ rules: known([expire(30), { Status: 'Disabled', Filter: {}, Expiration: { Days: 1 } }, expire(9, { Filter: { Prefix: `${PREFIX}eu-west-1/` } })]) }));
    expect(r.lifecycleRules).toEqual([
      { rule: 'lifecycle rule "expire-30"', applies: true, coverage: 'all', reason: expect.any(String) },
      { rule: 'lifecycle rule #2', applies: false, coverage: 'none', reason: 'status is Disabled' },
      { rule: 'lifecycle rule "expire-9"', applies: true, coverage: 'some', reason: expect.any(String) },
    ]);
    // The rule acting on only one region's logs still limits them.
    expect(r.availableDays).toBe(9);
    expect(r.availableLimitedBy).toBe('lifecycle rule "expire-9" (Expiration.Days 9) on a bucket without versioning');
  });

  it('a bucket with nothing to report has no unknown map', () => {
    expect(Object.keys(computeRetention(input()))).not.toContain('unknown');
  });

  it('an unknown lifecycle leaves every lifecycle figure unknown with the same reason, and lists no rules', () => {
    const r = computeRetention(input({ rules: unknownBecause('AccessDenied') }));
    expect(r.lifecycleRules).toBeUndefined();
    expect(r.keptIndefinitely).toBeUndefined();
    const why = 'lifecycle configuration unknown: AccessDenied';
    expect(r.unknown).toEqual({ lifecycleRules: why, availableDays: why, keptIndefinitely: why, availableLimitedBy: why, immediateDays: why, immediateLimitedBy: why });
  });

  it('unknown versioning leaves availability and immediacy unknown, naming the expiring rule', () => {
    const r = computeRetention(input({ rules: known([expire(30)]), versioning: unknownBecause('denied') }));
    const why = 'versioning unknown (denied), and lifecycle rule "expire-30" (Expiration.Days 30) expires the log files';
    expect(r.unknown).toEqual({ availableDays: why, keptIndefinitely: why, availableLimitedBy: why, immediateDays: why, immediateLimitedBy: why });
    expect(r.immediateDays).toBeUndefined();
    expect(r.lifecycleRules).toHaveLength(1);
  });

  it('unknown Object Lock: the guarantee and the availability are unknown, with the lifecycle figure quoted', () => {
    const r = computeRetention(input({ rules: known([expire(30)]), objectLock: unknownBecause('denied') }));
    expect(r.unknown?.governanceDays).toBe('Object Lock configuration unknown: denied');
    expect(r.unknown?.guaranteedLimitedBy).toBe('Object Lock configuration unknown: denied');
    expect(r.unknown?.availableDays).toBe('Object Lock configuration unknown (denied); it may keep the logs beyond 30 days');
    expect(r.governanceDays).toBeUndefined();
  });

  it('a GOVERNANCE lock longer than the expiry keeps the logs (lifecycle cannot remove a retained version)', () => {
    const r = computeRetention(input({ rules: known([expire(10)]), objectLock: known(lock('GOVERNANCE', { Days: 40 })) }));
    expect(r.availableDays).toBe(40);
    expect(r.availableLimitedBy).toBe('Object Lock GOVERNANCE default retention 40 days, outlasting lifecycle rule "expire-10" (Expiration.Days 10) on a bucket without versioning');
    expect(r.guaranteedDays).toBe(0);
    expect(r.governanceDays).toBe(40);
    expect(r.guaranteedLimitedBy).toBe('Object Lock GOVERNANCE default retention 40 days (GOVERNANCE: principals with s3:BypassGovernanceRetention can delete); nothing guarantees the logs are kept');
  });

  it('a lock as long as the expiry is not the limit; one a day longer is', () => {
    expect(computeRetention(input({ rules: known([expire(40)]), objectLock: known(lock('COMPLIANCE', { Days: 40 })) })).availableLimitedBy).toMatch(/^lifecycle rule "expire-40"/);
    expect(computeRetention(input({ rules: known([expire(40)]), objectLock: known(lock('COMPLIANCE', { Days: 41 })) })).availableDays).toBe(41);
  });

  it('a lock without default retention holds nothing back', () => {
    const bare = objectLockFacts({ ObjectLockEnabled: 'Enabled' }).value!;
    const r = computeRetention(input({ rules: known([expire(10)]), objectLock: known(bare) }));
    expect(r.availableDays).toBe(10);
    expect(r.guaranteedLimitedBy).toBe('Object Lock has no default retention; nothing guarantees the logs are kept');
  });

  it('the shortest noncurrent expiry of several rules is the one that counts', () => {
    const nc = (ID: string, NoncurrentDays: number): LifecycleRule => ({ ID, Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays } });
    const r = computeRetention(input({ rules: known([expire(30), nc('nc-20', 20), nc('nc-5', 5), nc('nc-9', 9)]), versioning: known('Enabled') }));
    expect(r.availableDays).toBe(35);
    expect(r.availableLimitedBy).toBe('lifecycle rule "expire-30" (Expiration.Days 30) then lifecycle rule "nc-5" (NoncurrentVersionExpiration.NoncurrentDays 5) on a versioned bucket');
  });

  it('the current expiry takes the earliest of Days and Date rules, and the first of equals', () => {
    const byDate: LifecycleRule = { ID: 'cutoff', Status: 'Enabled', Filter: {}, Expiration: { Date: '2025-06-21T00:00:00Z' } };
    expect(computeRetention(input({ rules: known([expire(30), byDate]) })).availableLimitedBy).toMatch(/^lifecycle rule "cutoff" \(Expiration\.Date 2025-06-21T00:00:00Z\), 20 days after the snapshot/);
    const twin = { ...expire(30), ID: 'twin' };
    expect(computeRetention(input({ rules: known([expire(30), twin]) })).availableLimitedBy).toMatch(/^lifecycle rule "expire-30"/);
    // A rule whose Expiration only removes delete markers does not expire log files.
    const markers: LifecycleRule = { ID: 'markers', Status: 'Enabled', Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } };
    expect(computeRetention(input({ rules: known([markers]) })).availableDays).toBeNull();
  });

  it('immediate storage: archive transitions of the current and noncurrent versions, the earliest first', () => {
    const rule: LifecycleRule = {
      ID: 'tiers',
      Status: 'Enabled',
      Filter: {},
      Expiration: { Days: 100 },
      Transitions: [{ Days: 60, StorageClass: 'DEEP_ARCHIVE' }, { Days: 20, StorageClass: 'STANDARD_IA' }, { Days: 50, StorageClass: 'GLACIER' }, { Days: 5 }],
      NoncurrentVersionTransitions: [{ NoncurrentDays: 1, StorageClass: 'GLACIER' }, { NoncurrentDays: 0, StorageClass: 'ONEZONE_IA' }, { StorageClass: 'GLACIER' }],
      NoncurrentVersionExpiration: { NoncurrentDays: 300 },
    };
    const versioned = computeRetention(input({ rules: known([rule]), versioning: known('Enabled') }));
    expect(versioned.availableDays).toBe(400);
    expect(versioned.immediateDays).toBe(50);
    expect(versioned.immediateLimitedBy).toBe('lifecycle rule "tiers" (transition to GLACIER after 50 days)');
    // Noncurrent transitions start counting at the current version's expiry, on a versioned bucket only.
    const late: LifecycleRule = { ...rule, Transitions: [], Expiration: { Days: 10 } };
    const lateVersioned = computeRetention(input({ rules: known([late]), versioning: known('Enabled') }));
    expect(lateVersioned.availableDays).toBe(310);
    expect(lateVersioned.immediateDays).toBe(11);
    expect(lateVersioned.immediateLimitedBy).toBe('lifecycle rule "tiers" (noncurrent versions to GLACIER after 1 days)');
    const noExpiry: LifecycleRule = { ...late, Expiration: undefined };
    expect(computeRetention(input({ rules: known([noExpiry]), versioning: known('Enabled') })).immediateDays).toBeNull();
    expect(computeRetention(input({ rules: known([{ ...late, Expiration: { Days: 400 } }]), versioning: known('Enabled') })).immediateDays).toBe(401);
    expect(computeRetention(input({ rules: known([{ ...late, Expiration: { Days: 400 } }]), versioning: known('Enabled') })).immediateLimitedBy).toBe(
      'lifecycle rule "tiers" (noncurrent versions to GLACIER after 1 days)',
    );
    expect(computeRetention(input({ rules: known([{ ...late, Expiration: { Days: 400 } }]), versioning: known('Suspended') })).immediateDays).toBe(400);
  });

  it('a date-based archive transition in the past counts 0 days', () => {
    const r = computeRetention(input({ rules: known([{ ID: 'old', Status: 'Enabled', Filter: {}, Transitions: [{ Date: '2020-01-01T00:00:00Z', StorageClass: 'DEEP_ARCHIVE' }] }]) }));
    expect(r.immediateDays).toBe(0);
    expect(r.immediateLimitedBy).toBe('lifecycle rule "old" (transition to DEEP_ARCHIVE on 2020-01-01T00:00:00Z), 0 days after the snapshot');
  });
});

describe('logObjectPrefix: trailing slashes of the key prefix', () => {
  it('collapses every trailing slash, and keeps inner ones', () => {
    expect(logObjectPrefix('a/b//', undefined, '1')).toBe('a/b/AWSLogs/1/CloudTrail/');
  });
});
