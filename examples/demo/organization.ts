/**
 * The demo organization's core: its accounts in nested OUs, the organization trail to a
 * log-archive account, the members' own trails (a sandbox with its own single-region trail, a
 * member trail that stopped logging weeks earlier, misleading selector names, excluded event
 * sources, split read/write trails, a trail whose status could not be read), a member that does
 * not see the organization trail at all, an account that could not be entered, and every
 * account's buckets as ListBuckets lists them.
 */
import type { EventSelector, OrgAccount, OrganizationalUnit, PublicAccessBlock, TrailEventSelectors, TrailStatus } from '../../src/snapshot/types.ts';
import type { WorldAccount, WorldBucket } from '../../test/fixtures/world/world.ts';
import { emptyDetectiveWorld } from '../../test/fixtures/world/detective.ts';
import { DEMO_ACCOUNTS, DEMO_COLLECTED_AT, DEMO_OUS as OU, DEMO_REGIONS, MANAGEMENT, ORG_ID, ORG_TRAIL_ARN, ORG_TRAIL_BUCKET, ROOT_ID } from './accounts.ts';
import { accountOf, addFault, denied, tags, trailArn, type DemoDraft } from './draft.ts';

/** The default of GetEventSelectors for a trail created without custom selectors. */
export const DEFAULT_SELECTORS: EventSelector[] = [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }];

export const ALL_BLOCKED: PublicAccessBlock = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

/** The organization, its OUs and accounts, with nothing in them yet. */
export function demoOrganization(): DemoDraft {
  const a = DEMO_ACCOUNTS;
  const entries: OrgAccount[] = [
    orgAccount(a.management, 'management', ROOT_ID, '2019-03-11T10:15:00.000Z'),
    orgAccount(a.logArchive, 'log-archive', OU.security, '2019-03-11T10:42:00.000Z'),
    orgAccount(a.audit, 'audit', OU.security, '2019-03-11T10:44:00.000Z'),
    orgAccount(a.network, 'network', OU.infrastructure, '2019-06-03T08:20:00.000Z'),
    orgAccount(a.sharedServices, 'shared-services', OU.infrastructure, '2019-06-03T08:25:00.000Z'),
    orgAccount(a.paymentsProd, 'payments-prod', OU.prod, '2020-02-17T13:05:00.000Z'),
    orgAccount(a.dataProd, 'data-prod', OU.prod, '2020-09-28T09:30:00.000Z'),
    orgAccount(a.webDev, 'web-dev', OU.dev, '2021-01-12T15:00:00.000Z'),
    orgAccount(a.analyticsDev, 'analytics-dev', OU.dev, '2021-05-06T11:10:00.000Z'),
    orgAccount(a.mlResearch, 'ml-research', OU.dev, '2023-08-21T07:45:00.000Z'),
    orgAccount(a.sandboxAlice, 'sandbox-alice', OU.sandbox, '2024-04-02T12:00:00.000Z'),
    orgAccount(a.sandboxBob, 'sandbox-bob', OU.sandbox, '2024-04-02T12:05:00.000Z'),
    orgAccount(a.closedProject, 'closed-project', OU.sandbox, '2022-10-10T16:30:00.000Z', 'SUSPENDED'),
  ];
  const draft: DemoDraft = {
    collectedAt: DEMO_COLLECTED_AT,
    organization: {
      Id: ORG_ID,
      Arn: `arn:aws:organizations::${MANAGEMENT}:organization/${ORG_ID}`,
      MasterAccountId: MANAGEMENT,
      MasterAccountEmail: 'aws-management@acme.example',
      FeatureSet: 'ALL',
    },
    roots: [{ Id: ROOT_ID, Arn: `arn:aws:organizations::${MANAGEMENT}:root/${ORG_ID}/${ROOT_ID}`, Name: 'Root', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] }],
    ous: [
      ou(OU.security, 'Security', ROOT_ID),
      ou(OU.infrastructure, 'Infrastructure', ROOT_ID),
      ou(OU.workloads, 'Workloads', ROOT_ID),
      ou(OU.prod, 'Prod', OU.workloads),
      ou(OU.dev, 'Dev', OU.workloads),
      ou(OU.sandbox, 'Sandbox', ROOT_ID),
    ],
    accounts: entries.map(emptyAccount),
    policies: [],
    orgFaults: [],
    detective: emptyDetectiveWorld(),
  };
  // Its member role refuses the scanner: nothing is known about it.
  addFault(draft, a.sandboxBob, {
    operation: 'sts:AssumeRole',
    code: 'AccessDenied',
    message: `User: arn:aws:sts::${MANAGEMENT}:assumed-role/TrailproofScanner/trailproof is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${a.sandboxBob}:role/TrailproofReadOnly`,
    httpStatusCode: 403,
  });
  // As some emulators answer: its DescribeTrails does not show the organization trails.
  accountOf(draft, a.sharedServices).hidesOrganizationTrails = true;
  return draft;
}

function ou(Id: string, Name: string, ParentId: string): OrganizationalUnit {
  return { Id, Arn: `arn:aws:organizations::${MANAGEMENT}:ou/${ORG_ID}/${Id}`, Name, ParentId };
}

function orgAccount(Id: string, Name: string, ParentId: string, joined: string, Status = 'ACTIVE'): OrgAccount {
  return {
    Id,
    Arn: `arn:aws:organizations::${MANAGEMENT}:account/${ORG_ID}/${Id}`,
    Name,
    Email: `aws-${Name}@acme.example`,
    Status,
    State: Status,
    JoinedMethod: Id === MANAGEMENT ? 'INVITED' : 'CREATED',
    JoinedTimestamp: joined,
    ParentId,
  };
}

function emptyAccount(account: OrgAccount): WorldAccount {
  return { account, enabledRegions: [...DEMO_REGIONS].sort(), trails: [], buckets: [], eventDataStores: [], logGroups: [], accountPublicAccessBlock: null, faults: [] };
}

/** org-trail: homed in us-east-1 of the management account, shadowed into every member. */
export function addOrganizationTrail(draft: DemoDraft): void {
  const logGroupArn = `arn:aws:logs:us-east-1:${MANAGEMENT}:log-group:aws-cloudtrail-logs-${ORG_ID}:*`;
  const management = accountOf(draft, MANAGEMENT);
  management.trails.push({
    trail: {
      Name: 'org-trail',
      S3BucketName: ORG_TRAIL_BUCKET,
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: true,
      HomeRegion: 'us-east-1',
      TrailARN: ORG_TRAIL_ARN,
      LogFileValidationEnabled: true,
      CloudWatchLogsLogGroupArn: logGroupArn,
      CloudWatchLogsRoleArn: `arn:aws:iam::${MANAGEMENT}:role/CloudTrailRoleForCloudWatchLogs_org-trail`,
      KmsKeyId: `arn:aws:kms:us-east-1:${DEMO_ACCOUNTS.logArchive}:key/4f8c2b1e-7d3a-4c9e-9b6f-2a1d5e8c7b90`,
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
      IsOrganizationTrail: true,
    },
    status: {
      IsLogging: true,
      LatestDeliveryTime: '2026-11-02T08:57:41.000Z',
      LatestDigestDeliveryTime: '2026-11-02T08:31:06.000Z',
      StartLoggingTime: '2019-03-11T11:02:19.000Z',
    },
    selectors: { EventSelectors: DEFAULT_SELECTORS },
  });
  management.logGroups.push({ logGroupName: `aws-cloudtrail-logs-${ORG_ID}`, arn: logGroupArn, retentionInDays: 365 });
}

/** A member's own trail (DescribeTrails shows it in its home region, and in every region when multi-region). */
function addOwnTrail(
  draft: DemoDraft,
  owner: string,
  home: string,
  name: string,
  options: { multiRegion: boolean; bucket: string; validation: boolean; status: TrailStatus; selectors: TrailEventSelectors },
): void {
  accountOf(draft, owner).trails.push({
    trail: {
      Name: name,
      S3BucketName: options.bucket,
      IncludeGlobalServiceEvents: options.multiRegion,
      IsMultiRegionTrail: options.multiRegion,
      HomeRegion: home,
      TrailARN: trailArn(home, owner, name),
      LogFileValidationEnabled: options.validation,
      HasCustomEventSelectors: JSON.stringify(options.selectors) !== JSON.stringify({ EventSelectors: DEFAULT_SELECTORS }),
      HasInsightSelectors: false,
      IsOrganizationTrail: false,
    },
    status: options.status,
    selectors: options.selectors,
  });
}

const ownSelectors = (ReadWriteType: 'All' | 'ReadOnly' | 'WriteOnly', ExcludeManagementEventSources: string[] = []): TrailEventSelectors => ({
  EventSelectors: [{ ReadWriteType, IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources }],
});

export function addMemberTrails(draft: DemoDraft): void {
  const a = DEMO_ACCOUNTS;
  const logging: TrailStatus = { IsLogging: true, LatestDeliveryTime: '2026-11-02T08:52:10.000Z', StartLoggingTime: '2024-01-15T09:00:00.000Z' };

  addOwnTrail(draft, a.sandboxAlice, 'us-west-2', 'sandbox-trail', {
    multiRegion: false,
    bucket: 'sandbox-alice-cloudtrail-101010101010',
    validation: false,
    status: { IsLogging: true, LatestDeliveryTime: '2026-11-02T08:49:33.000Z', StartLoggingTime: '2024-04-03T08:12:44.000Z' },
    selectors: { EventSelectors: DEFAULT_SELECTORS },
  });

  addOwnTrail(draft, a.webDev, 'us-east-1', 'web-dev-trail', {
    multiRegion: true,
    bucket: 'acme-web-dev-cloudtrail',
    validation: true,
    status: { IsLogging: false, LatestDeliveryTime: '2026-10-14T17:41:52.000Z', StartLoggingTime: '2021-01-12T15:30:00.000Z', StopLoggingTime: '2026-10-14T17:42:08.000Z' },
    selectors: { EventSelectors: DEFAULT_SELECTORS },
  });

  addOwnTrail(draft, a.paymentsProd, 'us-east-1', 'payments-audit-trail', {
    multiRegion: true,
    bucket: 'acme-payments-prod-cloudtrail',
    validation: true,
    status: logging,
    // The Name is a free label: these selectors record S3 object-level events only.
    selectors: {
      AdvancedEventSelectors: [
        {
          Name: 'Log all management events',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          ],
        },
      ],
    },
  });

  addOwnTrail(draft, a.dataProd, 'eu-west-1', 'data-prod-trail', {
    multiRegion: true,
    bucket: 'acme-data-prod-cloudtrail',
    validation: true,
    status: logging,
    selectors: ownSelectors('All', ['kms.amazonaws.com']),
  });

  addOwnTrail(draft, a.analyticsDev, 'us-east-1', 'analytics-write-trail', { multiRegion: true, bucket: 'acme-analytics-dev-cloudtrail', validation: true, status: logging, selectors: ownSelectors('WriteOnly') });
  addOwnTrail(draft, a.analyticsDev, 'eu-west-1', 'analytics-read-trail', { multiRegion: true, bucket: 'acme-analytics-dev-cloudtrail', validation: true, status: logging, selectors: ownSelectors('ReadOnly') });

  const mlTrail = trailArn('us-west-2', a.mlResearch, 'ml-research-trail');
  addOwnTrail(draft, a.mlResearch, 'us-west-2', 'ml-research-trail', { multiRegion: true, bucket: 'acme-ml-research-cloudtrail', validation: true, status: logging, selectors: { EventSelectors: DEFAULT_SELECTORS } });
  addFault(draft, a.mlResearch, {
    operation: 'cloudtrail:GetTrailStatus',
    region: 'us-west-2',
    code: 'AccessDeniedException',
    message: denied(a.mlResearch, 'cloudtrail:GetTrailStatus', ` on resource: ${mlTrail} with an explicit deny in a service control policy`),
    httpStatusCode: 400,
  });
}

/** A bucket as S3 creates it today (SSE-S3, public access blocked), nothing else configured. */
export function plainBucket(Name: string, region: string, CreationDate: string, tagMap?: Record<string, string>): WorldBucket {
  return {
    Name,
    CreationDate,
    region,
    tags: tagMap ? tags(tagMap) : null,
    objectLock: null,
    lifecycle: null,
    versioning: {},
    publicAccessBlock: ALL_BLOCKED,
    policy: null,
    policyIsPublic: false,
    encryption: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] },
    logging: {},
  };
}

/** Every account's buckets (what ListBuckets lists); trail-buckets.ts and pii-buckets.ts configure some further. */
export function addBuckets(draft: DemoDraft): void {
  const a = DEMO_ACCOUNTS;
  const b = plainBucket;
  const owned: Record<string, WorldBucket[]> = {
    [a.management]: [
      b('acme-management-billing-reports', 'us-east-1', '2019-03-12T09:00:00.000Z', { Purpose: 'cur', Owner: 'finops' }),
      b('aws-athena-query-results-111111111111-us-east-1', 'us-east-1', '2020-05-04T14:22:31.000Z'),
    ],
    [a.logArchive]: [
      b(ORG_TRAIL_BUCKET, 'us-east-1', '2019-03-11T10:58:03.000Z', { Purpose: 'cloudtrail', DataClassification: 'Confidential', Owner: 'security' }),
      b('acme-org-config-logs', 'us-east-1', '2019-03-11T11:05:40.000Z', { Purpose: 'aws-config', Owner: 'security' }),
      b('acme-s3-access-logs-222222222222', 'us-east-1', '2019-03-11T11:07:12.000Z', { Purpose: 's3-access-logs', Owner: 'security' }),
    ],
    [a.audit]: [b('acme-audit-reports', 'eu-west-1', '2019-09-30T08:00:00.000Z', { Owner: 'security' })],
    [a.network]: [
      b('acme-vpc-flow-logs', 'us-east-1', '2019-06-04T10:11:00.000Z', { Purpose: 'flow-logs', Owner: 'network' }),
      b('acme-network-terraform-state', 'us-east-1', '2019-06-04T10:30:00.000Z'),
    ],
    [a.sharedServices]: [
      b('acme-artifacts', 'us-west-2', '2019-07-01T12:00:00.000Z', { Owner: 'platform' }),
      b('acme-ami-build-cache', 'us-west-2', '2022-03-15T09:45:00.000Z'),
    ],
    [a.paymentsProd]: [
      b('acme-payments-prod-cloudtrail', 'us-east-1', '2020-02-17T13:40:00.000Z', { Purpose: 'cloudtrail', Owner: 'payments' }),
      b('acme-payments-settlement-files', 'us-east-1', '2020-03-02T10:00:00.000Z', { Owner: 'payments' }),
    ],
    [a.dataProd]: [
      b('acme-data-prod-cloudtrail', 'eu-west-1', '2020-09-28T10:02:00.000Z', { Purpose: 'cloudtrail', Owner: 'data' }),
      b('acme-data-lake-raw', 'eu-west-1', '2020-10-05T08:30:00.000Z', { Owner: 'data' }),
    ],
    [a.webDev]: [
      b('acme-web-dev-cloudtrail', 'us-east-1', '2021-01-12T15:20:00.000Z', { Purpose: 'cloudtrail' }),
      b('acme-web-dev-static-assets', 'us-east-1', '2021-02-01T11:00:00.000Z', { Owner: 'web' }),
    ],
    [a.analyticsDev]: [
      b('acme-analytics-dev-cloudtrail', 'us-east-1', '2021-05-06T11:30:00.000Z', { Purpose: 'cloudtrail' }),
      b('acme-analytics-dev-scratch', 'eu-west-1', '2021-06-14T16:20:00.000Z'),
    ],
    [a.mlResearch]: [
      b('acme-ml-research-cloudtrail', 'us-west-2', '2023-08-21T08:00:00.000Z', { Purpose: 'cloudtrail' }),
      b('acme-ml-training-data', 'us-west-2', '2023-09-04T13:15:00.000Z', { Owner: 'ml' }),
    ],
    [a.sandboxAlice]: [
      b('sandbox-alice-cloudtrail-101010101010', 'us-west-2', '2024-04-03T08:10:00.000Z'),
      b('alice-experiments', 'us-west-2', '2024-05-20T19:03:27.000Z'),
    ],
  };
  for (const [ownerId, buckets] of Object.entries(owned)) accountOf(draft, ownerId).buckets.push(...buckets);
}
