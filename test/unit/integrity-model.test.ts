import { describe, expect, it } from 'vitest';
import { renderIamPolicy } from '../../src/collect/iam-policy.ts';
import { parseWindow } from '../../src/cli/window.ts';
import { verifyProgress } from '../../src/cli/verify-progress.ts';
import { verifyTargets } from '../../src/collect/integrity/run.ts';
import { exitCodeFor, overallOutcome } from '../../src/collect/integrity/summary.ts';
import { targetsFromSnapshot } from '../../src/collect/integrity/targets.ts';
import type { TrailRegionReport } from '../../src/snapshot/log-integrity.ts';
import { buildIndex } from '../../src/model/model-index.ts';
import { subjectsForAccount } from '../../src/model/subjects.ts';
import { UserError } from '../../src/shared/errors.ts';
import type { Snapshot } from '../../src/snapshot/types.ts';
import { detail, MANAGEMENT, miniOrg, ORG_ID, trail } from '../fixtures/mini-org.ts';
import { World } from '../fixtures/integrity/world.ts';

const MEMBER = '222222222222';

function orgWithTrails() {
  const org = miniOrg();
  const orgTrail = trail(MANAGEMENT, 'org-trail', { IsOrganizationTrail: true, S3KeyPrefix: 'org' });
  org.addTrailInRegions(orgTrail, { accountIds: org.orgAccounts.map((a) => a.Id) });
  org.addTrailDetail(MANAGEMENT, detail(orgTrail));
  const unvalidated = trail(MEMBER, 'sandbox', { IsMultiRegionTrail: false, LogFileValidationEnabled: false });
  org.addTrailInRegions(unvalidated, { regions: ['us-east-1'] });
  org.addTrailDetail(MEMBER, detail(unvalidated));
  return { org, orgTrail };
}

async function* each<T>(items: T[]) {
  yield* items;
}

describe('which chains a snapshot says exist', () => {
  it('an organization trail per member account and region, with the org id; trails without validation left out', async () => {
    const { org, orgTrail } = orgWithTrails();
    const snap = org.snapshot();
    const targets = await targetsFromSnapshot(snap.header, each(snap.accounts));
    expect(targets.map((t) => `${t.accountId} ${t.region}`)).toEqual(
      ['111111111111', '222222222222', '333333333333'].flatMap((a) => [`${a} eu-west-1`, `${a} us-east-1`]),
    );
    expect(targets[0]).toMatchObject({ trailArn: orgTrail.TrailARN, trailName: 'org-trail', bucket: 'central-logs', keyPrefix: 'org', organizationId: ORG_ID, homeRegion: 'us-east-1' });
    const filtered = await targetsFromSnapshot(snap.header, each(snap.accounts), { accounts: [MEMBER], regions: ['eu-west-1'] });
    expect(filtered.map((t) => `${t.accountId} ${t.region}`)).toEqual([`${MEMBER} eu-west-1`]);
  });

  it('the bucket owner whose role reads the objects: a member account from its ListBuckets; none when unknown or the management account', async () => {
    const { org } = orgWithTrails();
    expect((await targetsFromSnapshot(org.snapshot().header, each(org.snapshot().accounts))).map((t) => t.bucketOwner)).toEqual(Array(6).fill(undefined));
    org.listBucket(MEMBER, { Name: 'central-logs' });
    const owned = await targetsFromSnapshot(org.snapshot().header, each(org.snapshot().accounts));
    expect(owned.map((t) => t.bucketOwner)).toEqual(Array(6).fill(MEMBER));
    const { org: managementOwned } = orgWithTrails();
    managementOwned.listBucket(MANAGEMENT, { Name: 'central-logs' });
    const own = await targetsFromSnapshot(managementOwned.snapshot().header, each(managementOwned.snapshot().accounts));
    expect(own.map((t) => t.bucketOwner)).toEqual(Array(6).fill(undefined));
  });
});

describe('log integrity facts', () => {
  async function reportsFor(snap: Snapshot, tamper?: (w: World) => void): Promise<TrailRegionReport[]> {
    const targets = await targetsFromSnapshot(snap.header, each(snap.accounts));
    const reports: TrailRegionReport[] = [];
    for (const t of targets) {
      const world = new World({ hours: 3, target: t });
      if (t.accountId === MEMBER && t.region === 'us-east-1') tamper?.(world);
      const [r] = await verifyTargets(world, [t], { window: world.window, now: world.now, hashLogs: { mode: 'all' }, sampleSeed: 's', maxDigestAgeHours: 2, targetConcurrency: 1, objectConcurrency: 4 });
      reports.push(r!);
    }
    return reports;
  }

  function memberFacts(snap: Snapshot) {
    const index = buildIndex(snap.header, snap.accounts);
    return subjectsForAccount(index, snap.accounts.find((a) => a.accountId === MEMBER)!)[0]!.activation.account!.logIntegrity!;
  }

  it('not requested: requested false, nothing else', () => {
    const { org } = orgWithTrails();
    expect(memberFacts(org.snapshot())).toEqual({ requested: false, window: null, hashLogs: null, trailRegions: [], unverified: [] });
  });

  it('per trail × region, the first problem named by s3:// object and hour; complete when all was read', async () => {
    const { org } = orgWithTrails();
    const snap = org.snapshot();
    const reports = await reportsFor(snap, (w) => w.delete(w.logKeys[1]![0]!));
    snap.header.logIntegrity = { verifiedAt: '2026-03-01T04:00:00Z', window: reports[0]!.window, hashLogs: 'all', maxDigestAgeHours: 2 };
    for (const a of snap.accounts) a.logIntegrity = reports.filter((r) => r.target.accountId === a.accountId);
    const facts = memberFacts(snap);
    expect(facts.complete).toBe(true);
    expect(facts.unverified).toEqual([]);
    expect(facts.trailRegions.map((r) => `${r.region} ${r.outcome}`)).toEqual(['eu-west-1 verified', 'us-east-1 failed']);
    expect(facts.trailRegions[1]).toMatchObject({
      digestsExpected: 3,
      digestsValid: 3,
      gaps: 0,
      logFilesMissing: 1,
      problems: 1,
      firstProblem: { kind: 'log-missing', object: expect.stringMatching(/^s3:\/\/central-logs\/org\/AWSLogs\/o-test000001\/222222222222\/CloudTrail\/us-east-1\//), hour: '2026-03-01T01:01:31Z' },
    });
  });

  it('a validating trail-region without a record, or one not fully read, leaves `complete` unknown with the reason', async () => {
    const { org } = orgWithTrails();
    const snap = org.snapshot();
    const reports = await reportsFor(snap, (w) => w.denied.add(`${w.target.bucket}/${w.logKeys[0]![0]}`));
    snap.header.logIntegrity = { verifiedAt: '2026-03-01T04:00:00Z', window: reports[0]!.window, hashLogs: 'all', maxDigestAgeHours: 2 };
    for (const a of snap.accounts) a.logIntegrity = reports.filter((r) => r.target.accountId === a.accountId && r.target.region === 'us-east-1');
    const facts = memberFacts(snap);
    expect(facts.complete).toBeUndefined();
    expect(facts.unverified).toEqual([`${reports[0]!.target.trailArn} eu-west-1`]);
    expect(facts.unknown?.complete).toMatch(/org-trail us-east-1: s3:GetObject AccessDenied .*; arn:aws:cloudtrail:us-east-1:111111111111:trail\/org-trail eu-west-1: no verification record/);
  });
});

describe('verify-logs plumbing', () => {
  it('exit codes: 0 verified, 1 failed, 3 incomplete or nothing to verify', () => {
    expect(exitCodeFor(overallOutcome([]))).toBe(3);
    const r = (outcome: TrailRegionReport['outcome']) => ({ outcome }) as TrailRegionReport;
    expect(exitCodeFor(overallOutcome([r('verified'), r('verified')]))).toBe(0);
    expect(exitCodeFor(overallOutcome([r('verified'), r('incomplete')]))).toBe(3);
    expect(exitCodeFor(overallOutcome([r('failed'), r('incomplete')]))).toBe(1);
  });

  it('window: --since, --from/--to, default the last 24 h; bad input is a user error', () => {
    const now = new Date('2026-03-08T12:00:00Z');
    expect(parseWindow({}, now)).toEqual({ from: '2026-03-07T12:00:00.000Z', to: '2026-03-08T12:00:00.000Z' });
    expect(parseWindow({ since: '7d' }, now).from).toBe('2026-03-01T12:00:00.000Z');
    expect(parseWindow({ from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' }, now)).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' });
    expect(() => parseWindow({ since: '7 days' }, now)).toThrow(UserError);
    expect(() => parseWindow({ from: '2026-03-09T00:00:00Z' }, now)).toThrow(/window is empty/);
    expect(() => parseWindow({ since: '1d', from: '2026-03-01' }, now)).toThrow(/exclude/);
  });

  it('progress: a redrawn line on a terminal, nothing in CI or when piped', () => {
    const written: string[] = [];
    const tty = verifyProgress({ quiet: false, stream: { isTTY: true, write: (s) => written.push(s) }, env: {}, clock: () => 0 });
    tty.onEvent({ type: 'targets', total: 2 });
    tty.onEvent({ type: 'object', kind: 'digest', bytes: 1000 });
    tty.finish();
    expect(written.join('')).toContain('trail-regions 0/2, 1 digests, 0 log files');
    for (const options of [{ isTTY: true, env: { CI: 'true' } }, { isTTY: false, env: {} }]) {
      const out: string[] = [];
      const p = verifyProgress({ quiet: false, stream: { isTTY: options.isTTY, write: (s) => out.push(s) }, env: options.env });
      p.onEvent({ type: 'targets', total: 1 });
      p.finish();
      expect(out).toEqual([]);
    }
  });

  it('iam-policy: the verify-logs permissions only as an opt-in statement (the member role reads the objects as the bucket owner)', () => {
    const plain = JSON.parse(renderIamPolicy({ role: 'management', memberRoleName: 'R' })) as { Statement: { Sid: string; Action: string[] }[] };
    expect(plain.Statement.flatMap((s) => s.Action)).not.toContain('s3:GetObject');
    const withOptIn = JSON.parse(renderIamPolicy({ role: 'management', memberRoleName: 'R', optIn: ['verify-logs'] })) as typeof plain;
    expect(withOptIn.Statement.find((s) => s.Sid === 'TrailproofVerifyLogsOptIn')?.Action).toEqual(['cloudtrail:ListPublicKeys', 'kms:Decrypt', 's3:GetObject', 's3:ListBucket']);
    const memberPlain = JSON.parse(renderIamPolicy({ role: 'member', memberRoleName: 'R' })) as typeof plain;
    expect(memberPlain.Statement.flatMap((s) => s.Action)).not.toContain('s3:GetObject');
    const member = JSON.parse(renderIamPolicy({ role: 'member', memberRoleName: 'R', optIn: ['verify-logs'] })) as typeof plain;
    // No ListPublicKeys: the management account asks CloudTrail for the keys.
    expect(member.Statement.find((s) => s.Sid === 'TrailproofVerifyLogsOptIn')?.Action).toEqual(['kms:Decrypt', 's3:GetObject', 's3:ListBucket']);
  });
});
