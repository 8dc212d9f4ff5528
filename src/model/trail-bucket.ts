/**
 * The trail's destination bucket (Object Lock, versioning, exposure, encryption, access logging)
 * and how long the trail's logs are kept there and in CloudWatch Logs.
 *
 * The bucket's configuration is whatever its owner read (index.destinationBuckets). A bucket
 * outside the organization, in an account that could not be read, or whose calls failed leaves
 * each affected fact absent with the reason in `unknown`: rules touching it give ERROR.
 */
import type { AccountRecord, BucketRecord, BucketVersioning, Fetched, PublicAccessBlock, Trail } from '../snapshot/types.ts';
import type { CloudWatchLogsRetentionFacts, RetentionFacts, ListedTrailFacts, TrailBucketFacts } from './facts.ts';
import { deepFreeze } from './frozen.ts';
import { describeError, memo, type ModelIndex } from './model-index.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { objectLockFacts } from './object-lock.ts';
import { bucketExposure, effectivePublicAccessBlock } from './public-access.ts';
import { computeRetention, logObjectPrefix } from './retention.ts';
import { sharedLifecycleMatch } from './lifecycle.ts';

/** "Nothing configured" answers, should a collector record them as errors rather than `absent`. */
const NOT_CONFIGURED_CODES = new Set([
  'ObjectLockConfigurationNotFoundError',
  'NoSuchLifecycleConfiguration',
  'NoSuchPublicAccessBlockConfiguration',
  'NoSuchBucketPolicy',
  'ServerSideEncryptionConfigurationNotFoundError',
]);

/** Fills `trail.bucket`'s configuration and `trail.retention` for the account `record` (its log prefix depends on it). */
export function addTrailBucketFacts(index: ModelIndex, trail: ListedTrailFacts, record: AccountRecord): void {
  const config = locateBucket(index, trail.bucket);
  if (trail.bucket && index.organizationTrails.has(trail.arn)) trail.bucket = sharedBucket(index, trail.bucket, config);
  else if (trail.bucket) addBucketConfiguration(index, trail.bucket, config);

  const raw = rawTrail(index, record, trail.arn);
  const orgId = index.organization.id;
  const prefix = logObjectPrefix(raw?.S3KeyPrefix, trail.isOrganizationTrail ? (orgId ?? '<organization-id>') : undefined, record.accountId);
  const retention = (): RetentionFacts => trailRetention(index, trail, config, prefix);
  trail.retention = index.organizationTrails.has(trail.arn) ? organizationTrailRetention(index, trail, config, prefix, retention) : retention();
}

/**
 * An organization trail's retention for one account: all of it but the log prefix is the same for
 * every account whose prefix each lifecycle rule matches alike (a rule's reason that names the
 * prefix makes it the account's own), so it is worked out once per trail and set of matches,
 * frozen, and each account's facts are its prefix and that shared rest (shared-facts.ts).
 */
function organizationTrailRetention(index: ModelIndex, trail: ListedTrailFacts, config: Known<BucketRecord>, prefix: string, retention: () => RetentionFacts): RetentionFacts {
  const rules = config.value?.lifecycle?.value ?? [];
  // Stryker disable next-line StringLiteral: any key no other memo uses is the same cache.
  const root = memo(index, 'organization-trail-retention', () => new RetentionNode());
  // The definition's parts retention reads, should the owner's own listing differ from the index's.
  let node = root.next(trail.arn).next(trail.bucket?.name ?? '').next(trail.cloudWatchLogsLogGroupArn ?? '').next(String(trail.isOrganizationTrail));
  for (const rule of rules) {
    const match = sharedLifecycleMatch(rule, prefix);
    if (match.reason.includes(prefix)) return retention();
    node = node.next(match.coverage).next(match.reason);
  }
  node.shared ??= sharedRetention(retention());
  return { ...node.shared, logObjectPrefix: prefix };
}

/**
 * The shared rest of a retention, frozen below its top: the account's copy is spread from it, and
 * V8 copies an object whose own members are frozen member by member, growing the copy as it goes
 * (~2.6 KB an account at 10,000 accounts, the model's largest allocation), where it copies a
 * writable one whole. The prefix stays first, as the retention facts were built.
 */
function sharedRetention(retention: RetentionFacts): RetentionFacts {
  const { logObjectPrefix: _, ...rest } = retention;
  for (const key of Object.keys(rest)) deepFreeze((rest as Record<string, unknown>)[key]);
  return { logObjectPrefix: '', ...rest };
}

/**
 * The shared retentions of organization trails, by the parts of the key they depend on, one level
 * per part: each account's parts are strings that exist already (its trail's, the shared matches'
 * reasons), looked up as they are; a key joined from them (~280 characters) was made, flattened
 * and hashed for every account (most of this function's ~7 µs an account, twentieth and
 * twenty-second rounds). Finer than the joined key, never coarser: no part can pass for two.
 */
class RetentionNode {
  /** Never handed out: only copied, with the account's prefix. */
  shared?: RetentionFacts;
  private readonly children = new Map<string, RetentionNode>();

  next(part: string): RetentionNode {
    let child = this.children.get(part);
    if (!child) this.children.set(part, (child = new RetentionNode()));
    return child;
  }
}

function trailRetention(index: ModelIndex, trail: ListedTrailFacts, config: Known<BucketRecord>, prefix: string): RetentionFacts {
  const orgId = index.organization.id;
  const retention: RetentionFacts = computeRetention({
    logObjectPrefix: prefix,
    asOf: index.header.collectedAt,
    lifecycle:
      trail.isOrganizationTrail && !orgId
        ? unknownBecause(`the organization id is unknown, and an organization trail's log keys include it (${index.organization.unknown?.id ?? 'not read'})`)
        : field(config, (c) => c.lifecycle, 's3:GetBucketLifecycleConfiguration', (rules) => rules ?? []),
    versioning: field(config, (c) => c.versioning, 's3:GetBucketVersioning', versioningStatus),
    objectLock: checkedField(config, (c) => c.objectLock, 's3:GetObjectLockConfiguration', objectLockFacts),
  });
  const cwl = cloudWatchLogsRetention(index, trail.cloudWatchLogsLogGroupArn);
  if (cwl.value !== undefined) retention.cloudWatchLogs = cwl.value;
  else retention.unknown = { ...retention.unknown, cloudWatchLogs: cwl.reason };
  return retention;
}

const chain = <T, U>(k: Known<T>, f: (v: T) => Known<U>): Known<U> => (k.value !== undefined ? f(k.value) : unknownBecause(k.reason!));

/** One bucket setting, derived from its call's answer (null: nothing configured). */
function field<T, U>(config: Known<BucketRecord>, pick: (c: BucketRecord) => Fetched<T> | undefined, operation: string, derive: (v: T | null) => U): Known<U> {
  return checkedField(config, pick, operation, (v) => known(derive(v)));
}

/** The same, for a setting whose answer may itself be invalid (unknown with the reason). */
function checkedField<T, U>(config: Known<BucketRecord>, pick: (c: BucketRecord) => Fetched<T> | undefined, operation: string, derive: (v: T | null) => Known<U>): Known<U> {
  return chain(config, (c) => chain(read(pick(c), operation), derive));
}

const versioningStatus = (v: BucketVersioning | null): string => v?.Status ?? 'Disabled';

/** The bucket record its owner read, or why there is none. */
function locateBucket(index: ModelIndex, bucket: TrailBucketFacts | null): Known<BucketRecord> {
  if (!bucket) return unknownBecause('the trail names no S3 bucket');
  if (bucket.ownerAccountId === undefined) return unknownBecause(`owner of bucket ${bucket.name} unknown: ${bucket.unknown?.ownerAccountId ?? 'not determined'}`);
  if (bucket.ownerAccountId === null) {
    return unknownBecause(`bucket ${bucket.name} is not owned by any account of the organization, so its configuration cannot be read`);
  }
  const rec = index.destinationBuckets.get(bucket.name);
  if (rec) return known(rec);
  const access = index.accountPublicAccessBlocks.get(bucket.ownerAccountId);
  const why = access?.error ? `: ${describeError(access.error)}` : '';
  return unknownBecause(`bucket ${bucket.name} was not read in its owner account ${bucket.ownerAccountId}${why}`);
}

/** A call's answer: the value, null for "nothing configured", or unknown with the failed call. */
function read<T>(f: Fetched<T> | undefined, operation: string): Known<T | null> {
  if (f === undefined) return unknownBecause(`${operation} was not read`);
  if (f.error) return NOT_CONFIGURED_CODES.has(f.error.code) ? known(null) : unknownBecause(describeError(f.error));
  return known(f.value ?? null);
}

/**
 * The bucket of an organization trail with its configuration. Every account lists that trail, and
 * a bucket's facts depend on its name only (trails.ts bucketRef, locateBucket): made once and
 * shared, frozen (the rules' caches and CEL conversion key them by identity). Only those: a bucket
 * kept for each account's own trail would hold memory in proportion to the accounts.
 */
function sharedBucket(index: ModelIndex, bucket: TrailBucketFacts, config: Known<BucketRecord>): TrailBucketFacts {
  // Stryker disable next-line StringLiteral: any key no other memo uses is the same cache.
  const configured = memo(index, 'organization-trail-buckets', () => new Map<string, TrailBucketFacts>());
  let shared = configured.get(bucket.name);
  if (!shared) {
    addBucketConfiguration(index, bucket, config);
    configured.set(bucket.name, (shared = deepFreeze(bucket)));
  }
  return shared;
}

function addBucketConfiguration(index: ModelIndex, bucket: TrailBucketFacts, config: Known<BucketRecord>): void {
  const unknown: Record<string, string> = { ...bucket.unknown };
  const set = <K extends keyof TrailBucketFacts>(name: K, value: Known<TrailBucketFacts[K]>): void => {
    if (value.value !== undefined) bucket[name] = value.value;
    else unknown[name] = value.reason!;
  };

  set('objectLock', checkedField(config, (c) => c.objectLock, 's3:GetObjectLockConfiguration', objectLockFacts));
  set('versioning', field(config, (c) => c.versioning, 's3:GetBucketVersioning', versioningStatus));
  set('mfaDelete', field(config, (c) => c.versioning, 's3:GetBucketVersioning', (v) => v?.MFADelete === 'Enabled'));
  const policyIsPublic = field(config, (c) => c.policyStatus, 's3:GetBucketPolicyStatus', (p) => p?.IsPublic ?? false);
  set('policyIsPublic', policyIsPublic);
  const accountBlock = bucket.ownerAccountId
    ? read(index.accountPublicAccessBlocks.get(bucket.ownerAccountId), 's3control:GetPublicAccessBlock')
    : unknownBecause<PublicAccessBlock | null>('the bucket has no owner account in the organization');
  const block = chain(config, (c) => effectivePublicAccessBlock(read(c.publicAccessBlock, 's3:GetPublicAccessBlock'), accountBlock));
  set('publicAccessBlock', block);
  set('exposure', bucketExposure(block, policyIsPublic));
  set(
    'encryption',
    field(config, (c) => c.encryption, 's3:GetBucketEncryption', (e) => {
      const byDefault = e?.Rules[0]?.ApplyServerSideEncryptionByDefault;
      return { algorithm: byDefault?.SSEAlgorithm ?? null, kmsKeyId: byDefault?.KMSMasterKeyID ?? null };
    }),
  );
  set(
    'accessLogging',
    field(config, (c) => c.logging, 's3:GetBucketLogging', (l) => {
      const on = l?.LoggingEnabled;
      return { enabled: !!on, targetBucket: on?.TargetBucket ?? null, targetPrefix: on?.TargetPrefix ?? null };
    }),
  );
  if (Object.keys(unknown).length > 0) bucket.unknown = unknown;
}

/** The trail as DescribeTrails returned it (for S3KeyPrefix, which the trail facts do not carry). */
function rawTrail(index: ModelIndex, record: AccountRecord, arn: string): Trail | undefined {
  const org = index.organizationTrails.get(arn)?.trail;
  if (org) return org;
  for (const region of record.regions) {
    const found = region.trails.value?.find((t) => t.TrailARN === arn);
    if (found) return found;
  }
  return undefined;
}

/** The log group a trail delivers to; the trail names it `arn:...:log-group:NAME:*`, collectors may key it without `:*`. */
function cloudWatchLogsRetention(index: ModelIndex, logGroupArn: string | null): Known<CloudWatchLogsRetentionFacts | null> {
  if (!logGroupArn) return known(null);
  const bare = logGroupArn.replace(/:\*$/, '');
  const group = index.trailLogGroups.get(logGroupArn) ?? index.trailLogGroups.get(bare) ?? index.trailLogGroups.get(`${bare}:*`);
  if (!group) return unknownBecause(`log group ${logGroupArn} was not read (logs:DescribeLogGroups)`);
  if (group.error) return unknownBecause(describeError(group.error));
  if (!group.value) return unknownBecause(`log group ${logGroupArn} does not exist (${group.absent})`);
  const days = group.value.retentionInDays ?? null;
  // Not shared by log group: an account's own trail's group would give each account a frozen
  // object (and the verdict cache a token) of its own; the organization trail's is in its shared retention.
  return known({ logGroupArn, retentionDays: days, neverExpires: days === null });
}
