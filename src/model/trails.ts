import type { AccountRecord, Fetched, Trail, TrailDetail, TrailEventSelectors } from '../snapshot/types.ts';
import type { ListedTrailFacts, TrailBucketFacts, TrailManagementEventsFacts } from './facts.ts';
import { describeError, isOwnedBy, memo, unknownReason, type ModelIndex } from './model-index.ts';
import { managementCapture } from './management-events.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { accountRegionNames, sharedFacts, sharedNames } from './shared-facts.ts';

/**
 * Every trail that records the account, once each: its own trails (a multi-region trail is seen
 * in every region as a shadow but is one trail) and the organization's trails, taken from the
 * management account's authoritative view even when the member's DescribeTrails does not list them.
 */
export function accountTrails(index: ModelIndex, record: AccountRecord): Known<ListedTrailFacts[]> {
  if (record.access?.error) return unknownBecause(`could not read the account: ${describeError(record.access.error)}`);
  const failed = record.regions.find((r) => r.trails.error);
  if (failed?.trails.error) return unknownBecause(describeError(failed.trails.error));
  if (record.regions.length === 0) return unknownBecause('no region of the account was read');
  if (record.enabledRegions?.error) {
    // A trail homed in an opt-in region that was not read would be missed: the list cannot be complete.
    return unknownBecause(`the account's enabled regions are unknown, so trails in other regions may be missed: ${describeError(record.enabledRegions.error)}`);
  }

  const accountRegions = accountRegionNames(index, record);
  const own = new Map<string, Trail>();
  for (const region of record.regions) {
    for (const trail of region.trails.value ?? []) {
      if (!isOwnedBy(trail.TrailARN, record.accountId)) continue;
      // Prefer the home-region entry; a shadow carries the same definition when the home region was not read.
      if (!own.has(trail.TrailARN) || region.region === trail.HomeRegion) own.set(trail.TrailARN, trail);
    }
  }

  const facts = new Map<string, ListedTrailFacts>();
  for (const trail of own.values()) {
    facts.set(trail.TrailARN, trailFacts(index, trail, record.accountId, record.trailDetails[trail.TrailARN], accountRegions));
  }
  for (const [arn, org] of index.organizationTrails) {
    if (facts.has(arn)) continue;
    facts.set(arn, trailFacts(index, org.trail, org.ownerAccountId, org.detail, accountRegions));
  }
  return known([...facts.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0)));
}

export function trailFacts(
  index: ModelIndex,
  trail: Trail,
  ownerAccountId: string,
  detail: TrailDetail | undefined,
  /** The account's regions, a shared list (sharedNames). */
  accountRegions: string[],
): ListedTrailFacts {
  const unknown: Record<string, string> = {};
  const facts: ListedTrailFacts = {
    arn: trail.TrailARN,
    name: trail.Name,
    homeRegion: trail.HomeRegion,
    ownerAccountId,
    source: trail.IsOrganizationTrail ? 'organization' : 'own',
    isMultiRegion: trail.IsMultiRegionTrail,
    isOrganizationTrail: trail.IsOrganizationTrail,
    includeGlobalServiceEvents: trail.IncludeGlobalServiceEvents ?? false,
    logFileValidation: trail.LogFileValidationEnabled ?? false,
    kmsKeyId: trail.KmsKeyId ?? null,
    cloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn ?? null,
    // Shared lists (sharedNames; `accountRegions` is one too): every account's view of the
    // organization trail then holds the same regions as every other's with the same regions.
    regions: trail.IsMultiRegionTrail ? accountRegions : sharedNames(index, [trail.HomeRegion]),
    bucket: trail.S3BucketName ? bucketRef(index, trail.S3BucketName) : null,
  };

  const status = detail?.status;
  const statusUnknown = unknownReason(status, 'cloudtrail:GetTrailStatus');
  if (status?.value) {
    facts.isLogging = status.value.IsLogging;
    facts.latestDeliveryError = status.value.LatestDeliveryError || null;
    facts.latestDeliveryTime = status.value.LatestDeliveryTime ?? null;
  } else {
    unknown.isLogging = unknown.latestDeliveryError = unknown.latestDeliveryTime = statusUnknown ?? 'cloudtrail:GetTrailStatus answered nothing';
  }

  const capture = selectorsCapture(index, detail?.eventSelectors);
  if (capture.value) {
    facts.managementEvents = capture.value.capture;
    facts.selectorKind = capture.value.kind;
  } else {
    unknown.managementEvents = unknown.selectorKind = capture.reason;
  }
  if (Object.keys(unknown).length > 0) facts.unknown = unknown;
  return facts;
}

type Capture = ReturnType<typeof managementCapture>;

/**
 * What a trail's selectors capture, its management events one frozen object per distinct capture
 * (every account's view of the organization trail holds the same one). Worked out once per
 * selectors answer: the organization trail's is the index's, the same object for every account.
 */
function selectorsCapture(index: ModelIndex, selectors: Fetched<TrailEventSelectors> | undefined): Capture {
  // Stryker disable next-line StringLiteral: any key no other memo uses is the same cache.
  const captures = memo(index, 'trail-selectors-capture', () => new WeakMap<object, Capture>());
  let capture = selectors && captures.get(selectors);
  if (!capture) {
    capture = managementCapture(selectors);
    if (capture.value) capture = known({ capture: sharedManagementEvents(index, capture.value.capture), kind: capture.value.kind });
    if (selectors) captures.set(selectors, capture);
  }
  return capture;
}

function sharedManagementEvents(index: ModelIndex, capture: TrailManagementEventsFacts): TrailManagementEventsFacts {
  const key = `${capture.read} ${capture.write} ${capture.excludedSources.join(' ')}`;
  return sharedFacts(index, 'trail-management-events', key, () => capture);
}

function bucketRef(index: ModelIndex, name: string): TrailBucketFacts {
  const owner = index.bucketOwners.get(name);
  if (owner) {
    const ref: TrailBucketFacts = { name, ownerAccountId: owner };
    const region = index.bucketRegions.get(name);
    if (region) ref.region = region;
    return ref;
  }
  if (index.accountsWithUnknownBuckets.length > 0) {
    return {
      name,
      unknown: {
        ownerAccountId: `the bucket was not found among the organization's buckets, and ListBuckets could not be read in ${index.accountsWithUnknownBuckets.join(', ')}`,
      },
    };
  }
  return { name, ownerAccountId: null };
}
