/**
 * Faults injected into the simulated AWS (simulated-aws.ts), deterministic from a seed:
 *
 * - AssumeRole denied for a share of the member accounts (the member role missing or refusing
 *   the scanner): the whole account is unreadable;
 * - calls throttled until the retries run out: chosen per call (operation, account, region and
 *   input), so every attempt of a chosen call is throttled and no retry can clear it;
 * - malformed answers: an answer reshaped the way a real endpoint might get it wrong — a missing
 *   required field, a value of the wrong type, both selector lists at once, an unknown enum value.
 *
 * A call's fate depends only on the seed and the call itself, never on timing or the order the
 * collector makes its calls in, so a run can be checked against what was injected.
 *
 * The organization's own reads (tree listing, ListPolicies) and STS are never throttled or
 * malformed: their failure changes the scope of the scan itself (collect-organization.test.ts
 * covers it); SCP content and targets (DescribePolicy, ListTargetsForPolicy) are.
 */
import type { SyntheticOrg } from './generate-org.ts';
import { HOME_REGION, MEMBER_ROLE } from './generate-org.ts';

export type MalformedShape = 'missing-required-field' | 'wrong-type' | 'both-selector-lists' | 'unknown-enum-value';

export interface FaultRates {
  /** Share of member accounts whose member role refuses AssumeRole. */
  assumeRoleDenied: number;
  /** Share of calls answered with throttling on every attempt. */
  throttledOut: number;
  /** Share of calls answered with a malformed shape (where the operation's answer can be malformed). */
  malformed: number;
}

export const ISSUE_11_RATES: FaultRates = { assumeRoleDenied: 0.2, throttledOut: 0.05, malformed: 0.01 };

/** One call as the injector identifies it. */
export interface CallIdentity {
  operation: string;
  /** The account whose credentials made the call. */
  accountId: string;
  region: string;
  input: Record<string, unknown>;
}

export interface InjectedCallFault extends Omit<CallIdentity, 'input'> {
  kind: 'throttled-out' | 'malformed';
  /** Bucket, trail or event data store the call was about, when it names one. */
  target?: string;
  shape?: MalformedShape;
  /** What the malformed answer changed, for reading a failure. */
  detail?: string;
  /** Attempts answered with throttling (throttled-out). */
  attempts: number;
}

const NEVER_FAULTED = new Set([
  'sts:GetCallerIdentity',
  'sts:AssumeRole',
  'organizations:DescribeOrganization',
  'organizations:ListRoots',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListAccountsForParent',
  'organizations:ListAccounts',
  'organizations:ListPolicies',
]);

/** FNV-1a over the text, seeded: a number in [0, 1) that depends on nothing else. */
export function uniform(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296;
}

/**
 * Denies AssumeRole into `rate` of the member accounts (not the management, log-archive or
 * security account, which hold what every other account's verdicts rest on), as the generator's own
 * faults do. Returns the denied account ids, sorted.
 */
export function denyAssumeRole(org: SyntheticOrg, seed: number, rate: number): string[] {
  const core = new Set([org.managementId, org.logArchiveId, org.accounts.find((a) => a.account.Name === 'security')?.account.Id]);
  const members = org.accounts.filter((a) => !core.has(a.account.Id) && !a.faults.some((f) => f.operation === 'sts:AssumeRole'));
  const chosen = members
    .map((sim) => ({ sim, u: uniform(seed, `assume-role|${sim.account.Id}`) }))
    .sort((a, b) => a.u - b.u)
    .slice(0, Math.round(rate * members.length))
    .map(({ sim }) => sim);
  for (const sim of chosen) {
    sim.faults.push({
      operation: 'sts:AssumeRole',
      region: HOME_REGION,
      code: 'AccessDenied',
      message: `User: arn:aws:sts::${org.managementId}:assumed-role/TrailproofScanner/trailproof is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${sim.account.Id}:role/${MEMBER_ROLE}`,
      httpStatusCode: 403,
    });
  }
  return chosen.map((s) => s.account.Id).sort();
}

type Answer = Record<string, unknown>;
type Malformer = (answer: Answer) => string | undefined;

const first = (list: unknown): Answer | undefined => (Array.isArray(list) && list.length > 0 ? (list[0] as Answer) : undefined);

/**
 * Per operation, the ways its answer can come malformed. Each edits a copy of the answer and says
 * what it changed, or returns undefined when this answer has nothing to malform that way.
 */
const MALFORMERS: Record<string, Partial<Record<MalformedShape, Malformer>>> = {
  'cloudtrail:DescribeTrails': {
    'missing-required-field': (a) => {
      const t = first(a.trailList);
      if (!t) return undefined;
      delete t.TrailARN;
      return `trail ${String(t.Name)} without TrailARN`;
    },
    'wrong-type': (a) => {
      const t = first(a.trailList);
      if (!t) return undefined;
      t.IsMultiRegionTrail = String(t.IsMultiRegionTrail);
      return `IsMultiRegionTrail as the string "${String(t.IsMultiRegionTrail)}"`;
    },
  },
  'cloudtrail:GetTrailStatus': {
    'missing-required-field': (a) => (delete a.IsLogging, 'no IsLogging'),
    'wrong-type': (a) => ((a.IsLogging = a.IsLogging ? 'true' : 'false'), `IsLogging as the string "${String(a.IsLogging)}"`),
  },
  'cloudtrail:GetEventSelectors': {
    'both-selector-lists': (a) => {
      if (Array.isArray(a.AdvancedEventSelectors) && a.AdvancedEventSelectors.length > 0) {
        a.EventSelectors = [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }];
      } else {
        a.AdvancedEventSelectors = [{ Name: 'Log all S3 data events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }];
      }
      return 'both EventSelectors and AdvancedEventSelectors, neither empty';
    },
    'unknown-enum-value': (a) => {
      const s = first(a.EventSelectors);
      if (!s) return undefined;
      s.ReadWriteType = 'ReadAndWrite';
      return 'ReadWriteType "ReadAndWrite"';
    },
    'wrong-type': (a) => {
      const s = first(a.EventSelectors) ?? first(a.AdvancedEventSelectors);
      if (!s) return undefined;
      if ('FieldSelectors' in s) {
        s.FieldSelectors = { Field: 'eventCategory', Equals: ['Data'] };
        return 'FieldSelectors as an object, not a list';
      }
      s.IncludeManagementEvents = 1;
      return 'IncludeManagementEvents as the number 1';
    },
  },
  'cloudtrail:ListEventDataStores': {
    'missing-required-field': (a) => {
      const s = first(a.EventDataStores);
      if (!s) return undefined;
      delete s.EventDataStoreArn;
      return `event data store ${String(s.Name)} without EventDataStoreArn`;
    },
  },
  'cloudtrail:GetEventDataStore': {
    'unknown-enum-value': (a) => ((a.Status = 'PENDING_ACTIVATION'), 'Status "PENDING_ACTIVATION"'),
    'wrong-type': (a) => ((a.RetentionPeriod = String(a.RetentionPeriod)), `RetentionPeriod as the string "${String(a.RetentionPeriod)}"`),
    'both-selector-lists': (a) => ((a.EventSelectors = [{ ReadWriteType: 'All', IncludeManagementEvents: true }]), 'classic EventSelectors beside AdvancedEventSelectors'),
  },
  'account:ListRegions': {
    'missing-required-field': (a) => {
      const r = first(a.Regions);
      if (!r) return undefined;
      delete r.RegionName;
      return 'a region without RegionName';
    },
    'unknown-enum-value': (a) => {
      const r = first(a.Regions);
      if (!r) return undefined;
      r.RegionOptStatus = 'ENABLED_BY_POLICY';
      return 'RegionOptStatus "ENABLED_BY_POLICY"';
    },
  },
  'logs:DescribeLogGroups': {
    'wrong-type': (a) => {
      const g = first(a.logGroups);
      if (!g) return undefined;
      g.retentionInDays = String(g.retentionInDays ?? 'never');
      return `retentionInDays as the string "${String(g.retentionInDays)}"`;
    },
  },
  's3:ListBuckets': {
    'missing-required-field': (a) => {
      const b = first(a.Buckets);
      if (!b) return undefined;
      const name = String(b.Name);
      delete b.Name;
      return `bucket ${name} listed without Name`;
    },
  },
  's3:GetBucketTagging': {
    'missing-required-field': (a) => {
      const t = first(a.TagSet);
      if (!t) return undefined;
      delete t.Value;
      return `tag ${String(t.Key)} without Value`;
    },
  },
  's3:GetObjectLockConfiguration': {
    'unknown-enum-value': (a) => {
      const retention = ((a.ObjectLockConfiguration as Answer | undefined)?.Rule as Answer | undefined)?.DefaultRetention as Answer | undefined;
      if (!retention) return undefined;
      retention.Mode = 'LEGAL_HOLD';
      return 'DefaultRetention.Mode "LEGAL_HOLD"';
    },
    'wrong-type': (a) => {
      const retention = ((a.ObjectLockConfiguration as Answer | undefined)?.Rule as Answer | undefined)?.DefaultRetention as Answer | undefined;
      if (!retention) return undefined;
      const field = retention.Days !== undefined ? 'Days' : 'Years';
      retention[field] = String(retention[field]);
      return `DefaultRetention.${field} as the string "${String(retention[field])}"`;
    },
  },
  's3:GetBucketLifecycleConfiguration': {
    'missing-required-field': (a) => {
      const r = first(a.Rules);
      if (!r) return undefined;
      delete r.Status;
      return `lifecycle rule ${String(r.ID)} without Status`;
    },
    'unknown-enum-value': (a) => {
      const r = first(a.Rules);
      if (!r) return undefined;
      r.Status = 'Paused';
      return `lifecycle rule ${String(r.ID)} with Status "Paused"`;
    },
    'wrong-type': (a) => {
      const r = first(a.Rules);
      const expiration = r?.Expiration as Answer | undefined;
      if (!expiration || expiration.Days === undefined) return undefined;
      expiration.Days = String(expiration.Days);
      return `Expiration.Days as the string "${String(expiration.Days)}"`;
    },
  },
  's3:GetBucketVersioning': {
    'unknown-enum-value': (a) => ((a.Status = 'Paused'), 'versioning Status "Paused"'),
  },
  's3:GetPublicAccessBlock': {
    'wrong-type': (a) => {
      const c = a.PublicAccessBlockConfiguration as Answer | undefined;
      if (!c) return undefined;
      c.BlockPublicPolicy = String(c.BlockPublicPolicy);
      return `BlockPublicPolicy as the string "${String(c.BlockPublicPolicy)}"`;
    },
  },
  's3:GetBucketPolicyStatus': {
    'wrong-type': (a) => {
      const s = a.PolicyStatus as Answer | undefined;
      if (!s) return undefined;
      s.IsPublic = String(s.IsPublic);
      return `IsPublic as the string "${String(s.IsPublic)}"`;
    },
  },
  's3:GetBucketEncryption': {
    'unknown-enum-value': (a) => {
      const rule = first((a.ServerSideEncryptionConfiguration as Answer | undefined)?.Rules);
      const byDefault = rule?.ApplyServerSideEncryptionByDefault as Answer | undefined;
      if (!byDefault) return undefined;
      byDefault.SSEAlgorithm = 'aws:kms:pqc';
      return 'SSEAlgorithm "aws:kms:pqc"';
    },
  },
  's3control:GetPublicAccessBlock': {
    'wrong-type': (a) => {
      const c = a.PublicAccessBlockConfiguration as Answer | undefined;
      if (!c) return undefined;
      c.RestrictPublicBuckets = String(c.RestrictPublicBuckets);
      return `RestrictPublicBuckets as the string "${String(c.RestrictPublicBuckets)}"`;
    },
  },
};

export interface CallFaultOptions {
  seed: number;
  rates: FaultRates;
  /** Malformed answers are a separate switch: off, only throttling is injected per call. */
  malformed: boolean;
  /** Only these shapes (default: every shape an operation's answer can take). */
  shapes?: readonly MalformedShape[];
}

/** Decides, per call, whether it is throttled out or answered malformed, and remembers what it did. */
export class CallFaults {
  private readonly injected = new Map<string, InjectedCallFault>();

  constructor(readonly options: CallFaultOptions) {}

  /** Whether every attempt of this call is throttled. */
  throttle(call: CallIdentity): boolean {
    if (NEVER_FAULTED.has(call.operation)) return false;
    const key = identity(call);
    if (uniform(this.options.seed, `throttle|${key}`) >= this.options.rates.throttledOut) return false;
    const known = this.injected.get(key) ?? { kind: 'throttled-out', ...describe(call), attempts: 0 };
    known.attempts++;
    this.injected.set(key, known);
    return true;
  }

  /** The answer to send: the handler's, or a malformed copy of it. */
  answer(call: CallIdentity, answer: unknown): unknown {
    if (!this.options.malformed || NEVER_FAULTED.has(call.operation)) return answer;
    const ways = MALFORMERS[call.operation];
    if (!ways || answer === null || typeof answer !== 'object') return answer;
    const key = identity(call);
    if (uniform(this.options.seed, `malformed|${key}`) >= this.options.rates.malformed) return answer;
    const shapes = (Object.keys(ways).sort() as MalformedShape[]).filter((shape) => !this.options.shapes || this.options.shapes.includes(shape));
    const start = Math.floor(uniform(this.options.seed, `shape|${key}`) * shapes.length);
    // The first shape (from a seeded start) this answer can take; none: it stays well-formed.
    for (let i = 0; i < shapes.length; i++) {
      const shape = shapes[(start + i) % shapes.length]!;
      const copy = structuredClone(answer) as Answer;
      const detail = ways[shape]!(copy);
      if (detail === undefined) continue;
      this.injected.set(key, { kind: 'malformed', ...describe(call), shape, detail, attempts: 1 });
      return copy;
    }
    return answer;
  }

  /** What was injected, in a stable order. */
  list(): InjectedCallFault[] {
    return [...this.injected.values()].sort((a, b) => (stableKey(a) < stableKey(b) ? -1 : stableKey(a) > stableKey(b) ? 1 : 0));
  }
}

function identity(call: CallIdentity): string {
  const input = Object.fromEntries(Object.entries(call.input).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${call.operation}|${call.accountId}|${call.region}|${JSON.stringify(input)}`;
}

function describe(call: CallIdentity): Omit<InjectedCallFault, 'kind' | 'attempts'> {
  const named = call.input.Bucket ?? call.input.Name ?? call.input.TrailName ?? call.input.EventDataStore ?? call.input.PolicyId ?? call.input.logGroupNamePrefix;
  return { operation: call.operation, accountId: call.accountId, region: call.region, ...(typeof named === 'string' ? { target: named } : {}) };
}

const stableKey = (f: InjectedCallFault) => `${f.kind}|${f.operation}|${f.accountId}|${f.region}|${f.target ?? ''}`;
