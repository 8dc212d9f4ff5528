/**
 * Which trail × account × region chains a snapshot says exist: every trail with log file
 * validation on, for each account it records (an organization trail: every member account seen)
 * and each region it delivers from (a multi-region trail shows in every region's DescribeTrails).
 */
import type { AccountRecord, SnapshotHeader } from '../../snapshot/types.ts';
import type { IntegrityTarget } from '../../snapshot/log-integrity.ts';

export interface TargetFilter {
  accounts?: readonly string[];
  regions?: readonly string[];
  /** Trail names or ARNs. */
  trails?: readonly string[];
}

export interface LocatedTarget extends IntegrityTarget {
  homeRegion: string;
  bucketRegion?: string;
  /**
   * The member account that owns the bucket (from its ListBuckets), whose role reads the objects;
   * absent when the owner is unknown or is the management account (the starting credentials read them).
   */
  bucketOwner?: string;
}

export async function targetsFromSnapshot(header: SnapshotHeader, records: AsyncIterable<AccountRecord>, filter: TargetFilter = {}): Promise<LocatedTarget[]> {
  const organizationId = 'value' in header.organization && header.organization.value ? header.organization.value.Id : undefined;
  const managementId = 'value' in header.organization && header.organization.value ? header.organization.value.MasterAccountId : undefined;
  const bucketRegions = new Map<string, string>();
  const bucketOwners = new Map<string, string>();
  const found = new Map<string, LocatedTarget>();
  for await (const record of records) {
    for (const b of record.buckets?.value ?? []) if (record.accountId !== managementId) bucketOwners.set(b.Name, record.accountId);
    for (const [name, bucket] of Object.entries(record.bucketDetails ?? {})) {
      if ('value' in bucket.region && bucket.region.value) bucketRegions.set(name, bucket.region.value);
    }
    if (filter.accounts && !filter.accounts.includes(record.accountId)) continue;
    for (const regionRecord of record.regions) {
      if (filter.regions && !filter.regions.includes(regionRecord.region)) continue;
      if (!('value' in regionRecord.trails) || !regionRecord.trails.value) continue;
      for (const trail of regionRecord.trails.value) {
        if (!trail.LogFileValidationEnabled || !trail.S3BucketName) continue;
        if (filter.trails && !filter.trails.includes(trail.Name) && !filter.trails.includes(trail.TrailARN)) continue;
        const owner = trail.TrailARN.split(':')[4];
        if (!trail.IsOrganizationTrail && owner !== record.accountId) continue;
        const target: LocatedTarget = {
          trailArn: trail.TrailARN,
          trailName: trail.Name,
          accountId: record.accountId,
          region: regionRecord.region,
          bucket: trail.S3BucketName,
          keyPrefix: trail.S3KeyPrefix ?? '',
          homeRegion: trail.HomeRegion,
          ...(trail.IsOrganizationTrail && organizationId ? { organizationId } : {}),
        };
        found.set(targetId(target), target);
      }
    }
  }
  return [...found.values()]
    .map((t) => {
      const region = bucketRegions.get(t.bucket);
      const owner = bucketOwners.get(t.bucket);
      return { ...t, ...(region ? { bucketRegion: region } : {}), ...(owner ? { bucketOwner: owner } : {}) };
    })
    .sort((a, b) => (targetId(a) < targetId(b) ? -1 : 1));
}

export const targetId = (t: IntegrityTarget) => `${t.trailArn} ${t.accountId} ${t.region}`;
