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
/** Where in an answer a malformer acts: the object holding the field, or undefined when this answer has none. */
type Holder = (answer: Answer) => Answer | undefined;

const first = (list: unknown): Answer | undefined => (Array.isArray(list) && list.length > 0 ? (list[0] as Answer) : undefined);
const member = (value: unknown, key: string): Answer | undefined => (value !== null && typeof value === 'object' ? ((value as Answer)[key] as Answer | undefined) : undefined);
const whole: Holder = (a) => a;
const defaultRetention: Holder = (a) => member(member(a.ObjectLockConfiguration, 'Rule'), 'DefaultRetention');

/** The field's value sent as a string ("true", "365"): the wrong type. */
const asString =
  (holder: Holder, field: string): Malformer =>
  (a) => {
    const target = holder(a);
    if (target?.[field] === undefined) return undefined;
    target[field] = String(target[field]);
    return `${field} as the string "${String(target[field])}"`;
  };

/** The field left out. */
const without =
  (holder: Holder, field: string): Malformer =>
  (a) => {
    const target = holder(a);
    if (target?.[field] === undefined) return undefined;
    delete target[field];
    return `no ${field} (in ${JSON.stringify(target).slice(0, 80)})`;
  };

/** The field set to a value outside its documented enum. */
const outsideEnum =
  (holder: Holder, field: string, value: string): Malformer =>
  (a) => {
    const target = holder(a);
    if (!target) return undefined;
    target[field] = value;
    return `${field} "${value}"`;
  };

/**
 * Per operation, the ways its answer can come malformed. Each edits a copy of the answer and says
 * what it changed, or returns undefined when this answer has nothing to malform that way.
 */
const MALFORMERS: Record<string, Partial<Record<MalformedShape, Malformer>>> = {
  'cloudtrail:DescribeTrails': {
    'missing-required-field': without((a) => first(a.trailList), 'TrailARN'),
    'wrong-type': asString((a) => first(a.trailList), 'IsMultiRegionTrail'),
  },
  'cloudtrail:GetTrailStatus': {
    'missing-required-field': without(whole, 'IsLogging'),
    'wrong-type': asString(whole, 'IsLogging'),
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
    'unknown-enum-value': outsideEnum((a) => first(a.EventSelectors), 'ReadWriteType', 'ReadAndWrite'),
    'wrong-type': (a) => {
      const advanced = first(a.AdvancedEventSelectors);
      if (advanced) {
        advanced.FieldSelectors = { Field: 'eventCategory', Equals: ['Data'] };
        return 'FieldSelectors as an object, not a list';
      }
      return asString((x) => first(x.EventSelectors), 'IncludeManagementEvents')(a);
    },
  },
  'cloudtrail:ListEventDataStores': {
    'missing-required-field': without((a) => first(a.EventDataStores), 'EventDataStoreArn'),
  },
  'cloudtrail:GetEventDataStore': {
    'unknown-enum-value': outsideEnum(whole, 'Status', 'PENDING_ACTIVATION'),
    'wrong-type': asString(whole, 'RetentionPeriod'),
    'both-selector-lists': (a) => ((a.EventSelectors = [{ ReadWriteType: 'All', IncludeManagementEvents: true }]), 'classic EventSelectors beside AdvancedEventSelectors'),
  },
  'account:ListRegions': {
    'missing-required-field': without((a) => first(a.Regions), 'RegionName'),
    'unknown-enum-value': outsideEnum((a) => first(a.Regions), 'RegionOptStatus', 'ENABLED_BY_POLICY'),
  },
  'logs:DescribeLogGroups': {
    'wrong-type': asString((a) => first(a.logGroups), 'retentionInDays'),
  },
  's3:ListBuckets': {
    'missing-required-field': without((a) => first(a.Buckets), 'Name'),
  },
  's3:GetBucketTagging': {
    'missing-required-field': without((a) => first(a.TagSet), 'Value'),
  },
  's3:GetObjectLockConfiguration': {
    'unknown-enum-value': outsideEnum(defaultRetention, 'Mode', 'LEGAL_HOLD'),
    'wrong-type': (a) => asString(defaultRetention, 'Days')(a) ?? asString(defaultRetention, 'Years')(a),
  },
  's3:GetBucketLifecycleConfiguration': {
    'missing-required-field': without((a) => first(a.Rules), 'Status'),
    'unknown-enum-value': outsideEnum((a) => first(a.Rules), 'Status', 'Paused'),
    'wrong-type': asString((a) => member(first(a.Rules), 'Expiration'), 'Days'),
  },
  's3:GetBucketVersioning': {
    'unknown-enum-value': outsideEnum(whole, 'Status', 'Paused'),
  },
  's3:GetPublicAccessBlock': {
    'wrong-type': asString((a) => member(a, 'PublicAccessBlockConfiguration'), 'BlockPublicPolicy'),
  },
  's3:GetBucketPolicyStatus': {
    'wrong-type': asString((a) => member(a, 'PolicyStatus'), 'IsPublic'),
  },
  's3:GetBucketEncryption': {
    'unknown-enum-value': outsideEnum((a) => member(first(member(a.ServerSideEncryptionConfiguration, 'Rules')), 'ApplyServerSideEncryptionByDefault'), 'SSEAlgorithm', 'aws:kms:pqc'),
  },
  's3control:GetPublicAccessBlock': {
    'wrong-type': asString((a) => member(a, 'PublicAccessBlockConfiguration'), 'RestrictPublicBuckets'),
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
  /** Accounts whose account:ListRegions was faulted: their ec2:DescribeRegions fallback is throttled out too. */
  private readonly regionListFaulted = new Set<string>();

  constructor(readonly options: CallFaultOptions) {}

  /** Whether every attempt of this call is throttled. */
  throttle(call: CallIdentity): boolean {
    if (NEVER_FAULTED.has(call.operation)) return false;
    // The fault is the account's region list, whichever API the collector reads it with.
    if (call.operation === 'ec2:DescribeRegions') return this.regionListFaulted.has(call.accountId);
    const key = identity(call);
    if (uniform(this.options.seed, `throttle|${key}`) >= this.options.rates.throttledOut) return false;
    const known = this.injected.get(key) ?? { kind: 'throttled-out', ...describe(call), attempts: 0 };
    known.attempts++;
    if (call.operation === 'account:ListRegions') this.regionListFaulted.add(call.accountId);
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
      if (call.operation === 'account:ListRegions') this.regionListFaulted.add(call.accountId);
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
