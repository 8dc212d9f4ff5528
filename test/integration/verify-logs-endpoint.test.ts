/**
 * `trailproof verify-logs` as a user runs it: the real CLI in a child process, the real SDK stack
 * (SigV4, restXml ListObjectsV2 pages, streamed GetObject bodies with x-amz-meta-* signatures,
 * awsJson ListPublicKeys with base64 DER) against the fake AWS endpoint serving real digest chains
 * of the organization trail for every account and region.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrityRecord } from '../../src/collect/integrity/summary.ts';
import { runCliAsync } from '../cli/run-cli.ts';
import { startFakeAwsServer, type FakeAwsServer, type FakeAwsServerOptions } from '../fixtures/fake-aws-server/server.ts';
import { LOG_ARCHIVE, MANAGEMENT, ORG_TRAIL_ARN, ORG_TRAIL_BUCKET, PROD, REGIONS } from '../fixtures/fake-aws-server/small-org.ts';
import type { StoredObjectEntry } from '../fixtures/fake-aws-server/types.ts';
import { World } from '../fixtures/integrity/world.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';

const PROFILE = { accessKeyId: 'AKIAVERIFYLOGS000001', secretAccessKey: 'verify/logs/e2e/secret/key/000000000000' };
const HOURS = 4;

let dir: string;
let server: FakeAwsServer;
const objects = new Map<string, StoredObjectEntry>();
const worlds: World[] = [];

function verifyLogs(extra: string[]) {
  return cli(['verify-logs', '--config', join(dir, 'config.yaml'), '--regions', REGIONS.join(','), ...extra]);
}

/** Runs `body` against another fake endpoint over the same objects and keys, then goes back to the shared one. */
async function withServer(options: Partial<FakeAwsServerOptions>, body: (other: FakeAwsServer) => Promise<void>) {
  const other = await startFakeAwsServer({ profile: PROFILE, objects, publicKeys: worlds[0]!.publicKeyList, ...options });
  const saved = server;
  server = other;
  try {
    await body(other);
  } finally {
    server = saved;
    await other.close();
  }
}

function cli(args: string[]) {
  return runCliAsync(args, {
    cwd: dir,
    env: {
      AWS_ACCESS_KEY_ID: PROFILE.accessKeyId,
      AWS_SECRET_ACCESS_KEY: PROFILE.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: server.url,
      AWS_CONFIG_FILE: join(dir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-verify-'));
  writeFileSync(join(dir, 'config.yaml'), ['organization:', '  memberRoleName: TrailproofReadOnly', '  homeRegion: us-east-1', 'collection:', '  callTimeoutMs: 5000',
    // The fake endpoint has no LookupEvents quota: AWS's 2 per second would make each collection here seconds longer.
    '  lookupEventsPerSecond: 1000', ''].join('\n'));
  // Digest chains ending a little over an hour ago, for every account the organization trail records.
  const firstEnd = new Date(Date.now() - 70 * 60_000 - (HOURS - 1) * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const accountId of [MANAGEMENT, LOG_ARCHIVE, PROD]) {
    for (const region of REGIONS) {
      const world = new World({
        hours: HOURS,
        start: firstEnd,
        target: { trailArn: ORG_TRAIL_ARN, trailName: 'org-trail', accountId, region, bucket: ORG_TRAIL_BUCKET, keyPrefix: 'org', organizationId: 'o-a1b2c3d4e5' },
      });
      for (const [id, o] of world.objects) objects.set(id, o);
      worlds.push(world);
    }
  }
  server = await startFakeAwsServer({ profile: PROFILE, objects, publicKeys: worlds[0]!.publicKeyList, objectReaders: [MANAGEMENT], pageSize: 3 });
}, 30_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('verify-logs against a real HTTP endpoint', () => {
  it('verifies every trail-region of the organization trail, prints a summary, writes JSON, exits 0', async () => {
    const { from, to } = worlds[0]!.window;
    const run = await verifyLogs(['--from', from, '--to', to, '-o', join(dir, 'ok.json')]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const record = JSON.parse(readFileSync(join(dir, 'ok.json'), 'utf8')) as IntegrityRecord;
    expect(record.outcome).toBe('verified');
    expect(record.reports.map((r) => `${r.target.accountId} ${r.target.region}`)).toEqual(
      [MANAGEMENT, LOG_ARCHIVE, PROD].flatMap((a) => [...REGIONS].sort().map((r) => `${a} ${r}`)),
    );
    for (const r of record.reports) {
      expect(r.digests).toMatchObject({ expected: HOURS, found: HOURS, signatureValid: HOURS, chained: HOURS, missing: 0 });
      expect(r.logs).toMatchObject({ listed: 2 * HOURS, valid: 2 * HOURS });
    }
    expect(run.stdout).toMatch(/^VERIFIED {3}org-trail 222222222222 eu-west-1: digests 4\/4 found, 4 signed, 4 chained, 0 missing; logs 8\/8 verified/m);
    expect(run.stdout).toMatch(/verified: 6 verified, 0 failed, 0 incomplete trail-region\(s\)\n$/);
    const gets = server.requests.filter((q) => q.operation === 'GetObject');
    expect(gets.length).toBe(6 * (HOURS + 2 * HOURS));
    // The keys are the region's (2 regions), not each member account's: asked once per region.
    expect(server.requests.filter((q) => q.operation === 'ListPublicKeys').length).toBe(2);
  }, 60_000);

  it('exits 1 and names the first bad object and hour when a log was modified', async () => {
    const world = worlds[3]!;
    const key = world.logKeys[1]![0]!;
    const id = `${ORG_TRAIL_BUCKET}/${key}`;
    const original = objects.get(id)!;
    objects.set(id, { ...original, body: Buffer.from('{"Records":[]}') });
    try {
      const { from, to } = world.window;
      const run = await verifyLogs(['--from', from, '--to', to, '--json']);
      expect(run.status).toBe(1);
      const record = JSON.parse(run.stdout) as IntegrityRecord;
      const failed = record.reports.filter((r) => r.outcome === 'failed');
      expect(failed.map((r) => `${r.target.accountId} ${r.target.region}`)).toEqual([`${world.target.accountId} ${world.target.region}`]);
      expect(failed[0]!.findings[0]).toMatchObject({ kind: 'log-modified', object: key, hour: expect.stringMatching(/Z$/) });
    } finally {
      objects.set(id, original);
    }
  }, 60_000);

  it('reads the objects as the bucket owner: only the log-archive account\'s assumed role may read them', async () => {
    // No bucket policy for anyone else: the management account's own keys are refused.
    await withServer({}, async (ownerOnly) => {
      const { from, to } = worlds[0]!.window;
      const run = await verifyLogs(['--from', from, '--to', to, '--hash-logs', 'sample:2', '--json']);
      expect(run.status).toBe(0);
      expect((JSON.parse(run.stdout) as IntegrityRecord).outcome).toBe('verified');
      const objectCalls = ownerOnly.requests.filter((q) => q.operation === 'GetObject' || q.operation === 'ListObjectsV2');
      expect(objectCalls.length).toBeGreaterThan(0);
      expect(new Set(objectCalls.map((q) => `${q.accountId} ${q.status}`))).toEqual(new Set([`${LOG_ARCHIVE} 200`]));
      // The public keys and trail status come from the management account, whose trail it is.
      expect(new Set(ownerOnly.requests.filter((q) => q.operation === 'ListPublicKeys').map((q) => q.accountId))).toEqual(new Set([MANAGEMENT]));
    });
  }, 60_000);

  it('exits 3 and names sts:AssumeRole and the account when the bucket owner\'s role cannot be assumed', async () => {
    const snapshotFile = join(dir, 'collected.jsonl');
    expect((await cli(['collect', '--config', join(dir, 'config.yaml'), '--regions', REGIONS.join(','), '--out', snapshotFile, '--quiet'])).status).toBe(0);
    // Since the collection, the log-archive role stopped trusting the scanner; the management keys may read (a bucket policy), but are not used.
    await withServer({ objectReaders: [MANAGEMENT], denyAssume: [LOG_ARCHIVE] }, async (denied) => {
      const { from, to } = worlds[0]!.window;
      const run = await verifyLogs(['--snapshot', snapshotFile, '--from', from, '--to', to, '--json']);
      expect(run.status).toBe(3);
      const record = JSON.parse(run.stdout) as IntegrityRecord;
      expect(record.outcome).toBe('incomplete');
      expect(record.reports).toHaveLength(6);
      for (const r of record.reports) {
        expect(r.outcome).toBe('incomplete');
        expect(r.unreadable[0]).toMatchObject({ operation: 'sts:AssumeRole', code: 'AccessDenied', message: expect.stringContaining(`account ${LOG_ARCHIVE}, which owns bucket ${ORG_TRAIL_BUCKET}`) });
      }
      expect(denied.requests.filter((q) => q.operation === 'GetObject' || q.operation === 'ListObjectsV2')).toEqual([]);
    });
  }, 60_000);

  it('scan --verify-logs records the verification in the snapshot and judges it with cloudtrail-log-integrity', async () => {
    const snapshotFile = join(dir, 'verified.jsonl.gz');
    const run = await cli([
      'scan', '--config', join(dir, 'config.yaml'), '--regions', REGIONS.join(','), '--verify-logs', '--verify-since', '5h',
      '--save-snapshot', snapshotFile, '--format', 'json', '--out', join(dir, 'scan'), '--quiet',
    ]);
    expect(run.stderr).toBe('');
    const snapshot = await readSnapshotFully(snapshotFile);
    expect(snapshot.header.logIntegrity).toMatchObject({ hashLogs: 'all', maxDigestAgeHours: 2 });
    const management = snapshot.accounts.find((a) => a.accountId === MANAGEMENT)!;
    expect(management.logIntegrity?.map((r) => `${r.target.region} ${r.outcome}`)).toEqual(['eu-west-1 verified', 'us-east-1 verified']);
    const report = JSON.parse(readFileSync(join(dir, 'scan', 'trailproof.json'), 'utf8')) as { verdicts: { ruleId: string; status: string; message: string; resource: { id: string } }[] };
    const integrity = report.verdicts.filter((v) => v.ruleId === 'cloudtrail-log-integrity');
    expect(integrity.map((v) => `${v.resource.id} ${v.status}`)).toEqual([MANAGEMENT, LOG_ARCHIVE, PROD].map((a) => `${a} PASS`));
    expect(integrity[0]!.message).toContain('org-trail eu-west-1 4 digests, 8 log files');
    // The evidence package carries the verification record inside the snapshot it packs.
    const pack = join(dir, 'evidence.tar.gz');
    expect((await cli(['evidence', 'pack', '--snapshot', snapshotFile, '--config', join(dir, 'config.yaml'), '--out', pack, '--format', 'json'])).status).toBe(0);
    const verified = await cli(['evidence', 'verify', pack]);
    expect(verified.stdout).toContain('verified:');
    expect(verified.status).toBe(0);
  }, 90_000);
});
