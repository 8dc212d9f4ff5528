/**
 * The destination bucket and CloudWatch Logs group of a trail when something about them was not
 * read: each affected fact is absent and its reason names exactly what is missing (the rules
 * touching it give ERROR), while what was read is still reported.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex, subjectsForAccount } from '../../src/model/index.ts';
import type { TrailFacts } from '../../src/model/facts.ts';
import { absent, apiError, failed, ok, type DemoOrg } from '../fixtures/snapshot-builder.ts';
import type { BucketPolicyStatus, BucketRecord, Trail } from '../../src/snapshot/types.ts';
import { detail, MANAGEMENT, miniOrg, trail } from '../fixtures/mini-org.ts';

const MEMBER = '222222222222';
const LOG_ARCHIVE = '333333333333';
const GROUP = `arn:aws:logs:us-east-1:${MANAGEMENT}:log-group:org-trail`;

function trailOf(org: DemoOrg, accountId = MEMBER): TrailFacts {
  const snap = org.snapshot();
  const index = buildIndex(snap.header, snap.accounts);
  const record = snap.accounts.find((r) => r.accountId === accountId)!;
  return subjectsForAccount(index, record)[0]!.activation.account!.trails![0]!;
}

function orgWith(bucket: Partial<BucketRecord> | null, trailOver: Partial<Trail> = {}): DemoOrg {
  const org = miniOrg([MEMBER, LOG_ARCHIVE]);
  const t = trail(MANAGEMENT, 'org-trail', { IsOrganizationTrail: true, ...trailOver });
  org.addTrailInRegions(t, { accountIds: [MANAGEMENT, MEMBER, LOG_ARCHIVE] });
  org.addTrailDetail(MANAGEMENT, detail(t));
  if (bucket) org.addBucket(LOG_ARCHIVE, { Name: 'central-logs', region: ok('us-east-1'), tags: ok([]), ...bucket });
  org.account(LOG_ARCHIVE).accountPublicAccessBlock = absent('NoSuchPublicAccessBlockConfiguration');
  return org;
}

describe('bucket settings read, in detail', () => {
  it('MFA delete, the default encryption key and the access-log target are reported', () => {
    const t = trailOf(
      orgWith({
        versioning: ok({ Status: 'Enabled', MFADelete: 'Enabled' }),
        encryption: ok({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] }),
        logging: ok({ LoggingEnabled: { TargetBucket: 'access-logs' } }),
        // An answer without IsPublic (a real-endpoint variation) is not public.
        policyStatus: ok({} as BucketPolicyStatus),
      }),
    );
    expect(t.bucket).toMatchObject({
      versioning: 'Enabled',
      mfaDelete: true,
      encryption: { algorithm: 'AES256', kmsKeyId: null },
      accessLogging: { enabled: true, targetBucket: 'access-logs', targetPrefix: null },
      policyIsPublic: false,
    });
  });

  it('an encryption answer without rules has no algorithm', () => {
    expect(trailOf(orgWith({ encryption: ok({ Rules: [] }) })).bucket?.encryption).toEqual({ algorithm: null, kmsKeyId: null });
  });

  it('every "nothing configured" error code is knowledge, not an unknown', () => {
    const notFound = (code: string) => failed<never>(apiError('s3:Get', code, 'not configured', LOG_ARCHIVE));
    const t = trailOf(
      orgWith({
        objectLock: notFound('ObjectLockConfigurationNotFoundError'),
        lifecycle: notFound('NoSuchLifecycleConfiguration'),
        publicAccessBlock: notFound('NoSuchPublicAccessBlockConfiguration'),
        policyStatus: notFound('NoSuchBucketPolicy'),
        encryption: notFound('ServerSideEncryptionConfigurationNotFoundError'),
        versioning: ok({}),
        logging: ok({}),
      }),
    );
    expect(t.bucket?.unknown).toBeUndefined();
    expect(t.bucket).toMatchObject({ objectLock: { enabled: false }, policyIsPublic: false, encryption: { algorithm: null }, publicAccessBlock: { bucket: null } });
  });
});

describe('bucket settings not read', () => {
  it('a call the owner did not make is named as not read', () => {
    const t = trailOf(orgWith({ versioning: ok({}), logging: ok({}) }));
    expect(t.bucket?.unknown).toMatchObject({
      objectLock: 's3:GetObjectLockConfiguration was not read',
      encryption: 's3:GetBucketEncryption was not read',
      policyIsPublic: 's3:GetBucketPolicyStatus was not read',
      publicAccessBlock: 'public access block unknown: s3:GetPublicAccessBlock was not read',
    });
    expect(t.bucket).toMatchObject({ versioning: 'Disabled', mfaDelete: false, accessLogging: { enabled: false } });
  });

  it('a trail that names no bucket has every bucket fact unknown for that reason', () => {
    const t = trailOf(orgWith(null, { S3BucketName: undefined }));
    expect(t.bucket).toBeNull();
    expect((t.retention as { unknown?: Record<string, string> }).unknown?.availableDays).toBe('lifecycle configuration unknown: the trail names no S3 bucket');
  });

  it("a bucket not read in its owner account names the owner's failure", () => {
    const org = orgWith(null);
    org.listBucket(LOG_ARCHIVE, { Name: 'central-logs' });
    org.account(LOG_ARCHIVE).accountPublicAccessBlock = failed(apiError('s3control:GetPublicAccessBlock', 'AccessDenied', 'denied', LOG_ARCHIVE));
    expect(trailOf(org).bucket?.unknown?.objectLock).toBe(
      `bucket central-logs was not read in its owner account ${LOG_ARCHIVE}: s3control:GetPublicAccessBlock (${LOG_ARCHIVE}) failed: AccessDenied: denied`,
    );
  });

  it('a bucket whose owner is unknown says why', () => {
    const org = orgWith(null);
    org.account(LOG_ARCHIVE).buckets = failed(apiError('s3:ListBuckets', 'AccessDenied', 'denied', LOG_ARCHIVE));
    expect(trailOf(org).bucket?.unknown?.objectLock).toBe(
      `owner of bucket central-logs unknown: the bucket was not found among the organization's buckets, and ListBuckets could not be read in ${LOG_ARCHIVE}`,
    );
  });
});

describe('the CloudWatch Logs group of a trail', () => {
  const withGroup = (trailArn: string, key: string, group: Parameters<typeof ok>[0] | ReturnType<typeof failed> | ReturnType<typeof absent>) => {
    const org = orgWith({ versioning: ok({}) }, { CloudWatchLogsLogGroupArn: trailArn });
    const fetched = (group && typeof group === 'object' && ('error' in group || 'absent' in group) ? group : ok(group)) as never;
    org.region(MANAGEMENT, 'us-east-1').logGroups = { [key]: fetched };
    return trailOf(org).retention as { cloudWatchLogs?: unknown; unknown?: Record<string, string> };
  };

  it('is found whether the trail or the collector keyed it with or without `:*`', () => {
    expect(withGroup(GROUP, `${GROUP}:*`, { logGroupName: 'org-trail', retentionInDays: 30 }).cloudWatchLogs).toEqual({ logGroupArn: GROUP, retentionDays: 30, neverExpires: false });
    expect(withGroup(`${GROUP}:*`, GROUP, { logGroupName: 'org-trail', retentionInDays: 30 }).cloudWatchLogs).toEqual({ logGroupArn: `${GROUP}:*`, retentionDays: 30, neverExpires: false });
  });

  it('a failed read or a group that does not exist is unknown, with the reason', () => {
    const denied = withGroup(GROUP, GROUP, failed(apiError('logs:DescribeLogGroups', 'AccessDeniedException', 'no', MANAGEMENT, 'us-east-1')));
    expect(denied).not.toHaveProperty('cloudWatchLogs');
    expect(denied.unknown?.cloudWatchLogs).toBe(`logs:DescribeLogGroups (${MANAGEMENT}/us-east-1) failed: AccessDeniedException: no`);
    expect(withGroup(GROUP, GROUP, absent('ResourceNotFoundException')).unknown?.cloudWatchLogs).toBe(`log group ${GROUP} does not exist (ResourceNotFoundException)`);
    expect(withGroup(GROUP, `${GROUP}-other`, { logGroupName: 'x' }).unknown?.cloudWatchLogs).toBe(`log group ${GROUP} was not read (logs:DescribeLogGroups)`);
  });
});
