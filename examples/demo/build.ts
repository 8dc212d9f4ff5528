/**
 * The bundled demo organization ("Acme"): about a dozen accounts in nested OUs, with the
 * situations a real audit meets — an organization trail to a log-archive account that someone
 * stopped shortly before the collection (stopped-organization-trail.ts), a sandbox with its own
 * single-region trail, a member trail that stopped logging weeks earlier, a member that does not see the
 * organization trail at all, misleading selector names, excluded event sources, split read/write
 * trails, an account that could not be entered and a trail whose status could not be read.
 *
 * `npx tsx examples/generate-demo.ts` writes it to examples/demo-org.snapshot.jsonl.
 */
import { readFileSync } from 'node:fs';
import type { EventSelector, OrgAccount, SnapshotHeader, Snapshot, TrailDetail } from '../../src/snapshot/types.ts';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../../src/snapshot/types.ts';
import { absent, apiError, DemoOrg, failed, ok, tags, trailArn } from './builder.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_COLLECTED_AT,
  DEMO_OUS as OU,
  DEMO_REGIONS,
  MANAGEMENT,
  ORG_ID,
  ORG_TRAIL_ARN,
  ORG_TRAIL_BUCKET,
  ROOT_ID,
} from './accounts.ts';
export { DEMO_ACCOUNTS, DEMO_COLLECTED_AT, DEMO_OUS, DEMO_REGIONS, ORG_TRAIL_ARN, ORG_TRAIL_BUCKET } from './accounts.ts';
import { addDemoScps } from './scps.ts';
import { addDemoPiiBuckets } from './pii-buckets.ts';
import { addDemoTrailBuckets } from './trail-buckets.ts';
import { addDemoDetective } from './detective.ts';
import { stopDemoOrganizationTrail } from './stopped-organization-trail.ts';

/** The default of GetEventSelectors for a trail created without custom selectors. */
const DEFAULT_SELECTORS: EventSelector[] = [
  { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
];

export function buildDemoSnapshot(): Snapshot {
  const demo = new DemoOrg(demoHeader());
  addAccounts(demo);
  addOrganizationTrail(demo);
  addMemberTrails(demo);
  stopDemoOrganizationTrail(demo);
  addBucketListings(demo);
  addDemoScps(demo);
  addDemoPiiBuckets(demo);
  addDemoTrailBuckets(demo);
  addDemoDetective(demo);
  return demo.snapshot();
}

function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function demoHeader(): SnapshotHeader {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    tool: { name: 'trailproof', version: toolVersion() },
    collectedAt: DEMO_COLLECTED_AT,
    source: 'demo',
    partition: 'aws',
    scope: { regions: [...DEMO_REGIONS], accountIds: [], skipped: [{ accountId: DEMO_ACCOUNTS.closedProject, reason: 'SUSPENDED' }] },
    organization: ok({
      Id: ORG_ID,
      Arn: `arn:aws:organizations::${MANAGEMENT}:organization/${ORG_ID}`,
      MasterAccountId: MANAGEMENT,
      MasterAccountEmail: 'aws-management@acme.example',
      FeatureSet: 'ALL',
    }),
    roots: ok([
      {
        Id: ROOT_ID,
        Arn: `arn:aws:organizations::${MANAGEMENT}:root/${ORG_ID}/${ROOT_ID}`,
        Name: 'Root',
        PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      },
    ]),
    organizationalUnits: ok([
      ou(OU.security, 'Security', ROOT_ID),
      ou(OU.infrastructure, 'Infrastructure', ROOT_ID),
      ou(OU.workloads, 'Workloads', ROOT_ID),
      ou(OU.prod, 'Prod', OU.workloads),
      ou(OU.dev, 'Dev', OU.workloads),
      ou(OU.sandbox, 'Sandbox', ROOT_ID),
    ]),
    accounts: ok([]),
    policies: ok([]),
    errors: [],
  };
}

function ou(Id: string, Name: string, ParentId: string) {
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

/** ListAccounts, and one account line per account in scope (in this order). */
function addAccounts(demo: DemoOrg): void {
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
  for (const entry of entries) demo.addOrgAccount(entry);
  for (const entry of entries) {
    if (entry.Status !== 'ACTIVE') continue;
    const record = demo.account(entry.Id);
    if (entry.Id === a.sandboxBob) {
      record.access = {
        error: apiError(
          'sts:AssumeRole',
          'AccessDenied',
          `User: arn:aws:sts::${MANAGEMENT}:assumed-role/TrailproofScanner/trailproof is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${a.sandboxBob}:role/TrailproofReadOnly`,
          a.sandboxBob,
        ),
      };
      continue;
    }
    // Every region answers DescribeTrails and ListEventDataStores, even with nothing to list:
    // an empty list is knowledge (nothing recorded there), a missing answer would be unknown.
    for (const region of demo.regions) demo.region(entry.Id, region).eventDataStores = ok([]);
  }
}

/** org-trail: homed in us-east-1 of the management account, shadowed into every member. */
function addOrganizationTrail(demo: DemoOrg): void {
  const logGroupArn = `arn:aws:logs:us-east-1:${MANAGEMENT}:log-group:aws-cloudtrail-logs-${ORG_ID}:*`;
  const readable = demo.records.filter((r) => !r.access).map((r) => r.accountId);
  demo.addTrailInRegions(
    {
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
    { accountIds: readable.filter((id) => id !== DEMO_ACCOUNTS.sharedServices) },
  );
  demo.region(MANAGEMENT, 'us-east-1').logGroups = {
    [logGroupArn]: ok({ logGroupName: `aws-cloudtrail-logs-${ORG_ID}`, arn: logGroupArn, retentionInDays: 365 }),
  };
  demo.addTrailDetail(MANAGEMENT, {
    TrailARN: ORG_TRAIL_ARN,
    status: ok({
      IsLogging: true,
      LatestDeliveryTime: '2026-11-02T08:57:41.000Z',
      LatestDigestDeliveryTime: '2026-11-02T08:31:06.000Z',
      StartLoggingTime: '2019-03-11T11:02:19.000Z',
    }),
    eventSelectors: ok({ EventSelectors: DEFAULT_SELECTORS }),
  });
}

/** A member's own trail: home (and, if multi-region, shadow) entries plus its home-region reads. */
function addOwnTrail(
  demo: DemoOrg,
  owner: string,
  home: string,
  name: string,
  options: {
    multiRegion: boolean;
    bucket: string;
    validation: boolean;
    status: TrailDetail['status'];
    eventSelectors: TrailDetail['eventSelectors'];
  },
): void {
  const arn = trailArn(home, owner, name);
  const custom = options.eventSelectors.value ? !isDefaultSelectors(options.eventSelectors.value.EventSelectors) : undefined;
  demo.addTrailInRegions(
    {
      Name: name,
      S3BucketName: options.bucket,
      IncludeGlobalServiceEvents: options.multiRegion,
      IsMultiRegionTrail: options.multiRegion,
      HomeRegion: home,
      TrailARN: arn,
      LogFileValidationEnabled: options.validation,
      ...(custom === undefined ? {} : { HasCustomEventSelectors: custom }),
      HasInsightSelectors: false,
      IsOrganizationTrail: false,
    },
    { regions: options.multiRegion ? demo.regions : [home] },
  );
  demo.addTrailDetail(owner, { TrailARN: arn, status: options.status, eventSelectors: options.eventSelectors });
}

function isDefaultSelectors(selectors: EventSelector[] | undefined): boolean {
  return JSON.stringify(selectors) === JSON.stringify(DEFAULT_SELECTORS);
}

function addMemberTrails(demo: DemoOrg): void {
  const a = DEMO_ACCOUNTS;
  const logging = ok({ IsLogging: true, LatestDeliveryTime: '2026-11-02T08:52:10.000Z', StartLoggingTime: '2024-01-15T09:00:00.000Z' });

  addOwnTrail(demo, a.sandboxAlice, 'us-west-2', 'sandbox-trail', {
    multiRegion: false,
    bucket: 'sandbox-alice-cloudtrail-101010101010',
    validation: false,
    status: ok({ IsLogging: true, LatestDeliveryTime: '2026-11-02T08:49:33.000Z', StartLoggingTime: '2024-04-03T08:12:44.000Z' }),
    eventSelectors: ok({ EventSelectors: DEFAULT_SELECTORS }),
  });

  addOwnTrail(demo, a.webDev, 'us-east-1', 'web-dev-trail', {
    multiRegion: true,
    bucket: 'acme-web-dev-cloudtrail',
    validation: true,
    status: ok({
      IsLogging: false,
      LatestDeliveryTime: '2026-10-14T17:41:52.000Z',
      StartLoggingTime: '2021-01-12T15:30:00.000Z',
      StopLoggingTime: '2026-10-14T17:42:08.000Z',
    }),
    eventSelectors: ok({ EventSelectors: DEFAULT_SELECTORS }),
  });

  addOwnTrail(demo, a.paymentsProd, 'us-east-1', 'payments-audit-trail', {
    multiRegion: true,
    bucket: 'acme-payments-prod-cloudtrail',
    validation: true,
    status: logging,
    // The Name is a free label: these selectors record S3 object-level events only.
    eventSelectors: ok({
      AdvancedEventSelectors: [
        {
          Name: 'Log all management events',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          ],
        },
      ],
    }),
  });

  addOwnTrail(demo, a.dataProd, 'eu-west-1', 'data-prod-trail', {
    multiRegion: true,
    bucket: 'acme-data-prod-cloudtrail',
    validation: true,
    status: logging,
    eventSelectors: ok({
      EventSelectors: [
        { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: ['kms.amazonaws.com'] },
      ],
    }),
  });

  addOwnTrail(demo, a.analyticsDev, 'us-east-1', 'analytics-write-trail', {
    multiRegion: true,
    bucket: 'acme-analytics-dev-cloudtrail',
    validation: true,
    status: logging,
    eventSelectors: ok({ EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] }),
  });
  addOwnTrail(demo, a.analyticsDev, 'eu-west-1', 'analytics-read-trail', {
    multiRegion: true,
    bucket: 'acme-analytics-dev-cloudtrail',
    validation: true,
    status: logging,
    eventSelectors: ok({ EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] }),
  });

  addOwnTrail(demo, a.mlResearch, 'us-west-2', 'ml-research-trail', {
    multiRegion: true,
    bucket: 'acme-ml-research-cloudtrail',
    validation: true,
    status: failed(
      apiError(
        'cloudtrail:GetTrailStatus',
        'AccessDeniedException',
        `User: arn:aws:sts::${a.mlResearch}:assumed-role/TrailproofReadOnly/trailproof is not authorized to perform: cloudtrail:GetTrailStatus on resource: ${trailArn('us-west-2', a.mlResearch, 'ml-research-trail')} with an explicit deny in a service control policy`,
        a.mlResearch,
        'us-west-2',
      ),
    ),
    eventSelectors: ok({ EventSelectors: DEFAULT_SELECTORS }),
  });
}

/**
 * ListBuckets of every account that could be entered, and for each bucket what is read for every
 * bucket (region, tags). Deeper reads of trail destinations and PII buckets come from the hooks.
 */
function addBucketListings(demo: DemoOrg): void {
  const a = DEMO_ACCOUNTS;
  const b = (name: string, region: string, created: string, tagMap?: Record<string, string>) => ({ name, region, created, tagMap });
  const owned: Record<string, ReturnType<typeof b>[]> = {
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
  for (const [ownerId, buckets] of Object.entries(owned)) {
    for (const bucket of buckets) {
      demo.addBucket(
        ownerId,
        { Name: bucket.name, region: ok(bucket.region), tags: bucket.tagMap ? ok(tags(bucket.tagMap)) : absent('NoSuchTagSet') },
        { Name: bucket.name, CreationDate: bucket.created, BucketRegion: bucket.region },
      );
    }
  }
}
