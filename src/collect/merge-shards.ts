/**
 * `snapshot merge`: the snapshots of `collect --shard K/N` (N jobs, each reading the whole
 * organization's structure and only its own accounts) put back together into the snapshot one
 * collection of the whole organization would have written — the same bytes, apart from
 * `collectedAt` (the earliest shard's).
 *
 * Refused, with the files named: a file that is not a shard, shards of different N, a shard
 * missing or given twice, shards of different organizations or trailproof versions, shards that
 * saw a different organization (the tree, the accounts, the SCPs or their read errors changed
 * between the jobs), an account in two shards or in the wrong one, and accounts of the
 * organization that no shard read.
 *
 * What one collection decides across accounts is decided again here, with every shard's
 * accounts in view:
 * - buckets: a shard cannot know which of its buckets another shard's trails deliver to, so it
 *   reads every bucket in full; a bucket that is neither a trail destination nor a PII candidate
 *   (config.yaml `pii`, which must be the collections') keeps only its region and tags, as one
 *   collection keeps it;
 * - GuardDuty's organization configuration: only the shard holding the delegated administrator
 *   could read it; the others said "not among the accounts scanned".
 */
import type { TrailproofConfig } from '../config/types.ts';
import { UserError } from '../shared/errors.ts';
import { inShard, parseShard, type Shard } from '../shared/shard.ts';
import { openSnapshot, type SnapshotSource } from '../snapshot/read.ts';
import type { AccountRecord, BucketRecord, SnapshotHeader } from '../snapshot/types.ts';
import { stableJson, writeSnapshot, type WrittenSnapshot } from '../snapshot/write.ts';
import { isPiiBucket } from './buckets.ts';

interface ShardSnapshot {
  source: SnapshotSource;
  shard: Shard;
}

/** Header fields every shard reads in full, so all of them must agree on. */
const SHARED_FIELDS = ['source', 'partition', 'organization', 'roots', 'organizationalUnits', 'accounts', 'policies', 'errors'] as const;

export async function mergeShardSnapshots(files: readonly string[], out: string, config: TrailproofConfig): Promise<WrittenSnapshot & { header: SnapshotHeader }> {
  if (files.length === 0) throw new UserError('snapshot merge: name the shard snapshots to merge');
  const shards = await Promise.all(files.map(openShard));
  checkShardSet(shards);
  const header = mergedHeader(shards);
  const destinations = await trailDestinations(shards);
  const keep = (bucket: BucketRecord) => destinations.has(bucket.Name) || isPiiBucket(bucket, config.pii);
  const written = await writeSnapshot(out, header, mergedRecords(shards, (record) => unreadSpeculation(record, keep)));
  return { ...written, header };
}

async function openShard(file: string): Promise<ShardSnapshot> {
  const source = await openSnapshot(file);
  const label = source.header.scope.shard;
  if (!label) throw new UserError(`${file} is not a shard snapshot (no scope.shard: it was collected without --shard K/N)`);
  return { source, shard: parseShard(label) };
}

function checkShardSet(shards: ShardSnapshot[]): void {
  const [first] = shards as [ShardSnapshot];
  const name = (s: ShardSnapshot) => `${s.source.label} (shard ${s.shard.index}/${s.shard.count})`;
  for (const s of shards) {
    if (s.shard.count !== first.shard.count) throw new UserError(`${name(first)} and ${name(s)} split the organization into different numbers of shards`);
  }
  const byIndex = new Map<number, ShardSnapshot>();
  for (const s of shards) {
    const twin = byIndex.get(s.shard.index);
    if (twin) throw new UserError(`shard ${s.shard.index}/${s.shard.count} is given twice: ${twin.source.label} and ${s.source.label}`);
    byIndex.set(s.shard.index, s);
  }
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) throw new UserError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${first.shard.count}`).join(', ')} missing: the merged snapshot would not cover the organization`);

  const orgId = (s: ShardSnapshot) => s.source.header.organization.value?.Id;
  for (const s of shards) {
    if (orgId(s) !== orgId(first)) throw new UserError(`${name(first)} is organization ${orgId(first) ?? '(unread)'}, ${name(s)} is ${orgId(s) ?? '(unread)'}: shards of different organizations`);
    if (s.source.header.tool.version !== first.source.header.tool.version) {
      throw new UserError(`${name(first)} was collected by trailproof ${first.source.header.tool.version}, ${name(s)} by ${s.source.header.tool.version}: collect every shard with one version`);
    }
    for (const field of [...SHARED_FIELDS, 'skipped'] as const) {
      const of = (x: ShardSnapshot) => stableJson(field === 'skipped' ? x.source.header.scope.skipped : x.source.header[field]);
      if (of(s) !== of(first)) {
        throw new UserError(
          `${name(first)} and ${name(s)} differ in ${field === 'skipped' ? 'scope.skipped' : field}: the organization changed between the two collections, ` +
            `a call failed in one of them, or they used different scopes; collect the shards again`,
        );
      }
    }
    if (Boolean(s.source.header.guardDutyOrganization) !== Boolean(first.source.header.guardDutyOrganization)) {
      throw new UserError(`${name(first)} and ${name(s)} differ in the detective controls: collect every shard with the same collection.detective`);
    }
    if (s.source.header.logIntegrity) throw new UserError(`${name(s)} holds a log-integrity run: shards are merged from \`collect --shard\`, which does not verify logs`);
  }

  const owner = new Map<string, ShardSnapshot>();
  for (const s of shards) {
    for (const accountId of s.source.header.scope.accountIds) {
      const other = owner.get(accountId);
      if (other) throw new UserError(`account ${accountId} is in both ${name(other)} and ${name(s)}`);
      if (!inShard(accountId, s.shard)) throw new UserError(`account ${accountId} of ${name(s)} belongs to another shard: the file was not collected with --shard ${s.shard.index}/${s.shard.count}`);
      owner.set(accountId, s);
    }
  }
  // Every account of the organization is read by its shard or skipped by the scope, with the reason.
  const listed = first.source.header.accounts.value;
  if (listed) {
    const skipped = new Set(first.source.header.scope.skipped.map((s) => s.accountId));
    const unread = listed.map((a) => a.Id).filter((id) => !skipped.has(id) && !owner.has(id)).sort();
    if (unread.length > 0) {
      throw new UserError(`no shard read account${unread.length > 1 ? 's' : ''} ${unread.slice(0, 5).join(', ')}${unread.length > 5 ? ` and ${unread.length - 5} more` : ''} of the organization`);
    }
  }
}

function mergedHeader(shards: ShardSnapshot[]): SnapshotHeader {
  const headers = [...shards].sort((a, b) => a.shard.index - b.shard.index).map((s) => s.source.header);
  const first = headers[0]!;
  const { shard: _, ...scope } = first.scope;
  const guardDuty = mergedGuardDuty(headers);
  return {
    ...first,
    collectedAt: headers.map((h) => h.collectedAt).sort()[0]!,
    scope: {
      ...scope,
      regions: [...new Set(headers.flatMap((h) => h.scope.regions))].sort(),
      accountIds: headers.flatMap((h) => h.scope.accountIds).sort(),
    },
    ...(guardDuty ? { guardDutyOrganization: guardDuty } : {}),
  };
}

/** Per region, the answer of the shard that held the delegated administrator (the one that could read it). */
function mergedGuardDuty(headers: SnapshotHeader[]): SnapshotHeader['guardDutyOrganization'] {
  if (!headers[0]!.guardDutyOrganization) return undefined;
  const regions = [...new Set(headers.flatMap((h) => Object.keys(h.guardDutyOrganization ?? {})))].sort();
  const errorOf = (answer: unknown) => (answer as { error?: { code?: string } }).error;
  const merged: NonNullable<SnapshotHeader['guardDutyOrganization']> = {};
  for (const region of regions) {
    const answers = headers.map((h) => h.guardDutyOrganization?.[region]).filter((a) => a !== undefined);
    // A value first (the administrator's shard, or "no administrator" said alike by all), then a
    // failure of the shard that held it, and "not among the accounts scanned" only when all said so.
    merged[region] = answers.find((a) => !errorOf(a)) ?? answers.find((a) => errorOf(a)?.code !== 'AdministratorNotInScope') ?? answers[0]!;
  }
  return merged;
}

/** Every bucket a trail seen by any shard delivers to. */
async function trailDestinations(shards: ShardSnapshot[]): Promise<Set<string>> {
  const names = new Set<string>();
  for (const s of shards) {
    for await (const record of s.source.records()) {
      for (const region of record.regions) for (const trail of region.trails.value ?? []) if (trail.S3BucketName) names.add(trail.S3BucketName);
    }
  }
  return names;
}

/** The bucket configurations a shard read only because it could not know they were not needed. */
function unreadSpeculation(record: AccountRecord, keep: (bucket: BucketRecord) => boolean): AccountRecord {
  if (!record.bucketDetails) return record;
  const bucketDetails: Record<string, BucketRecord> = {};
  for (const [name, bucket] of Object.entries(record.bucketDetails)) {
    bucketDetails[name] = keep(bucket) ? bucket : { Name: bucket.Name, region: bucket.region, tags: bucket.tags };
  }
  return { ...record, bucketDetails };
}

/** The shards' account lines in account-id order (each shard's are already in that order). */
async function* mergedRecords(shards: ShardSnapshot[], adjust: (record: AccountRecord) => AccountRecord): AsyncGenerator<AccountRecord> {
  const streams = shards.map((s) => s.source.records()[Symbol.asyncIterator]());
  const heads = await Promise.all(streams.map((it) => it.next()));
  for (;;) {
    let next = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (!head.done && (next < 0 || head.value.accountId < (heads[next]!.value as AccountRecord).accountId)) next = i;
    }
    if (next < 0) return;
    yield adjust(heads[next]!.value as AccountRecord);
    heads[next] = await streams[next]!.next();
  }
}
