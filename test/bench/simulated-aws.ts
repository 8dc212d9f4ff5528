/**
 * The synthetic organization answered in-process (test/fixtures/world/in-process.ts: real SDK
 * clients, `send` stubbed, no HTTP), after a latency per call, throttling like AWS: token buckets
 * per account + region + API family, answering a call over the rate with the family's throttling
 * error (name, HTTP status, $retryable.throttling) so the collector's adaptive retry reacts as it
 * would against AWS. The fast transport: the fault bench uses it; the collection bench pays the
 * real costs over HTTP (http-aws.ts).
 */
import { defaultClientFactory, type ClientFactory } from '../../src/collect/clients.ts';
import { installInProcess, sdkError, type InProcessWorld } from '../fixtures/world/in-process.ts';
import type { SyntheticOrg } from './generate-org.ts';
import { HOME_REGION, MEMBER_ROLE } from './generate-org.ts';
import type { CallFaults } from './fault-injection.ts';

/** API families with their own request-rate quota. */
export type Family = 'organizations' | 'sts' | 'cloudtrail' | 'logs' | 's3' | 's3control' | 'account';

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

/** The quotas of every family, bucket by bucket, with each bucket's traffic (for the lower bound). */
export class QuotaBuckets {
  private readonly quotas: Record<Family, Quota>;
  private readonly buckets = new Map<string, TokenBucket>();
  readonly traffic = new Map<string, BucketTraffic>();

  constructor(overrides: Partial<Record<Family, Partial<Quota>>> = {}) {
    this.quotas = Object.fromEntries(Object.entries(DEFAULT_QUOTAS).map(([family, q]) => [family, { ...q, ...overrides[family as Family] }])) as Record<Family, Quota>;
  }

  quota(family: Family): Quota {
    return this.quotas[family] ?? UNLIMITED;
  }

  /** Whether the family's bucket for this caller has a token now; counts the traffic either way. */
  admit(family: Family, accountId: string, region: string, now: number): boolean {
    const quota = this.quota(family);
    const key = quota.per === 'organization' ? family : `${family}|${accountId}|${region}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(quota, now)));
    const admitted = bucket.take(now);
    const traffic = this.traffic.get(key) ?? { family, key, accepted: 0, throttled: 0 };
    if (admitted) traffic.accepted++;
    else traffic.throttled++;
    this.traffic.set(key, traffic);
    return admitted;
  }
}

/** A family this table does not know (ec2): never throttled. */
const UNLIMITED: Quota = { rate: Infinity, burst: Infinity, per: 'account-region', error: { name: 'Throttling', httpStatusCode: 400, fault: 'client' } };

/** Organizations list pages: the documented MaxResults ceiling. */
export const ORGANIZATIONS_PAGE = 20;

export class SimulatedAws {
  /** Every attempt, throttled or not. */
  readonly callsByOperation = new Map<string, number>();
  /** Attempts the quota let through: the calls the collection needed. */
  readonly admittedByOperation = new Map<string, number>();
  private readonly quotas: QuotaBuckets;
  private sinceReset = 0;
  private installed: InProcessWorld | undefined;

  constructor(
    readonly org: SyntheticOrg,
    readonly options: SimulatedAwsOptions,
  ) {
    this.quotas = new QuotaBuckets(options.quotas);
  }

  quota(family: Family): Quota {
    return this.quotas.quota(family);
  }

  get traffic(): ReadonlyMap<string, BucketTraffic> {
    return this.quotas.traffic;
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
    this.installed = installInProcess(this.org, {
      startingKey: `AKIASIM${this.org.managementId}`,
      pageSize: ORGANIZATIONS_PAGE,
      memberRoleName: MEMBER_ROLE,
      around: async (call, answer) => {
        const operation = call.name;
        this.callsByOperation.set(operation, (this.callsByOperation.get(operation) ?? 0) + 1);
        if (++this.sinceReset >= 1000) {
          this.sinceReset = 0;
          this.installed?.resetHistory();
        }
        const admitted = this.quotas.admit(call.service as Family, call.accountId, call.region, performance.now());
        if (admitted) this.admittedByOperation.set(operation, (this.admittedByOperation.get(operation) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
        const identity = { operation, accountId: call.accountId, region: call.region, input: call.input };
        if (!admitted || this.options.faults?.throttle(identity)) {
          const error = this.quotas.quota(call.service as Family).error;
          throw sdkError(error.name, 'Rate exceeded', error.httpStatusCode, { $retryable: { throttling: true } });
        }
        const out = answer();
        return this.options.faults ? this.options.faults.answer(identity, out) : out;
      },
    });
  }

  restore(): void {
    this.installed?.restore();
    this.installed = undefined;
  }
}

export { HOME_REGION };
