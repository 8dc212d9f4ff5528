/**
 * The synthetic organization as the collector would record it: the same calls, the same answers,
 * the same errors, in the snapshot v1 shapes. Records are produced one account at a time, so a
 * 10,000-account snapshot streams to disk without the whole organization in memory as records.
 */
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { isPiiCandidate } from '../../src/collect/buckets.ts';
import { DEFAULT_ENABLED_REGIONS } from '../../src/collect/regions.ts';
import { selectAccounts } from '../../src/collect/scope.ts';
import { toolVersion } from '../../src/shared/version.ts';
import { writeSnapshot, type WrittenSnapshot } from '../../src/snapshot/write.ts';
import {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type AccountRecord,
  type ApiError,
  type BucketRecord,
  type Fetched,
  type RegionRecord,
  type SnapshotHeader,
  type Trail,
  type TrailDetail,
} from '../../src/snapshot/types.ts';
import { faultFor, storesIn, visibleTrails } from '../fixtures/world/world.ts';
import { HOME_REGION, type SimAccount, type SimBucket, type SimFault, type SyntheticOrg } from './generate-org.ts';

function failed(fault: SimFault, accountId: string, region: string): { error: ApiError } {
  return { error: { operation: fault.operation, code: fault.code, message: fault.message, accountId, region } };
}

export function canEnter(sim: SimAccount, org: SyntheticOrg): boolean {
  return sim.account.Id === org.managementId || !faultFor(sim, 'sts:AssumeRole', HOME_REGION);
}

/** Regions the collector reads in an account (no configured list: account:ListRegions, or its fallback). */
function regionsOf(sim: SimAccount): Pick<AccountRecord, 'enabledRegions' | 'enabledRegionsSource'> & { regions: string[] } {
  const names = [...sim.enabledRegions].sort();
  const listFault = faultFor(sim, 'account:ListRegions', HOME_REGION);
  if (!listFault) return { regions: names, enabledRegions: { value: names }, enabledRegionsSource: 'account:ListRegions' };
  // src/collect/regions.ts asks ec2:DescribeRegions when account:ListRegions fails.
  const describeFault = faultFor(sim, 'ec2:DescribeRegions', HOME_REGION);
  if (!describeFault) return { regions: names, enabledRegions: { value: names }, enabledRegionsSource: 'ec2:DescribeRegions' };
  const error = { ...failed(listFault, sim.account.Id, HOME_REGION).error };
  error.message = `${error.message}; ec2:DescribeRegions failed too: ${describeFault.code}: ${describeFault.message}`;
  return { regions: DEFAULT_ENABLED_REGIONS, enabledRegions: { error } };
}

function describeTrails(org: SyntheticOrg, sim: SimAccount, region: string): Fetched<Trail[]> {
  const fault = faultFor(sim, 'cloudtrail:DescribeTrails', region);
  return fault ? failed(fault, sim.account.Id, region) : { value: visibleTrails(org, sim, region) };
}

export function snapshotHeader(org: SyntheticOrg): SnapshotHeader {
  const { selected, skipped } = selectAccounts(
    { accounts: org.accounts.map((a) => a.account), roots: [org.root], organizationalUnits: org.ous, tagErrors: new Map() },
    DEFAULT_CONFIG.scope,
  );
  const regions = new Set<string>();
  for (const id of selected) {
    const sim = org.byId.get(id)!;
    if (canEnter(sim, org)) for (const r of regionsOf(sim).regions) regions.add(r);
  }
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    tool: { name: 'trailproof', version: toolVersion() },
    collectedAt: org.collectedAt,
    source: 'synthetic',
    partition: 'aws',
    scope: { regions: [...regions].sort(), accountIds: selected, skipped },
    organization: { value: org.organization },
    roots: { value: [org.root] },
    organizationalUnits: { value: [...org.ous].sort((a, b) => (a.Id < b.Id ? -1 : 1)) },
    accounts: { value: org.accounts.map((a) => a.account) },
    policies: {
      value: [...org.policies]
        .sort((a, b) => (a.Id < b.Id ? -1 : 1))
        .map((p) => {
          const fault = org.orgFaults.find((f) => f.operation === 'organizations:DescribePolicy' && f.target === p.Id);
          const Content = fault ? failed(fault, org.managementId, HOME_REGION) : { value: p.Content };
          return { Id: p.Id, Arn: p.Arn, Name: p.Name, Description: p.Description, AwsManaged: p.AwsManaged, Content, Targets: { value: p.Targets } };
        }),
    },
    errors: [],
  };
}

/** Every bucket a trail seen anywhere delivers to: the collector reads these in full. */
function trailDestinations(org: SyntheticOrg, accountIds: string[]): Set<string> {
  const names = new Set<string>();
  for (const id of accountIds) {
    const sim = org.byId.get(id)!;
    if (!canEnter(sim, org)) continue;
    for (const region of regionsOf(sim).regions) for (const t of describeTrails(org, sim, region).value ?? []) if (t.S3BucketName) names.add(t.S3BucketName);
  }
  return names;
}

export function* snapshotRecords(org: SyntheticOrg, header: SnapshotHeader): Generator<AccountRecord> {
  const destinations = trailDestinations(org, header.scope.accountIds);
  for (const id of header.scope.accountIds) yield accountRecord(org, org.byId.get(id)!, destinations);
}

export function accountRecord(org: SyntheticOrg, sim: SimAccount, destinations: ReadonlySet<string>): AccountRecord {
  const accountId = sim.account.Id;
  if (!canEnter(sim, org)) {
    return { accountId, access: failed(faultFor(sim, 'sts:AssumeRole', HOME_REGION)!, accountId, HOME_REGION), regions: [], trailDetails: {} };
  }
  const { regions: names, enabledRegions, enabledRegionsSource } = regionsOf(sim);
  const regions: RegionRecord[] = names.map((region) => {
    const fault = faultFor(sim, 'cloudtrail:ListEventDataStores', region);
    return { region, trails: describeTrails(org, sim, region), eventDataStores: fault ? failed(fault, accountId, region) : { value: storesIn(sim, region) } };
  });
  const trailDetails: Record<string, TrailDetail> = {};
  for (const r of regions) {
    for (const t of r.trails.value ?? []) {
      if (t.TrailARN.split(':')[4] !== accountId || t.HomeRegion !== r.region) continue;
      const simTrail = sim.trails.find((s) => s.trail.TrailARN === t.TrailARN)!;
      const statusFault = faultFor(sim, 'cloudtrail:GetTrailStatus', t.HomeRegion);
      const selectorFault = faultFor(sim, 'cloudtrail:GetEventSelectors', t.HomeRegion);
      trailDetails[t.TrailARN] = {
        TrailARN: t.TrailARN,
        status: statusFault ? failed(statusFault, accountId, t.HomeRegion) : { value: simTrail.status },
        eventSelectors: selectorFault ? failed(selectorFault, accountId, t.HomeRegion) : { value: simTrail.selectors },
        ...(t.HasInsightSelectors ? { insightSelectors: { value: simTrail.insights ?? [] } } : {}),
      };
      const groupArn = t.CloudWatchLogsLogGroupArn;
      if (groupArn) {
        const logRegion = groupArn.split(':')[3] || t.HomeRegion;
        const at = regions.find((x) => x.region === logRegion) ?? regions.find((x) => x.region === t.HomeRegion)!;
        const group = sim.logGroups.find((g) => g.arn === groupArn);
        at.logGroups = {
          ...at.logGroups,
          [groupArn]: group
            ? { value: { logGroupName: group.logGroupName, arn: group.arn, ...(group.retentionInDays !== undefined ? { retentionInDays: group.retentionInDays } : {}) } }
            : { value: null, absent: 'ResourceNotFoundException' },
        };
      }
    }
  }
  const listFault = faultFor(sim, 's3:ListBuckets', HOME_REGION);
  const listed = [...sim.buckets].sort((a, b) => (a.Name < b.Name ? -1 : 1));
  const bucketDetails: Record<string, BucketRecord> = {};
  if (!listFault) for (const b of listed) bucketDetails[b.Name] = bucketRecord(sim, b, destinations);
  return {
    accountId,
    regions,
    trailDetails,
    buckets: listFault ? failed(listFault, accountId, HOME_REGION) : { value: listed.map((b) => ({ Name: b.Name, CreationDate: b.CreationDate, BucketRegion: b.region })) },
    bucketDetails,
    accountPublicAccessBlock: sim.accountPublicAccessBlock ? { value: sim.accountPublicAccessBlock } : { value: null, absent: 'NoSuchPublicAccessBlockConfiguration' },
    enabledRegions,
    ...(enabledRegionsSource ? { enabledRegionsSource } : {}),
  };
}

function orAbsent<T>(value: T | null, code: string): Fetched<T> {
  return value === null ? { value: null, absent: code } : { value };
}

function bucketRecord(sim: SimAccount, b: SimBucket, destinations: ReadonlySet<string>): BucketRecord {
  const tagFault = faultFor(sim, 's3:GetBucketTagging', b.region, b.Name);
  const tags: Fetched<BucketRecord['tags'] extends Fetched<infer T> ? T : never> = tagFault ? failed(tagFault, sim.account.Id, b.region) : orAbsent(b.tags, 'NoSuchTagSet');
  const record: BucketRecord = { Name: b.Name, region: { value: b.region }, tags };
  if (!destinations.has(b.Name) && !isPiiCandidate(b.Name, tags.value ?? [], DEFAULT_CONFIG.pii)) return record;
  record.objectLock = orAbsent(b.objectLock, 'ObjectLockConfigurationNotFoundError');
  record.lifecycle = orAbsent(b.lifecycle, 'NoSuchLifecycleConfiguration');
  record.versioning = { value: b.versioning };
  record.publicAccessBlock = orAbsent(b.publicAccessBlock, 'NoSuchPublicAccessBlockConfiguration');
  record.policyStatus = b.policy === null ? { value: null, absent: 'NoSuchBucketPolicy' } : { value: { IsPublic: b.policyIsPublic } };
  record.policy = orAbsent(b.policy, 'NoSuchBucketPolicy');
  record.encryption = orAbsent(b.encryption, 'ServerSideEncryptionConfigurationNotFoundError');
  record.logging = { value: b.logging };
  return record;
}

/** Writes the organization as a snapshot file (.gz to compress), streaming one account at a time. */
export async function writeSyntheticSnapshot(org: SyntheticOrg, file: string): Promise<WrittenSnapshot> {
  const header = snapshotHeader(org);
  return writeSnapshot(file, header, snapshotRecords(org, header));
}
