/**
 * What the model index keeps of a large organization's account lines: only the entries the model
 * looks up (the buckets trails name, their owners' public access blocks, the regions of buckets
 * listed without one), the placements of the accounts a thread judges, and nothing of a block of
 * pass 1 once merged. Every judging thread holds the index (parallel.ts).
 */
import { describe, expect, it } from 'vitest';
import { accountLinesPart, IndexBuilder, indexOf, pathNodeIds } from '../../src/model/index.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';
import type { AccountRecord, Snapshot } from '../../src/snapshot/types.ts';

const indexOfRecords = (snapshot: Snapshot, records: AccountRecord[]) => {
  const builder = new IndexBuilder(snapshot.header);
  records.forEach((record, i) => builder.add(record, i + 2));
  for (const line of builder.linesToReread()) builder.addNamedBuckets(records[line - 2]!, line);
  return builder.finish();
};

describe('the model index of account lines', async () => {
  const demo: Snapshot = await readSnapshotFully('examples/demo-org.snapshot.jsonl');
  const named = new Set(demo.accounts.flatMap((a) => a.regions.flatMap((r) => (r.trails.value ?? []).flatMap((t) => (t.S3BucketName ? [t.S3BucketName] : [])))));
  const listed = new Map(demo.accounts.flatMap((a) => (a.buckets?.value ?? []).map((b) => [b.Name, a.accountId] as const)));

  it('keeps the owners and regions of the buckets trails name, and the public access blocks of their owners', () => {
    const index = indexOfRecords(demo, demo.accounts);
    const namedAndListed = [...listed.keys()].filter((name) => named.has(name));
    expect(namedAndListed.length).toBeGreaterThan(3);
    expect([...index.bucketOwners.keys()].sort()).toEqual(namedAndListed.sort());
    expect(index.bucketOwners.get('acme-org-cloudtrail-logs')).toBe('222222222222');
    expect([...index.bucketRegions.keys()].sort()).toEqual(namedAndListed.sort());
    expect(index.bucketRegions.get('acme-org-cloudtrail-logs')).toBe('us-east-1');
    expect(listed.get('acme-hr-payroll')).toBe('555555555555'); // a bucket no trail names, of an account that owns no destination
    expect(index.bucketOwners.has('acme-hr-payroll')).toBe(false);
    const owners = new Set(namedAndListed.map((name) => listed.get(name)!));
    expect([...index.accountPublicAccessBlocks.keys()].sort()).toEqual([...owners].sort());
    expect(index.accountPublicAccessBlocks.get('222222222222')).toEqual(demo.accounts.find((a) => a.accountId === '222222222222')!.accountPublicAccessBlock);
  });

  it('keeps the region of a bucket listed without one, from its record', () => {
    const withoutRegions = demo.accounts.map((a) => ({ ...structuredClone(a), ...(a.buckets?.value ? { buckets: { value: a.buckets.value.map(({ BucketRegion: _r, ...b }) => b) } } : {}) }));
    const index = indexOfRecords(demo, withoutRegions);
    expect(index.bucketRegions.get('acme-hr-payroll')).toBe('us-west-2');
    expect(index.bucketRegions.size).toBe(listed.size); // every listed bucket has a record with its region
    expect(index.bucketOwners.has('acme-hr-payroll')).toBe(false);
  });

  it('places only the accounts a thread judges when told which', () => {
    const index = indexOfRecords(demo, demo.accounts);
    const judged = new Set(['222222222222', '555555555555']);
    const share = indexOf(structuredClone(demo.header), accountLinesPart(index), judged);
    expect([...share.placements.keys()].sort()).toEqual([...judged]);
    for (const id of judged) expect(share.placements.get(id)).toEqual(index.placements.get(id));
    expect(index.placements.size).toBe(demo.header.accounts.value!.length);
  });

  it("looks up policies only for what a placed account's path can hold: its roots, OUs and the accounts placed", () => {
    const index = indexOfRecords(demo, demo.accounts);
    const judged = new Set(['222222222222']);
    const onSomePath = pathNodeIds(indexOf(structuredClone(demo.header), accountLinesPart(index), judged));
    const tree = [...demo.header.roots.value!, ...demo.header.organizationalUnits.value!].map((node) => node.Id);
    expect(tree.length).toBeGreaterThan(2);
    for (const id of [...tree, '222222222222']) expect(onSomePath(id)).toBe(true);
    expect(onSomePath('555555555555')).toBe(false); // an account of the organization this thread does not judge
    expect(pathNodeIds(index)('555555555555')).toBe(true);
  });

  it('holds nothing of a block of lines once merged', () => {
    const builder = new IndexBuilder(demo.header);
    demo.accounts.slice(0, 5).forEach((record, i) => builder.add(record, i + 2));
    const block = new IndexBuilder(demo.header);
    demo.accounts.slice(5).forEach((record, i) => block.add(record, i + 7));
    const state = structuredClone(block.blockState());
    expect(state.bucketOwners.size).toBeGreaterThan(0);
    builder.merge(state);
    for (const [name, taken] of Object.entries(state)) expect(taken instanceof Map || taken instanceof Set ? taken.size : (taken as unknown[]).length, name).toBe(0);
    expect(builder.finish().bucketOwners.get('acme-org-cloudtrail-logs')).toBe('222222222222');
  });
});
