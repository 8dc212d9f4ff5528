import { describe, expect, it } from 'vitest';
import { buildIndex, subjectsForAccount } from '../../src/model/index.ts';
import type { TrailFacts } from '../../src/model/facts.ts';
import { absent, apiError, failed, ok, type DemoOrg } from '../fixtures/snapshot-builder.ts';
import type { BucketRecord } from '../../src/snapshot/types.ts';
import { detail, MANAGEMENT, miniOrg, ORG_ID, trail } from '../fixtures/mini-org.ts';

const MEMBER = '222222222222';
const LOG_ARCHIVE = '333333333333';

function trailOf(org: DemoOrg, accountId: string): TrailFacts {
  const snap = org.snapshot();
  const index = buildIndex(snap.header, snap.accounts);
  const record = snap.accounts.find((r) => r.accountId === accountId)!;
  const trails = subjectsForAccount(index, record)[0]!.activation.account!.trails!;
  expect(trails).toHaveLength(1);
  return trails[0]!;
}

/** An exemplary log-archive bucket; `over` replaces whole answers. */
function archiveBucket(over: Partial<BucketRecord> = {}): BucketRecord {
  return {
    Name: 'central-logs',
    region: ok('us-east-1'),
    tags: ok([]),
    objectLock: ok({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } }),
    lifecycle: ok([{ ID: 'seven-years', Status: 'Enabled', Filter: { Prefix: 'AWSLogs/' }, Expiration: { Days: 2555 }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }]),
    versioning: ok({ Status: 'Enabled' }),
    publicAccessBlock: ok({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }),
    policyStatus: ok({ IsPublic: false }),
    encryption: ok({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:us-east-1:333333333333:key/k' } }] }),
    logging: ok({ LoggingEnabled: { TargetBucket: 'access-logs', TargetPrefix: 'central-logs/' } }),
    ...over,
  };
}

function orgWithOrgTrail(bucket: BucketRecord | null, trailOver: Parameters<typeof trail>[2] = {}): DemoOrg {
  const org = miniOrg([MEMBER, LOG_ARCHIVE]);
  const t = trail(MANAGEMENT, 'org-trail', { IsOrganizationTrail: true, ...trailOver });
  org.addTrailInRegions(t, { accountIds: [MANAGEMENT, MEMBER, LOG_ARCHIVE] });
  org.addTrailDetail(MANAGEMENT, detail(t));
  if (bucket) org.addBucket(LOG_ARCHIVE, bucket);
  return org;
}

/** The member's own trail, writing to the log archive's bucket. */
function orgWithOwnTrail(): DemoOrg {
  const org = miniOrg([MEMBER, LOG_ARCHIVE]);
  const t = trail(MEMBER, 'own', { S3BucketName: 'central-logs' });
  org.addTrailInRegions(t);
  org.addTrailDetail(MEMBER, detail(t));
  org.addBucket(LOG_ARCHIVE, archiveBucket());
  return org;
}

describe('the destination bucket of a trail', () => {
  it('of an account\'s own trail is that account\'s own object, configured and not frozen (none is kept per account)', () => {
    const bucket = trailOf(orgWithOwnTrail(), MEMBER).bucket;
    expect(bucket).toMatchObject({ name: 'central-logs', ownerAccountId: LOG_ARCHIVE, versioning: 'Enabled' });
    expect(Object.isFrozen(bucket)).toBe(false);
  });

  it('of an organization trail is one frozen object shared by every account; the retention stays each account\'s own', () => {
    const snap = orgWithOrgTrail(archiveBucket()).snapshot();
    const index = buildIndex(snap.header, snap.accounts);
    const trailIn = (accountId: string) => subjectsForAccount(index, snap.accounts.find((r) => r.accountId === accountId)!)[0]!.activation.account!.trails![0]!;
    const member = trailIn(MEMBER);
    const archive = trailIn(LOG_ARCHIVE);
    expect(archive.bucket).toBe(member.bucket);
    expect(Object.isFrozen(member.bucket?.objectLock)).toBe(true);
    expect(member.bucket).toMatchObject({ name: 'central-logs', versioning: 'Enabled' });
    expect(member.retention).not.toBe(archive.retention);
    expect(member.retention?.logObjectPrefix).toContain(MEMBER);
    expect(archive.retention?.logObjectPrefix).toContain(LOG_ARCHIVE);
  });

  it("of an organization trail: each account's retention is its prefix first, then the shared members in their order, frozen and the same objects", () => {
    const snap = orgWithOrgTrail(archiveBucket()).snapshot();
    const index = buildIndex(snap.header, snap.accounts);
    const retentionOf = (accountId: string) => subjectsForAccount(index, snap.accounts.find((r) => r.accountId === accountId)!)[0]!.activation.account!.trails![0]!.retention!;
    const member = retentionOf(MEMBER);
    const archive = retentionOf(LOG_ARCHIVE);
    const own = trailOf(orgWithOwnTrail(), MEMBER).retention!;
    expect(Object.keys(member)).toEqual(Object.keys(own));
    expect(Object.keys(archive)).toEqual(Object.keys(member));
    expect(Object.isFrozen(member)).toBe(false);
    expect(member.lifecycleRules).toBe(archive.lifecycleRules);
    expect(Object.isFrozen(member.lifecycleRules)).toBe(true);
    expect({ ...member, logObjectPrefix: '' }).toEqual({ ...archive, logObjectPrefix: '' });
  });

  it('is read from the log-archive account that owns it', () => {
    const t = trailOf(orgWithOrgTrail(archiveBucket()), MEMBER);
    expect(t.bucket).toMatchObject({
      name: 'central-logs',
      ownerAccountId: LOG_ARCHIVE,
      objectLock: { enabled: true, mode: 'COMPLIANCE', days: 400 },
      versioning: 'Enabled',
      mfaDelete: false,
      policyIsPublic: false,
      exposure: [],
      encryption: { algorithm: 'aws:kms', kmsKeyId: 'arn:aws:kms:us-east-1:333333333333:key/k' },
      accessLogging: { enabled: true, targetBucket: 'access-logs', targetPrefix: 'central-logs/' },
    });
    expect(t.bucket?.unknown).toBeUndefined();
  });

  it('"nothing configured" answers are knowledge, not unknowns', () => {
    const org = orgWithOrgTrail(
      archiveBucket({
        objectLock: absent('ObjectLockConfigurationNotFoundError'),
        versioning: ok({}),
        publicAccessBlock: absent('NoSuchPublicAccessBlockConfiguration'),
        policyStatus: failed(apiError('s3:GetBucketPolicyStatus', 'NoSuchBucketPolicy', 'The bucket policy does not exist')),
        encryption: absent('ServerSideEncryptionConfigurationNotFoundError'),
        logging: ok({}),
      }),
    );
    expect(trailOf(org, MEMBER).bucket?.unknown?.exposure).toMatch(/s3control:GetPublicAccessBlock was not read/);
    org.account(LOG_ARCHIVE).accountPublicAccessBlock = absent('NoSuchPublicAccessBlockConfiguration');
    const t = trailOf(org, MEMBER);
    expect(t.bucket).toMatchObject({
      objectLock: { enabled: false, mode: null, days: null },
      versioning: 'Disabled',
      policyIsPublic: false,
      encryption: { algorithm: null, kmsKeyId: null },
      accessLogging: { enabled: false, targetBucket: null },
    });
    // No block anywhere and ACLs are not collected: public ACLs cannot be ruled out.
    expect(t.bucket?.exposure).toEqual(['public ACLs are not ignored (IgnorePublicAcls is off at bucket and account level)']);
  });

  it('an account-level public access block covers a bucket without its own', () => {
    const org = orgWithOrgTrail(archiveBucket({ publicAccessBlock: absent('NoSuchPublicAccessBlockConfiguration'), policyStatus: ok({ IsPublic: true }) }));
    org.account(LOG_ARCHIVE).accountPublicAccessBlock = ok({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    const t = trailOf(org, MEMBER);
    expect(t.bucket?.publicAccessBlock).toMatchObject({ bucket: null, effective: { ignorePublicAcls: true, restrictPublicBuckets: true } });
    expect(t.bucket?.exposure).toEqual([]);
    expect(t.bucket?.policyIsPublic).toBe(true);
  });

  it('a public policy without RestrictPublicBuckets is exposure', () => {
    const org = orgWithOrgTrail(archiveBucket({ publicAccessBlock: ok({ BlockPublicAcls: true, IgnorePublicAcls: true }), policyStatus: ok({ IsPublic: true }) }));
    org.account(LOG_ARCHIVE).accountPublicAccessBlock = absent('NoSuchPublicAccessBlockConfiguration');
    expect(trailOf(org, MEMBER).bucket?.exposure).toEqual(['the bucket policy is public (GetBucketPolicyStatus IsPublic) and RestrictPublicBuckets is off']);
  });

  it('a failed call leaves that fact unknown with the call named', () => {
    const denied = failed<never>(apiError('s3:GetObjectLockConfiguration', 'AccessDenied', 'not allowed', LOG_ARCHIVE));
    const t = trailOf(orgWithOrgTrail(archiveBucket({ objectLock: denied })), MEMBER);
    expect(t.bucket).not.toHaveProperty('objectLock');
    expect(t.bucket?.unknown?.objectLock).toMatch(/s3:GetObjectLockConfiguration \(333333333333\) failed: AccessDenied/);
    expect(t.bucket?.versioning).toBe('Enabled');
    expect(t.retention).not.toHaveProperty('guaranteedDays');
  });

  it('a bucket outside the organization is unknown, never assumed', () => {
    const t = trailOf(orgWithOrgTrail(null), MEMBER);
    expect(t.bucket?.ownerAccountId).toBeNull();
    for (const field of ['objectLock', 'versioning', 'exposure', 'accessLogging', 'encryption']) {
      expect(t.bucket?.unknown?.[field]).toMatch(/not owned by any account of the organization/);
    }
    const unknown = (t.retention as { unknown?: Record<string, string> }).unknown;
    expect(unknown?.availableDays).toMatch(/not owned by any account/);
    expect(unknown?.guaranteedDays).toMatch(/not owned by any account/);
  });

  it('a bucket its owner did not read is unknown, with the owner named', () => {
    const org = orgWithOrgTrail(null);
    org.listBucket(LOG_ARCHIVE, { Name: 'central-logs' });
    expect(trailOf(org, MEMBER).bucket?.unknown?.objectLock).toMatch(/central-logs was not read in its owner account 333333333333/);
  });
});

describe('the retention of a trail', () => {
  it('applies a lifecycle rule only to the account whose log folder it names', () => {
    const onlyMember = archiveBucket({
      lifecycle: ok([{ ID: 'member-30', Status: 'Enabled', Filter: { Prefix: `AWSLogs/${ORG_ID}/${MEMBER}/` }, Expiration: { Days: 30 } }]),
      objectLock: absent('ObjectLockConfigurationNotFoundError'),
      versioning: ok({}),
    });
    const member = trailOf(orgWithOrgTrail(onlyMember), MEMBER).retention!;
    expect(member).toMatchObject({ logObjectPrefix: `AWSLogs/${ORG_ID}/${MEMBER}/CloudTrail/`, availableDays: 30, keptIndefinitely: false });
    expect(member.availableLimitedBy).toMatch(/"member-30" \(Expiration\.Days 30\)/);
    const archive = trailOf(orgWithOrgTrail(onlyMember), LOG_ARCHIVE).retention!;
    expect(archive).toMatchObject({ availableDays: null, keptIndefinitely: true });
  });

  it('puts S3KeyPrefix before AWSLogs/ and reports Object Lock figures', () => {
    const r = trailOf(orgWithOrgTrail(archiveBucket(), { S3KeyPrefix: 'audit' }), MEMBER).retention!;
    expect(r.logObjectPrefix).toBe(`audit/AWSLogs/${ORG_ID}/${MEMBER}/CloudTrail/`);
    // The "AWSLogs/" lifecycle prefix no longer covers the keys: only Object Lock limits them.
    expect(r).toMatchObject({ availableDays: null, guaranteedDays: 400, governanceDays: 0 });
  });

  it('an account trail uses AWSLogs/<account>/ without the organization id', () => {
    expect(trailOf(orgWithOwnTrail(), MEMBER).retention).toMatchObject({ logObjectPrefix: `AWSLogs/${MEMBER}/CloudTrail/`, availableDays: 2556, guaranteedDays: 400 });
  });

  it('reads the CloudWatch Logs group of the trail from its owner, whatever account is judged', () => {
    const group = `arn:aws:logs:us-east-1:${MANAGEMENT}:log-group:org-trail`;
    const org = orgWithOrgTrail(archiveBucket(), { CloudWatchLogsLogGroupArn: `${group}:*` });
    org.region(MANAGEMENT, 'us-east-1').logGroups = { [group]: ok({ logGroupName: 'org-trail', arn: group, retentionInDays: 90 }) };
    expect(trailOf(org, MEMBER).retention?.cloudWatchLogs).toEqual({ logGroupArn: `${group}:*`, retentionDays: 90, neverExpires: false });
    org.region(MANAGEMENT, 'us-east-1').logGroups = { [group]: ok({ logGroupName: 'org-trail' }) };
    expect(trailOf(org, MEMBER).retention?.cloudWatchLogs).toMatchObject({ retentionDays: null, neverExpires: true });
    org.region(MANAGEMENT, 'us-east-1').logGroups = {};
    const r = trailOf(org, MEMBER).retention as { unknown?: Record<string, string> };
    expect(r).not.toHaveProperty('cloudWatchLogs');
    expect(r.unknown?.cloudWatchLogs).toMatch(/was not read/);
  });

  it('no CloudWatch Logs delivery is null, not unknown', () => {
    expect(trailOf(orgWithOrgTrail(archiveBucket()), MEMBER).retention?.cloudWatchLogs).toBeNull();
  });
});
