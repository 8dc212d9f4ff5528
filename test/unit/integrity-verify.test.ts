import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { digestFolder } from '../../src/collect/integrity/layout.ts';
import { verifyTargets, type VerifyOptions } from '../../src/collect/integrity/run.ts';
import type { HashPolicy, TrailRegionReport } from '../../src/snapshot/log-integrity.ts';
import { TEST_TARGET, World, signingKey, type WorldOptions } from '../fixtures/integrity/world.ts';

async function verify(world: World, overrides: Partial<VerifyOptions> & { hashLogs?: HashPolicy } = {}): Promise<TrailRegionReport> {
  const [report] = await verifyTargets(world, [world.target], {
    window: world.window,
    now: world.now,
    hashLogs: { mode: 'all' },
    sampleSeed: 'seed',
    maxDigestAgeHours: 3,
    targetConcurrency: 2,
    objectConcurrency: 8,
    ...overrides,
  });
  return report!;
}

const kinds = (r: TrailRegionReport) => r.findings.map((f) => f.kind);

/** Rewrites a stored gzipped JSON object, keeping its metadata (the signature) as it was. */
function editJson(world: World, key: string, edit: (json: Record<string, unknown>) => void): void {
  const o = world.object(key);
  const json = JSON.parse(gunzipSync(o.body).toString('utf8')) as Record<string, unknown>;
  edit(json);
  o.body = gzipSync(JSON.stringify(json));
}

describe('verify-logs on an intact bucket', () => {
  it('proves every digest, link and log file', async () => {
    const world = new World({ hours: 6 });
    const r = await verify(world);
    expect(r.outcome).toBe('verified');
    expect(r.findings).toEqual([]);
    expect(r.digests).toEqual({ expected: 6, found: 6, signatureValid: 6, chained: 6, missing: 0, restarts: [] });
    expect(r.logs).toMatchObject({ listed: 12, hashed: 12, valid: 12, modified: 0, missing: 0, unlisted: 0 });
    expect(r.newestDigest).toMatchObject({ key: world.digestKeys[5], ageHours: 1 });
    // A window that ended long ago is judged as of its end, not as of today.
    const later = await verify(world, { now: '2027-01-01T00:00:00Z' });
    expect(later.outcome).toBe('verified');
  });

  it('never calls a window with no digest found and none due verified: nothing was proven', async () => {
    const world = new World({ hours: 3 });
    const start = Date.parse(world.window.from) - 3 * 3_600_000;
    const end = start + 30 * 60_000;
    const r = await verify(world, { window: { from: new Date(start).toISOString(), to: new Date(end).toISOString() }, now: new Date(end).toISOString() });
    expect(r.digests.found).toBe(0);
    expect(r.outcome).toBe('incomplete');
    expect(r.unreadable.map((u) => u.code)).toEqual(['NothingToVerify']);
  });

  it('accepts the ListPublicKeys key in PKCS#1 form as well as SubjectPublicKeyInfo', async () => {
    const world = new World({ hours: 3 });
    world.publicKeyList = [{ ...world.publicKeyList[0]!, der: signingKey('main').pkcs1 }];
    expect((await verify(world)).outcome).toBe('verified');
  });

  it('counts hours with no log files as expected digests, not gaps', async () => {
    const world = new World({ hours: 5, logsPerHour: (h) => (h === 1 || h === 2 ? 0 : 1) });
    const r = await verify(world);
    expect(r.outcome).toBe('verified');
    expect(r.digests).toMatchObject({ expected: 5, found: 5, chained: 5, missing: 0 });
    expect(r.logs.valid).toBe(3);
  });

  it('takes a restart after StopLogging/StartLogging (previous fields null) as no break', async () => {
    const world = new World({ hours: 7, stopped: [2, 3] });
    const r = await verify(world);
    expect(r.outcome).toBe('verified');
    expect(r.digests).toMatchObject({ expected: 5, found: 5, chained: 5, missing: 0 });
    expect(r.digests.restarts).toEqual(['2026-03-01T04:01:31Z']);
  });

  it('finds an organization trail under S3KeyPrefix/AWSLogs/<org-id>/<account>/', async () => {
    const target = { ...TEST_TARGET, keyPrefix: 'org-trail/logs', organizationId: 'o-abc123def4', accountId: '222222222222' };
    const world = new World({ hours: 4, target });
    expect(world.digestKeys[0]).toMatch(/^org-trail\/logs\/AWSLogs\/o-abc123def4\/222222222222\/CloudTrail-Digest\/us-east-1\/2026\/03\/01\/222222222222_CloudTrail-Digest_us-east-1_audit_us-east-1_20260301T010131Z\.json\.gz$/);
    const r = await verify(world);
    expect(r.outcome).toBe('verified');
    expect(r.digests.found).toBe(4);
    // Looked for under the account's own layout, the digests are not there: a gap, never a pass.
    const { organizationId: _, ...ownLayout } = target;
    const wrong = new World({ hours: 4, target });
    Object.defineProperty(wrong, 'target', { value: ownLayout });
    const r2 = await verify(wrong);
    expect(r2.digests.found).toBe(0);
    expect(r2.outcome).toBe('failed');
  });

  it('ignores the digests of another trail writing to the same bucket and prefix', async () => {
    const world = new World({ hours: 3 });
    const other = new World({ hours: 3, target: { ...TEST_TARGET, trailName: 'other' }, logsPerHour: () => 0 });
    for (const [id, o] of other.objects) world.objects.set(id, o);
    const r = await verify(world);
    expect(r.outcome).toBe('verified');
    expect(r.digests.found).toBe(3);
  });

  it('verifies a log re-gzipped with other settings (the hash is of the uncompressed content)', async () => {
    const world = new World({ hours: 2 });
    const log = world.object(world.logKeys[1]![0]!);
    log.body = gzipSync(gunzipSync(log.body), { level: 1 });
    expect((await verify(world)).outcome).toBe('verified');
  });
});

describe('verify-logs finds each kind of tampering', () => {
  it('a modified log file', async () => {
    const world = new World({ hours: 4 });
    const key = world.logKeys[2]![1]!;
    world.object(key).body = gzipSync('{"Records":[]}');
    const r = await verify(world);
    expect(r.outcome).toBe('failed');
    expect(r.findings).toEqual([expect.objectContaining({ kind: 'log-modified', object: key, hour: '2026-03-01T02:01:31Z' })]);
    expect(r.logs).toMatchObject({ valid: 7, modified: 1 });
  });

  it('a deleted log file, whether hashed or only listed', async () => {
    const world = new World({ hours: 4 });
    const key = world.logKeys[1]![0]!;
    world.delete(key);
    for (const hashLogs of [{ mode: 'all' }, { mode: 'none' }] as HashPolicy[]) {
      const r = await verify(world, { hashLogs });
      expect(r.outcome).toBe('failed');
      expect(r.findings).toEqual([expect.objectContaining({ kind: 'log-missing', object: key })]);
      expect(r.logs.missing).toBe(1);
    }
  });

  it('a digest deleted in the middle of the chain', async () => {
    const world = new World({ hours: 6 });
    const key = world.digestKeys[3]!;
    world.delete(key);
    const r = await verify(world);
    expect(r.outcome).toBe('failed');
    expect(r.findings[0]).toMatchObject({ kind: 'digest-missing', object: key, hour: '2026-03-01T03:01:31.000Z' });
    expect(r.digests).toMatchObject({ expected: 6, found: 5, missing: 1, chained: 4 });
  });

  it('an edited digest (a log hash changed, the signature kept)', async () => {
    const world = new World({ hours: 5 });
    const key = world.digestKeys[2]!;
    editJson(world, key, (d) => {
      (d.logFiles as { hashValue: string }[])[0]!.hashValue = '0'.repeat(64);
    });
    const r = await verify(world);
    expect(r.outcome).toBe('failed');
    expect(kinds(r)).toEqual(['digest-signature-invalid', 'chain-previous-hash-mismatch']);
    expect(r.findings[0]!.object).toBe(key);
    expect(r.findings[1]!.object).toBe(world.digestKeys[3]);
    // The edited digest's log list is not trusted: its logs are neither proven nor accused.
    expect(r.logs.listed).toBe(8);
  });

  it('a digest whose content is not JSON: unreadable, with where and why in words that do not depend on the Node version', async () => {
    const world = new World({ hours: 4 });
    const key = world.digestKeys[2]!;
    const o = world.object(key);
    o.body = gzipSync(gunzipSync(o.body).toString('utf8').replace(/^\{/, '{,'));
    const r = await verify(world);
    expect(r.outcome).toBe('failed');
    const finding = r.findings.find((f) => f.object === key)!;
    expect(finding.kind).toBe('digest-unreadable-content');
    expect(finding.detail).toBe('not a CloudTrail digest: invalid JSON: line 1 column 2: expected a property name in double quotes or \'}\'');
  });

  it('a chain link that names the right digest with a forged hash', async () => {
    const world = new World({ hours: 4 });
    editJson(world, world.digestKeys[2]!, (d) => {
      d.previousDigestSignature = 'ab'.repeat(256);
    });
    const r = await verify(world);
    expect(kinds(r)).toContain('chain-previous-signature-mismatch');
  });

  it('a digest signed by a key ListPublicKeys does not return', async () => {
    const world = new World({ hours: 4, keyFor: (h) => (h === 2 ? 'rogue' : 'main') });
    const r = await verify(world);
    expect(r.outcome).toBe('failed');
    expect(r.findings).toEqual([expect.objectContaining({ kind: 'digest-unknown-key', object: world.digestKeys[2] })]);
    expect(r.digests.signatureValid).toBe(3);
  });

  it('a digest signed by a listed key outside its validity window', async () => {
    const world = new World({ hours: 4 });
    world.publicKeyList = [{ ...world.publicKeyList[0]!, validityEnd: '2026-03-01T02:30:00Z' }];
    const r = await verify(world);
    expect(r.outcome).toBe('failed');
    expect(kinds(r)).toEqual(['digest-key-outside-validity', 'digest-key-outside-validity']);
    expect(r.findings.map((f) => f.object)).toEqual([world.digestKeys[2], world.digestKeys[3]]);
  });

  it('a log file no digest lists', async () => {
    const world = new World({ hours: 4 });
    const key = world.logKeys[2]![0]!.replace(/_2x0Lq7/, '_injected');
    world.put(world.target.bucket, key, gzipSync('{"Records":[]}'), {}, new Date('2026-03-01T02:20:00Z'));
    const r = await verify(world);
    expect(r.outcome).toBe('failed');
    expect(r.findings).toEqual([expect.objectContaining({ kind: 'log-unlisted', object: key })]);
  });

  it('a digest copied over another hour (signed for another place)', async () => {
    const world = new World({ hours: 4 });
    world.object(world.digestKeys[2]!).body = world.object(world.digestKeys[1]!).body;
    world.object(world.digestKeys[2]!).metadata = world.object(world.digestKeys[1]!).metadata;
    const r = await verify(world);
    expect(kinds(r)).toContain('digest-misplaced');
  });

  it('the newest digests removed: GetTrailStatus says one was delivered later', async () => {
    const world = new World({ hours: 5 });
    world.delete(world.digestKeys[4]!);
    const r = await verify(world);
    expect(r.outcome).toBe('failed');
    expect(r.findings).toEqual([expect.objectContaining({ kind: 'digest-missing', object: world.digestKeys[3] })]);
    expect(r.digests).toMatchObject({ expected: 5, missing: 1 });
  });

  it('digests that stopped arriving (validation on, bucket policy broken)', async () => {
    const world = new World({ hours: 3 });
    world.status = { isLogging: true, latestDigestDeliveryTime: world.status.latestDigestDeliveryTime!, latestDigestDeliveryError: 'AccessDenied' };
    const later = new Date(Date.parse(world.now) + 5 * 3_600_000).toISOString();
    const r = await verify(world, { now: later, window: { from: world.window.from, to: later } });
    expect(r.outcome).toBe('failed');
    expect(kinds(r)).toEqual(['digest-missing', 'digest-stale']);
    expect(r.findings[1]!.detail).toContain('AccessDenied');
    expect(r.newestDigest.ageHours).toBeGreaterThan(3);
  });
});

describe('verify-logs never passes what it could not read', () => {
  it('ListPublicKeys denied: incomplete, no finding', async () => {
    const world = new World({ hours: 3 });
    world.failPublicKeys = true;
    const r = await verify(world);
    expect(r.outcome).toBe('incomplete');
    expect(r.findings).toEqual([]);
    expect(r.unreadable).toEqual([expect.objectContaining({ operation: 'cloudtrail:ListPublicKeys', code: 'AccessDeniedException' })]);
    expect(r.digests.signatureValid).toBe(0);
  });

  it('a log file denied (AccessDenied or KMS): incomplete, naming the object', async () => {
    const world = new World({ hours: 3 });
    const key = world.logKeys[1]![0]!;
    world.denied.add(`${world.target.bucket}/${key}`);
    const r = await verify(world);
    expect(r.outcome).toBe('incomplete');
    expect(r.unreadable).toEqual([expect.objectContaining({ code: 'AccessDenied', object: key })]);
    expect(r.logs.unreadable).toBe(1);
  });

  it('a digest denied: its link is not judged, and not called missing', async () => {
    const world = new World({ hours: 4 });
    world.denied.add(`${world.target.bucket}/${world.digestKeys[2]}`);
    const r = await verify(world);
    expect(r.outcome).toBe('incomplete');
    expect(r.findings).toEqual([]);
  });
});

describe('--hash-logs', () => {
  it('sample:N hashes N log files, chosen by the seed; none hashes none but still checks presence', async () => {
    const world = new World({ hours: 4, logsPerHour: () => 3 } satisfies WorldOptions);
    const a = await verify(world, { hashLogs: { mode: 'sample', count: 4 }, sampleSeed: 'a' });
    expect(a.logs).toMatchObject({ listed: 12, hashed: 4, valid: 4, presentNotHashed: 8 });
    const before = world.gets;
    const none = await verify(world, { hashLogs: { mode: 'none' } });
    expect(none.logs).toMatchObject({ hashed: 0, presentNotHashed: 12 });
    expect(world.gets - before).toBe(4); // the digests only
    expect(none.outcome).toBe('verified');
  });
});

it('layout: digest folder of an own trail', () => {
  expect(digestFolder(TEST_TARGET)).toBe('AWSLogs/111111111111/CloudTrail-Digest/us-east-1/');
});

it('a later digest delivery elsewhere in the trail (another region) within the hour is not a missing digest', async () => {
  const world = new World({ hours: 3 });
  world.status = { isLogging: true, latestDigestDeliveryTime: new Date(Date.parse(world.status.latestDigestDeliveryTime!) + 40 * 60_000).toISOString() };
  const r = await verify(world, { window: { from: world.window.from, to: world.now } });
  expect(r.outcome).toBe('verified');
});

it('GetTrailStatus naming a delivery more than a period after the newest digest found: that digest was removed', async () => {
  const world = new World({ hours: 4 });
  world.delete(world.digestKeys[3]!);
  // Judged before the tail hour is due, so only the delivery time can tell.
  const now = new Date(Date.parse(world.window.to) + 40 * 60_000).toISOString();
  world.status = { isLogging: true, latestDigestDeliveryTime: new Date(Date.parse(world.window.to) + 30 * 60_000).toISOString() };
  const r = await verify(world, { now, window: { from: world.window.from, to: now } });
  expect(r.findings).toEqual([expect.objectContaining({ kind: 'digest-missing', object: world.digestKeys[2] })]);
});

describe('the first link of the window', () => {
  const fromSecondHour = (world: World) => ({ from: '2026-03-01T01:01:31Z', to: world.window.to });

  it('is checked against the digest just before the window (one more GET)', async () => {
    const world = new World({ hours: 4 });
    const before = world.gets;
    const r = await verify(world, { window: fromSecondHour(world) });
    expect(r.outcome).toBe('verified');
    expect(r.digests).toMatchObject({ found: 3, chained: 3 });
    expect(world.gets - before).toBe(3 + 1 + 6);
  });

  it('an edited digest just before the window breaks the first link', async () => {
    const world = new World({ hours: 4 });
    editJson(world, world.digestKeys[0]!, (d) => {
      d.logFiles = [];
    });
    const r = await verify(world, { window: fromSecondHour(world) });
    expect(r.outcome).toBe('failed');
    expect(kinds(r)).toEqual(['digest-signature-invalid', 'chain-previous-hash-mismatch']);
    expect(r.findings.map((f) => f.object)).toEqual([world.digestKeys[0], world.digestKeys[1]]);
  });
});
