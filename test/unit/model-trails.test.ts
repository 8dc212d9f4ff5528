import { describe, expect, it } from 'vitest';
import { buildIndex, subjectsForAccount } from '../../src/model/index.ts';
import type { AccountFacts } from '../../src/model/facts.ts';
import { factObject } from '../../src/model/fact-declarations.ts';
import { factProblems } from '../../src/model/fact-check.ts';
import { apiError, failed } from '../fixtures/snapshot-builder.ts';
import { detail, MANAGEMENT, miniOrg, trail } from '../fixtures/mini-org.ts';
import type { DemoOrg } from '../fixtures/snapshot-builder.ts';

const MEMBER = '222222222222';

function accountOf(org: DemoOrg, id: string): AccountFacts {
  const snap = org.snapshot();
  const index = buildIndex(snap.header, snap.accounts);
  const record = snap.accounts.find((r) => r.accountId === id)!;
  return subjectsForAccount(index, record)[0]!.activation.account!;
}

function withOrgTrail(org: DemoOrg, opts: { shadowInMembers?: boolean; isLogging?: boolean } = {}) {
  const t = trail(MANAGEMENT, 'org-trail', { IsOrganizationTrail: true });
  const members = org.orgAccounts.map((a) => a.Id);
  org.addTrailInRegions(t, { accountIds: opts.shadowInMembers === false ? [MANAGEMENT] : members });
  org.addTrailDetail(MANAGEMENT, detail(t, opts.isLogging ?? true));
  return t;
}

describe('trail coverage of an account', () => {
  it('counts an organization trail seen as a shadow in every region once', () => {
    const org = miniOrg();
    const t = withOrgTrail(org);
    const account = accountOf(org, MEMBER);
    expect(account.trails?.map((x) => x.arn)).toEqual([t.TrailARN]);
    expect(account.trails?.[0]).toMatchObject({ source: 'organization', ownerAccountId: MANAGEMENT, isLogging: true, regions: ['eu-west-1', 'us-east-1'] });
    expect(account.managementEvents).toMatchObject({ read: true, write: true, readTrails: [t.TrailARN] });
  });

  it('takes the organization trail from the management account when the member does not list it', () => {
    const org = miniOrg();
    const t = withOrgTrail(org, { shadowInMembers: false });
    expect(accountOf(org, MEMBER).trails?.map((x) => x.arn)).toEqual([t.TrailARN]);
  });

  it('folds a multi-region trail and its shadows into one trail read in its home region', () => {
    const org = miniOrg();
    const own = trail(MEMBER, 'own', { HomeRegion: 'eu-west-1' });
    org.addTrailInRegions(own);
    org.addTrailDetail(MEMBER, detail(own, false));
    const account = accountOf(org, MEMBER);
    expect(account.trails).toHaveLength(1);
    expect(account.trails?.[0]).toMatchObject({ homeRegion: 'eu-west-1', isLogging: false, source: 'own' });
    expect(account.managementEvents).toMatchObject({ read: false, write: false });
  });

  it('adds a write-only and a read-only multi-region trail together', () => {
    const org = miniOrg();
    const w = trail(MEMBER, 'writes');
    const r = trail(MEMBER, 'reads');
    org.addTrailInRegions(w);
    org.addTrailInRegions(r);
    org.addTrailDetail(MEMBER, detail(w, true, { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] }));
    org.addTrailDetail(MEMBER, detail(r, true, { EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }));
    expect(accountOf(org, MEMBER).managementEvents).toMatchObject({ read: true, write: true, readTrails: [r.TrailARN], writeTrails: [w.TrailARN] });
  });

  it('does not count a single-region trail toward multi-region coverage', () => {
    const org = miniOrg();
    const t = trail(MEMBER, 'local', { IsMultiRegionTrail: false });
    org.addTrail(MEMBER, 'us-east-1', t);
    org.addTrailDetail(MEMBER, detail(t));
    const account = accountOf(org, MEMBER);
    expect(account.trails?.[0]?.regions).toEqual(['us-east-1']);
    expect(account.managementEvents).toMatchObject({ read: false, write: false });
  });

  it('makes trails unknown when DescribeTrails failed in a region (fail closed)', () => {
    const org = miniOrg();
    withOrgTrail(org);
    org.region(MEMBER, 'eu-west-1').trails = failed(apiError('cloudtrail:DescribeTrails', 'AccessDeniedException', 'not authorized', MEMBER, 'eu-west-1'));
    const account = accountOf(org, MEMBER);
    expect(account.trails).toBeUndefined();
    expect(account.unknown?.trails).toContain('AccessDeniedException');
  });

  it('makes trails unknown when the account\'s enabled regions could not be listed', () => {
    const org = miniOrg();
    withOrgTrail(org);
    org.account(MEMBER).enabledRegions = failed(apiError('account:ListRegions', 'AccessDeniedException', 'no', MEMBER));
    const account = accountOf(org, MEMBER);
    expect(account.trails).toBeUndefined();
    expect(account.unknown?.trails).toContain('account:ListRegions');
  });

  it('makes everything unknown when the account could not be entered', () => {
    const org = miniOrg();
    withOrgTrail(org);
    const record = org.account(MEMBER);
    record.access = { error: apiError('sts:AssumeRole', 'AccessDenied', 'denied', MEMBER) };
    record.regions = [];
    const account = accountOf(org, MEMBER);
    expect(account.trails).toBeUndefined();
    expect(account.unknown?.trails).toContain('sts:AssumeRole');
  });

  it('leaves isLogging unknown with the reason when GetTrailStatus failed, and coverage undecided', () => {
    const org = miniOrg();
    const t = trail(MEMBER, 'own');
    org.addTrailInRegions(t);
    org.addTrailDetail(MEMBER, { ...detail(t), status: failed(apiError('cloudtrail:GetTrailStatus', 'AccessDeniedException', 'no', MEMBER, 'us-east-1')) });
    const account = accountOf(org, MEMBER);
    expect(account.trails?.[0]?.isLogging).toBeUndefined();
    expect(account.trails?.[0]?.unknown?.isLogging).toContain('GetTrailStatus');
    expect(account.managementEvents).toBeUndefined();
    expect(account.unknown?.managementEvents).toContain('GetTrailStatus');
  });

  it('settles coverage by a known trail even when another trail is unknown', () => {
    const org = miniOrg();
    withOrgTrail(org);
    const t = trail(MEMBER, 'own');
    org.addTrailInRegions(t);
    org.addTrailDetail(MEMBER, { ...detail(t), status: failed(apiError('cloudtrail:GetTrailStatus', 'ThrottlingException', 'rate', MEMBER, 'us-east-1')) });
    expect(accountOf(org, MEMBER).managementEvents).toMatchObject({ read: true, write: true });
  });

  it('finds the destination bucket owner in another account, or null outside the organization', () => {
    const org = miniOrg();
    org.listBucket('333333333333', { Name: 'central-logs', BucketRegion: 'eu-west-1' });
    const t = trail(MEMBER, 'own');
    const outside = trail(MEMBER, 'outside', { S3BucketName: 'someone-elses-bucket' });
    org.addTrailInRegions(t);
    org.addTrailInRegions(outside);
    const account = accountOf(org, MEMBER);
    const byName = Object.fromEntries(account.trails!.map((x) => [x.name, x.bucket]));
    expect(byName.own).toMatchObject({ name: 'central-logs', ownerAccountId: '333333333333', region: 'eu-west-1' });
    expect(byName.outside).toMatchObject({ name: 'someone-elses-bucket', ownerAccountId: null });
  });

  it('leaves the bucket owner unknown when some account\'s ListBuckets failed', () => {
    const org = miniOrg();
    org.account('333333333333').buckets = failed(apiError('s3:ListBuckets', 'AccessDenied', 'no', '333333333333'));
    const t = trail(MEMBER, 'own', { S3BucketName: 'unlisted' });
    org.addTrailInRegions(t);
    const bucket = accountOf(org, MEMBER).trails![0]!.bucket!;
    expect(bucket.ownerAccountId).toBeUndefined();
    expect(bucket.unknown?.ownerAccountId).toContain('333333333333');
  });

  it('places the account in its OU path and marks the management account', () => {
    const org = miniOrg();
    expect(accountOf(org, MEMBER)).toMatchObject({ ouPath: 'Root/Workloads', isManagement: false, ouIds: ['r-test', 'ou-test-workloads'] });
    expect(accountOf(org, MANAGEMENT)).toMatchObject({ ouPath: 'Root', isManagement: true });
  });

  it('treats an unknown organization tree as an unknown OU path', () => {
    const org = miniOrg();
    org.header.organizationalUnits = failed(apiError('organizations:ListOrganizationalUnitsForParent', 'TooManyRequestsException', 'slow down'));
    const account = accountOf(org, MEMBER);
    expect(account.ouPath).toBe('');
    expect(account.unknown?.ouPath).toContain('TooManyRequestsException');
  });
});

describe('snapshot accounts are read once per pass', () => {
  it('accepts records as any iterable', () => {
    const org = miniOrg();
    const snap = org.snapshot();
    const index = buildIndex(snap.header, new Set(snap.accounts));
    expect(index.placements.size).toBe(3);
    expect(index.organization).toMatchObject({ id: 'o-test000001', scpEnabled: true, accountCount: 3 });
  });
});

describe('trail subjects when the owner could not list its trails (fail closed: ERROR, never no verdict)', () => {
  function subjectsOf(org: DemoOrg, id: string) {
    const snap = org.snapshot();
    const index = buildIndex(snap.header, snap.accounts);
    return subjectsForAccount(index, snap.accounts.find((r) => r.accountId === id)!).filter((s) => s.resource.type === 'trail');
  }
  const unreadable = (org: DemoOrg, id: string) => {
    for (const region of ['eu-west-1', 'us-east-1']) org.region(id, region).trails = failed(apiError('cloudtrail:DescribeTrails', 'NotAnAwsAnswer', 'truncated', id, region));
  };

  it('judges the organization trail its members list, with its status and selectors unknown for the owner’s failure', () => {
    const org = miniOrg();
    const t = withOrgTrail(org);
    unreadable(org, MANAGEMENT);
    const subjects = subjectsOf(org, MANAGEMENT);
    const judged = subjects.find((s) => s.resource.id === t.TrailARN);
    expect(judged, 'the organization trail is still a subject').toBeDefined();
    const trailFacts = judged!.activation.trail!;
    expect(trailFacts.cloudWatchLogsLogGroupArn).toBe(t.CloudWatchLogsLogGroupArn ?? null);
    expect(trailFacts.managementEvents).toBeUndefined();
    expect(trailFacts.unknown?.managementEvents).toMatch(/cloudtrail:DescribeTrails.*NotAnAwsAnswer/);
    expect(trailFacts.unknown?.changeAlarms).toMatch(/NotAnAwsAnswer/);
    // And the trails that no one else lists are stood for by one subject, every fact unknown.
    const unlisted = subjects.find((s) => s.resource.id === `arn:aws:cloudtrail:*:${MANAGEMENT}:trail/*`)!;
    expect(unlisted.activation.trail!.unknown?.managementEvents).toMatch(/NotAnAwsAnswer/);
    expect(unlisted.activation.trail!.unknown?.isMultiRegion).toMatch(/NotAnAwsAnswer/);
    // Every declared trail fact but its ARN, name and owner is unknown with the reason, and it fits the declaration.
    const stand = unlisted.activation.trail!;
    expect(Object.keys(stand).sort()).toEqual(['arn', 'name', 'ownerAccountId', 'unknown']);
    const others = factObject('Trail')!.fields.map((f) => f.name).filter((n) => !['arn', 'name', 'ownerAccountId'].includes(n));
    expect(Object.keys(stand.unknown!).sort()).toEqual(others.sort());
    expect(new Set(Object.values(stand.unknown!)).size).toBe(1);
    expect(factProblems(stand, 'Trail', ['trail'], true)).toEqual([]);
  });

  it('an account whose trails were listed has no stand-in subject', () => {
    const org = miniOrg();
    const t = withOrgTrail(org);
    expect(subjectsOf(org, MANAGEMENT).map((s) => s.resource.id)).toEqual([t.TrailARN]);
  });
});
