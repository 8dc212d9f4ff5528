/**
 * Sharded collection: `collect --shard K/N` in N jobs, then `snapshot merge`, gives the snapshot
 * of one collection of the whole organization, byte for byte (the collections share one clock
 * here; in real runs only collectedAt differs). Collected over HTTP from the fake endpoint
 * answering a generated organization, whose members' own trails deliver to a bucket of the
 * log-archive account: a shard cannot see which of its buckets the other shards' trails use.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultClientFactory } from '../../src/collect/clients.ts';
import { collectToFile, type CollectOptions } from '../../src/collect/index.ts';
import { mergeShardSnapshots } from '../../src/collect/merge-shards.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { inShard } from '../../src/shared/shard.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import type { AccountRecord } from '../../src/snapshot/types.ts';
import { generateOrg, MEMBER_ROLE } from '../bench/generate-org.ts';
import { ORGANIZATIONS_PAGE } from '../bench/simulated-aws.ts';
import { startFakeAwsServer, type FakeAwsServer } from '../fixtures/fake-aws-server/server.ts';
import { runMain } from '../cli/run-cli.ts';
import { UNPACED } from '../fixtures/world/unpaced.ts';

const N = 3;
const org = generateOrg({ accounts: 30, seed: 7 });
const shardOf = (accountId: string) => Array.from({ length: N }, (_, i) => i + 1).find((k) => inShard(accountId, { index: k, count: N }))!;
// The bucket the members' own trails deliver to, in the log-archive account: only trails of
// accounts in other shards than its owner's are kept, so the owner's shard cannot know it is one.
const sharedBucket = org.accounts.flatMap((a) => a.buckets.map((b) => ({ owner: a.account.Id, name: b.Name }))).find((b) => b.name.endsWith('-account-trails'))!;
for (const a of org.accounts) {
  if (shardOf(a.account.Id) === shardOf(sharedBucket.owner)) a.trails = a.trails.filter((t) => t.trail.S3BucketName !== sharedBucket.name);
}
const crossShardTrails = org.accounts.filter((a) => a.trails.some((t) => t.trail.S3BucketName === sharedBucket.name)).length;
// Two regions keep the four collections small; the buckets, trails and shards are what is tested.
const CONFIG = { ...DEFAULT_CONFIG, scope: { ...DEFAULT_CONFIG.scope, regions: ['eu-west-1', 'us-east-1'] } };
const PROFILE = { accessKeyId: 'AKIASHARDEDCOLLECT01', secretAccessKey: 'sharded/collect/secret' };

let dir: string;
let server: FakeAwsServer;
const whole = () => join(dir, 'whole.jsonl');
const shardFile = (k: number) => join(dir, `shard-${k}.jsonl`);

async function records(file: string): Promise<AccountRecord[]> {
  const out: AccountRecord[] = [];
  for await (const r of (await openSnapshot(file)).records()) out.push(r);
  return out;
}
const configuredBuckets = (rs: AccountRecord[]) => rs.flatMap((r) => Object.values(r.bucketDetails ?? {})).filter((b) => 'versioning' in b).length;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-shards-'));
  server = await startFakeAwsServer({ profile: PROFILE, world: org, memberRoleName: MEMBER_ROLE, pageSize: ORGANIZATIONS_PAGE, recordRequests: false });
  const options: CollectOptions = {
    config: CONFIG,
    clientFactory: defaultClientFactory({ callTimeoutMs: 30_000, credentials: async () => PROFILE, endpointUrl: server.url }),
    now: () => new Date(org.collectedAt),
    progress: () => undefined,
    ...UNPACED,
  };
  await collectToFile(options, whole());
  for (let k = 1; k <= N; k++) await collectToFile({ ...options, shard: { index: k, count: N } }, shardFile(k));
}, 240_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('collect --shard K/N, then snapshot merge', () => {
  it('each shard reads the whole organization structure and only its own accounts', async () => {
    const all = (await openSnapshot(whole())).header;
    const seen: string[] = [];
    for (let k = 1; k <= N; k++) {
      const { header } = await openSnapshot(shardFile(k));
      expect(header.scope.shard).toBe(`${k}/${N}`);
      expect(header.accounts).toEqual(all.accounts);
      expect(header.policies).toEqual(all.policies);
      expect(header.scope.accountIds.length).toBeGreaterThan(0);
      expect(header.scope.accountIds.every((id) => inShard(id, { index: k, count: N }))).toBe(true);
      seen.push(...header.scope.accountIds);
    }
    expect(seen.sort()).toEqual(all.scope.accountIds);
  });

  it('the merged snapshot is byte for byte the one-collection snapshot, shards given in any order', async () => {
    expect(crossShardTrails).toBeGreaterThan(0);
    const merged = join(dir, 'merged.jsonl');
    const written = await mergeShardSnapshots([shardFile(3), shardFile(1), shardFile(2)], merged, CONFIG);
    expect(written.accounts).toBe((await openSnapshot(whole())).header.scope.accountIds.length);
    expect(readFileSync(merged, 'utf8')).toBe(readFileSync(whole(), 'utf8'));
  });

  it('shards read buckets in full that one collection reads only in part; the merge keeps what one collection keeps', async () => {
    const shardBuckets = (await Promise.all([1, 2, 3].map(async (k) => configuredBuckets(await records(shardFile(k)))))).reduce((a, b) => a + b, 0);
    expect(shardBuckets).toBeGreaterThan(configuredBuckets(await records(whole())));
  });

  it('through the CLI: snapshot merge writes the same file and says so', async () => {
    const merged = join(dir, 'merged-cli.jsonl.gz');
    const run = await runMain(['snapshot', 'merge', shardFile(2), shardFile(1), shardFile(3), '--out', merged]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`accounts from ${N} shards`);
    const a = await records(merged);
    expect(a).toEqual(await records(whole()));
  });

  it.each([
    ['a shard missing', () => [shardFile(1), shardFile(3)], /shards? 2\/3 missing/],
    ['a shard given twice', () => [shardFile(1), shardFile(2), shardFile(2), shardFile(3)], /shard 2\/3 is given twice: .*shard-2\.jsonl and .*shard-2\.jsonl/],
    ['a snapshot that is not a shard', () => [shardFile(1), whole()], /whole\.jsonl is not a shard snapshot/],
  ])('refuses %s, naming the files', async (_, files, message) => {
    await expect(mergeShardSnapshots(files(), join(dir, 'refused.jsonl'), DEFAULT_CONFIG)).rejects.toThrow(message);
  });

  it('refuses shards of another split, and shards whose organization differs', async () => {
    const other = join(dir, 'other-split.jsonl');
    const options: CollectOptions = {
      clientFactory: defaultClientFactory({ callTimeoutMs: 30_000, credentials: async () => PROFILE, endpointUrl: server.url }),
      now: () => new Date(org.collectedAt),
      progress: () => undefined,
      ...UNPACED,
      config: { ...CONFIG, collection: { ...CONFIG.collection, detective: false } },
    };
    await collectToFile({ ...options, shard: { index: 2, count: 2 } }, other);
    await expect(mergeShardSnapshots([shardFile(1), other, shardFile(3)], join(dir, 'refused.jsonl'), DEFAULT_CONFIG)).rejects.toThrow(
      /shard-1\.jsonl \(shard 1\/3\) and .*other-split\.jsonl \(shard 2\/2\) split the organization into different numbers of shards/,
    );
    // The same split, but read without the detective controls: not the same collection.
    const noDetective = join(dir, 'no-detective-2.jsonl');
    await collectToFile({ ...options, shard: { index: 2, count: 3 } }, noDetective);
    await expect(mergeShardSnapshots([shardFile(1), noDetective, shardFile(3)], join(dir, 'refused.jsonl'), DEFAULT_CONFIG)).rejects.toThrow(
      /shard-1\.jsonl \(shard 1\/3\) and .*no-detective-2\.jsonl \(shard 2\/3\) differ in the detective controls/,
    );
  }, 120_000);
});
