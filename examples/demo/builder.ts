/**
 * A small mutable builder for the demo organization's snapshot.
 *
 * The demo is assembled in steps (see build.ts): the core organization first, then hook modules
 * owned by other engineers (SCPs, PII buckets, trail buckets) add their parts through this API.
 * Every helper creates what is missing on the way (an account record, a region record, a
 * bucket listing), so a hook never has to care about the order things were added in.
 *
 * Nothing here reads the clock or random numbers: the same calls give the same snapshot bytes.
 */
import type {
  AccountRecord,
  ApiError,
  BucketListing,
  BucketRecord,
  Fetched,
  OrgAccount,
  OrganizationalUnit,
  RegionRecord,
  ServiceControlPolicy,
  Snapshot,
  SnapshotHeader,
  Tag,
  Trail,
  TrailDetail,
} from '../../src/snapshot/types.ts';

/** A successful answer. */
export function ok<T>(value: T): Fetched<T> {
  return { value };
}

/** A documented "nothing configured" answer, e.g. `absent('NoSuchLifecycleConfiguration')`. */
export function absent<T>(code: string): Fetched<T> {
  return { value: null, absent: code };
}

/** A failed call. */
export function failed<T>(error: ApiError): Fetched<T> {
  return { error };
}

/** An AccessDenied-style error as the collector records it. */
export function apiError(operation: string, code: string, message: string, accountId?: string, region?: string): ApiError {
  const e: ApiError = { operation, code, message };
  if (accountId !== undefined) e.accountId = accountId;
  if (region !== undefined) e.region = region;
  return e;
}

/** `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`. */
export function trailArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
}

/** The account id in a trail ARN (`arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`). */
export function trailOwner(arn: string): string {
  const accountId = arn.split(':')[4];
  if (!accountId) throw new Error(`not a trail ARN: ${arn}`);
  return accountId;
}

/** `[{Key, Value}]` from a plain object, in the object's key order. */
export function tags(map: Record<string, string>): Tag[] {
  return Object.entries(map).map(([Key, Value]) => ({ Key, Value }));
}

export class DemoOrg {
  readonly header: SnapshotHeader;
  /** Account lines in the order they were first touched. */
  readonly records: AccountRecord[] = [];

  /**
   * @param header the snapshot header; `scope.accountIds` is recomputed by {@link snapshot} from
   *   the account lines, so callers need not keep it in step.
   */
  constructor(header: SnapshotHeader) {
    this.header = header;
  }

  /** The organization's id (o-...), from the header. */
  get organizationId(): string {
    const org = this.header.organization.value;
    if (!org) throw new Error('demo header has no organization');
    return org.Id;
  }

  /** The management account's id, from the header. */
  get managementAccountId(): string {
    const org = this.header.organization.value;
    if (!org) throw new Error('demo header has no organization');
    return org.MasterAccountId;
  }

  /** The ListAccounts entries (header.accounts), so hooks can look accounts up by name. */
  get orgAccounts(): OrgAccount[] {
    return this.header.accounts.value ?? [];
  }

  /** The ListOrganizationalUnitsForParent entries (header.organizationalUnits). */
  get organizationalUnits(): OrganizationalUnit[] {
    return this.header.organizationalUnits.value ?? [];
  }

  /** Account id of the ListAccounts entry with this Name (e.g. "log-archive"); throws if none. */
  accountIdByName(name: string): string {
    const found = this.orgAccounts.find((a) => a.Name === name);
    if (!found) throw new Error(`demo has no account named "${name}"`);
    return found.Id;
  }

  /** Id of the OU with this Name (e.g. "Sandbox"); throws if none. */
  ouIdByName(name: string): string {
    const found = this.organizationalUnits.find((o) => o.Name === name);
    if (!found) throw new Error(`demo has no OU named "${name}"`);
    return found.Id;
  }

  /** Id of the (single) root. */
  get rootId(): string {
    const root = this.header.roots.value?.[0];
    if (!root) throw new Error('demo header has no root');
    return root.Id;
  }

  /** Adds an OU to header.organizationalUnits. */
  addOrganizationalUnit(ou: OrganizationalUnit): OrganizationalUnit {
    const list = this.header.organizationalUnits.value;
    if (!list) throw new Error('demo header has no OU list');
    list.push(ou);
    return ou;
  }

  /** Adds an account to header.accounts (ListAccounts). Does not create its account line. */
  addOrgAccount(account: OrgAccount): OrgAccount {
    const list = this.header.accounts.value;
    if (!list) throw new Error('demo header has no account list');
    list.push(account);
    return account;
  }

  /**
   * The account line for `accountId`, created (empty, no regions) on first use. Its position in
   * the snapshot is the order of first use.
   */
  account(accountId: string): AccountRecord {
    let record = this.records.find((r) => r.accountId === accountId);
    if (!record) {
      record = { accountId, regions: [], trailDetails: {} };
      this.records.push(record);
    }
    return record;
  }

  /** The region record of an account, created (DescribeTrails answering `[]`) on first use. */
  region(accountId: string, region: string): RegionRecord {
    const record = this.account(accountId);
    let rr = record.regions.find((r) => r.region === region);
    if (!rr) {
      rr = { region, trails: ok([]) };
      record.regions.push(rr);
    }
    return rr;
  }

  /**
   * Adds a trail to the DescribeTrails answer of `accountId` in `region` (creating the region
   * record). Use it for a trail's home-region entry and for each of its shadow copies alike.
   * Throws when that region's DescribeTrails is recorded as failed.
   */
  addTrail(accountId: string, region: string, trail: Trail): Trail {
    const rr = this.region(accountId, region);
    if (!rr.trails.value) throw new Error(`DescribeTrails of ${accountId}/${region} is not a list`);
    rr.trails.value.push({ ...trail });
    return trail;
  }

  /** The regions the demo reads (header.scope.regions). */
  get regions(): string[] {
    return this.header.scope.regions;
  }

  /**
   * Adds the same trail to the DescribeTrails answers of several accounts in several regions:
   * how a multi-region trail appears (home entry plus shadow copies, all with the same TrailARN
   * and HomeRegion) and how an organization trail appears to members. Defaults: the trail's
   * home account only, every demo region.
   */
  addTrailInRegions(trail: Trail, options: { accountIds?: string[]; regions?: string[] } = {}): Trail {
    const accountIds = options.accountIds ?? [trailOwner(trail.TrailARN)];
    const regions = options.regions ?? this.regions;
    for (const accountId of accountIds) for (const region of regions) this.addTrail(accountId, region, trail);
    return trail;
  }

  /**
   * Records what the owner read about its trail in the home region (GetTrailStatus,
   * GetEventSelectors, ...), keyed by TrailARN in the owner's `trailDetails`.
   */
  addTrailDetail(ownerId: string, detail: TrailDetail): TrailDetail {
    this.account(ownerId).trailDetails[detail.TrailARN] = detail;
    return detail;
  }

  /**
   * Adds a bucket owned by `ownerId`: its detail record in `bucketDetails[Name]`, and (unless a
   * listing is already there) its ListBuckets entry. `listing` defaults to
   * `{Name, BucketRegion: region.value}`; pass one to set a CreationDate. Calling it again for
   * the same bucket merges the new fields into the record (a later hook can add `lifecycle`,
   * `objectLock`, ... to a bucket the core demo only listed).
   */
  addBucket(ownerId: string, bucket: BucketRecord, listing?: BucketListing): BucketRecord {
    const record = this.account(ownerId);
    record.bucketDetails ??= {};
    const existing = record.bucketDetails[bucket.Name];
    const merged: BucketRecord = existing ? { ...existing, ...bucket } : bucket;
    record.bucketDetails[bucket.Name] = merged;
    const list = this.listing(ownerId);
    if (!list.some((b) => b.Name === bucket.Name)) {
      list.push(listing ?? { Name: bucket.Name, ...(bucket.region.value ? { BucketRegion: bucket.region.value } : {}) });
    }
    return merged;
  }

  /**
   * Adds only a ListBuckets entry (no detail record) to `ownerId`'s listing: a bucket that exists
   * but that nothing reads further.
   */
  listBucket(ownerId: string, listing: BucketListing): BucketListing {
    const list = this.listing(ownerId);
    if (!list.some((b) => b.Name === listing.Name)) list.push(listing);
    return listing;
  }

  /** The detail record of a bucket, wherever it is owned; undefined if none. */
  bucket(name: string): { ownerId: string; record: BucketRecord } | undefined {
    for (const r of this.records) {
      const record = r.bucketDetails?.[name];
      if (record) return { ownerId: r.accountId, record };
    }
    return undefined;
  }

  /** Adds a service control policy to header.policies (ListPolicies + DescribePolicy + targets). */
  addPolicy(policy: ServiceControlPolicy): ServiceControlPolicy {
    const list = this.header.policies.value;
    if (!list) throw new Error('demo header has no policy list');
    list.push(policy);
    return policy;
  }

  /** The assembled snapshot: a deep copy, with scope.accountIds taken from the account lines. */
  snapshot(): Snapshot {
    const header = structuredClone(this.header);
    header.scope.accountIds = this.records.map((r) => r.accountId);
    return { header, accounts: structuredClone(this.records) };
  }

  private listing(ownerId: string): BucketListing[] {
    const record = this.account(ownerId);
    if (!record.buckets) record.buckets = ok([]);
    if (!record.buckets.value) throw new Error(`ListBuckets of ${ownerId} is not a list`);
    return record.buckets.value;
  }
}
