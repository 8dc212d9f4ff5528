import { describe, expect, it } from 'vitest';
import { buildIndex, subjectsForAccount } from '../../src/model/index.ts';
import type { BucketFacts } from '../../src/model/facts.ts';
import { bucketNameClass, mayRecordS3Objects, type DataEventRecorder } from '../../src/model/data-event-coverage.ts';
import { ok, tags } from '../fixtures/snapshot-builder.ts';
import { detail, MANAGEMENT, miniOrg, trail } from '../fixtures/mini-org.ts';
import type { AdvancedEventSelector } from '../../src/snapshot/types.ts';

const ALICE = '222222222222';
const BOB = '333333333333';

const s3Data = (arn: AdvancedEventSelector['FieldSelectors'][number]): AdvancedEventSelector => ({
  FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, arn],
});

/** An organization trail recording the data events of buckets named pii-*, and PII buckets in two members. */
function organization(ownTrailSelector?: AdvancedEventSelector) {
  const o = miniOrg([ALICE, BOB]);
  for (const r of o.records) for (const region of r.regions) region.eventDataStores = ok([]);
  const orgTrail = trail(MANAGEMENT, 'org-trail', { IsOrganizationTrail: true });
  o.addTrailInRegions(orgTrail, { accountIds: [MANAGEMENT, ALICE, BOB] });
  o.addTrailDetail(MANAGEMENT, detail(orgTrail, true, { AdvancedEventSelectors: [s3Data({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::pii-'] })] }));
  const pii = { region: ok('us-east-1'), tags: ok(tags({ DataClassification: 'PII' })) };
  o.addBucket(ALICE, { Name: 'pii-alpha', ...pii });
  o.addBucket(BOB, { Name: 'pii-beta', ...pii });
  o.addBucket(BOB, { Name: 'scratch', ...pii });
  if (ownTrailSelector) {
    const own = trail(ALICE, 'own');
    o.addTrailInRegions(own);
    o.addTrailDetail(ALICE, detail(own, true, { AdvancedEventSelectors: [ownTrailSelector] }));
  }
  const snap = o.snapshot();
  const index = buildIndex(snap.header, snap.accounts);
  const bucketsOf = (id: string): Map<string, BucketFacts> =>
    new Map(subjectsForAccount(index, snap.accounts.find((r) => r.accountId === id)!).flatMap((s) => (s.activation.bucket ? [[s.activation.bucket.name, s.activation.bucket] as const] : [])));
  return { bucketsOf };
}

describe('bucket coverage shared between accounts', () => {
  it('gives buckets the selectors do not tell apart one coverage, worked out once and frozen', () => {
    const { bucketsOf } = organization();
    const alpha = bucketsOf(ALICE).get('pii-alpha')!.dataEvents!;
    const beta = bucketsOf(BOB).get('pii-beta')!.dataEvents!;
    expect(alpha.read).toEqual(beta.read);
    expect(alpha.read?.status).toBe('covered');
    // The same evidence list, not an equal copy: the coverage was not worked out again for Bob.
    expect(alpha.read!.by).toBe(beta.read!.by);
    expect(Object.isFrozen(alpha.read!.by)).toBe(true);
  });

  it('does not give a bucket the selectors treat otherwise the shared coverage', () => {
    const { bucketsOf } = organization();
    bucketsOf(ALICE);
    const bob = bucketsOf(BOB);
    expect(bob.get('pii-beta')!.dataEvents!.write?.status).toBe('covered');
    expect(bob.get('scratch')!.dataEvents!.write).toMatchObject({ status: 'not-covered', missing: ['all object write events'] });
  });

  it('shares it with an account whose own trail records management events only', () => {
    const { bucketsOf } = organization({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] });
    const alpha = bucketsOf(ALICE).get('pii-alpha')!.dataEvents!;
    expect(alpha.read!.by).toBe(bucketsOf(BOB).get('pii-beta')!.dataEvents!.read!.by);
  });

  it('does not share it with an account whose own trail records some S3 objects', () => {
    const { bucketsOf } = organization(s3Data({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::pii-'] }));
    const alpha = bucketsOf(ALICE).get('pii-alpha')!.dataEvents!;
    const beta = bucketsOf(BOB).get('pii-beta')!.dataEvents!;
    expect(alpha.read!.by.map((b) => b.source)).toEqual(['arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail', 'arn:aws:cloudtrail:us-east-1:222222222222:trail/own']);
    expect(beta.read!.by.map((b) => b.source)).toEqual(['arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail']);
  });

  it('works out again a bucket a selector names by its own ARN, and names its objects', () => {
    const { bucketsOf } = organization(s3Data({ Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::pii-alpha/secret/'] }));
    const alpha = bucketsOf(ALICE).get('pii-alpha')!.dataEvents!;
    expect(alpha.read?.status).toBe('covered');
    expect(alpha.read?.by).toHaveLength(2);
    expect(bucketsOf(BOB).get('pii-beta')!.dataEvents!.read?.by).toHaveLength(1);
  });
});

describe('bucketNameClass', () => {
  const recorder = (...arn: AdvancedEventSelector['FieldSelectors']): DataEventRecorder => ({
    arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/t',
    kind: 'trail',
    multiRegion: true,
    homeRegion: 'us-east-1',
    active: { value: true },
    selectors: { value: { type: 'advanced', selectors: arn.map(s3Data) } },
  });
  const of = (bucket: string, ...r: DataEventRecorder[]) => bucketNameClass({ bucket, partition: 'aws' }, r);

  it('is the same for buckets every ARN constant treats alike, and differs otherwise', () => {
    const r = recorder({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::pii-', 'arn:aws:s3:::logs'] });
    expect(of('pii-a', r)).toBe(of('pii-b', r));
    expect(of('pii-a', r)).not.toBe(of('scratch', r));
    expect(of('pii-a', r)).not.toBe(of('logs-2', r));
  });

  it('is undefined when a constant begins with the bucket\'s own object ARN, or a selector filters on the ending', () => {
    expect(of('pii-a', recorder({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::pii-a/x/'] }))).toBeUndefined();
    expect(of('pii-a', recorder({ Field: 'resources.ARN', Equals: ['arn:aws:s3:::pii-a/key'] }))).toBeUndefined();
    expect(of('pii-a', recorder({ Field: 'resources.ARN', EndsWith: ['.csv'] }))).toBeUndefined();
  });

  it('is the classic selectors\' translation too: a bucket-wide value names the bucket', () => {
    const classic: DataEventRecorder = {
      ...recorder(),
      selectors: { value: { type: 'classic', selectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::pii-a'] }] }] } },
    };
    expect(of('pii-a', classic)).toBeUndefined();
    expect(of('pii-b', classic)).toBe(of('scratch', classic));
  });
});

describe('mayRecordS3Objects', () => {
  const withSelectors = (selectors: DataEventRecorder['selectors']): DataEventRecorder => ({
    arn: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/own',
    kind: 'trail',
    multiRegion: true,
    homeRegion: 'us-east-1',
    active: { value: true },
    selectors,
  });
  const advanced = (...selectors: AdvancedEventSelector[]) => withSelectors({ value: { type: 'advanced', selectors } });

  it('leaves out a recorder of management events only, advanced or classic', () => {
    expect(mayRecordS3Objects(advanced({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }))).toBe(false);
    expect(mayRecordS3Objects(advanced({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] }] }))).toBe(false);
    expect(mayRecordS3Objects(withSelectors({ value: { type: 'classic', selectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }] } }))).toBe(false);
    expect(mayRecordS3Objects(advanced())).toBe(false);
  });

  it('keeps one that may record S3 objects, whose selectors are unknown, or that filters on a field that adds witnesses', () => {
    expect(mayRecordS3Objects(advanced({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }, s3Data({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::x/'] })))).toBe(true);
    expect(mayRecordS3Objects(advanced({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }))).toBe(true);
    expect(mayRecordS3Objects(withSelectors({ reason: 'cloudtrail:GetEventSelectors was not read' }))).toBe(true);
    expect(mayRecordS3Objects(advanced({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'userIdentity.arn', StartsWith: ['arn:aws:iam::'] }] }))).toBe(true);
  });
});
