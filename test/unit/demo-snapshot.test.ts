import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SNAPSHOT_FILE, openDemoSnapshot } from '../../src/snapshot/demo.ts';
import { snapshotFromMemory } from '../../src/snapshot/read.ts';
import { writeSnapshot } from '../../src/snapshot/write.ts';
import type { AccountRecord, Snapshot, Trail } from '../../src/snapshot/types.ts';
import { DEMO_ACCOUNTS, DEMO_REGIONS, ORG_TRAIL_ARN, ORG_TRAIL_BUCKET } from '../../examples/demo/world.ts';
import { collectDemoSnapshot } from '../../examples/demo/collect.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailproof-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let demo: Snapshot;
beforeAll(async () => {
  demo = await collectDemoSnapshot();
});

function record(accountId: string): AccountRecord {
  const found = demo.accounts.find((a) => a.accountId === accountId);
  if (!found) throw new Error(`no line for ${accountId}`);
  return found;
}

function trailsSeen(accountId: string, region: string): Trail[] {
  const rr = record(accountId).regions.find((r) => r.region === region);
  return rr?.trails.value ?? [];
}

describe('the committed demo snapshot', () => {
  it('is exactly what examples/generate-demo.ts produces now (run `npx tsx examples/generate-demo.ts` after editing examples/demo/)', async () => {
    const fresh = join(dir, 'demo.jsonl');
    await writeSnapshot(fresh, demo.header, demo.accounts);
    expect(readFileSync(DEMO_SNAPSHOT_FILE, 'utf8')).toBe(readFileSync(fresh, 'utf8'));
  });

  it('validates, and the generator output is deterministic', async () => {
    const source = await openDemoSnapshot();
    const ids: string[] = [];
    for await (const r of source.records()) ids.push(r.accountId);
    expect(ids).toEqual(source.header.scope.accountIds);
    expect(await collectDemoSnapshot()).toEqual(demo);
    expect(() => snapshotFromMemory(demo, 'demo')).not.toThrow();
  });
});

describe('the demo organization', () => {
  it('has a fixed collection time, the tool version and an organization with SCPs enabled', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(demo.header.collectedAt).toBe('2026-11-02T09:00:00.000Z');
    expect(demo.header.source).toBe('demo');
    expect(demo.header.tool).toEqual({ name: 'trailproof', version: pkg.version });
    expect(demo.header.organization.value).toMatchObject({ FeatureSet: 'ALL', MasterAccountId: DEMO_ACCOUNTS.management });
    expect(demo.header.roots.value?.[0]?.PolicyTypes).toContainEqual({ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' });
    expect(demo.header.scope.regions).toEqual([...DEMO_REGIONS].sort());
  });

  it('places accounts in nested OUs (Workloads/Prod, Workloads/Dev)', () => {
    const ous = demo.header.organizationalUnits.value!;
    const byId = new Map(ous.map((o) => [o.Id, o]));
    const pathOf = (accountId: string): string[] => {
      const account = demo.header.accounts.value!.find((a) => a.Id === accountId)!;
      const names: string[] = [];
      for (let parent = byId.get(account.ParentId); parent; parent = byId.get(parent.ParentId)) names.unshift(parent.Name);
      return names;
    };
    expect(pathOf(DEMO_ACCOUNTS.paymentsProd)).toEqual(['Workloads', 'Prod']);
    expect(pathOf(DEMO_ACCOUNTS.webDev)).toEqual(['Workloads', 'Dev']);
    expect(pathOf(DEMO_ACCOUNTS.logArchive)).toEqual(['Security']);
    expect(pathOf(DEMO_ACCOUNTS.management)).toEqual([]);
    expect(demo.header.accounts.value!.length).toBeGreaterThanOrEqual(12);
  });

  it('skips the suspended account and gives it no line', () => {
    expect(demo.header.scope.skipped).toEqual([{ accountId: DEMO_ACCOUNTS.closedProject, reason: 'status SUSPENDED (state SUSPENDED)' }]);
    expect(demo.accounts.some((a) => a.accountId === DEMO_ACCOUNTS.closedProject)).toBe(false);
    expect(demo.header.accounts.value!.find((a) => a.Id === DEMO_ACCOUNTS.closedProject)?.Status).toBe('SUSPENDED');
  });

  it('shows the organization trail to every readable member in every region, except the one that does not see it', () => {
    const readable = demo.accounts.filter((a) => !a.access).map((a) => a.accountId);
    for (const accountId of readable) {
      for (const region of DEMO_REGIONS) {
        const org = trailsSeen(accountId, region).filter((t) => t.TrailARN === ORG_TRAIL_ARN);
        if (accountId === DEMO_ACCOUNTS.sharedServices) expect(org).toEqual([]);
        else expect(org).toMatchObject([{ HomeRegion: 'us-east-1', IsOrganizationTrail: true, IsMultiRegionTrail: true }]);
      }
    }
  });

  it('keeps the organization trail\'s status (stopped shortly before the collection) and selectors in the management account, logging to the log-archive bucket', () => {
    const detail = record(DEMO_ACCOUNTS.management).trailDetails[ORG_TRAIL_ARN]!;
    expect(detail.status.value).toMatchObject({ IsLogging: false, LatestDeliveryTime: expect.any(String), StopLoggingTime: expect.any(String) });
    expect(detail.eventSelectors.value?.EventSelectors).toEqual([
      { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
    ]);
    const trail = trailsSeen(DEMO_ACCOUNTS.management, 'us-east-1').find((t) => t.TrailARN === ORG_TRAIL_ARN)!;
    expect(trail).toMatchObject({ S3BucketName: ORG_TRAIL_BUCKET, LogFileValidationEnabled: true, KmsKeyId: expect.stringMatching(/^arn:aws:kms:/) });
    expect(record(DEMO_ACCOUNTS.logArchive).buckets?.value).toContainEqual(expect.objectContaining({ Name: ORG_TRAIL_BUCKET, BucketRegion: 'us-east-1' }));
    expect(record(DEMO_ACCOUNTS.logArchive).bucketDetails?.[ORG_TRAIL_BUCKET]?.region.value).toBe('us-east-1');
  });

  it('has a sandbox with its own single-region trail, validation off', () => {
    const own = (region: string) => trailsSeen(DEMO_ACCOUNTS.sandboxAlice, region).filter((t) => !t.IsOrganizationTrail);
    expect(own('us-west-2')).toMatchObject([{ IsMultiRegionTrail: false, LogFileValidationEnabled: false, HomeRegion: 'us-west-2' }]);
    expect(own('us-east-1')).toEqual([]);
    expect(own('eu-west-1')).toEqual([]);
  });

  it('has a trail that stopped logging', () => {
    const details = Object.values(record(DEMO_ACCOUNTS.webDev).trailDetails);
    expect(details.map((d) => d.status.value)).toMatchObject([{ IsLogging: false, StopLoggingTime: expect.any(String) }]);
  });

  it('has advanced selectors whose Name promises management events but record only data events', () => {
    const [detail] = Object.values(record(DEMO_ACCOUNTS.paymentsProd).trailDetails);
    const [selector] = detail!.eventSelectors.value!.AdvancedEventSelectors!;
    expect(selector!.Name).toBe('Log all management events');
    expect(selector!.FieldSelectors).toContainEqual({ Field: 'eventCategory', Equals: ['Data'] });
  });

  it('has a trail excluding KMS events, and a WriteOnly plus a ReadOnly trail in one account', () => {
    const [kms] = Object.values(record(DEMO_ACCOUNTS.dataProd).trailDetails);
    expect(kms!.eventSelectors.value!.EventSelectors![0]!.ExcludeManagementEventSources).toEqual(['kms.amazonaws.com']);
    const kinds = Object.values(record(DEMO_ACCOUNTS.analyticsDev).trailDetails).map(
      (d) => d.eventSelectors.value!.EventSelectors![0]!.ReadWriteType,
    );
    expect(kinds.sort()).toEqual(['ReadOnly', 'WriteOnly']);
  });

  it('records the account that could not be entered and the trail whose status was denied', () => {
    const bob = record(DEMO_ACCOUNTS.sandboxBob);
    expect(bob.access?.error).toMatchObject({ operation: 'sts:AssumeRole', code: 'AccessDenied' });
    expect(bob.regions).toEqual([]);
    const [ml] = Object.values(record(DEMO_ACCOUNTS.mlResearch).trailDetails);
    expect(ml!.status.error).toMatchObject({ operation: 'cloudtrail:GetTrailStatus', code: 'AccessDeniedException' });
  });

  it('answers ListBuckets, with BucketRegion, for every account it could enter', () => {
    for (const r of demo.accounts.filter((a) => !a.access)) {
      const listing = r.buckets?.value;
      expect(listing, r.accountId).toBeDefined();
      expect(listing!.length, r.accountId).toBeGreaterThan(0);
      for (const b of listing!) expect(b.BucketRegion, b.Name).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
    }
  });

  it('answers DescribeTrails and ListEventDataStores in every region of every account it could enter', () => {
    for (const r of demo.accounts.filter((a) => !a.access)) {
      expect(r.regions.map((rr) => rr.region)).toEqual([...DEMO_REGIONS].sort());
      for (const rr of r.regions) {
        expect(rr.trails.value, `${r.accountId}/${rr.region}`).toBeDefined();
        expect(rr.eventDataStores?.value, `${r.accountId}/${rr.region}`).toBeDefined();
      }
    }
  });
});
