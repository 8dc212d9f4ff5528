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
import type { LifecycleRule } from '../../src/snapshot/types.ts';
import type { WorldBucket } from '../../test/fixtures/world/world.ts';
import { DEMO_ACCOUNTS as A, ORG_TRAIL_BUCKET } from './accounts.ts';
import { accountOf, addFault, bucketOf, denied, trailArn, type DemoDraft } from './draft.ts';
import { ALL_BLOCKED } from './organization.ts';

function expire(ID: string, days: number, extra: Partial<LifecycleRule> = {}): LifecycleRule {
  return { ID, Status: 'Enabled', Filter: { Prefix: 'AWSLogs/' }, Expiration: { Days: days }, ...extra };
}

/** The bucket policy CloudTrail needs to deliver (GetBucketAcl and PutObject by the service): not public. */
function deliveryPolicy(bucket: string): string {
  const service = { Service: 'cloudtrail.amazonaws.com' };
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: service, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}` },
      { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: service, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/AWSLogs/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
    ],
  });
}

/** Configures a trail destination the core demo listed: CloudTrail's delivery policy, plus what the story sets. */
function configure(draft: DemoDraft, name: string, config: Partial<WorldBucket>): void {
  Object.assign(bucketOf(draft, name), { policy: deliveryPolicy(name), policyIsPublic: false }, config);
}

export function addDemoTrailBuckets(draft: DemoDraft): void {
  accountOf(draft, A.logArchive).accountPublicAccessBlock = ALL_BLOCKED;

  configure(draft, ORG_TRAIL_BUCKET, {
    objectLock: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } },
    versioning: { Status: 'Enabled', MFADelete: 'Disabled' },
    lifecycle: [
      expire('cloudtrail-seven-years', 2555, {
        Transitions: [{ Days: 365, StorageClass: 'GLACIER' }],
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      }),
    ],
    encryption: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: `arn:aws:kms:us-east-1:${A.logArchive}:key/4f8c2b1e-7d3a-4c9e-9b6f-2a1d5e8c7b90` },
          BucketKeyEnabled: true,
        },
      ],
    },
    logging: { LoggingEnabled: { TargetBucket: `acme-s3-access-logs-${A.logArchive}`, TargetPrefix: `${ORG_TRAIL_BUCKET}/` } },
  });

  configure(draft, 'acme-web-dev-cloudtrail', {
    // Written for load balancer logs that once shared the bucket: it never touches AWSLogs/.
    lifecycle: [{ ID: 'expire-elb-logs', Status: 'Enabled', Filter: { Prefix: 'elb/' }, Expiration: { Days: 14 } }],
  });

  configure(draft, 'acme-analytics-dev-cloudtrail', {
    lifecycle: [{ ID: 'cost-saving-30d', Status: 'Enabled', Filter: {}, Expiration: { Days: 30 } }],
  });

  configure(draft, 'acme-data-prod-cloudtrail', {
    versioning: { Status: 'Enabled' },
    lifecycle: [
      expire('logs-180d', 180, {
        Transitions: [{ Days: 60, StorageClass: 'GLACIER' }],
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      }),
    ],
  });

  configure(draft, 'acme-payments-prod-cloudtrail', {
    objectLock: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } },
    versioning: { Status: 'Enabled' },
    // CloudTrail never tags its log files, so this rule acts on nothing it delivers.
    lifecycle: [{ ID: 'expire-temporary', Status: 'Enabled', Filter: { Tag: { Key: 'retention', Value: 'temporary' } }, Expiration: { Days: 7 } }],
    encryption: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/aws/s3' }, BucketKeyEnabled: true }] },
    logging: { LoggingEnabled: { TargetBucket: 'acme-payments-settlement-files', TargetPrefix: 'access-logs/' } },
  });

  const mlBucket = 'acme-ml-research-cloudtrail';
  configure(draft, mlBucket, {
    objectLock: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 1 } } },
    versioning: { Status: 'Enabled' },
    lifecycle: [expire('expire-400d', 400, { NoncurrentVersionExpiration: { NoncurrentDays: 1 } })],
    publicAccessBlock: null,
    // Anyone may read the logs.
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${mlBucket}/*` }] }),
    policyIsPublic: true,
  });

  const aliceBucket = 'sandbox-alice-cloudtrail-101010101010';
  configure(draft, aliceBucket, {});
  addFault(draft, A.sandboxAlice, {
    operation: 's3:GetBucketLifecycleConfiguration',
    target: aliceBucket,
    code: 'AccessDenied',
    message: denied(A.sandboxAlice, 's3:GetLifecycleConfiguration', ' because no identity-based policy allows the s3:GetLifecycleConfiguration action'),
    httpStatusCode: 403,
  });

  // A single-region export trail to a vendor's bucket: no account of the organization owns it.
  accountOf(draft, A.audit).trails.push({
    trail: {
      Name: 'siem-export',
      TrailARN: trailArn('eu-west-1', A.audit, 'siem-export'),
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
    status: { IsLogging: true, LatestDeliveryTime: '2026-11-02T08:55:02.000Z', StartLoggingTime: '2025-02-10T10:00:00.000Z' },
    selectors: { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] },
  });
}
