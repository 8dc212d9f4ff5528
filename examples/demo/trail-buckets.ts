/**
 * The demo's trail destination buckets: what each owner read about them (Object Lock, lifecycle,
 * versioning, public access, encryption, access logging), chosen so that every retention and
 * bucket rule has something to say:
 *
 * - acme-org-cloudtrail-logs (log-archive): the exemplary bucket — COMPLIANCE 400 days,
 *   versioned, expiring after seven years, access logging, SSE-KMS, public access blocked.
 * - acme-web-dev-cloudtrail: a lifecycle rule on another prefix (does not apply).
 * - acme-analytics-dev-cloudtrail: a 30-day expiry.
 * - acme-data-prod-cloudtrail: versioned, noncurrent versions expire 30 days after the current
 *   expiry, archived to GLACIER early.
 * - acme-payments-prod-cloudtrail: GOVERNANCE mode, and a tag-filtered rule (does not apply).
 * - acme-ml-research-cloudtrail: COMPLIANCE `Years: 1`, a public policy, no access logging.
 * - sandbox-alice-cloudtrail-101010101010: its lifecycle could not be read.
 * - acme-partner-siem-ingest: outside the organization (the audit account's export trail).
 */
import type { BucketRecord, LifecycleRule, PublicAccessBlock } from '../../src/snapshot/types.ts';
import { DEMO_ACCOUNTS as A, ORG_TRAIL_BUCKET } from './accounts.ts';
import { absent, apiError, failed, ok, trailArn, type DemoOrg } from './builder.ts';

const ALL_BLOCKED: PublicAccessBlock = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

/** A bucket with nothing configured beyond what S3 answers by default; cases override parts. */
function plainBucket(): Omit<BucketRecord, 'Name' | 'region' | 'tags'> {
  return {
    objectLock: absent('ObjectLockConfigurationNotFoundError'),
    lifecycle: absent('NoSuchLifecycleConfiguration'),
    versioning: ok({}),
    publicAccessBlock: ok(ALL_BLOCKED),
    policyStatus: ok({ IsPublic: false }),
    encryption: ok({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] }),
    logging: ok({}),
  };
}

function expire(ID: string, days: number, extra: Partial<LifecycleRule> = {}): LifecycleRule {
  return { ID, Status: 'Enabled', Filter: { Prefix: 'AWSLogs/' }, Expiration: { Days: days }, ...extra };
}

/** Adds the deeper reads to a bucket the core demo already listed (addBucket merges). */
function configure(demo: DemoOrg, ownerId: string, name: string, config: Partial<BucketRecord>): void {
  const listed = demo.bucket(name);
  if (!listed) throw new Error(`demo bucket ${name} is not listed`);
  demo.addBucket(ownerId, { ...listed.record, ...plainBucket(), ...config });
}

export function addDemoTrailBuckets(demo: DemoOrg): void {
  demo.account(A.logArchive).accountPublicAccessBlock = ok(ALL_BLOCKED);
  for (const id of [A.webDev, A.analyticsDev, A.dataProd, A.paymentsProd, A.mlResearch, A.sandboxAlice]) {
    demo.account(id).accountPublicAccessBlock = absent('NoSuchPublicAccessBlockConfiguration');
  }

  configure(demo, A.logArchive, ORG_TRAIL_BUCKET, {
    objectLock: ok({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } }),
    versioning: ok({ Status: 'Enabled', MFADelete: 'Disabled' }),
    lifecycle: ok([
      expire('cloudtrail-seven-years', 2555, {
        Transitions: [{ Days: 365, StorageClass: 'GLACIER' }],
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      }),
    ]),
    encryption: ok({
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: `arn:aws:kms:us-east-1:${A.logArchive}:key/4f8c2b1e-7d3a-4c9e-9b6f-2a1d5e8c7b90` },
          BucketKeyEnabled: true,
        },
      ],
    }),
    logging: ok({ LoggingEnabled: { TargetBucket: `acme-s3-access-logs-${A.logArchive}`, TargetPrefix: `${ORG_TRAIL_BUCKET}/` } }),
  });

  configure(demo, A.webDev, 'acme-web-dev-cloudtrail', {
    // Written for load balancer logs that once shared the bucket: it never touches AWSLogs/.
    lifecycle: ok([{ ID: 'expire-elb-logs', Status: 'Enabled', Filter: { Prefix: 'elb/' }, Expiration: { Days: 14 } }]),
  });

  configure(demo, A.analyticsDev, 'acme-analytics-dev-cloudtrail', {
    lifecycle: ok([{ ID: 'cost-saving-30d', Status: 'Enabled', Filter: {}, Expiration: { Days: 30 } }]),
  });

  configure(demo, A.dataProd, 'acme-data-prod-cloudtrail', {
    versioning: ok({ Status: 'Enabled' }),
    lifecycle: ok([
      expire('logs-180d', 180, {
        Transitions: [{ Days: 60, StorageClass: 'GLACIER' }],
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      }),
    ]),
  });

  configure(demo, A.paymentsProd, 'acme-payments-prod-cloudtrail', {
    objectLock: ok({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } }),
    versioning: ok({ Status: 'Enabled' }),
    // CloudTrail never tags its log files, so this rule acts on nothing it delivers.
    lifecycle: ok([{ ID: 'expire-temporary', Status: 'Enabled', Filter: { Tag: { Key: 'retention', Value: 'temporary' } }, Expiration: { Days: 7 } }]),
    encryption: ok({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/aws/s3' }, BucketKeyEnabled: true }] }),
    logging: ok({ LoggingEnabled: { TargetBucket: 'acme-payments-settlement-files', TargetPrefix: 'access-logs/' } }),
  });

  configure(demo, A.mlResearch, 'acme-ml-research-cloudtrail', {
    objectLock: ok({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 1 } } }),
    versioning: ok({ Status: 'Enabled' }),
    lifecycle: ok([expire('expire-400d', 400, { NoncurrentVersionExpiration: { NoncurrentDays: 1 } })]),
    publicAccessBlock: absent('NoSuchPublicAccessBlockConfiguration'),
    policyStatus: ok({ IsPublic: true }),
  });

  configure(demo, A.sandboxAlice, 'sandbox-alice-cloudtrail-101010101010', {
    lifecycle: failed(
      apiError(
        's3:GetBucketLifecycleConfiguration',
        'AccessDenied',
        `User: arn:aws:sts::${A.sandboxAlice}:assumed-role/TrailproofReadOnly/trailproof is not authorized to perform: s3:GetLifecycleConfiguration because no identity-based policy allows the s3:GetLifecycleConfiguration action`,
        A.sandboxAlice,
        'us-west-2',
      ),
    ),
  });

  // A single-region export trail to a vendor's bucket: no account of the organization owns it.
  const exportTrail = trailArn('eu-west-1', A.audit, 'siem-export');
  demo.addTrailInRegions(
    {
      Name: 'siem-export',
      TrailARN: exportTrail,
      HomeRegion: 'eu-west-1',
      IsMultiRegionTrail: false,
      IsOrganizationTrail: false,
      IncludeGlobalServiceEvents: false,
      LogFileValidationEnabled: true,
      S3BucketName: 'acme-partner-siem-ingest',
      S3KeyPrefix: 'acme',
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
    },
    { regions: ['eu-west-1'] },
  );
  demo.addTrailDetail(A.audit, {
    TrailARN: exportTrail,
    status: ok({ IsLogging: true, LatestDeliveryTime: '2026-11-02T08:55:02.000Z', StartLoggingTime: '2025-02-10T10:00:00.000Z' }),
    eventSelectors: ok({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] }),
  });
}
