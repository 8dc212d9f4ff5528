/**
 * Pass 1 of a streamed snapshot keeps a bucket's record only once a trail names it; a bucket named
 * by a trail further down the file is read again from its own line (IndexBuilder.linesToReread).
 * The index must be the one built with every record in memory, in any order of the lines.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex, IndexBuilder } from '../../src/model/index.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';
import type { AccountRecord, Snapshot } from '../../src/snapshot/types.ts';

const LOG_ARCHIVE = '222222222222'; // owns acme-org-cloudtrail-logs, which every account's organization trail names

function streamed(snapshot: Snapshot, records: AccountRecord[]) {
  const builder = new IndexBuilder(snapshot.header);
  records.forEach((record, i) => builder.add(record, i + 2));
  const again = builder.linesToReread();
  for (const line of again) builder.addNamedBuckets(records[line - 2]!, line);
  return { index: builder.finish(), again };
}

describe('IndexBuilder over a streamed snapshot', async () => {
  const snapshot = await readSnapshotFully('examples/demo-org.snapshot.jsonl');

  it('reads nothing again when every trail comes before the buckets it names, and keeps the same destination buckets', () => {
    const { index, again } = streamed(snapshot, snapshot.accounts);
    expect(again.size).toBe(0);
    expect(index.destinationBuckets).toEqual(buildIndex(snapshot.header, snapshot.accounts).destinationBuckets);
    expect(index.destinationBuckets.has('acme-org-cloudtrail-logs')).toBe(true);
  });

  it('reads again only the line of a bucket named after it, and keeps the same destination buckets', () => {
    // The log-archive account lists the organization trail too: without its trails, only the
    // accounts after it name its bucket.
    const owner = snapshot.accounts.find((a) => a.accountId === LOG_ARCHIVE)!;
    const first = { ...owner, regions: owner.regions.map((r) => ({ ...r, trails: { value: [] } })) };
    const reordered = [first, ...snapshot.accounts.filter((a) => a !== owner)];
    const { index, again } = streamed(snapshot, reordered);
    expect([...again]).toEqual([2]);
    const inMemory = buildIndex(snapshot.header, reordered).destinationBuckets;
    expect(index.destinationBuckets).toEqual(inMemory);
    expect(index.destinationBuckets.get('acme-org-cloudtrail-logs')).toBe(first.bucketDetails!['acme-org-cloudtrail-logs']);
    // A bucket no trail names is not in the index, however it was read.
    expect(index.destinationBuckets.has('acme-org-config-logs')).toBe(false);
  });

  it('keeps the last line that holds a bucket, as with every record in memory', () => {
    const owner = snapshot.accounts.find((a) => a.accountId === LOG_ARCHIVE)!;
    const withoutTrails = (record: AccountRecord, accountId: string): AccountRecord => ({ ...structuredClone(record), accountId, regions: record.regions.map((r) => ({ ...r, trails: { value: [] } })) });
    const earlier = withoutTrails(owner, LOG_ARCHIVE);
    const later = withoutTrails(owner, '999999999990');
    later.bucketDetails!['acme-org-cloudtrail-logs']!.tags = { value: [{ Key: 'copy', Value: 'last' }] };
    const records = [earlier, later, ...snapshot.accounts.filter((a) => a !== owner)];
    const { index, again } = streamed(snapshot, records);
    expect([...again]).toEqual([3]);
    expect(index.destinationBuckets.get('acme-org-cloudtrail-logs')).toBe(later.bucketDetails!['acme-org-cloudtrail-logs']);
    expect(buildIndex(snapshot.header, records).destinationBuckets).toEqual(index.destinationBuckets);
  });
});
