import { describe, expect, it } from 'vitest';
import { buildIndex, subjectsForAccount } from '../../src/model/index.ts';
import type { AccountFacts, EvaluationSubject } from '../../src/model/facts.ts';
import { DEFAULT_MODEL_OPTIONS } from '../../src/model/model-index.ts';
import { absent, apiError, failed, ok, tags, type DemoOrg } from '../fixtures/snapshot-builder.ts';
import { detail, MANAGEMENT, miniOrg, trail } from '../fixtures/mini-org.ts';
import type { TrailEventSelectors } from '../../src/snapshot/types.ts';

/**
 * account.dataEvents (every bucket, present and future) and the bucket subjects (data-events.ts):
 * which buckets are judged, what each subject names, and the reasons when coverage is unknown.
 */
const A = '222222222222';
const B = '333333333333';
const PII = ok(tags({ DataClassification: 'PII' }));
const everyObject = (readWrite: 'All' | 'ReadOnly' | 'WriteOnly' = 'All', values = ['arn:aws:s3']): TrailEventSelectors => ({
  EventSelectors: [{ ReadWriteType: readWrite, DataResources: [{ Type: 'AWS::S3::Object', Values: values }] }],
});
const excluding = (bucket: string): TrailEventSelectors => ({
  AdvancedEventSelectors: [
    { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', NotStartsWith: [`arn:aws:s3:::${bucket}/`] }] },
  ],
});

function org(): DemoOrg {
  const o = miniOrg();
  for (const r of o.records) for (const region of r.regions) region.eventDataStores = ok([]);
  return o;
}

function ownTrail(o: DemoOrg, owner: string, name: string, selectors: TrailEventSelectors, logging = true) {
  const t = trail(owner, name);
  o.addTrailInRegions(t, { accountIds: [owner] });
  o.addTrailDetail(owner, detail(t, logging, selectors));
  return t;
}

/** Every account's subjects, from one index (so the per-index caches are shared, as in a scan). */
function scan(o: DemoOrg): Map<string, EvaluationSubject[]> {
  const snap = o.snapshot();
  const index = buildIndex(snap.header, snap.accounts);
  return new Map(snap.accounts.map((r) => [r.accountId, subjectsForAccount(index, r)]));
}
const accountOf = (subjects: EvaluationSubject[]): AccountFacts => subjects[0]!.activation.account!;
const bucketsOf = (subjects: EvaluationSubject[]) => subjects.filter((s) => s.resource.type === 'bucket');

describe('account.dataEvents: every bucket of the account', () => {
  it('two accounts of one scan with different recorders each get their own answer', () => {
    const o = org();
    ownTrail(o, A, 'all', everyObject());
    ownTrail(o, B, 'stopped', everyObject(), false);
    const subjects = scan(o);
    expect(accountOf(subjects.get(A)!).dataEvents?.read).toMatchObject({ status: 'covered', allBuckets: true });
    expect(accountOf(subjects.get(B)!).dataEvents?.read).toMatchObject({ status: 'not-covered', allBuckets: false, uncoveredBuckets: [] });
  });

  it('carries no unknown map when both kinds are known, for the account and for each bucket', () => {
    const o = org();
    ownTrail(o, A, 'all', everyObject());
    o.addBucket(A, { Name: 'customers', region: ok('us-east-1'), tags: PII });
    const subjects = scan(o).get(A)!;
    expect(Object.keys(accountOf(subjects).dataEvents!).sort()).toEqual(['read', 'write']);
    expect(Object.keys(bucketsOf(subjects)[0]!.activation.bucket!.dataEvents!).sort()).toEqual(['read', 'write']);
  });

  it('reads and writes are judged apart', () => {
    const o = org();
    ownTrail(o, A, 'reads', everyObject('ReadOnly'));
    const facts = accountOf(scan(o).get(A)!).dataEvents!;
    expect(facts.read).toMatchObject({ status: 'covered', allBuckets: true });
    expect(facts.write).toMatchObject({ status: 'not-covered', allBuckets: false, missing: ['all object write events'] });
  });

  it('an account without buckets (a documented empty answer) has every bucket covered when new ones are', () => {
    const o = org();
    ownTrail(o, A, 'all', everyObject());
    o.account(A).buckets = absent('NoSuchBucket');
    expect(accountOf(scan(o).get(A)!).dataEvents?.write).toEqual({ status: 'covered', by: [expect.objectContaining({ source: expect.stringContaining(':trail/all') })], missing: [], notCounted: [], allBuckets: true, uncoveredBuckets: [] });
  });

  it('the existing buckets being unknown leaves every-bucket coverage unknown, even when new buckets are recorded', () => {
    const o = org();
    ownTrail(o, A, 'all', everyObject());
    o.account(A).buckets = failed(apiError('s3:ListBuckets', 'AccessDenied', 'no', A));
    const account = accountOf(scan(o).get(A)!);
    expect(account.dataEvents?.read).toBeUndefined();
    expect((account.dataEvents?.unknown as Record<string, string> | undefined)?.read).toBe(`new buckets are recorded, but the existing ones are unknown: s3:ListBuckets (${A}) failed: AccessDenied: no`);
  });

  it('lists the existing buckets left out, sorted, whatever the listing order', () => {
    const o = org();
    ownTrail(o, A, 'most', {
      AdvancedEventSelectors: [
        { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::zeta/', 'arn:aws:s3:::alpha/'] }] },
      ],
    });
    o.addBucket(A, { Name: 'zeta', region: ok('us-east-1'), tags: PII });
    o.addBucket(A, { Name: 'middle', region: ok('us-east-1'), tags: PII });
    o.addBucket(A, { Name: 'alpha', region: ok('eu-west-1'), tags: PII });
    expect(accountOf(scan(o).get(A)!).dataEvents?.read).toMatchObject({ status: 'partial', allBuckets: false, uncoveredBuckets: ['alpha', 'zeta'], missing: ['bucket alpha', 'bucket zeta'] });
  });

  it('an existing bucket only a recorder of unknown state could cover makes the answer unknown, naming the bucket', () => {
    const o = org();
    ownTrail(o, A, 'most', excluding('exports'));
    const doubtful = trail(A, 'doubtful');
    o.addTrailInRegions(doubtful, { accountIds: [A] });
    o.addTrailDetail(A, { TrailARN: doubtful.TrailARN, status: failed(apiError('cloudtrail:GetTrailStatus', 'ThrottlingException', 'slow', A, 'us-east-1')), eventSelectors: ok(everyObject()) });
    o.addBucket(A, { Name: 'exports', region: ok('us-east-1'), tags: PII });
    const account = accountOf(scan(o).get(A)!);
    expect(account.dataEvents?.read).toBeUndefined();
    expect((account.dataEvents?.unknown as Record<string, string> | undefined)?.read).toBe(`exports: ${doubtful.TrailARN}: cloudtrail:GetTrailStatus (${A}/us-east-1) failed: ThrottlingException: slow`);
  });

  it('the trails recording the account being unknown leaves account.dataEvents unknown with why', () => {
    const o = org();
    o.region(A, 'eu-west-1').trails = failed(apiError('cloudtrail:DescribeTrails', 'AccessDeniedException', 'no', A, 'eu-west-1'));
    const account = accountOf(scan(o).get(A)!);
    expect(account.dataEvents).toBeUndefined();
    expect(account.unknown?.dataEvents).toMatch(/^the trails recording the account are unknown: .*DescribeTrails \(222222222222\/eu-west-1\) failed: AccessDeniedException: no/);
  });

  it('uses the snapshot partition for the buckets it judges', () => {
    const o = org();
    o.header.partition = 'aws-us-gov';
    ownTrail(o, A, 'gov', everyObject('All', ['arn:aws-us-gov:s3:::customers/']));
    o.addBucket(A, { Name: 'customers', region: ok('us-east-1'), tags: PII });
    const subjects = scan(o).get(A)!;
    const [bucket] = bucketsOf(subjects);
    expect(bucket?.resource.arn).toBe('arn:aws-us-gov:s3:::customers');
    expect(bucket?.activation.bucket?.dataEvents).toMatchObject({ read: { status: 'covered' }, write: { status: 'covered' } });
    expect(accountOf(subjects).dataEvents?.read).toMatchObject({ status: 'not-covered', allBuckets: false });
  });
});

describe('bucket subjects', () => {
  it('one subject per PII bucket, sorted by name, each naming the bucket, its account, OU path and region', () => {
    const o = org();
    o.addBucket(A, { Name: 'zz-pii', region: ok('eu-west-1'), tags: PII });
    o.addBucket(A, { Name: 'aa-pii', region: ok('us-east-1'), tags: PII });
    o.addBucket(A, { Name: 'mm-public', region: ok('us-east-1'), tags: ok(tags({ DataClassification: 'Public' })) });
    const subjects = bucketsOf(scan(o).get(A)!);
    expect(subjects.map((s) => s.resource)).toEqual([
      { type: 'bucket', id: 'arn:aws:s3:::aa-pii', arn: 'arn:aws:s3:::aa-pii', accountId: A, name: 'aa-pii', ouPath: accountOf(scan(o).get(A)!).ouPath, region: 'us-east-1' },
      { type: 'bucket', id: 'arn:aws:s3:::zz-pii', arn: 'arn:aws:s3:::zz-pii', accountId: A, name: 'zz-pii', ouPath: accountOf(scan(o).get(A)!).ouPath, region: 'eu-west-1' },
    ]);
    expect(subjects[0]!.activation.bucket).toMatchObject({ name: 'aa-pii', accountId: A, arn: 'arn:aws:s3:::aa-pii', region: 'us-east-1', tags: { DataClassification: 'PII' } });
  });

  it('a bucket whose region is unknown has no region on its subject, and says why', () => {
    const o = org();
    o.addBucket(A, { Name: 'where', region: failed(apiError('s3:GetBucketLocation', 'AccessDenied', 'no', A)), tags: PII });
    const [subject] = bucketsOf(scan(o).get(A)!);
    expect(subject?.resource).not.toHaveProperty('region');
    expect(subject?.activation.bucket?.region).toBeUndefined();
    expect(subject?.activation.bucket?.unknown?.region).toBe(`s3:GetBucketLocation (${A}) failed: AccessDenied: no`);
  });

  it('a bucket without tags has empty tags, not unknown ones', () => {
    const o = org();
    o.addBucket(A, { Name: 'untagged-pii', region: ok('us-east-1'), tags: absent('NoSuchTagSet') });
    const snap = o.snapshot();
    const index = buildIndex(snap.header, snap.accounts, { ...DEFAULT_MODEL_OPTIONS, pii: { tags: [], namePatterns: ['*-pii'], buckets: [] } });
    const [subject] = bucketsOf(subjectsForAccount(index, snap.accounts.find((r) => r.accountId === A)!));
    expect(subject?.activation.bucket?.tags).toEqual({});
    expect(subject?.activation.bucket?.unknown).toBeUndefined();
  });

  it('an account whose buckets are a documented empty answer has no bucket subject', () => {
    const o = org();
    o.account(A).buckets = absent('NoSuchBucket');
    expect(bucketsOf(scan(o).get(A)!)).toEqual([]);
  });

  it('an account that could not be entered gets one stand-in bucket subject naming the failed call', () => {
    const o = org();
    o.account(A).access = { error: apiError('sts:AssumeRole', 'AccessDenied', 'no role', A) };
    o.account(A).buckets = undefined;
    const [subject, ...more] = bucketsOf(scan(o).get(A)!);
    expect(more).toEqual([]);
    expect(subject?.resource).toMatchObject({ type: 'bucket', name: `(buckets of ${A})`, arn: `arn:aws:s3:::(buckets of ${A})`, accountId: A });
    expect(subject?.activation.bucket?.unknown).toEqual({ pii: `the account's buckets are unknown: could not read the account: sts:AssumeRole (${A}) failed: AccessDenied: no role` });
  });

  it('a failed bucket listing gives the stand-in subject the listing error', () => {
    const o = org();
    o.account(MANAGEMENT).buckets = failed(apiError('s3:ListBuckets', 'AccessDenied', 'denied', MANAGEMENT));
    const [subject] = bucketsOf(scan(o).get(MANAGEMENT)!);
    expect(subject?.activation.bucket?.unknown?.pii).toBe(`the account's buckets are unknown: s3:ListBuckets (${MANAGEMENT}) failed: AccessDenied: denied`);
  });
});
