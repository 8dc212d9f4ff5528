import { describe, expect, it } from 'vitest';
import { absent, DemoOrg, ok, trailArn, trailOwner } from '../fixtures/snapshot-builder.ts';
import { snapshotFromMemory } from '../../src/snapshot/read.ts';
import { minimalSnapshot } from '../fixtures/snapshots/minimal.ts';

function emptyDemo(): DemoOrg {
  const header = minimalSnapshot().header;
  header.scope.accountIds = [];
  header.policies = ok([]);
  return new DemoOrg(header);
}

describe('DemoOrg (test/fixtures/snapshot-builder.ts)', () => {
  it('creates account and region records on first use, in order of first use', () => {
    const demo = emptyDemo();
    demo.region('222222222222', 'eu-west-1');
    demo.account('111111111111');
    expect(demo.region('222222222222', 'eu-west-1')).toBe(demo.account('222222222222').regions[0]);
    const snapshot = demo.snapshot();
    expect(snapshot.accounts.map((a) => a.accountId)).toEqual(['222222222222', '111111111111']);
    expect(snapshot.header.scope.accountIds).toEqual(['222222222222', '111111111111']);
    expect(snapshot.accounts[0]!.regions[0]!.trails).toEqual({ value: [] });
  });

  it('adds a multi-region trail to every region of the accounts that see it', () => {
    const demo = emptyDemo();
    const arn = trailArn('us-east-1', '111111111111', 'org');
    expect(trailOwner(arn)).toBe('111111111111');
    demo.addTrailInRegions(
      { Name: 'org', TrailARN: arn, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true },
      { accountIds: ['111111111111', '222222222222'], regions: ['us-east-1', 'us-west-2'] },
    );
    const seen = demo.records.flatMap((r) => r.regions.map((rr) => `${r.accountId}/${rr.region}:${rr.trails.value!.length}`));
    expect(seen).toEqual(['111111111111/us-east-1:1', '111111111111/us-west-2:1', '222222222222/us-east-1:1', '222222222222/us-west-2:1']);
  });

  it('merges later bucket reads into a bucket already listed, and lists it once', () => {
    const demo = emptyDemo();
    demo.addBucket('111111111111', { Name: 'logs', region: ok('us-east-1'), tags: absent('NoSuchTagSet') });
    demo.addBucket('111111111111', { Name: 'logs', region: ok('us-east-1'), tags: ok([]), versioning: ok({ Status: 'Enabled' }) });
    expect(demo.account('111111111111').buckets).toEqual({ value: [{ Name: 'logs', BucketRegion: 'us-east-1' }] });
    expect(demo.bucket('logs')).toEqual({
      ownerId: '111111111111',
      record: { Name: 'logs', region: { value: 'us-east-1' }, tags: { value: [] }, versioning: { value: { Status: 'Enabled' } } },
    });
  });

  it('builds snapshots the reader accepts, independent of later changes to the builder', () => {
    const demo = emptyDemo();
    demo.account('111111111111');
    const first = demo.snapshot();
    demo.addPolicy({ Id: 'p-1', Name: 'DenyStop', Content: ok('{}'), Targets: ok([]) });
    expect(first.header.policies.value).toEqual([]);
    expect(() => snapshotFromMemory(first, 'built')).not.toThrow();
  });
});
