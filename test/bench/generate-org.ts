/**
 * A synthetic AWS Organization of N accounts, deterministic from a seed: the world both the
 * snapshot writer (org-snapshot.ts) and the simulated AWS (simulated-aws.ts) answer from, so a
 * benchmark can evaluate it from a file or collect it through the SDK and get the same thing.
 *
 * Shape, modelled on a Control Tower style landing zone: a management account with the
 * organization trail, a log-archive account holding the trail buckets (lifecycle rules, Object
 * Lock), a security account, and members in OUs 3-4 levels deep. About 10 SCPs with documents
 * like real ones (exempted principals, NotAction region fences, conditional denies). A share of
 * members run their own trails (classic and advanced selectors, single- and multi-region, some
 * not logging), some hold PII buckets (tags), a few cannot be entered (AssumeRole denied) or have
 * a failing call.
 */
import type {
  AdvancedEventSelector,
  EventSelector,
  Organization,
  OrganizationalUnit,
  PolicyTarget,
  PublicAccessBlock,
  Root,
  Tag,
  Trail,
  TrailEventSelectors,
  TrailStatus,
} from '../../src/snapshot/types.ts';
import { indexWorld, type World, type WorldAccount, type WorldBucket, type WorldFault, type WorldPolicy, type WorldTrail } from '../fixtures/world/world.ts';

export const DEFAULT_REGIONS = [
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2',
  'ca-central-1', 'eu-central-1', 'eu-north-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'sa-east-1',
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
];
const OPT_IN_REGIONS = ['af-south-1', 'ap-east-1', 'me-south-1'];
export const HOME_REGION = 'us-east-1';
export const MEMBER_ROLE = 'TrailproofReadOnly';

export interface GenerateOptions {
  accounts: number;
  seed?: number;
  /** When the snapshot says it was collected; also the base of every timestamp in the world. */
  collectedAt?: string;
  /** Names of SCPs whose DescribePolicy is denied: an error in the snapshot header, not in an account line. */
  unreadablePolicies?: string[];
}

export type SimTrail = WorldTrail;
export type SimBucket = WorldBucket;
export type SimFault = WorldFault;
export type SimAccount = WorldAccount;
export type SimPolicy = WorldPolicy;

/** The generated world, with what the generator knows beyond it. */
export interface SyntheticOrg extends World {
  seed: number;
  root: Root;
  logArchiveId: string;
}

/** mulberry32: small, fast, and the same numbers on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(seed: number, n: number): number {
  let h = (seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const chance = (rng: Rng, p: number) => rng() < p;

/** Distinct 12-digit ids that look random: i × P mod 9e11 is a bijection because P is coprime to 9e11. */
export function accountIdFor(index: number, seed: number): string {
  const P = 7_777_777_777;
  return String(100_000_000_000 + ((index * P + (seed % 1000) * 1_000_003) % 900_000_000_000));
}

const trailArn = (region: string, account: string, name: string) => `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
const iso = (base: number, minutesBefore: number) => new Date(base - minutesBefore * 60_000).toISOString();

export function generateOrg(options: GenerateOptions): SyntheticOrg {
  const seed = options.seed ?? 42;
  const collectedAt = options.collectedAt ?? '2026-11-02T09:00:00.000Z';
  const base = Date.parse(collectedAt);
  const rng = prng(seed);
  const orgId = `o-${(mix(seed, 1) % 36 ** 10).toString(36).padStart(10, '0')}`;
  const rootId = `r-${(mix(seed, 2) % 36 ** 4).toString(36).padStart(4, '0')}`;
  const n = Math.max(3, options.accounts);
  const managementId = accountIdFor(0, seed);
  const logArchiveId = accountIdFor(1, seed);
  const securityId = accountIdFor(2, seed);

  const tree = buildTree(rootId, orgId, managementId, n, rng);
  const organization: Organization = {
    Id: orgId,
    Arn: `arn:aws:organizations::${managementId}:organization/${orgId}`,
    MasterAccountId: managementId,
    MasterAccountEmail: `aws-root@example.com`,
    FeatureSet: 'ALL',
  };
  const root: Root = {
    Id: rootId,
    Arn: `arn:aws:organizations::${managementId}:root/${orgId}/${rootId}`,
    Name: 'Root',
    PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
  };

  const orgTrailBucket = `${orgId}-org-cloudtrail-logs`;
  const accountTrailBucket = `${orgId}-account-trails`;
  const accounts: SimAccount[] = [];
  for (let i = 0; i < n; i++) {
    const id = accountIdFor(i, seed);
    const r = prng(mix(seed, 1000 + i));
    const kind = i === 0 ? 'management' : i === 1 ? 'log-archive' : i === 2 ? 'security' : 'member';
    const parentId = kind === 'management' ? rootId : kind === 'member' ? pick(r, tree.memberParents) : tree.securityOu;
    const suspended = kind === 'member' && chance(r, 0.02);
    accounts.push({
      account: {
        Id: id,
        Arn: `arn:aws:organizations::${managementId}:account/${orgId}/${id}`,
        Name: kind === 'member' ? `${tree.nameOf.get(parentId) ?? 'acct'}-${String(i).padStart(5, '0')}` : kind,
        Email: `aws+${id}@example.com`,
        Status: suspended ? 'SUSPENDED' : 'ACTIVE',
        State: suspended ? 'SUSPENDED' : 'ACTIVE',
        JoinedMethod: i === 0 ? 'INVITED' : 'CREATED',
        JoinedTimestamp: iso(base, 60 * 24 * (30 + Math.floor(r() * 2000))),
        ParentId: parentId,
      },
      enabledRegions: chance(r, 0.05) ? [...DEFAULT_REGIONS, pick(r, OPT_IN_REGIONS)].sort() : [...DEFAULT_REGIONS],
      trails: [],
      buckets: [],
      eventDataStores: [],
      logGroups: [],
      accountPublicAccessBlock: chance(r, 0.85) ? allBlocked() : null,
      faults: [],
    });
    const sim = accounts[i]!;
    if (kind === 'management') addManagement(sim, { orgTrailBucket, base, r });
    else if (kind === 'log-archive') addLogArchive(sim, { orgTrailBucket, accountTrailBucket, base, managementId });
    else addMember(sim, { accountTrailBucket, base, r, security: kind === 'security', managementId });
  }
  const policies = buildPolicies(managementId, orgId, rootId, tree, accounts, securityId);
  const orgFaults: SimFault[] = policies
    .filter((p) => options.unreadablePolicies?.includes(p.Name))
    .map((p) => ({ operation: 'organizations:DescribePolicy', region: HOME_REGION, target: p.Id, code: 'AccessDeniedException', message: `You don't have permissions to access policy ${p.Id}`, httpStatusCode: 400 }));
  const world = indexWorld({ collectedAt, organization, roots: [root], ous: tree.ous, accounts, policies, orgFaults });
  return { ...world, seed, root, logArchiveId };
}

interface Tree {
  ous: OrganizationalUnit[];
  nameOf: Map<string, string>;
  memberParents: string[];
  securityOu: string;
  byName: Map<string, string>;
}

/** Root → Security, Infrastructure, Sandbox, Suspended, Workloads → Prod/NonProd → BUs → teams (depth 4). */
function buildTree(rootId: string, orgId: string, managementId: string, accounts: number, rng: Rng): Tree {
  const ous: OrganizationalUnit[] = [];
  const nameOf = new Map<string, string>();
  const byName = new Map<string, string>();
  let counter = 0;
  const add = (name: string, parentId: string): string => {
    const id = `ou-${rootId.slice(2)}-${(++counter).toString(36).padStart(8, '0')}`;
    ous.push({ Id: id, Arn: `arn:aws:organizations::${managementId}:ou/${orgId}/${id}`, Name: name, ParentId: parentId });
    nameOf.set(id, name);
    byName.set(name, id);
    return id;
  };
  const security = add('Security', rootId);
  const infrastructure = add('Infrastructure', rootId);
  const sandbox = add('Sandbox', rootId);
  add('Suspended', rootId);
  const workloads = add('Workloads', rootId);
  const prod = add('Prod', workloads);
  const nonProd = add('NonProd', workloads);
  const memberParents = [infrastructure, sandbox, sandbox];
  const units = Math.min(24, Math.max(2, Math.round(accounts / 150)));
  for (let u = 1; u <= units; u++) {
    const bu = `bu-${String(u).padStart(2, '0')}`;
    for (const env of [prod, nonProd]) {
      const unit = add(`${bu}-${env === prod ? 'prod' : 'nonprod'}`, env);
      memberParents.push(unit, unit);
      // Some business units split further into teams: the fourth level.
      if (chance(rng, 0.4)) for (const team of ['team-a', 'team-b']) memberParents.push(add(`${bu}-${team}`, unit));
    }
  }
  return { ous, nameOf, memberParents, securityOu: security, byName };
}

function allBlocked(): PublicAccessBlock {
  return { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
}

function logging(base: number, r: Rng, isLogging = true): TrailStatus {
  return isLogging
    ? { IsLogging: true, LatestDeliveryTime: iso(base, 3 + Math.floor(r() * 10)), LatestDigestDeliveryTime: iso(base, 30 + Math.floor(r() * 30)), StartLoggingTime: iso(base, 60 * 24 * 400) }
    : { IsLogging: false, LatestDeliveryTime: iso(base, 60 * 24 * 12), StopLoggingTime: iso(base, 60 * 24 * 12) };
}

function trailOf(account: string, name: string, over: Partial<Trail> & Pick<Trail, 'HomeRegion'>): Trail {
  return {
    Name: name,
    TrailARN: trailArn(over.HomeRegion, account, name),
    IsMultiRegionTrail: false,
    IsOrganizationTrail: false,
    IncludeGlobalServiceEvents: true,
    LogFileValidationEnabled: true,
    HasCustomEventSelectors: false,
    HasInsightSelectors: false,
    ...over,
  };
}

function plainBucket(name: string, region: string, created: string, tags: Tag[] | null): SimBucket {
  return {
    Name: name,
    CreationDate: created,
    region,
    tags,
    objectLock: null,
    lifecycle: null,
    versioning: {},
    publicAccessBlock: allBlocked(),
    policy: null,
    policyIsPublic: false,
    encryption: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] },
    logging: {},
  };
}

function addManagement(sim: SimAccount, o: { orgTrailBucket: string; base: number; r: Rng }): void {
  const id = sim.account.Id;
  const logGroupArn = `arn:aws:logs:${HOME_REGION}:${id}:log-group:aws-controltower/CloudTrailLogs:*`;
  sim.trails.push({
    trail: trailOf(id, 'org-trail', {
      HomeRegion: HOME_REGION,
      IsMultiRegionTrail: true,
      IsOrganizationTrail: true,
      S3BucketName: o.orgTrailBucket,
      S3KeyPrefix: 'org',
      KmsKeyId: `arn:aws:kms:${HOME_REGION}:${id}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`,
      CloudWatchLogsLogGroupArn: logGroupArn,
      CloudWatchLogsRoleArn: `arn:aws:iam::${id}:role/CloudTrail-CloudWatchLogs`,
      HasCustomEventSelectors: true,
      HasInsightSelectors: true,
    }),
    status: logging(o.base, o.r),
    selectors: {
      AdvancedEventSelectors: [
        { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        {
          Name: 'S3 data events on PII buckets',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::pii-'] },
          ],
        },
      ],
    },
    insights: [{ InsightType: 'ApiCallRateInsight' }],
  });
  sim.logGroups.push({ logGroupName: 'aws-controltower/CloudTrailLogs', arn: logGroupArn, retentionInDays: 365 });
  // A trail from before the organization trail existed: single-region, classic selectors, no validation.
  const legacyBucket = `legacy-cloudtrail-${id}`;
  sim.trails.push({
    trail: trailOf(id, 'legacy-trail', { HomeRegion: 'us-west-2', S3BucketName: legacyBucket, LogFileValidationEnabled: false, HasCustomEventSelectors: true }),
    status: logging(o.base, o.r),
    selectors: { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: ['kms.amazonaws.com'] }] },
  });
  sim.buckets.push({ ...plainBucket(legacyBucket, 'us-west-2', iso(o.base, 60 * 24 * 2000), null), lifecycle: [{ ID: 'expire', Status: 'Enabled', Filter: {}, Expiration: { Days: 90 } }] });
  sim.eventDataStores.push({
    EventDataStoreArn: `arn:aws:cloudtrail:${HOME_REGION}:${id}:eventdatastore/1a2b3c4d-0000-4000-8000-${id}`,
    Name: 'org-lake',
    Status: 'ENABLED',
    MultiRegionEnabled: true,
    OrganizationEnabled: true,
    RetentionPeriod: 2557,
    TerminationProtectionEnabled: true,
    BillingMode: 'FIXED_RETENTION_PRICING',
    AdvancedEventSelectors: [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
  });
}

function addLogArchive(sim: SimAccount, o: { orgTrailBucket: string; accountTrailBucket: string; base: number; managementId: string }): void {
  const created = iso(o.base, 60 * 24 * 1500);
  const trailPolicy = (bucket: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}` },
        { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    });
  const accessLogs = `${o.orgTrailBucket}-access-logs`;
  sim.buckets.push(
    {
      ...plainBucket(o.orgTrailBucket, HOME_REGION, created, [{ Key: 'Purpose', Value: 'OrganizationTrail' }]),
      objectLock: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
      versioning: { Status: 'Enabled', MFADelete: 'Disabled' },
      lifecycle: [
        { ID: 'archive', Status: 'Enabled', Filter: { Prefix: 'org/AWSLogs/' }, Transitions: [{ Days: 90, StorageClass: 'GLACIER' }] },
        { ID: 'expire-after-7-years', Status: 'Enabled', Filter: {}, Expiration: { Days: 2555 }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
      ],
      policy: trailPolicy(o.orgTrailBucket),
      encryption: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: `arn:aws:kms:${HOME_REGION}:${sim.account.Id}:key/logs` }, BucketKeyEnabled: true }] },
      logging: { LoggingEnabled: { TargetBucket: accessLogs, TargetPrefix: 'cloudtrail/' } },
    },
    {
      ...plainBucket(o.accountTrailBucket, HOME_REGION, created, [{ Key: 'Purpose', Value: 'AccountTrails' }]),
      versioning: { Status: 'Enabled' },
      // Expiry without a noncurrent rule on a versioned bucket: the data stays (as noncurrent versions).
      lifecycle: [{ ID: 'expire-after-1-year', Status: 'Enabled', Filter: { Prefix: 'AWSLogs/' }, Expiration: { Days: 365 } }],
      policy: trailPolicy(o.accountTrailBucket),
    },
    { ...plainBucket(accessLogs, HOME_REGION, created, null), lifecycle: [{ ID: 'expire', Status: 'Enabled', Filter: {}, Expiration: { Days: 90 } }] },
  );
}

function addMember(sim: SimAccount, o: { accountTrailBucket: string; base: number; r: Rng; security: boolean; managementId: string }): void {
  const { r } = o;
  const id = sim.account.Id;
  addMemberFaults(sim, o.managementId, r);
  const created = iso(o.base, 60 * 24 * (10 + Math.floor(r() * 1000)));
  const app = plainBucket(`app-data-${id}`, pick(r, sim.enabledRegions), created, [{ Key: 'Team', Value: sim.account.Name }]);
  sim.buckets.push(app);
  if (chance(r, 0.5)) sim.buckets.push(plainBucket(`artifacts-${id}-${pick(r, ['us-east-1', 'eu-west-1'])}`, pick(r, ['us-east-1', 'eu-west-1']), created, null));
  const pii: SimBucket[] = [];
  if (chance(r, 0.2)) {
    const prefix = chance(r, 0.5) ? 'pii-' : 'customer-';
    const bucket = plainBucket(`${prefix}${id}`, pick(r, sim.enabledRegions), created, [{ Key: 'DataClassification', Value: chance(r, 0.9) ? 'PII' : 'pii' }]);
    bucket.versioning = { Status: 'Enabled' };
    pii.push(bucket);
    sim.buckets.push(bucket);
  }
  if (!o.security && !chance(r, 0.15)) return;

  // The account runs its own trail too (a team's data events, or a leftover).
  const multi = chance(r, 0.6);
  const home = pick(r, sim.enabledRegions);
  const ownBucket = chance(r, 0.4);
  const bucketName = ownBucket ? `cloudtrail-${id}` : o.accountTrailBucket;
  if (ownBucket) {
    const b = plainBucket(bucketName, home, created, null);
    b.versioning = chance(r, 0.5) ? { Status: 'Enabled' } : {};
    b.lifecycle = chance(r, 0.5) ? [{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: pick(r, [30, 90, 400]) } }] : null;
    if (chance(r, 0.2)) b.objectLock = { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: pick(r, ['GOVERNANCE', 'COMPLIANCE']), Years: 1 } } };
    if (chance(r, 0.05)) {
      b.publicAccessBlock = null;
      b.policyIsPublic = true;
      b.policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucketName}/*` }] });
    }
    sim.buckets.push(b);
  }
  const advanced = chance(r, 0.5);
  const selectors: TrailEventSelectors = advanced ? { AdvancedEventSelectors: advancedSelectors(r, pii) } : { EventSelectors: classicSelectors(r, pii) };
  const logGroupArn = chance(r, 0.3) ? `arn:aws:logs:${home}:${id}:log-group:cloudtrail/${id}:*` : undefined;
  if (logGroupArn) sim.logGroups.push({ logGroupName: `cloudtrail/${id}`, arn: logGroupArn, ...(chance(r, 0.7) ? { retentionInDays: pick(r, [30, 90, 365, 3653]) } : {}) });
  sim.trails.push({
    trail: trailOf(id, pick(r, ['main', 'audit', 'security-trail', 'data-events']), {
      HomeRegion: home,
      IsMultiRegionTrail: multi,
      S3BucketName: bucketName,
      ...(ownBucket ? {} : { S3KeyPrefix: id }),
      LogFileValidationEnabled: chance(r, 0.7),
      IncludeGlobalServiceEvents: multi || chance(r, 0.5),
      ...(logGroupArn ? { CloudWatchLogsLogGroupArn: logGroupArn, CloudWatchLogsRoleArn: `arn:aws:iam::${id}:role/CloudTrailToCWL` } : {}),
      HasCustomEventSelectors: true,
    }),
    status: logging(o.base, r, chance(r, 0.9)),
    selectors,
  });
  // Faults a real organization shows: an explicit deny, a missing permission.
  if (chance(r, 0.1)) {
    sim.faults.push({
      operation: 'cloudtrail:GetEventSelectors',
      region: home,
      code: 'AccessDeniedException',
      message: `User: arn:aws:sts::${id}:assumed-role/${MEMBER_ROLE}/trailproof is not authorized to perform: cloudtrail:GetEventSelectors`,
      httpStatusCode: 400,
    });
  }
}

/** About 1% of accounts cannot be entered; a few more lack one permission. */
function addMemberFaults(sim: SimAccount, managementId: string, r: Rng): void {
  const id = sim.account.Id;
  const roll = r();
  if (roll < 0.01) {
    sim.faults.push({
      operation: 'sts:AssumeRole',
      region: HOME_REGION,
      code: 'AccessDenied',
      message: `User: arn:aws:sts::${managementId}:assumed-role/TrailproofScanner/trailproof is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${id}:role/${MEMBER_ROLE}`,
      httpStatusCode: 403,
    });
  } else if (roll < 0.015) {
    sim.faults.push({ operation: 'account:ListRegions', region: HOME_REGION, code: 'AccessDeniedException', message: `User is not authorized to perform: account:ListRegions`, httpStatusCode: 403 });
  } else if (roll < 0.025) {
    sim.faults.push({ operation: 's3:GetBucketTagging', target: `app-data-${id}`, code: 'AccessDenied', message: 'Access Denied', httpStatusCode: 403 });
  }
}

function classicSelectors(r: Rng, pii: SimBucket[]): EventSelector[] {
  const rw = pick(r, ['All', 'All', 'WriteOnly', 'ReadOnly'] as const);
  const data = pii.map((b) => ({ Type: 'AWS::S3::Object', Values: [chance(r, 0.8) ? `arn:aws:s3:::${b.Name}/` : `arn:aws:s3:::${b.Name}/exports`] }));
  if (chance(r, 0.1)) data.push({ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] });
  return [{ ReadWriteType: rw, IncludeManagementEvents: chance(r, 0.9), DataResources: data, ExcludeManagementEventSources: chance(r, 0.2) ? ['kms.amazonaws.com'] : [] }];
}

function advancedSelectors(r: Rng, pii: SimBucket[]): AdvancedEventSelector[] {
  const selectors: AdvancedEventSelector[] = [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }];
  if (pii.length > 0) {
    const fields = [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      { Field: 'resources.ARN', StartsWith: pii.map((b) => `arn:aws:s3:::${b.Name}/`) },
    ];
    if (chance(r, 0.3)) fields.push({ Field: 'readOnly', Equals: ['false'] });
    if (chance(r, 0.15)) fields.push({ Field: 'eventName', NotEquals: ['GetObject'] } as never);
    selectors.push({ Name: 'PII object access', FieldSelectors: fields });
  }
  return selectors;
}

function buildPolicies(managementId: string, orgId: string, rootId: string, tree: Tree, accounts: SimAccount[], securityId: string): SimPolicy[] {
  const ou = (name: string) => tree.byName.get(name)!;
  const target = (id: string, type: PolicyTarget['Type']): PolicyTarget => ({
    TargetId: id,
    Type: type,
    Name: type === 'ROOT' ? 'Root' : type === 'ACCOUNT' ? (accounts.find((a) => a.account.Id === id)?.account.Name ?? id) : (tree.nameOf.get(id) ?? id),
    Arn: type === 'ROOT' ? `arn:aws:organizations::${managementId}:root/${orgId}/${id}` : type === 'ACCOUNT' ? `arn:aws:organizations::${managementId}:account/${orgId}/${id}` : `arn:aws:organizations::${managementId}:ou/${orgId}/${id}`,
  });
  const policy = (n: number, name: string, description: string, statements: object[], targets: PolicyTarget[], awsManaged = false): SimPolicy => {
    const Id = awsManaged ? 'p-FullAWSAccess' : `p-${(n * 2654435761 >>> 0).toString(36).padStart(8, '0').slice(0, 8)}`;
    return {
      Id,
      Arn: awsManaged ? 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess' : `arn:aws:organizations::${managementId}:policy/${orgId}/service_control_policy/${Id}`,
      Name: name,
      Description: description,
      AwsManaged: awsManaged,
      Content: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      Targets: targets.sort((a, b) => (a.TargetId < b.TargetId ? -1 : 1)),
    };
  };
  const tamper = ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors'];
  const buOus = tree.ous.filter((o) => o.Name.startsWith('bu-'));
  const everyAccount = accounts.map((a) => target(a.account.Id, 'ACCOUNT'));
  // FullAWSAccess is attached to the root, every OU and every account, as AWS does by default: its
  // target list grows with the organization (a paginated ListTargetsForPolicy, O(accounts) calls).
  const fullAccess = policy(0, 'FullAWSAccess', 'Allows access to every operation', [{ Effect: 'Allow', Action: '*', Resource: '*' }], [
    target(rootId, 'ROOT'),
    ...tree.ous.map((o) => target(o.Id, 'ORGANIZATIONAL_UNIT')),
    ...everyAccount,
  ], true);
  return [
    fullAccess,
    policy(1, 'DenyCloudTrailTampering', 'Only the platform role may change trails', [
      { Sid: 'ProtectTrails', Effect: 'Deny', Action: tamper, Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/AWSControlTowerExecution', 'arn:aws:iam::*:role/PlatformAdmin'] } } },
    ], [target(rootId, 'ROOT')]),
    policy(2, 'DenyLeaveOrganization', 'Members stay in the organization', [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }], [target(rootId, 'ROOT')]),
    policy(3, 'RegionFence', 'Only approved regions, global services excepted', [
      { Sid: 'DenyOtherRegions', Effect: 'Deny', NotAction: ['iam:*', 'organizations:*', 'sts:*', 'cloudfront:*', 'route53:*', 'support:*', 'cloudtrail:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'] } } },
    ], [target(ou('Workloads'), 'ORGANIZATIONAL_UNIT')]),
    policy(4, 'DenyRootUser', 'No root user actions', [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } } }], [target(ou('Workloads'), 'ORGANIZATIONAL_UNIT'), target(ou('Infrastructure'), 'ORGANIZATIONAL_UNIT')]),
    policy(5, 'ProtectSecurityServices', 'GuardDuty, Config and Security Hub stay on', [
      { Effect: 'Deny', Action: ['guardduty:DeleteDetector', 'guardduty:DisassociateFromMasterAccount', 'config:StopConfigurationRecorder', 'config:DeleteConfigurationRecorder', 'securityhub:DisableSecurityHub'], Resource: '*' },
    ], [target(rootId, 'ROOT')]),
    policy(6, 'SandboxStopLoggingOnly', 'Sandbox: only StopLogging is denied (leaves PutEventSelectors open)', [{ Effect: 'Deny', Action: 'cloudtrail:StopLogging', Resource: '*' }], [target(ou('Sandbox'), 'ORGANIZATIONAL_UNIT')]),
    policy(7, 'DenyPublicS3', 'No public buckets in production', [
      { Effect: 'Deny', Action: ['s3:PutBucketPublicAccessBlock', 's3:DeletePublicAccessBlock', 's3:PutAccountPublicAccessBlock'], Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/PlatformAdmin' } } },
    ], [target(ou('Prod'), 'ORGANIZATIONAL_UNIT')]),
    policy(8, 'DenyAll', 'Suspended accounts can do nothing', [{ Effect: 'Deny', Action: '*', Resource: '*' }], [target(ou('Suspended'), 'ORGANIZATIONAL_UNIT')]),
    policy(9, 'CloudTrailMfaOnly', 'Trail changes only with MFA (a conditional protection)', [
      { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
    ], buOus.slice(0, Math.max(1, Math.floor(buOus.length / 4))).map((o) => target(o.Id, 'ORGANIZATIONAL_UNIT'))),
    policy(10, 'SecurityAccountGuard', 'The security account keeps its tooling', [
      { Effect: 'Deny', Action: ['iam:DeleteRole', 'iam:DetachRolePolicy'], Resource: 'arn:aws:iam::*:role/SecurityAudit*' },
    ], [target(securityId, 'ACCOUNT')]),
  ];
}
