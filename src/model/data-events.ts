import { compareStrings } from '../contracts/order.ts';
import type { AccountRecord, BucketListing } from '../snapshot/types.ts';
import type { AccessCoverageFacts, AccountDataEventsFacts, AccountWithListedTrails, AllBucketsCoverageFacts, BucketDataEventsFacts, BucketFacts, EvaluationSubject, OrganizationFacts, PiiClassificationFacts } from './facts.ts';
import { memo, unknownReason, type ModelIndex } from './model-index.ts';
import { known, unknownBecause, type Known } from './known.ts';
import {
  bucketAccessCoverage,
  bucketNameClass,
  mayRecordS3Objects,
  type AccessCoverage,
  type AccessKind,
  type CoverageTarget,
  type DataEventRecorder,
} from './data-event-coverage.ts';
import { deepFreeze } from './frozen.ts';
import { dataEventRecorders } from './data-event-recorders.ts';
import { classifyBucket } from './pii.ts';
import { mapped } from '../shared/lists.ts';

const ACCESS_KINDS: AccessKind[] = ['read', 'write'];

/** Not a valid bucket name, so no selector value can single it out: it stands for a bucket created tomorrow. */
const ANY_FUTURE_BUCKET = '(any new bucket)';

function asFacts(c: AccessCoverage): Known<AccessCoverageFacts> {
  if (c.status === 'unknown') return unknownBecause(c.unknownReasons.join('; '));
  return known({ status: c.status, by: c.by, missing: c.missing, notCounted: c.notCounted });
}

function partitionOf(index: ModelIndex): string {
  return index.header.partition || 'aws';
}

/** Coverages shared between accounts, by everything they depend on (see futureBucketCoverage, bucketCoverage). */
interface CoverageCache {
  byKey: Map<string, AccessCoverage>;
  /** Selector lists by identity (recorderKey). */
  ids: WeakMap<object, number>;
  /** Each list's recorders that count, and their part of the keys, made once per list: an account judges all its buckets, for reads and writes, against the same list. */
  relevant: WeakMap<readonly DataEventRecorder[], { recorders: readonly DataEventRecorder[]; key: string }>;
}

function coverageCache(index: ModelIndex): CoverageCache {
  // Stryker disable next-line StringLiteral: any key no other memo uses is the same cache.
  return memo(index, 'data-events:coverage', () => ({ byKey: new Map(), ids: new WeakMap(), relevant: new WeakMap() }));
}

/** The recorders that may record S3 object events (mayRecordS3Objects), and their part of the keys. */
function relevantRecorders(cache: CoverageCache, recorders: readonly DataEventRecorder[]): { recorders: readonly DataEventRecorder[]; key: string } {
  let relevant = cache.relevant.get(recorders);
  if (!relevant) {
    const kept = recorders.filter(mayRecordS3Objects);
    cache.relevant.set(recorders, (relevant = { recorders: kept, key: mapped(kept, (r) => recorderKey(r, cache.ids)).join('\n') }));
  }
  return relevant;
}

/**
 * Coverage of a bucket not created yet. It depends only on the recorders, and most accounts share
 * theirs (the organization's trails), so it is worked out once per distinct set of recorders.
 */
function futureBucketCoverage(index: ModelIndex, access: AccessKind, recorders: readonly DataEventRecorder[]): AccessCoverage {
  const cache = coverageCache(index);
  const relevant = relevantRecorders(cache, recorders);
  return sharedCoverage(cache, `future\n${access}\n${relevant.key}`, () =>
    bucketAccessCoverage({ bucket: ANY_FUTURE_BUCKET, partition: partitionOf(index) }, access, relevant.recorders),
  );
}

/** The coverage kept under `key`, else worked out and kept, deep-frozen: accounts share it. */
function sharedCoverage(cache: CoverageCache, key: string, workOut: () => AccessCoverage): AccessCoverage {
  let coverage = cache.byKey.get(key);
  if (!coverage) cache.byKey.set(key, (coverage = deepFreeze(workOut())));
  return coverage;
}

/**
 * Coverage of an existing bucket: worked out once per class of bucket names the recorders'
 * selectors tell apart (bucketNameClass), region, access and set of recorders, as most buckets of
 * most accounts are recorded by the same organization trails. Frozen: accounts share it.
 * org-1000 (eleventh round): 444 coverages of existing buckets asked for, 89 worked out; of a
 * bucket created tomorrow, 1,934 asked for, 50 worked out (172 with every recorder in the key).
 */
function bucketCoverage(index: ModelIndex, target: CoverageTarget, access: AccessKind, recorders: readonly DataEventRecorder[]): AccessCoverage {
  const cache = coverageCache(index);
  const relevant = relevantRecorders(cache, recorders);
  const nameClass = bucketNameClass(target, relevant.recorders);
  if (nameClass === undefined) return bucketAccessCoverage(target, access, relevant.recorders);
  const key = `bucket\n${access}\n${target.partition}\n${target.region ?? '?'}\n${nameClass}\n${relevant.key}`;
  return sharedCoverage(cache, key, () => bucketAccessCoverage(target, access, relevant.recorders));
}

/**
 * Every input of the coverage a recorder carries. Selector lists are named by identity: an
 * organization trail's come from the index and are the same object for every account, while
 * serialising them for each account would cost more than the coverage it saves.
 */
function recorderKey(r: DataEventRecorder, ids: WeakMap<object, number>): string {
  const selectors = r.selectors.value
    ? `${r.selectors.value.type}#${idOf(r.selectors.value.selectors, ids)}`
    : `?${r.selectors.reason}`;
  const active = r.active.reason !== undefined ? `?${r.active.reason}` : String(r.active.value);
  return JSON.stringify([r.arn, r.kind, r.multiRegion, r.homeRegion, active, r.inactiveBecause ?? null, selectors]);
}

function idOf(object: object, ids: WeakMap<object, number>): number {
  let id = ids.get(object);
  if (id === undefined) {
    id = nextSelectorsId++;
    ids.set(object, id);
  }
  return id;
}

let nextSelectorsId = 0;

/**
 * Whether ALL of the account's buckets, including ones created later in any region, have their
 * object reads (writes) recorded: judged for a bucket no selector can name, counting only
 * recorders of every region, then checked against each bucket the account has now.
 */
function allBucketsCoverage(
  index: ModelIndex,
  record: AccountRecord,
  everyRegion: readonly DataEventRecorder[],
  access: AccessKind,
): Known<AllBucketsCoverageFacts> {
  const partition = partitionOf(index);
  const future = futureBucketCoverage(index, access, everyRegion);
  const facts = asFacts(future);
  if (facts.reason !== undefined) return unknownBecause(facts.reason);
  if (facts.value.status !== 'covered') return known(everyBucketAlike(index, future, 'none', () => ({ ...facts.value, allBuckets: false, uncoveredBuckets: [] })));

  const listing = record.buckets;
  if (!listing?.value) {
    if (listing?.absent !== undefined) return known(everyBucketAlike(index, future, 'every', () => ({ ...facts.value, allBuckets: true, uncoveredBuckets: [] })));
    return unknownBecause(`new buckets are recorded, but the existing ones are unknown: ${unknownReason(listing, 's3:ListBuckets')}`);
  }
  const uncovered: string[] = [];
  const unknowns: string[] = [];
  for (const bucket of listing.value) {
    // Only recorders of every region are counted here, so the bucket's region does not matter.
    const c = bucketCoverage(index, { bucket: bucket.Name, partition }, access, everyRegion);
    if (c.status === 'unknown') unknowns.push(`${bucket.Name}: ${c.unknownReasons.join('; ')}`);
    else if (c.status !== 'covered') uncovered.push(bucket.Name);
  }
  if (uncovered.length === 0 && unknowns.length > 0) return unknownBecause(unknowns.join('; '));
  if (uncovered.length === 0) {
    return known(everyBucketAlike(index, future, 'listed', () => ({ ...facts.value, status: 'covered', missing: [], allBuckets: true, uncoveredBuckets: [] })));
  }
  uncovered.sort();
  return known({
    ...facts.value,
    status: uncovered.length > 0 ? 'partial' : 'covered',
    missing: uncovered.map((b) => `bucket ${b}`),
    allBuckets: uncovered.length === 0,
    uncoveredBuckets: uncovered,
  });
}

/**
 * The coverage of an account's buckets when it names none of them (nothing new recorded, or every
 * bucket recorded): it depends on the shared coverage of a bucket created tomorrow only, so it is
 * made once per such coverage and `kind` of answer, frozen, and every such account holds the same
 * object (shared-facts.ts). An account with an uncovered bucket keeps its own.
 */
function everyBucketAlike(index: ModelIndex, future: AccessCoverage, kind: 'none' | 'every' | 'listed', build: () => AllBucketsCoverageFacts): AllBucketsCoverageFacts {
  // Stryker disable next-line StringLiteral: any key no other memo uses is the same cache.
  const byCoverage = memo(index, 'data-events:alike', () => new WeakMap<AccessCoverage, Map<string, AllBucketsCoverageFacts>>());
  let byKind = byCoverage.get(future);
  if (!byKind) byCoverage.set(future, (byKind = new Map()));
  let shared = byKind.get(kind);
  if (!shared) byKind.set(kind, (shared = deepFreeze(build())));
  return shared;
}

/** account.dataEvents: whether every bucket's object reads and writes are recorded (CIS 3.8 / 3.9). */
export function accountDataEventFacts(index: ModelIndex, record: AccountRecord, account: Pick<AccountWithListedTrails, 'trails'>): Known<AccountDataEventsFacts> {
  const recorders = dataEventRecorders(index, record, account);
  if (recorders.reason !== undefined) return unknownBecause(recorders.reason);
  const facts: AccountDataEventsFacts = {};
  const unknown: Record<string, string> = {};
  // Only recorders of every region can record a bucket created tomorrow, wherever it is.
  const everyRegion = recorders.value.filter((r) => r.multiRegion);
  for (const access of ACCESS_KINDS) {
    const c = allBucketsCoverage(index, record, everyRegion, access);
    if (c.value) facts[access] = c.value;
    else unknown[access] = c.reason;
  }
  if (Object.keys(unknown).length > 0) facts.unknown = unknown;
  return known(facts);
}

function bucketDataEvents(index: ModelIndex, target: CoverageTarget, recorders: Known<DataEventRecorder[]>): BucketDataEventsFacts {
  const facts: BucketDataEventsFacts = {};
  const unknown: Record<string, string> = {};
  for (const access of ACCESS_KINDS) {
    const c = recorders.value ? asFacts(bucketCoverage(index, target, access, recorders.value)) : unknownBecause<AccessCoverageFacts>(recorders.reason!);
    if (c.value) facts[access] = c.value;
    else unknown[access] = c.reason;
  }
  if (Object.keys(unknown).length > 0) facts.unknown = unknown;
  return facts;
}

function bucketFacts(
  index: ModelIndex,
  record: AccountRecord,
  listing: BucketListing,
  pii: Known<PiiClassificationFacts>,
  recorders: Known<DataEventRecorder[]>,
): BucketFacts {
  const partition = partitionOf(index);
  const detail = record.bucketDetails?.[listing.Name];
  const region = listing.BucketRegion ?? detail?.region.value ?? index.bucketRegions.get(listing.Name);
  const unknown: Record<string, string> = {};
  const facts: BucketFacts = { name: listing.Name, accountId: record.accountId, arn: `arn:${partition}:s3:::${listing.Name}` };
  if (region) facts.region = region;
  else unknown.region = unknownReason(detail?.region, 's3:GetBucketLocation') ?? 'the bucket region is unknown';
  if (detail?.tags.value) facts.tags = Object.fromEntries(detail.tags.value.map((t) => [t.Key, t.Value]));
  else if (detail?.tags.absent) facts.tags = {};
  else unknown.tags = unknownReason(detail?.tags, 's3:GetBucketTagging')!;
  if (pii.value) facts.pii = pii.value;
  else unknown.pii = pii.reason;
  facts.dataEvents = bucketDataEvents(index, { bucket: listing.Name, partition, ...(region ? { region } : {}) }, recorders);
  if (Object.keys(unknown).length > 0) facts.unknown = unknown;
  return facts;
}

/**
 * One subject per bucket that holds PII, or may (its tags could not be read): those are the
 * buckets rules judge. Other buckets produce no subject, so no verdict. When the account's
 * buckets cannot be listed, one stand-in subject carries the reason, so the gap shows as ERROR.
 */
export function bucketSubjects(index: ModelIndex, record: AccountRecord, account: AccountWithListedTrails, organization: OrganizationFacts): EvaluationSubject[] {
  const subject = (bucket: BucketFacts): EvaluationSubject => ({
    resource: {
      type: 'bucket',
      id: bucket.arn,
      arn: bucket.arn,
      accountId: record.accountId,
      name: bucket.name,
      ouPath: account.ouPath,
      ...(bucket.region ? { region: bucket.region } : {}),
    },
    activation: { organization, account, bucket },
  });

  if (!record.buckets?.value) {
    if (record.buckets?.absent !== undefined) return [];
    const why = record.access?.error ? `could not read the account: ${unknownReason(record.access, 'sts:AssumeRole')}` : unknownReason(record.buckets, 's3:ListBuckets')!;
    const name = `(buckets of ${record.accountId})`;
    return [subject({ name, accountId: record.accountId, arn: `arn:${partitionOf(index)}:s3:::${name}`, unknown: { pii: `the account's buckets are unknown: ${why}` } })];
  }

  const recorders = dataEventRecorders(index, record, account);
  const subjects: EvaluationSubject[] = [];
  for (const listing of [...record.buckets.value].sort((a, b) => compareStrings(a.Name, b.Name))) {
    const pii = classifyBucket(listing.Name, record.bucketDetails?.[listing.Name]?.tags, index.options.pii);
    if (pii.value && !pii.value.classified) continue;
    subjects.push(subject(bucketFacts(index, record, listing, pii, recorders)));
  }
  return subjects;
}
