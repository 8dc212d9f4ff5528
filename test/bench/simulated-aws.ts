/**
 * The synthetic organization behind the AWS SDK: aws-sdk-client-mock handlers per SDK command,
 * answering from the generated world with the response shapes of the API references, after a
 * latency per call, and throttling like AWS: token buckets per account + region + API family,
 * answering a call over the rate with the family's throttling error (name, HTTP status,
 * $retryable.throttling) so the collector's adaptive retry reacts as it would against AWS.
 *
 * Which account calls is read from the client's credentials: the starting credentials name the
 * management account, and AssumeRole hands out keys that name the member account.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventDataStoreCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailStatusCommand,
  ListEventDataStoresCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultClientFactory, type ClientFactory } from '../../src/collect/clients.ts';
import type { SimAccount, SimBucket, SimFault, SyntheticOrg } from './generate-org.ts';
import { HOME_REGION, MEMBER_ROLE } from './generate-org.ts';
import type { CallFaults } from './fault-injection.ts';
import { faultFor, storesIn, visibleTrails } from './org-snapshot.ts';
import { detectiveCloudTrailHandlers, detectiveLogsHandlers, installSimulatedDetective } from './simulated-detective.ts';

/** API families with their own request-rate quota. */
export type Family = 'organizations' | 'sts' | 'cloudtrail' | 'logs' | 's3' | 's3control' | 'account' | 'cloudwatch' | 'sns' | 'events' | 'guardduty' | 'cloudtrail-lookup';

/** Operations with a quota of their own, apart from their client's family. */
const OPERATION_FAMILY: Readonly<Record<string, Family>> = { 'cloudtrail:LookupEvents': 'cloudtrail-lookup' };

export interface Quota {
  /** Sustained requests per second. */
  rate: number;
  /** Requests a full bucket absorbs at once. */
  burst: number;
  /** What the bucket is per: the whole organization, or each account + region. */
  per: 'organization' | 'account-region';
  /** The throttling error this family answers with. */
  error: { name: string; httpStatusCode: number; fault: 'client' | 'server' };
}

/**
 * Documented figures where AWS publishes one (CloudTrail, STS, CloudWatch Logs), the brief's
 * "about 5 per second, shared" for Organizations; S3 bucket-configuration reads, S3 Control and
 * Account have no published figure and get generous assumed ones.
 */
export const DEFAULT_QUOTAS: Record<Family, Quota> = {
  organizations: { rate: 5, burst: 5, per: 'organization', error: { name: 'TooManyRequestsException', httpStatusCode: 400, fault: 'client' } },
  sts: { rate: 600, burst: 600, per: 'account-region', error: { name: 'Throttling', httpStatusCode: 400, fault: 'client' } },
  cloudtrail: { rate: 10, burst: 10, per: 'account-region', error: { name: 'ThrottlingException', httpStatusCode: 400, fault: 'client' } },
  logs: { rate: 10, burst: 10, per: 'account-region', error: { name: 'ThrottlingException', httpStatusCode: 400, fault: 'client' } },
  s3: { rate: 100, burst: 100, per: 'account-region', error: { name: 'SlowDown', httpStatusCode: 503, fault: 'server' } },
  s3control: { rate: 20, burst: 20, per: 'account-region', error: { name: 'TooManyRequestsException', httpStatusCode: 429, fault: 'client' } },
  account: { rate: 10, burst: 10, per: 'account-region', error: { name: 'TooManyRequestsException', httpStatusCode: 429, fault: 'client' } },
  // Detective controls. LookupEvents: 2 per second per account and region (documented; a burst of
  // two assumed); DescribeAlarms 9/s (documented); SNS, EventBridge and GuardDuty reads: assumed.
  'cloudtrail-lookup': { rate: 2, burst: 2, per: 'account-region', error: { name: 'ThrottlingException', httpStatusCode: 400, fault: 'client' } },
  cloudwatch: { rate: 9, burst: 9, per: 'account-region', error: { name: 'Throttling', httpStatusCode: 400, fault: 'client' } },
  sns: { rate: 30, burst: 30, per: 'account-region', error: { name: 'Throttling', httpStatusCode: 400, fault: 'client' } },
  events: { rate: 50, burst: 50, per: 'account-region', error: { name: 'ThrottlingException', httpStatusCode: 400, fault: 'client' } },
  guardduty: { rate: 10, burst: 10, per: 'account-region', error: { name: 'TooManyRequestsException', httpStatusCode: 429, fault: 'client' } },
};

export interface SimulatedAwsOptions {
  /** Round trip of every call, answered or refused. */
  latencyMs: number;
  quotas?: Partial<Record<Family, Partial<Quota>>>;
  /** Calls throttled out or answered malformed (fault-injection.ts); none by default. */
  faults?: CallFaults;
}

/** One quota bucket's traffic, for the lower bound. */
export interface BucketTraffic {
  family: Family;
  key: string;
  accepted: number;
  throttled: number;
}

class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(private readonly quota: Quota, now: number) {
    this.tokens = quota.burst;
    this.last = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.quota.burst, this.tokens + ((now - this.last) / 1000) * this.quota.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const PAGE = 20; // Organizations list pages (the documented MaxResults ceiling)

type Input = Record<string, unknown>;
type Handler = (caller: Caller, input: Input) => unknown;
interface Caller {
  sim: SimAccount;
  region: string;
}

function awsError(name: string, message: string, httpStatusCode: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode, attempts: 1, totalRetryDelay: 0 }, ...extra });
}

function faultError(fault: SimFault): Error {
  return awsError(fault.code, fault.message, fault.httpStatusCode);
}

function page<T>(items: T[], token: unknown): { items: T[]; NextToken?: string } {
  const start = typeof token === 'string' ? Number(token) : 0;
  const end = start + PAGE;
  return { items: items.slice(start, end), ...(end < items.length ? { NextToken: String(end) } : {}) };
}

const date = (iso: string | undefined) => (iso ? new Date(iso) : undefined);

export class SimulatedAws {
  /** Every attempt, throttled or not. */
  readonly callsByOperation = new Map<string, number>();
  /** Attempts the quota let through: the calls the collection needed. */
  readonly admittedByOperation = new Map<string, number>();
  readonly traffic = new Map<string, BucketTraffic>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly quotas: Record<Family, Quota>;
  private sinceReset = 0;
  private readonly bucketOwners = new Map<string, { owner: SimAccount; bucket: SimBucket }>();
  private readonly mocks: { restore(): void; resetHistory(): void }[] = [];

  constructor(
    readonly org: SyntheticOrg,
    readonly options: SimulatedAwsOptions,
  ) {
    this.quotas = Object.fromEntries(
      Object.entries(DEFAULT_QUOTAS).map(([family, q]) => [family, { ...q, ...options.quotas?.[family as Family] }]),
    ) as Record<Family, Quota>;
    for (const sim of org.accounts) for (const bucket of sim.buckets) this.bucketOwners.set(bucket.Name, { owner: sim, bucket });
  }

  quota(family: Family): Quota {
    return this.quotas[family];
  }

  /** The collector's client factory: real SDK clients, starting as the management account. */
  clientFactory(callTimeoutMs = 15_000): ClientFactory {
    const accessKeyId = `AKIASIM${this.org.managementId}`;
    return defaultClientFactory({ callTimeoutMs, credentials: async () => ({ accessKeyId, secretAccessKey: 'simulated' }) });
  }

  get totalCalls(): number {
    let n = 0;
    for (const c of this.callsByOperation.values()) n += c;
    return n;
  }

  install(): void {
    const org = this.org;
    const orgOnly = (h: Handler): Handler => (caller, input) => {
      if (caller.sim.account.Id !== org.managementId) throw awsError('AccessDeniedException', 'You don\'t have permissions to access this resource.', 400);
      return h(caller, input);
    };
    const bucketOf = (caller: Caller, input: Input): SimBucket => {
      const found = this.bucketOwners.get(String(input.Bucket));
      if (!found) throw awsError('NoSuchBucket', 'The specified bucket does not exist', 404);
      if (found.owner !== caller.sim) throw awsError('AccessDenied', 'Access Denied', 403);
      return found.bucket;
    };
    const orAbsent = <T>(value: T | null, name: string, message: string, status = 404): T => {
      if (value === null) throw awsError(name, message, status);
      return value;
    };
    const trailOf = (caller: Caller, name: unknown) => {
      const arn = String(name);
      const own = caller.sim.trails.find((t) => t.trail.TrailARN === arn || t.trail.Name === arn);
      if (own) return own;
      const orgTrail = org.byId.get(org.managementId)!.trails.find((t) => t.trail.IsOrganizationTrail && t.trail.TrailARN === arn);
      if (orgTrail) return orgTrail;
      throw awsError('TrailNotFoundException', `Unknown trail: ${arn} for the user: ${caller.sim.account.Id}`, 400);
    };

    this.mock(STSClient, 'sts', 'sts', {
      GetCallerIdentity: [GetCallerIdentityCommand, (c) => ({ Account: c.sim.account.Id, Arn: `arn:aws:sts::${c.sim.account.Id}:assumed-role/TrailproofScanner/trailproof`, UserId: 'AROASIM:trailproof' })],
      AssumeRole: [
        AssumeRoleCommand,
        (c, input) => {
          const target = org.byId.get(String(input.RoleArn).split(':')[4] ?? '');
          if (!target || !String(input.RoleArn).endsWith(`:role/${MEMBER_ROLE}`)) throw awsError('AccessDenied', `not authorized to perform: sts:AssumeRole on resource: ${String(input.RoleArn)}`, 403);
          const fault = faultFor(target, 'sts:AssumeRole', c.region);
          if (fault) throw faultError(fault);
          return { Credentials: { AccessKeyId: `ASIASIM${target.account.Id}`, SecretAccessKey: 'simulated', SessionToken: 'simulated', Expiration: new Date(Date.now() + 3600_000) } };
        },
      ],
    });

    const ouChildren = (parentId: string) => org.ous.filter((o) => o.ParentId === parentId).sort((a, b) => (a.Id < b.Id ? -1 : 1));
    const sdkAccount = (a: SimAccount['account']) => ({ Id: a.Id, Arn: a.Arn, Name: a.Name, Email: a.Email, Status: a.Status, State: a.State, JoinedMethod: a.JoinedMethod, JoinedTimestamp: date(a.JoinedTimestamp) });
    this.mock(OrganizationsClient, 'organizations', 'organizations', {
      DescribeOrganization: [DescribeOrganizationCommand, orgOnly(() => ({ Organization: org.organization }))],
      ListRoots: [ListRootsCommand, orgOnly(() => ({ Roots: [org.root] }))],
      ListOrganizationalUnitsForParent: [
        ListOrganizationalUnitsForParentCommand,
        orgOnly((_, input) => {
          const p = page(ouChildren(String(input.ParentId)).map((o) => ({ Id: o.Id, Arn: o.Arn, Name: o.Name })), input.NextToken);
          return { OrganizationalUnits: p.items, NextToken: p.NextToken };
        }),
      ],
      ListAccountsForParent: [
        ListAccountsForParentCommand,
        orgOnly((_, input) => {
          const p = page(org.accounts.filter((a) => a.account.ParentId === input.ParentId).map((a) => sdkAccount(a.account)), input.NextToken);
          return { Accounts: p.items, NextToken: p.NextToken };
        }),
      ],
      ListAccounts: [ListAccountsCommand, orgOnly((_, input) => {
        const p = page(org.accounts.map((a) => sdkAccount(a.account)), input.NextToken);
        return { Accounts: p.items, NextToken: p.NextToken };
      })],
      ListPolicies: [
        ListPoliciesCommand,
        orgOnly((_, input) => {
          const p = page(org.policies.map((x) => ({ Id: x.Id, Arn: x.Arn, Name: x.Name, Description: x.Description, Type: 'SERVICE_CONTROL_POLICY', AwsManaged: x.AwsManaged })), input.NextToken);
          return { Policies: p.items, NextToken: p.NextToken };
        }),
      ],
      DescribePolicy: [
        DescribePolicyCommand,
        orgOnly((_c, input) => {
          const fault = org.orgFaults.find((f) => f.operation === 'organizations:DescribePolicy' && f.target === input.PolicyId);
          if (fault) throw faultError(fault);
          const x = org.policies.find((p) => p.Id === input.PolicyId);
          if (!x) throw awsError('PolicyNotFoundException', 'We can\'t find a policy with the PolicyId that you specified.', 400);
          return { Policy: { PolicySummary: { Id: x.Id, Arn: x.Arn, Name: x.Name, Description: x.Description, Type: 'SERVICE_CONTROL_POLICY', AwsManaged: x.AwsManaged }, Content: x.Content } };
        }),
      ],
      ListTargetsForPolicy: [
        ListTargetsForPolicyCommand,
        orgOnly((_, input) => {
          const x = org.policies.find((p) => p.Id === input.PolicyId);
          const p = page(x?.Targets ?? [], input.NextToken);
          return { Targets: p.items, NextToken: p.NextToken };
        }),
      ],
    });

    this.mock(AccountClient, 'account', 'account', {
      ListRegions: [ListRegionsCommand, (c) => ({ Regions: c.sim.enabledRegions.map((r) => ({ RegionName: r, RegionOptStatus: 'ENABLED_BY_DEFAULT' })) })],
    });

    this.mock(CloudTrailClient, 'cloudtrail', 'cloudtrail', {
      DescribeTrails: [DescribeTrailsCommand, (c) => ({ trailList: visibleTrails(org, c.sim, c.region) })],
      GetTrailStatus: [
        GetTrailStatusCommand,
        (c, input) => {
          const s = trailOf(c, input.Name).status;
          return { ...s, LatestDeliveryTime: date(s.LatestDeliveryTime), LatestDigestDeliveryTime: date(s.LatestDigestDeliveryTime), StartLoggingTime: date(s.StartLoggingTime), StopLoggingTime: date(s.StopLoggingTime) };
        },
      ],
      GetEventSelectors: [GetEventSelectorsCommand, (c, input) => {
        const t = trailOf(c, input.TrailName);
        return { TrailARN: t.trail.TrailARN, ...t.selectors };
      }],
      GetInsightSelectors: [GetInsightSelectorsCommand, (c, input) => {
        const t = trailOf(c, input.TrailName);
        if (!t.insights) throw awsError('InsightNotEnabledException', 'Insights are not enabled on this trail', 400);
        return { TrailARN: t.trail.TrailARN, InsightSelectors: t.insights };
      }],
      ListEventDataStores: [ListEventDataStoresCommand, (c) => ({ EventDataStores: storesIn(c.sim, c.region).map((s) => ({ EventDataStoreArn: s.EventDataStoreArn, Name: s.Name })) })],
      GetEventDataStore: [GetEventDataStoreCommand, (c, input) => {
        const store = storesIn(c.sim, c.region).find((s) => s.EventDataStoreArn === input.EventDataStore);
        if (!store) throw awsError('EventDataStoreNotFoundException', 'The specified event data store was not found.', 400);
        return store;
      }],
      ...detectiveCloudTrailHandlers(),
    });

    this.mock(CloudWatchLogsClient, 'logs', 'logs', {
      DescribeLogGroups: [DescribeLogGroupsCommand, (c, input) => ({
        logGroups: c.sim.logGroups
          .filter((g) => g.arn.split(':')[3] === c.region && g.logGroupName.startsWith(String(input.logGroupNamePrefix ?? '')))
          .map((g) => ({ logGroupName: g.logGroupName, arn: g.arn, creationTime: 1_700_000_000_000, storedBytes: 0, ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}) })),
      })],
      ...detectiveLogsHandlers(awsError),
    });
    installSimulatedDetective(org, (clientClass, family, service, handlers) => this.mock(clientClass, family, service, handlers));

    this.mock(S3Client, 's3', 's3', {
      ListBuckets: [ListBucketsCommand, (c) => ({
        Buckets: [...c.sim.buckets].sort((a, b) => (a.Name < b.Name ? -1 : 1)).map((b) => ({ Name: b.Name, CreationDate: new Date(b.CreationDate), BucketRegion: b.region })),
        Owner: { ID: `owner-${c.sim.account.Id}` },
      })],
      GetBucketLocation: [GetBucketLocationCommand, (c, input) => {
        const b = bucketOf(c, input);
        return { LocationConstraint: b.region === 'us-east-1' ? undefined : b.region };
      }],
      GetBucketTagging: [GetBucketTaggingCommand, (c, input) => ({ TagSet: orAbsent(bucketOf(c, input).tags, 'NoSuchTagSet', 'The TagSet does not exist') })],
      GetObjectLockConfiguration: [GetObjectLockConfigurationCommand, (c, input) => ({
        ObjectLockConfiguration: orAbsent(bucketOf(c, input).objectLock, 'ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket'),
      })],
      GetBucketLifecycleConfiguration: [GetBucketLifecycleConfigurationCommand, (c, input) => ({
        Rules: orAbsent(bucketOf(c, input).lifecycle, 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'),
      })],
      GetBucketVersioning: [GetBucketVersioningCommand, (c, input) => ({ ...bucketOf(c, input).versioning })],
      GetPublicAccessBlock: [GetPublicAccessBlockCommand, (c, input) => ({
        PublicAccessBlockConfiguration: orAbsent(bucketOf(c, input).publicAccessBlock, 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found'),
      })],
      GetBucketPolicyStatus: [GetBucketPolicyStatusCommand, (c, input) => {
        const b = bucketOf(c, input);
        orAbsent(b.policy, 'NoSuchBucketPolicy', 'The bucket policy does not exist');
        return { PolicyStatus: { IsPublic: b.policyIsPublic } };
      }],
      GetBucketPolicy: [GetBucketPolicyCommand, (c, input) => ({ Policy: orAbsent(bucketOf(c, input).policy, 'NoSuchBucketPolicy', 'The bucket policy does not exist') })],
      GetBucketEncryption: [GetBucketEncryptionCommand, (c, input) => ({
        ServerSideEncryptionConfiguration: orAbsent(bucketOf(c, input).encryption, 'ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found'),
      })],
      GetBucketLogging: [GetBucketLoggingCommand, (c, input) => ({ ...bucketOf(c, input).logging })],
    });

    this.mock(S3ControlClient, 's3control', 's3control', {
      GetPublicAccessBlock: [GetAccountPublicAccessBlockCommand, (c) => ({
        PublicAccessBlockConfiguration: orAbsent(c.sim.accountPublicAccessBlock, 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found'),
      })],
    });
  }

  restore(): void {
    for (const m of this.mocks.splice(0)) m.restore();
  }

  private mock(
    clientClass: unknown,
    family: Family,
    service: string,
    handlers: Record<string, [command: new (input: never) => object, handler: Handler]>,
  ): void {
    const stub = mockClient(clientClass as never) as unknown as {
      on(command: unknown): { callsFake(fn: (input: Input, getClient: () => { config: SdkConfig }) => unknown): unknown };
      restore(): void;
      resetHistory(): void;
    };
    for (const [operation, [command, handler]] of Object.entries(handlers)) {
      stub.on(command).callsFake((input, getClient) => this.answer(family, `${service}:${operation}`, input, getClient().config, handler));
    }
    this.mocks.push(stub);
  }

  private async answer(clientFamily: Family, operation: string, input: Input, config: SdkConfig, handler: Handler): Promise<unknown> {
    const family = OPERATION_FAMILY[operation] ?? clientFamily;
    const [credentials, region] = await Promise.all([config.credentials(), config.region()]);
    const accountId = credentials.accessKeyId.replace(/^(AKIA|ASIA)SIM/, '');
    const sim = this.org.byId.get(accountId);
    if (!sim) throw awsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    this.callsByOperation.set(operation, (this.callsByOperation.get(operation) ?? 0) + 1);
    // sinon keeps every call's arguments; the collector's memory, not the mock's, is what is measured.
    if (++this.sinceReset >= 1000) {
      this.sinceReset = 0;
      for (const m of this.mocks) m.resetHistory();
    }

    const quota = this.quotas[family];
    const key = quota.per === 'organization' ? family : `${family}|${accountId}|${region}`;
    let bucket = this.buckets.get(key);
    const now = performance.now();
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(quota, now)));
    const admitted = bucket.take(now);
    const traffic = this.traffic.get(key) ?? { family, key, accepted: 0, throttled: 0 };
    if (admitted) {
      traffic.accepted++;
      this.admittedByOperation.set(operation, (this.admittedByOperation.get(operation) ?? 0) + 1);
    } else traffic.throttled++;
    this.traffic.set(key, traffic);

    await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const call = { operation, accountId, region, input };
    if (!admitted || this.options.faults?.throttle(call)) throw awsError(quota.error.name, 'Rate exceeded', quota.error.httpStatusCode, { $retryable: { throttling: true } });
    const fault = faultFor(sim, operation, region, typeof input.Bucket === 'string' ? input.Bucket : undefined);
    if (fault && operation !== 'sts:AssumeRole') throw faultError(fault);
    const answer = handler({ sim, region }, input);
    return this.options.faults ? this.options.faults.answer(call, answer) : answer;
  }
}

interface SdkConfig {
  credentials(): Promise<{ accessKeyId: string }>;
  region(): Promise<string>;
}

export { HOME_REGION };
