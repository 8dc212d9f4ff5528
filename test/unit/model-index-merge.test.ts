/**
 * Pass 1 split between threads: each builds the index state of its block of consecutive lines, and
 * the first block's builder merges the others in file order (IndexBuilder.merge). The index must be
 * the one a single builder of every line gives, maps and lists in the same order, wherever the
 * blocks are cut, including for what only the order of the lines decides: the last line holding a
 * bucket, a bucket named by a trail in a later block, a region from ListBuckets against one from
 * the bucket's record, an organization trail known only from its members' shadows.
 */
import { describe, expect, it } from 'vitest';
import { serialize, deserialize } from 'node:v8';
import { accountLinesPart, IndexBuilder, indexOf } from '../../src/model/index.ts';
import type { ModelIndex } from '../../src/model/index.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';
import type { AccountRecord, Snapshot, SnapshotHeader } from '../../src/snapshot/types.ts';

const LOG_ARCHIVE = '222222222222'; // owns acme-org-cloudtrail-logs, which every account's organization trail names
const MANAGEMENT = '111111111111'; // owns the organization trails

/** Lines from 2, as in a file; cut before each line in `cuts`; blocks after the first cross postMessage. */
function indexInBlocks(header: SnapshotHeader, records: AccountRecord[], cuts: number[]): ModelIndex {
  const starts = [0, ...cuts];
  const [first, ...others] = starts.map((start, k) => records.slice(start, starts[k + 1] ?? records.length).map((record, i) => ({ record, line: start + i + 2 })));
  const builder = new IndexBuilder(header);
  for (const { record, line } of first!) builder.add(record, line);
  for (const block of others) {
    const own = new IndexBuilder(header);
    for (const { record, line } of block) own.add(record, line);
    builder.merge(structuredClone(own.blockState()));
  }
  for (const line of builder.linesToReread()) builder.addNamedBuckets(records[line - 2]!, line);
  return builder.finish();
}

/** The index with its maps and sets as lists of entries, so that order counts. */
function inOrder(index: ModelIndex): Record<string, unknown> {
  const { memo: _memo, ...rest } = index;
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, value instanceof Map || value instanceof Set ? [...value.entries()] : value]));
}

function withoutTrails(record: AccountRecord, accountId = record.accountId): AccountRecord {
  return { ...structuredClone(record), accountId, regions: record.regions.map((r) => ({ ...structuredClone(r), trails: { value: [] } })) };
}

describe('IndexBuilder.merge', async () => {
  const demo: Snapshot = await readSnapshotFully('examples/demo-org.snapshot.jsonl');
  const byId = (id: string) => demo.accounts.find((a) => a.accountId === id)!;
  const others = (...ids: string[]) => demo.accounts.filter((a) => !ids.includes(a.accountId));

  // The demo organization in orders and variants where the order of the lines decides something.
  const logArchiveFirst = [withoutTrails(byId(LOG_ARCHIVE)), ...others(LOG_ARCHIVE)];
  const lastCopy = withoutTrails(byId(LOG_ARCHIVE), '999999999990');
  lastCopy.bucketDetails!['acme-org-cloudtrail-logs']!.tags = { value: [{ Key: 'copy', Value: 'last' }] };
  // The first copy comes after trails that name the bucket; a block that starts with the last copy has not seen them.
  const twoCopies = [...others(LOG_ARCHIVE).slice(0, 3), withoutTrails(byId(LOG_ARCHIVE)), ...others(LOG_ARCHIVE).slice(3, 6), lastCopy, ...others(LOG_ARCHIVE).slice(6)];
  // The management account's trail list failed: the organization trails are known from their shadows only.
  const failedOwner = { ...structuredClone(byId(MANAGEMENT)), regions: byId(MANAGEMENT).regions.map((r) => ({ ...structuredClone(r), trails: { error: { operation: 'cloudtrail:DescribeTrails', code: 'AccessDenied', message: 'denied', accountId: MANAGEMENT, region: r.region } } })) };
  // Members list the shadows in every region; one lists them outside the trails' home region only,
  // and its shadows differ: an earlier home-region sighting must stay.
  const outsideHomeOnly = structuredClone(byId('999999999999'));
  for (const region of outsideHomeOnly.regions) {
    const trails = region.trails.value!.filter((t) => !t.IsOrganizationTrail || region.region !== 'us-east-1');
    region.trails = { value: trails.map((t) => (t.IsOrganizationTrail ? { ...t, S3KeyPrefix: `seen-in-${region.region}` } : t)) };
  }
  const shadowsOnly = [...others(MANAGEMENT, '999999999999').slice(0, 4), failedOwner, ...others(MANAGEMENT, '999999999999').slice(4), outsideHomeOnly];
  // A region from ListBuckets overrides the bucket record's; the record's counts only when no listing came first.
  const regionsFromRecords = demo.accounts.map((a) => ({ ...structuredClone(a), ...(a.buckets?.value ? { buckets: { value: a.buckets.value.map(({ BucketRegion: _r, ...b }) => b) } } : {}) }));
  const relisted = structuredClone(byId('999999999999'));
  relisted.accountId = '999999999991';
  relisted.buckets = { value: [{ Name: 'acme-org-cloudtrail-logs', BucketRegion: 'ap-south-1' }, { Name: 'acme-audit-reports', BucketRegion: 'sa-east-1' }] };
  relisted.bucketDetails = { 'acme-analytics-dev-scratch': { ...structuredClone(byId('999999999999').bucketDetails!['acme-analytics-dev-scratch']!), region: { value: 'af-south-1' } } };
  const mixedRegions = [...regionsFromRecords.slice(0, 6), relisted, ...regionsFromRecords.slice(6)];

  const variants: Record<string, AccountRecord[]> = {
    'file order': demo.accounts,
    'reversed': [...demo.accounts].reverse(),
    'log archive first, named later': logArchiveFirst,
    'a bucket on two lines': twoCopies,
    'organization trails from shadows only': shadowsOnly,
    'regions from records and listings': mixedRegions,
  };

  for (const [name, records] of Object.entries(variants)) {
    it(`gives one builder's index wherever the blocks are cut: ${name}`, () => {
      const header = { ...demo.header, scope: { ...demo.header.scope, accountIds: records.map((r) => r.accountId) } };
      const single = inOrder(indexInBlocks(header, records, []));
      for (let cut = 1; cut < records.length; cut++) expect(inOrder(indexInBlocks(header, records, [cut])), `cut before ${cut}`).toEqual(single);
      for (let a = 1; a < records.length - 1; a += 2) {
        for (let b = a + 1; b < records.length; b += 3) expect(inOrder(indexInBlocks(header, records, [a, b])), `cuts before ${a}, ${b}`).toEqual(single);
      }
      expect(inOrder(indexInBlocks(header, records, records.map((_, i) => i).slice(1))), 'one line a block').toEqual(single);
    });
  }

  it('keeps what the order decides in the variants', () => {
    const header = demo.header;
    const last = indexInBlocks(header, twoCopies, [7]);
    expect(last.destinationBuckets.get('acme-org-cloudtrail-logs')?.tags).toEqual({ value: [{ Key: 'copy', Value: 'last' }] });
    const shadows = indexInBlocks(header, shadowsOnly, [2, 6]);
    const orgTrail = shadows.organizationTrails.get('arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail');
    expect(orgTrail?.detail?.status).toEqual({ error: expect.objectContaining({ code: 'AccessDenied' }) });
    expect(orgTrail?.trail.S3KeyPrefix).not.toBe('seen-in-eu-west-1');
    // The log archive's record (first block) gives us-east-1, a later block's ListBuckets ap-south-1.
    const regions = indexInBlocks(header, mixedRegions, [5, 7]);
    expect(regions.bucketRegions.get('acme-org-cloudtrail-logs')).toBe('ap-south-1');
    // A record's region never overrides an earlier one: the first record holding the bucket gives it.
    expect(regions.bucketRegions.get('acme-analytics-dev-scratch')).toBe('af-south-1');
    expect(indexInBlocks(header, mixedRegions.filter((r) => r !== relisted), [5, 7]).bucketRegions.get('acme-analytics-dev-scratch')).toBe('eu-west-1');
  });

  it('is made again, the same, by a thread that parsed the header itself and was handed only what the account lines gave', () => {
    for (const [name, records] of Object.entries(variants)) {
      const header = { ...demo.header, scope: { ...demo.header.scope, accountIds: records.map((r) => r.accountId) } };
      const index = indexInBlocks(header, records, [3]);
      const part = accountLinesPart(index);
      // Nothing derived from the header crosses: the other thread has its own parse of it.
      expect(Object.keys(part).sort(), name).toEqual(['accountPublicAccessBlocks', 'accountsWithUnknownBuckets', 'bucketOwners', 'bucketRegions', 'destinationBuckets', 'options', 'organizationEventDataStoreGaps', 'organizationEventDataStores', 'organizationTrails', 'trailLogGroups']);
      const again = indexOf(JSON.parse(JSON.stringify(header)) as SnapshotHeader, deserialize(serialize(part)) as typeof part);
      expect(inOrder(again), name).toEqual(inOrder(index));
      expect(again.placements.size, name).toBeGreaterThan(0);
    }
  });
});
